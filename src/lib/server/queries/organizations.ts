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

export async function listOrganizations(db: Kysely<Database>): Promise<OrganizationSummary[]> {
	return summaries(db).orderBy('code').execute();
}

export async function findOrganization(db: Kysely<Database>, id: number): Promise<OrganizationSummary | undefined> {
	return summaries(db).where('id', '=', id).executeTakeFirst();
}

export async function findOrganizationByCode(db: Kysely<Database>, code: string): Promise<OrganizationSummary | undefined> {
	return summaries(db).where('code', '=', code).executeTakeFirst();
}
