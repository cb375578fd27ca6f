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
