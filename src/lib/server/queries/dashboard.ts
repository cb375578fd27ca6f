import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { OrganizationKindCode } from '../../domain/completeness';
import type { IndicatorGroup, Measures, Texts, Volumes } from '../../domain/dashboard';
import type { Database, PolarityCode } from '../db/schema';

/*
 * The dashboard's reads, all from the pre-aggregated sums
 * (migrations/…T08-compliance-rollup.ts): a subtree's figures are the
 * roll-up rows of its top when it has children that year (organization_link),
 * else that organization's own cells. Each read is a handful of index probes
 * on (organization_id, year, …) whatever the size of the subtree; counts come
 * back as numbers on both engines.
 */

type Db = Kysely<Database>;

/** Measures of one (year, service, indicator, reporting kind) of a subtree. */
export interface MeasureRow extends Measures {
	year: number;
	serviceId: number;
	indicatorId: number;
	kind: OrganizationKindCode;
}

export interface VolumeRow extends Volumes {
	year: number;
	serviceId: number;
	kind: OrganizationKindCode;
}

/** Measures of one unit (a child subtree, or the top's own cells), year and indicator. */
export interface UnitMeasureRow extends Measures {
	unitId: number;
	year: number;
	indicatorId: number;
}

export interface OrganizationRow {
	id: number;
	code: string;
	kind: OrganizationKindCode;
	name: Texts;
}

export interface ChildRow extends OrganizationRow {
	/** It has children of its own that year. */
	hasChildren: boolean;
}

export interface BranchRow extends OrganizationRow {
	/** The parent that year (organization_link); today's parent when no link covers the year. */
	parentId: number | null;
}

export interface TopRow extends OrganizationRow {
	/** Its subtree holds any pre-aggregated cell (in any year). */
	hasData: boolean;
}

export interface IndicatorRow {
	id: number;
	code: string;
	group: IndicatorGroup;
	title: Texts;
	polarity: PolarityCode;
	computed: boolean;
	numerator: Texts;
	denominator: Texts;
}

export interface IndicatorGroupRow {
	code: IndicatorGroup;
	number: number;
	title: Texts;
}

export interface ServiceRow {
	id: number;
	code: string;
	title: Texts;
}

/** The filters the sums of child subtrees are read with. */
export interface UnitFilters {
	kind: OrganizationKindCode | null;
	serviceId: number | null;
	group: IndicatorGroup | null;
}

const MEASURE_COLUMNS: Array<[column: string, key: keyof Measures]> = [
	['numerator', 'numerator'], ['denominator', 'denominator'], ['valued', 'valued'], ['assessed', 'assessed'],
	['meets_normative', 'meetsNormative'], ['breaches', 'breaches'], ['with_target', 'withTarget'], ['meets_target', 'meetsTarget'],
	['normative_weighted', 'normativeWeighted'], ['normative_denominator', 'normativeDenominator'],
	['target_weighted', 'targetWeighted'], ['target_denominator', 'targetDenominator'], ['expected', 'expected'], ['reported', 'reported']
];
const VOLUME_COLUMNS: Array<[column: string, key: keyof Volumes]> = [
	['provider', 'provider'], ['state_corporation', 'stateCorporation'], ['egov', 'egov'], ['expected', 'expected'], ['reported', 'reported']
];

/** `t.col::float8 AS col, …` (or summed): bigint and numeric read as numbers on both engines. */
const columns = (cols: Array<[string, unknown]>, alias: string, summed = false) =>
	sql.raw(cols.map(([c]) => (summed ? `sum(${alias}.${c})::float8 AS ${c}` : `${alias}.${c}::float8 AS ${c}`)).join(', '));

function pick<K extends string>(cols: Array<[string, K]>, row: Record<string, unknown>): Record<K, number> {
	const out = {} as Record<K, number>;
	for (const [c, k] of cols) out[k] = Number(row[c] ?? 0);
	return out;
}

const texts = (kk: string, ru: string, en: string | null): Texts => ({ kk, ru, en });

/** A link row `l` holds in year `y`. */
const covers = (l: string, y: RawBuilder<unknown> | number) => sql`${sql.raw(l)}.year_from <= ${y} AND (${sql.raw(l)}.year_to IS NULL OR ${sql.raw(l)}.year_to >= ${y})`;

/** Organization `org` has children in year `y` (the rule the roll-up is kept by). */
const hasChildren = (org: RawBuilder<unknown> | number, y: RawBuilder<unknown> | number) =>
	sql`EXISTS (SELECT 1 FROM organization_link g WHERE g.parent_id = ${org} AND ${covers('g', y)})`;

/**
 * Every year's figures of the subtree under `rootId`, by service, indicator
 * and the kind of the reporting organization: a few thousand rows at most
 * (years × services × indicators × kinds), read by primary key.
 */
