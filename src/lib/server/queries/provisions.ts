import type { Kysely } from 'kysely';
import type { Database, OrganizationKind } from '../db/schema';

/* Which organization provides which service, in which years. */

export interface ProvisionView {
	id: number;
	organizationId: number;
	serviceId: number;
	serviceCode: string;
	serviceTitleKk: string;
	serviceTitleRu: string;
	serviceTitleEn: string | null;
	yearFrom: number;
	yearTo: number | null;
}

export interface ServiceChoice {
	id: number;
	code: string;
	titleKk: string;
	titleRu: string;
	titleEn: string | null;
}

export async function listProvisions(db: Kysely<Database>, organizationId: number): Promise<ProvisionView[]> {
	return db
		.selectFrom('service_provision as p')
		.innerJoin('service as s', 's.id', 'p.service_id')
		.where('p.organization_id', '=', organizationId)
		.select([
			'p.id', 'p.organization_id as organizationId', 'p.service_id as serviceId', 's.code as serviceCode', 's.title_kk as serviceTitleKk',
			's.title_ru as serviceTitleRu', 's.title_en as serviceTitleEn', 'p.year_from as yearFrom', 'p.year_to as yearTo'
		])
		.orderBy('s.code')
		.orderBy('p.year_from')
		.execute();
}

export async function findProvision(db: Kysely<Database>, id: number): Promise<{ id: number; organizationId: number; serviceId: number } | undefined> {
	return db.selectFrom('service_provision').select(['id', 'organization_id as organizationId', 'service_id as serviceId']).where('id', '=', id).executeTakeFirst();
}

export async function listServiceChoices(db: Kysely<Database>): Promise<ServiceChoice[]> {
	return db.selectFrom('service').select(['id', 'code', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn']).orderBy('code').execute();
}

export async function insertProvision(db: Kysely<Database>, p: { organizationId: number; serviceId: number; yearFrom: number; yearTo: number | null }): Promise<number> {
	const row = await db
		.insertInto('service_provision')
		.values({ organization_id: p.organizationId, service_id: p.serviceId, year_from: p.yearFrom, year_to: p.yearTo })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function insertProvisions(db: Kysely<Database>, rows: readonly { organizationId: number; serviceId: number }[], yearFrom: number, yearTo: number | null): Promise<void> {
	// 4 parameters a row: well under the 65,535 bind limit per statement.
	for (let i = 0; i < rows.length; i += 5000) {
		await db
			.insertInto('service_provision')
			.values(rows.slice(i, i + 5000).map((r) => ({ organization_id: r.organizationId, service_id: r.serviceId, year_from: yearFrom, year_to: yearTo })))
			.execute();
	}
}

export async function updateProvisionYears(db: Kysely<Database>, id: number, yearFrom: number, yearTo: number | null): Promise<void> {
	await db.updateTable('service_provision').set({ year_from: yearFrom, year_to: yearTo, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Organizations of one kind among the given ids (a department's subtree), by code. */
export async function listOrganizationsOfKind(db: Kysely<Database>, ids: readonly number[], kind: OrganizationKind): Promise<{ id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null }[]> {
	if (ids.length === 0) return [];
	return db
		.selectFrom('organization')
		.select(['id', 'code', 'name_kk as nameKk', 'name_ru as nameRu', 'name_en as nameEn'])
		.where('id', 'in', [...ids])
		.where('kind', '=', kind)
		.where('active_to', 'is', null)
		.orderBy('code')
		.execute();
}

/** Pairs (organization, service) that already provide in some year of the range. */
export async function findOverlappingProvisions(
	db: Kysely<Database>, organizationIds: readonly number[], serviceIds: readonly number[], yearFrom: number, yearTo: number | null
): Promise<{ organizationId: number; serviceId: number }[]> {
	if (organizationIds.length === 0 || serviceIds.length === 0) return [];
	return db
		.selectFrom('service_provision')
		.select(['organization_id as organizationId', 'service_id as serviceId'])
		.distinct()
		.where('organization_id', 'in', [...organizationIds])
		.where('service_id', 'in', [...serviceIds])
		.where('year_from', '<=', yearTo ?? 2100)
		.where((eb) => eb(eb.fn.coalesce('year_to', eb.lit(2100)), '>=', yearFrom))
		.execute();
}
