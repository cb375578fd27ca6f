import type { Kysely } from 'kysely';
import type { Channel, Database } from '../db/schema';

export interface ServiceSummary {
	id: number;
	code: string;
	titleKk: string;
	titleRu: string;
	titleEn: string | null;
	titleRuVerified: boolean;
	channels: Channel[];
	isPaid: boolean;
}

/** Services the organization provided in that year, in catalogue order. */
export async function listServicesProvided(db: Kysely<Database>, organizationId: number, year: number): Promise<ServiceSummary[]> {
	return db
		.selectFrom('service as s')
		.innerJoin('service_provision as p', 'p.service_id', 's.id')
		.where('p.organization_id', '=', organizationId)
		.where('p.year_from', '<=', year)
		.where((eb) => eb.or([eb('p.year_to', 'is', null), eb('p.year_to', '>=', year)]))
		.select([
			's.id', 's.code', 's.title_kk as titleKk', 's.title_ru as titleRu', 's.title_en as titleEn',
			's.title_ru_verified as titleRuVerified', 's.channels', 's.is_paid as isPaid'
		])
		.orderBy('s.code')
		.execute();
}

/** Years in which the organization provided any service, newest first. */
export async function listProvisionYears(db: Kysely<Database>, organizationId: number, untilYear: number): Promise<number[]> {
	const rows = await db
		.selectFrom('service_provision')
		.where('organization_id', '=', organizationId)
		.select(['year_from as from', 'year_to as to'])
		.execute();
	const years = new Set<number>();
	for (const r of rows) for (let y = r.from; y <= Math.min(r.to ?? untilYear, untilYear); y++) years.add(y);
	return [...years].sort((a, b) => b - a);
}

/** The latest year with any reported measurement for the organization. */
export async function findLatestMeasuredYear(db: Kysely<Database>, organizationId: number): Promise<number | null> {
	const row = await db
		.selectFrom('measurement')
		.where('organization_id', '=', organizationId)
		.select((eb) => eb.fn.max('year').as('year'))
		.executeTakeFirst();
	return row?.year ?? null;
}

/** Service ids by the organization's served volume that year, largest first: the default choice is the busiest one. */
export async function rankServicesByVolume(db: Kysely<Database>, organizationId: number, year: number): Promise<number[]> {
	const rows = await db
		.selectFrom('service_volume')
		.where('organization_id', '=', organizationId)
		.where('year', '=', year)
		.groupBy('service_id')
		.select((eb) => ['service_id as serviceId', eb.fn.sum<number>('count').as('served')])
		.orderBy('served', 'desc')
		.orderBy('service_id')
		.execute();
	return rows.map((r) => r.serviceId);
}
