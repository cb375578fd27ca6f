import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { OrganizationKindCode } from '../../domain/completeness';
import type { IndicatorGroup, Measures, Texts } from '../../domain/dashboard';
import type { Database, PolarityCode } from '../db/schema';

/*
 * Every leaf cell (organization × service × indicator × year, migrations/…T08-compliance-rollup.ts)
 * of a subtree, for the large export. The subtree of each year is that year's tree
 * (organization_link), cut to the person's scope; the cells are read in primary-key order in
 * batches (keyset pagination), so however many there are, one batch at a time is in memory, on
 * PGlite and PostgreSQL alike.
 */

type Db = Kysely<Database>;
export type Scope = 'all' | ReadonlySet<number>;

export interface CellFilters {
	kind: OrganizationKindCode | null;
	serviceId: number | null;
	group: IndicatorGroup | null;
}

/** The (organization, year) pairs whose cells are exported: the subtree of each year, in scope. */
export interface Members {
	organizationIds: number[];
	years: number[];
}

export interface CellRow extends Measures {
	organizationId: number;
	year: number;
	serviceId: number;
	indicatorId: number;
	organization: { code: string; kind: OrganizationKindCode; name: Texts };
	service: { code: string; title: Texts };
	indicator: { code: string; group: IndicatorGroup; title: Texts; polarity: PolarityCode; computed: boolean };
}

const MEASURE_COLUMNS: Array<[column: string, key: keyof Measures]> = [
	['numerator', 'numerator'], ['denominator', 'denominator'], ['valued', 'valued'], ['assessed', 'assessed'],
	['meets_normative', 'meetsNormative'], ['breaches', 'breaches'], ['with_target', 'withTarget'], ['meets_target', 'meetsTarget'],
	['normative_weighted', 'normativeWeighted'], ['normative_denominator', 'normativeDenominator'],
	['target_weighted', 'targetWeighted'], ['target_denominator', 'targetDenominator'], ['expected', 'expected'], ['reported', 'reported']
];
/** bigint and numeric read as numbers on both engines. */
const measures = sql.raw(MEASURE_COLUMNS.map(([c]) => `c.${c}::float8 AS ${c}`).join(', '));

/** One text parameter however many ids: '{1,2,3}'. */
const intArray = (ids: readonly number[]) => `{${ids.join(',')}}`;

/**
 * The organizations of the subtree under `rootId` in each year that has cells (only `year` when
 * given), by that year's organization_link; then only those in the person's scope. Sorted by
 * (organization, year), the cells' key order.
 */
export async function findMembers(db: Db, rootId: number, year: number | null, scope: Scope): Promise<Members> {
	const r = await sql<{ org: number; year: number }>`
		WITH RECURSIVE years AS (
			SELECT y.year FROM compliance_year y WHERE ${year === null ? sql`true` : sql`y.year = ${year}`}
		), sub(org, year, depth) AS (
			SELECT ${rootId}::integer, years.year, 0 FROM years
			UNION ALL
			SELECT l.organization_id, s.year, s.depth + 1 FROM sub s
			JOIN organization_link l ON l.parent_id = s.org AND l.year_from <= s.year AND (l.year_to IS NULL OR l.year_to >= s.year)
			WHERE s.depth < 64
		)
		SELECT DISTINCT org, year FROM sub ORDER BY org, year`.execute(db);
	const out: Members = { organizationIds: [], years: [] };
	for (const row of r.rows) {
		const org = Number(row.org);
		if (scope !== 'all' && !scope.has(org)) continue;
		out.organizationIds.push(org);
		out.years.push(Number(row.year));
	}
	return out;
}

/**
 * The members' cells under the filters; after a key, only the members from its (organization,
 * year) on, so each batch probes the primary key from where the last one stopped (PostgreSQL
 * would otherwise walk every earlier member's cells again: seconds per batch at national scale).
 */
