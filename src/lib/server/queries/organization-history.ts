import { sql, type Kysely, type Transaction } from 'kysely';
import { rollUp, type Counts } from '../../domain/compliance';
import type { Database, OrganizationKind } from '../db/schema';

/*
 * The tree as it was in a given reporting year, read from organization_link
 * (organization.parent_id is only today's tree), and the lists the
 * organization admin pages show.
 */

type Db = Kysely<Database> | Transaction<Database>;
type Scope = 'all' | ReadonlySet<number>;

/** The root and every organization linked under it, directly or not, in that year. */
export async function findSubtreeIdsInYear(db: Db, rootId: number, year: number): Promise<number[]> {
	const r = await sql<{ id: number }>`
		WITH RECURSIVE down(id, depth) AS (
			SELECT ${rootId}::integer, 0
			UNION
			SELECT l.organization_id, down.depth + 1 FROM organization_link l JOIN down ON l.parent_id = down.id
			WHERE l.year_from <= ${year} AND (l.year_to IS NULL OR l.year_to >= ${year}) AND down.depth < 64
		) SELECT DISTINCT id FROM down`.execute(db);
	return r.rows.map((x) => Number(x.id));
}

/** Σnumerator / Σdenominator of one indicator over the year's subtree (optionally some services only). */
export async function rollUpSubtree(
	db: Db,
	input: { rootId: number; year: number; indicatorCode: string; serviceIds?: readonly number[] }
): Promise<Counts & { value: number | null }> {
	const ids = await findSubtreeIdsInYear(db, input.rootId, input.year);
	if (input.serviceIds && input.serviceIds.length === 0) return rollUp([]);
	const rows = await db
		.selectFrom('measurement as m')
		.innerJoin('indicator as i', 'i.id', 'm.indicator_id')
		.select(['m.numerator', 'm.denominator'])
		.where('i.code', '=', input.indicatorCode)
		.where('m.year', '=', input.year)
		.where('m.organization_id', 'in', ids)
		.$if(input.serviceIds !== undefined, (q) => q.where('m.service_id', 'in', [...input.serviceIds!]))
		.execute();
	return rollUp(rows);
}

export type OrganizationStatus = 'active' | 'closed' | 'merged';

export interface OrganizationRow {
	id: number;
	code: string;
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	bin: string | null;
	activeFrom: string;
	activeTo: string | null;
	isDemo: boolean;
	status: OrganizationStatus;
	parent: { id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null } | null;
	mergedInto: { id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null } | null;
}

function rows(db: Db) {
	return db
		.selectFrom('organization as o')
		.leftJoin('organization as p', 'p.id', 'o.parent_id')
		.leftJoin('organization as t', 't.id', 'o.merged_into_id')
		.select([
			'o.id', 'o.code', 'o.kind', 'o.name_kk as nameKk', 'o.name_ru as nameRu', 'o.name_en as nameEn', 'o.bin',
			'o.active_from as activeFrom', 'o.active_to as activeTo', 'o.is_demo as isDemo',
			'p.id as parentId', 'p.code as parentCode', 'p.name_kk as parentKk', 'p.name_ru as parentRu', 'p.name_en as parentEn',
			't.id as mergedId', 't.code as mergedCode', 't.name_kk as mergedKk', 't.name_ru as mergedRu', 't.name_en as mergedEn'
		]);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>;

function toRow(r: RawRow): OrganizationRow {
	return {
		id: r.id, code: r.code, kind: r.kind, nameKk: r.nameKk, nameRu: r.nameRu, nameEn: r.nameEn, bin: r.bin,
		activeFrom: r.activeFrom, activeTo: r.activeTo, isDemo: r.isDemo,
		status: r.mergedId !== null ? 'merged' : r.activeTo !== null ? 'closed' : 'active',
		parent: r.parentId === null ? null : { id: r.parentId, code: r.parentCode!, nameKk: r.parentKk!, nameRu: r.parentRu!, nameEn: r.parentEn },
		mergedInto: r.mergedId === null ? null : { id: r.mergedId, code: r.mergedCode!, nameKk: r.mergedKk!, nameRu: r.mergedRu!, nameEn: r.mergedEn }
	};
}

function likePattern(text: string, leading: boolean): string {
	return `${leading ? '%' : ''}${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const SEARCH_LIMIT = 200;

/** By name in any language (anywhere in it, any case) or by BIN or code prefix; only within the scope. */
export async function searchOrganizations(db: Db, scope: Scope, q: string, { limit = SEARCH_LIMIT }: { limit?: number | null } = {}): Promise<OrganizationRow[]> {
	if (scope !== 'all' && scope.size === 0) return [];
	const text = q.trim();
	const found = await rows(db)
		.$if(scope !== 'all', (x) => x.where('o.id', 'in', [...(scope as ReadonlySet<number>)]))
		.$if(text !== '', (x) => x.where((eb) => eb.or([
			eb('o.name_kk', 'ilike', likePattern(text, true)),
			eb('o.name_ru', 'ilike', likePattern(text, true)),
			eb('o.name_en', 'ilike', likePattern(text, true)),
			eb('o.code', 'ilike', likePattern(text, false)),
			eb('o.bin', 'like', likePattern(text, false))
		])))
		.orderBy('o.code')
		.$if(limit !== null, (x) => x.limit(limit!))
		.execute();
	return found.map(toRow);
}

export async function findOrganizationRow(db: Db, id: number): Promise<OrganizationRow | undefined> {
	const r = await rows(db).where('o.id', '=', id).executeTakeFirst();
	return r ? toRow(r) : undefined;
}

export interface LinkRow {
	id: number;
	yearFrom: number;
	yearTo: number | null;
	parent: { id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null } | null;
}

/** The organization's parents year by year, oldest first. */
export async function listLinks(db: Db, organizationId: number): Promise<LinkRow[]> {
	const found = await db
		.selectFrom('organization_link as l')
		.leftJoin('organization as p', 'p.id', 'l.parent_id')
		.select(['l.id', 'l.year_from as yearFrom', 'l.year_to as yearTo', 'p.id as parentId', 'p.code', 'p.name_kk as nameKk', 'p.name_ru as nameRu', 'p.name_en as nameEn'])
		.where('l.organization_id', '=', organizationId)
		.orderBy('l.year_from')
		.execute();
	return found.map((r) => ({
		id: r.id, yearFrom: r.yearFrom, yearTo: r.yearTo,
		parent: r.parentId === null ? null : { id: r.parentId, code: r.code!, nameKk: r.nameKk!, nameRu: r.nameRu!, nameEn: r.nameEn }
	}));
}

export interface ProvisionRow {
	id: number;
	yearFrom: number;
	yearTo: number | null;
	service: { id: number; code: string; titleKk: string; titleRu: string; titleEn: string | null };
}

export async function listProvisions(db: Db, organizationId: number): Promise<ProvisionRow[]> {
	const found = await db
		.selectFrom('service_provision as p')
		.innerJoin('service as s', 's.id', 'p.service_id')
		.select(['p.id', 'p.year_from as yearFrom', 'p.year_to as yearTo', 's.id as serviceId', 's.code', 's.title_kk as titleKk', 's.title_ru as titleRu', 's.title_en as titleEn'])
		.where('p.organization_id', '=', organizationId)
		.orderBy('s.code')
		.orderBy('p.year_from')
		.execute();
	return found.map((r) => ({
		id: r.id, yearFrom: r.yearFrom, yearTo: r.yearTo,
		service: { id: r.serviceId, code: r.code, titleKk: r.titleKk, titleRu: r.titleRu, titleEn: r.titleEn }
	}));
}