export async function findSubtreeMeasures(db: Db, rootId: number): Promise<MeasureRow[]> {
	const r = await sql<Record<string, unknown>>`
		SELECT r.year, r.service_id, r.indicator_id, r.kind, ${columns(MEASURE_COLUMNS, 'r')}
		FROM compliance_rollup r
		WHERE r.organization_id = ${rootId} AND ${hasChildren(rootId, sql.ref('r.year'))}
		UNION ALL
		SELECT c.year, c.service_id, c.indicator_id, c.kind, ${columns(MEASURE_COLUMNS, 'c')}
		FROM compliance_cell c
		WHERE c.organization_id = ${rootId} AND NOT ${hasChildren(rootId, sql.ref('c.year'))}`.execute(db);
	return r.rows.map((x) => ({
		year: Number(x.year), serviceId: Number(x.service_id), indicatorId: Number(x.indicator_id), kind: x.kind as OrganizationKindCode,
		...pick(MEASURE_COLUMNS, x)
	}));
}

/** Every year's served volumes of the subtree under `rootId`, by service and reporting kind. */
export async function findSubtreeVolumes(db: Db, rootId: number): Promise<VolumeRow[]> {
	const r = await sql<Record<string, unknown>>`
		SELECT r.year, r.service_id, r.kind, ${columns(VOLUME_COLUMNS, 'r')}
		FROM volume_rollup r
		WHERE r.organization_id = ${rootId} AND ${hasChildren(rootId, sql.ref('r.year'))}
		UNION ALL
		SELECT c.year, c.service_id, c.kind, ${columns(VOLUME_COLUMNS, 'c')}
		FROM volume_cell c
		WHERE c.organization_id = ${rootId} AND NOT ${hasChildren(rootId, sql.ref('c.year'))}`.execute(db);
	return r.rows.map((x) => ({ year: Number(x.year), serviceId: Number(x.service_id), kind: x.kind as OrganizationKindCode, ...pick(VOLUME_COLUMNS, x) }));
}

/** The organizations directly under `rootId` in `year`, whatever they reported. */
export async function findChildren(db: Db, rootId: number, year: number): Promise<ChildRow[]> {
	const r = await sql<Record<string, unknown>>`
		SELECT o.id, o.code, o.kind, o.name_kk, o.name_ru, o.name_en, ${hasChildren(sql.ref('o.id'), year)} AS has_children
		FROM organization_link l JOIN organization o ON o.id = l.organization_id
		WHERE l.parent_id = ${rootId} AND ${covers('l', year)}`.execute(db);
	return r.rows.map((x) => ({ ...organizationOf(x), hasChildren: x.has_children === true }));
}

/**
 * The figures of each child subtree of `rootId` (the children of `year`) in
 * `year` and the year before, by indicator, and of the top's own cells under
 * its own id: one grouped statement, roll-up rows for children with children,
 * cells for the others. Groups without any cell under the filters are absent.
 */
export async function findChildMeasures(db: Db, rootId: number, year: number, filters: UnitFilters): Promise<UnitMeasureRow[]> {
	const where = (t: string) => {
		const parts = [
			filters.kind === null ? null : sql`${sql.raw(t)}.kind = ${filters.kind}`,
			filters.serviceId === null ? null : sql`${sql.raw(t)}.service_id = ${filters.serviceId}`,
			filters.group === null ? null : sql`${sql.raw(t)}.indicator_id IN (SELECT id FROM indicator WHERE group_code = ${filters.group})`
		].filter((p) => p !== null);
		return parts.length === 0 ? sql`` : sql`AND ${sql.join(parts, sql` AND `)}`;
	};
	const r = await sql<Record<string, unknown>>`
		WITH kids AS (
			SELECT l.organization_id AS id FROM organization_link l WHERE l.parent_id = ${rootId} AND ${covers('l', year)}
		), units AS (
			SELECT k.id, y.year, ${hasChildren(sql.ref('k.id'), sql.ref('y.year'))} AS branch
			FROM kids k CROSS JOIN (VALUES (${year}::integer), (${year - 1}::integer)) AS y(year)
		), x AS (
			SELECT u.id AS unit_id, r.year, r.indicator_id, ${columns(MEASURE_COLUMNS, 'r')}
			FROM units u JOIN compliance_rollup r ON r.organization_id = u.id AND r.year = u.year
			WHERE u.branch ${where('r')}
			UNION ALL
			SELECT u.id, c.year, c.indicator_id, ${columns(MEASURE_COLUMNS, 'c')}
			FROM units u JOIN compliance_cell c ON c.organization_id = u.id AND c.year = u.year
			WHERE NOT u.branch ${where('c')}
			UNION ALL
			SELECT c.organization_id, c.year, c.indicator_id, ${columns(MEASURE_COLUMNS, 'c')}
			FROM compliance_cell c
			WHERE c.organization_id = ${rootId} AND c.year IN (${year}, ${year - 1}) ${where('c')}
		)
		SELECT x.unit_id, x.year, x.indicator_id, ${columns(MEASURE_COLUMNS, 'x', true)}
		FROM x GROUP BY x.unit_id, x.year, x.indicator_id`.execute(db);
	return r.rows.map((x) => ({ unitId: Number(x.unit_id), year: Number(x.year), indicatorId: Number(x.indicator_id), ...pick(MEASURE_COLUMNS, x) }));
}

