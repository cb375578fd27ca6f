import { sql, type Kysely } from 'kysely';
import type { ComplaintTally } from '../../domain/complaints';
import type { Database, FigureSource } from '../db/schema';
import type { OrganizationSummary } from './organizations';

/*
 * What the evidence page reads beyond the annex: the stored figure with who
 * last changed it, the organization's ancestors in the year's tree, and the
 * same cell over every year the organization provided the service.
 */

export interface CellKey {
	organizationId: number;
	serviceId: number;
	indicatorId: number;
	year: number;
}

export interface MeasurementRecord {
	comment: string | null;
	source: FigureSource;
	version: number;
	updatedAt: Date;
	updatedBy: string | null;
}

export async function findMeasurementRecord(db: Kysely<Database>, k: CellKey): Promise<MeasurementRecord | undefined> {
	const row = await db
		.selectFrom('measurement as m')
		.leftJoin('app_user as u', 'u.id', 'm.updated_by')
		.where('m.organization_id', '=', k.organizationId).where('m.service_id', '=', k.serviceId)
		.where('m.indicator_id', '=', k.indicatorId).where('m.year', '=', k.year)
		.select(['m.comment', 'm.source', 'm.version', 'm.updated_at as updatedAt', 'u.display_name as updatedBy'])
		.executeTakeFirst();
	return row && { ...row, version: Number(row.version), updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt) };
}

export interface AncestorRow extends Pick<OrganizationSummary, 'id' | 'code' | 'kind' | 'nameKk' | 'nameRu' | 'nameEn'> {
	/** 1: the parent, 2: the grandparent… */
	depth: number;
}

/**
 * The organization's ancestors as the tree stood in that year (organization_link;
 * today's parent where the year has no link), nearest first.
 */
export async function listAncestorsInYear(db: Kysely<Database>, organizationId: number, year: number): Promise<AncestorRow[]> {
	const r = await sql<AncestorRow>`
		WITH RECURSIVE up(id, depth) AS (
			SELECT ${organizationId}::integer, 0
			UNION ALL
			SELECT p.parent_id, up.depth + 1
			FROM up
			JOIN organization o ON o.id = up.id
			CROSS JOIN LATERAL (
				SELECT CASE WHEN l.id IS NULL THEN o.parent_id ELSE l.parent_id END AS parent_id
				FROM (SELECT 1) one
				LEFT JOIN organization_link l ON l.organization_id = up.id AND l.year_from <= ${year} AND (l.year_to IS NULL OR l.year_to >= ${year})
			) p
			WHERE p.parent_id IS NOT NULL AND up.depth < 64
		)
		SELECT o.id, o.code, o.kind, o.name_kk AS "nameKk", o.name_ru AS "nameRu", o.name_en AS "nameEn", up.depth::integer AS depth
		FROM up JOIN organization o ON o.id = up.id
		WHERE up.depth > 0
		ORDER BY up.depth`.execute(db);
	return r.rows.map((x) => ({ ...x, id: Number(x.id), depth: Number(x.depth) }));
}

export interface CellYearRow {
	year: number;
	numerator: number | null;
	denominator: number | null;
	normative: number | null;
	targetValue: number | null;
	targetStatus: 'draft' | 'approved' | null;
	tally: ComplaintTally;
}

interface RawYear {
	year: number;
	numerator: number | null;
	denominator: number | null;
	normative: number | string | null;
	target_value: number | string | null;
	target_status: 'draft' | 'approved' | null;
	volume_rows: number;
	served: number;
	justified: number;
	in_term: number;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/**
 * One indicator of one organization and service in every year the service
 * was provided and something was recorded for it (a figure, a volume, a
 * complaint), and always in `k.year`: the counts, the normative of the
 * standard in force that year (the rule of queries/standards.ts), the
 * target and the complaints tally behind 4.1 / 4.2. Oldest first.
 */
export async function listCellYears(db: Kysely<Database>, k: CellKey): Promise<CellYearRow[]> {
	const { organizationId: org, serviceId: svc, indicatorId: ind } = k;
	const r = await sql<RawYear>`
		WITH recorded AS (
			SELECT year FROM measurement WHERE organization_id = ${org} AND service_id = ${svc}
			UNION SELECT year FROM service_volume WHERE organization_id = ${org} AND service_id = ${svc}
			UNION SELECT extract(year FROM received_on)::integer FROM complaint WHERE organization_id = ${org} AND service_id = ${svc}
			UNION SELECT ${k.year}::integer
		),
		years AS (
			SELECT r.year FROM recorded r
			WHERE EXISTS (
				SELECT 1 FROM service_provision p
				WHERE p.organization_id = ${org} AND p.service_id = ${svc} AND p.year_from <= r.year AND (p.year_to IS NULL OR p.year_to >= r.year)
			)
		)
		SELECT y.year::integer AS year, m.numerator, m.denominator, n.value::float8 AS normative,
			t.value::float8 AS target_value, t.status AS target_status,
			v.volume_rows, v.served, c.justified, c.in_term
		FROM years y
		LEFT JOIN measurement m ON m.organization_id = ${org} AND m.service_id = ${svc} AND m.indicator_id = ${ind} AND m.year = y.year
		LEFT JOIN LATERAL (
			SELECT s.id FROM standard s
			WHERE s.service_id = ${svc} AND s.valid_from <= make_date(y.year, 12, 31) AND (s.valid_to IS NULL OR s.valid_to >= make_date(y.year, 1, 1))
			ORDER BY s.valid_from DESC LIMIT 1
		) st ON true
		LEFT JOIN standard_normative n ON n.standard_id = st.id AND n.indicator_id = ${ind}
		LEFT JOIN target t ON t.organization_id = ${org} AND t.service_id = ${svc} AND t.indicator_id = ${ind} AND t.year = y.year
		CROSS JOIN LATERAL (
			SELECT count(*)::integer AS volume_rows, coalesce(sum(sv.count), 0)::integer AS served
			FROM service_volume sv WHERE sv.organization_id = ${org} AND sv.service_id = ${svc} AND sv.year = y.year
		) v
		CROSS JOIN LATERAL (
			SELECT count(*) FILTER (WHERE cc.justified)::integer AS justified,
				count(*) FILTER (WHERE cc.justified AND cc.satisfied AND cc.answered_within_term)::integer AS in_term
			FROM complaint cc
			WHERE cc.organization_id = ${org} AND cc.service_id = ${svc}
				AND cc.received_on >= make_date(y.year, 1, 1) AND cc.received_on <= make_date(y.year, 12, 31)
		) c
		ORDER BY y.year`.execute(db);
	return r.rows.map((x) => ({
		year: Number(x.year),
		numerator: num(x.numerator),
		denominator: num(x.denominator),
		normative: num(x.normative),
		targetValue: num(x.target_value),
		targetStatus: x.target_status,
		tally: { served: Number(x.volume_rows) > 0 ? Number(x.served) : null, justified: Number(x.justified), justifiedSatisfiedInTerm: Number(x.in_term) }
	}));
}
