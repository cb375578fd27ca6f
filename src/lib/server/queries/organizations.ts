import type { Kysely } from 'kysely';
import type { Database, OrganizationKind } from '../db/schema';

export interface OrganizationSummary {
	id: number;
	parentId: number | null;
	code: string;
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	bin: string | null;
	activeTo: string | null;
	isDemo: boolean;
}

function summaries(db: Kysely<Database>) {
	return db.selectFrom('organization').select([
		'id', 'parent_id as parentId', 'code', 'kind', 'name_kk as nameKk', 'name_ru as nameRu', 'name_en as nameEn',
		'bin', 'active_to as activeTo', 'is_demo as isDemo'
	]);
}

/** The organizations a person may see: 'all', or the ids of their subtrees. */
export async function listOrganizations(db: Kysely<Database>, scope: 'all' | ReadonlySet<number>): Promise<OrganizationSummary[]> {
	if (scope !== 'all' && scope.size === 0) return [];
	return summaries(db)
		.$if(scope !== 'all', (q) => q.where('id', 'in', [...(scope as ReadonlySet<number>)]))
		.orderBy('code')
		.execute();
}

export async function findOrganization(db: Kysely<Database>, id: number): Promise<OrganizationSummary | undefined> {
	return summaries(db).where('id', '=', id).executeTakeFirst();
}

export async function findOrganizationByCode(db: Kysely<Database>, code: string): Promise<OrganizationSummary | undefined> {
	return summaries(db).where('code', '=', code).executeTakeFirst();
}

/**
 * The tree as it stood in a reporting year: each organization's parent from
 * organization_link for that year, and only organizations open at some time
 * in it. Past years keep showing the tree as it was.
 */
export async function listOrganizationsInYear(db: Kysely<Database>, scope: 'all' | ReadonlySet<number>, year: number): Promise<OrganizationSummary[]> {
	if (scope !== 'all' && scope.size === 0) return [];
	return db
		.selectFrom('organization as o')
		.innerJoin('organization_link as l', (j) =>
			j.onRef('l.organization_id', '=', 'o.id').on('l.year_from', '<=', year).on((eb) => eb.or([eb('l.year_to', 'is', null), eb('l.year_to', '>=', year)])))
		.select([
			'o.id', 'l.parent_id as parentId', 'o.code', 'o.kind', 'o.name_kk as nameKk', 'o.name_ru as nameRu', 'o.name_en as nameEn',
			'o.bin', 'o.active_to as activeTo', 'o.is_demo as isDemo'
		])
		.where('o.active_from', '<=', `${year}-12-31`)
		.where((eb) => eb.or([eb('o.active_to', 'is', null), eb('o.active_to', '>=', `${year}-01-01`)]))
		.$if(scope !== 'all', (q) => q.where('o.id', 'in', [...(scope as ReadonlySet<number>)]))
		.orderBy('o.code')
		.execute();
}