/**
 * The organizations with children in `year` (a few hundred at national
 * scale, never the leaves) and `rootId` itself, each with its parent that
 * year: the picker and the breadcrumb are cut from these.
 */
export async function findBranches(db: Db, rootId: number, year: number): Promise<BranchRow[]> {
	const r = await sql<Record<string, unknown>>`
		WITH branch AS (
			SELECT DISTINCT parent_id AS id FROM organization_link l WHERE l.parent_id IS NOT NULL AND ${covers('l', year)}
		)
		SELECT o.id, o.code, o.kind, o.name_kk, o.name_ru, o.name_en,
			CASE WHEN l.id IS NULL THEN o.parent_id ELSE l.parent_id END AS parent_id
		FROM organization o
		LEFT JOIN organization_link l ON l.organization_id = o.id AND ${covers('l', year)}
		WHERE o.id IN (SELECT id FROM branch) OR o.id = ${rootId}`.execute(db);
	return r.rows.map((x) => ({ ...organizationOf(x), parentId: x.parent_id === null ? null : Number(x.parent_id) }));
}

/**
 * The tops of what a person sees (today's tree): organizations without a
 * parent, or, for a scope, those whose parent is outside it.
 */
export async function findScopeTops(db: Db, scope: 'all' | ReadonlySet<number>): Promise<TopRow[]> {
	if (scope !== 'all' && scope.size === 0) return [];
	// One text parameter however large the scope.
	const ids = scope === 'all' ? null : `{${[...scope].join(',')}}`;
	const tops = ids === null
		? sql`o.parent_id IS NULL`
		: sql`o.id = ANY(${ids}::integer[]) AND (o.parent_id IS NULL OR NOT o.parent_id = ANY(${ids}::integer[]))`;
	const r = await sql<Record<string, unknown>>`
		SELECT o.id, o.code, o.kind, o.name_kk, o.name_ru, o.name_en,
			(EXISTS (SELECT 1 FROM compliance_rollup r WHERE r.organization_id = o.id)
				OR EXISTS (SELECT 1 FROM compliance_cell c WHERE c.organization_id = o.id)) AS has_data
		FROM organization o WHERE ${tops}`.execute(db);
	return r.rows.map((x) => ({ ...organizationOf(x), hasData: x.has_data === true }));
}

export async function findOrganizationRef(db: Db, id: number): Promise<OrganizationRow | undefined> {
	const r = await sql<Record<string, unknown>>`SELECT o.id, o.code, o.kind, o.name_kk, o.name_ru, o.name_en FROM organization o WHERE o.id = ${id}`.execute(db);
	return r.rows[0] ? organizationOf(r.rows[0]) : undefined;
}

/** Indicators in the standard's order, with their groups and definitions. */
export async function findIndicatorCatalogue(db: Db): Promise<{ indicators: IndicatorRow[]; groups: IndicatorGroupRow[] }> {
	const [indicators, groups] = await Promise.all([
		db.selectFrom('indicator').selectAll().orderBy('sort_order').orderBy('code').execute(),
		db.selectFrom('indicator_group').selectAll().orderBy('number').execute()
	]);
	return {
		indicators: indicators.map((i) => ({
			id: i.id, code: i.code, group: i.group_code, title: texts(i.title_kk, i.title_ru, i.title_en), polarity: i.polarity,
			computed: i.source === 'complaints_register',
			numerator: texts(i.numerator_kk, i.numerator_ru, i.numerator_en), denominator: texts(i.denominator_kk, i.denominator_ru, i.denominator_en)
		})),
		groups: groups.map((g) => ({ code: g.code, number: g.number, title: texts(g.title_kk, g.title_ru, g.title_en) }))
	};
}

export async function findServiceCatalogue(db: Db): Promise<ServiceRow[]> {
	const rows = await db.selectFrom('service').select(['id', 'code', 'title_kk', 'title_ru', 'title_en']).orderBy('code').execute();
	return rows.map((s) => ({ id: s.id, code: s.code, title: texts(s.title_kk, s.title_ru, s.title_en) }));
}

function organizationOf(x: Record<string, unknown>): OrganizationRow {
	return {
		id: Number(x.id), code: String(x.code), kind: x.kind as OrganizationKindCode,
		name: texts(String(x.name_kk), String(x.name_ru), x.name_en === null ? null : String(x.name_en))
	};
}