function where(members: Members, filters: CellFilters, after: Key | null = null): RawBuilder<unknown> {
	const from = after === null ? sql`` : sql`WHERE (u.org, u.year) >= (${after[0]}::integer, ${after[1]}::integer)`;
	const parts = [
		sql`(c.organization_id, c.year) IN (SELECT u.org, u.year FROM unnest(${intArray(members.organizationIds)}::integer[], ${intArray(members.years)}::integer[]) AS u(org, year) ${from})`,
		filters.kind === null ? null : sql`c.kind = ${filters.kind}`,
		filters.serviceId === null ? null : sql`c.service_id = ${filters.serviceId}`,
		filters.group === null ? null : sql`c.indicator_id IN (SELECT id FROM indicator WHERE group_code = ${filters.group})`
	].filter((p) => p !== null);
	return sql.join(parts, sql` AND `);
}

export async function countCells(db: Db, members: Members, filters: CellFilters): Promise<number> {
	if (members.organizationIds.length === 0) return 0;
	const r = await sql<{ n: number }>`SELECT count(*)::integer AS n FROM compliance_cell c WHERE ${where(members, filters)}`.execute(db);
	return Number(r.rows[0]?.n ?? 0);
}

type Key = [organizationId: number, year: number, serviceId: number, indicatorId: number];

/** One batch: the cells after `after` in primary-key order, with the names they are shown by. */
export async function findCellBatch(db: Db, members: Members, filters: CellFilters, after: Key | null, limit: number): Promise<CellRow[]> {
	const cursor = after === null
		? sql`true`
		: sql`(c.organization_id, c.year, c.service_id, c.indicator_id) > (${after[0]}::integer, ${after[1]}::integer, ${after[2]}::integer, ${after[3]}::integer)`;
	const r = await sql<Record<string, unknown>>`
		SELECT c.organization_id, c.year, c.service_id, c.indicator_id, ${measures},
			o.code AS org_code, c.kind, o.name_kk AS org_kk, o.name_ru AS org_ru, o.name_en AS org_en,
			s.code AS service_code, s.title_kk AS service_kk, s.title_ru AS service_ru, s.title_en AS service_en,
			i.code AS indicator_code, i.group_code, i.title_kk AS indicator_kk, i.title_ru AS indicator_ru, i.title_en AS indicator_en,
			i.polarity, i.source
		FROM compliance_cell c
		JOIN organization o ON o.id = c.organization_id
		JOIN service s ON s.id = c.service_id
		JOIN indicator i ON i.id = c.indicator_id
		WHERE ${cursor} AND ${where(members, filters, after)}
		ORDER BY c.organization_id, c.year, c.service_id, c.indicator_id
		LIMIT ${limit}`.execute(db);
	return r.rows.map((x) => {
		const row = {
			organizationId: Number(x.organization_id), year: Number(x.year), serviceId: Number(x.service_id), indicatorId: Number(x.indicator_id),
			organization: { code: String(x.org_code), kind: x.kind as OrganizationKindCode, name: texts(x.org_kk, x.org_ru, x.org_en) },
			service: { code: String(x.service_code), title: texts(x.service_kk, x.service_ru, x.service_en) },
			indicator: {
				code: String(x.indicator_code), group: x.group_code as IndicatorGroup, title: texts(x.indicator_kk, x.indicator_ru, x.indicator_en),
				polarity: x.polarity as PolarityCode, computed: x.source === 'complaints_register'
			}
		} as CellRow;
		for (const [c, k] of MEASURE_COLUMNS) row[k] = Number(x[c] ?? 0);
		return row;
	});
}

/**
 * Every cell of the members under the filters, in primary-key order, `batchSize` at a time:
 * the next batch is read only when the consumer has taken the last one's rows.
 */
export async function* streamCells(db: Db, members: Members, filters: CellFilters, batchSize = 5000): AsyncGenerator<CellRow> {
	if (members.organizationIds.length === 0) return;
	let after: Key | null = null;
	for (;;) {
		const batch = await findCellBatch(db, members, filters, after, batchSize);
		yield* batch;
		const last = batch.at(-1);
		if (batch.length < batchSize || !last) return;
		after = [last.organizationId, last.year, last.serviceId, last.indicatorId];
	}
}

const texts = (kk: unknown, ru: unknown, en: unknown): Texts => ({ kk: String(kk), ru: String(ru), en: en === null || en === undefined ? null : String(en) });
