import { sql, type Kysely, type Transaction } from 'kysely';
import type { CompletenessSource } from '../../domain/completeness';
import type { Database, FigureSource, ReportingStatus, ReportingStep } from '../db/schema';

/*
 * The completeness overview of a subtree's reporting year, in one statement
 * whatever the size of the subtree (about 2,000 organizations at most): the
 * year's tree from organization_link (as findSubtreeIdsInYear walks it), the
 * services each provided that year, the values stored, the latest stored
 * change and the reporting year's last step.
 */

type Db = Kysely<Database> | Transaction<Database>;
type Scope = 'all' | ReadonlySet<number>;

export interface CompletenessRow extends CompletenessSource {
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	isDemo: boolean;
	/** Hand-reported indicators (those not computed from the complaints register). */
	reportedIndicators: number;
	reason: string | null;
	stepAt: Date | null;
	stepByName: string | null;
	/** The latest stored value of the year (measurement or volume): when, by whom, from where. */
	changedAt: Date | null;
	changedByName: string | null;
	changedSource: FigureSource | null;
}

interface Raw {
	id: number;
	parent_id: number | null;
	code: string;
	kind: CompletenessRow['kind'];
	name_kk: string;
	name_ru: string;
	name_en: string | null;
	is_demo: boolean;
	services: number;
	reported: number;
	filled: number;
	status: ReportingStatus | null;
	last_step: ReportingStep | null;
	reason: string | null;
	step_at: Date | string | null;
	step_by_name: string | null;
	changed_at: Date | string | null;
	changed_by_name: string | null;
	changed_source: FigureSource | null;
}

const asDate = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d : new Date(d));

/**
 * Every organization under `rootId` in `year` (the root included) that the
 * scope lets the person see, providing services or not (the tree order needs
 * the parents; orderForOverview leaves out those with nothing to report).
 */
export async function findCompleteness(db: Db, input: { rootId: number; year: number; scope: Scope }): Promise<CompletenessRow[]> {
	const { rootId, year, scope } = input;
	if (scope !== 'all' && scope.size === 0) return [];
	// One text parameter however large the scope: far from the bind-parameter limit.
	const visible = scope === 'all' ? sql`true` : sql`tree.id = ANY(${`{${[...scope].join(',')}}`}::integer[])`;
	const r = await sql<Raw>`
		WITH RECURSIVE down(id, parent_id, depth) AS (
			SELECT ${rootId}::integer, NULL::integer, 0
			UNION
			SELECT l.organization_id, l.parent_id, down.depth + 1 FROM organization_link l JOIN down ON l.parent_id = down.id
			WHERE l.year_from <= ${year} AND (l.year_to IS NULL OR l.year_to >= ${year}) AND down.depth < 64
		),
		tree AS (
			SELECT DISTINCT ON (id) id, parent_id FROM down ORDER BY id, depth
		),
		t AS (
			SELECT tree.id, tree.parent_id FROM tree WHERE ${visible}
		),
		provided AS (
			SELECT p.organization_id, count(DISTINCT p.service_id)::integer AS services
			FROM service_provision p JOIN t ON t.id = p.organization_id
			WHERE p.year_from <= ${year} AND (p.year_to IS NULL OR p.year_to >= ${year})
			GROUP BY p.organization_id
		),
		-- Counted and the latest change picked in one pass per organization (no sort of every value of the year).
		stored AS (
			SELECT organization_id, count(*)::integer AS filled, max(updated_at) AS changed_at,
				(array_agg(updated_by ORDER BY updated_at DESC))[1] AS changed_by,
				(array_agg(source ORDER BY updated_at DESC))[1] AS changed_source
			FROM (
				SELECT m.organization_id, m.updated_at, m.updated_by, m.source
				FROM measurement m JOIN t ON t.id = m.organization_id JOIN indicator i ON i.id = m.indicator_id AND i.source = 'reported'
				WHERE m.year = ${year}
				UNION ALL
				SELECT v.organization_id, v.updated_at, v.updated_by, v.source
				FROM service_volume v JOIN t ON t.id = v.organization_id
				WHERE v.year = ${year}
			) s
			GROUP BY organization_id
		)
		SELECT
			o.id, t.parent_id, o.code, o.kind, o.name_kk, o.name_ru, o.name_en, o.is_demo,
			coalesce(pr.services, 0) AS services,
			(SELECT count(*)::integer FROM indicator WHERE source = 'reported') AS reported,
			coalesce(f.filled, 0) AS filled,
			ry.status, ry.last_step, ry.reason, ry.step_at, su.display_name AS step_by_name,
			f.changed_at, cu.display_name AS changed_by_name, f.changed_source
		FROM t
		JOIN organization o ON o.id = t.id
		LEFT JOIN provided pr ON pr.organization_id = t.id
		LEFT JOIN stored f ON f.organization_id = t.id
		LEFT JOIN app_user cu ON cu.id = f.changed_by
		LEFT JOIN reporting_year ry ON ry.organization_id = t.id AND ry.year = ${year}
		LEFT JOIN app_user su ON su.id = ry.step_by
		ORDER BY o.id`.execute(db);
	return r.rows.map((x) => ({
		id: Number(x.id),
		parentId: x.parent_id === null ? null : Number(x.parent_id),
		code: x.code,
		kind: x.kind,
		nameKk: x.name_kk,
		nameRu: x.name_ru,
		nameEn: x.name_en,
		isDemo: x.is_demo,
		services: Number(x.services),
		reportedIndicators: Number(x.reported),
		filled: Number(x.filled),
		status: x.status,
		lastStep: x.last_step,
		reason: x.reason,
		stepAt: asDate(x.step_at),
		stepByName: x.step_by_name,
		changedAt: asDate(x.changed_at),
		changedByName: x.changed_by_name,
		changedSource: x.changed_source
	}));
}

/** The first year anyone provided a service (the year picker's oldest year); null when nobody ever did. */
export async function findFirstProvisionYear(db: Db): Promise<number | null> {
	const row = await db.selectFrom('service_provision').select((eb) => eb.fn.min('year_from').as('first')).executeTakeFirst();
	return row?.first ?? null;
}

/** Organizations that provided any service in that year (to open the overview where there is something to see). */
export async function findProvidingIds(db: Db, year: number): Promise<Set<number>> {
	const rows = await db
		.selectFrom('service_provision')
		.select('organization_id')
		.distinct()
		.where('year_from', '<=', year)
		.where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>=', year)]))
		.execute();
	return new Set(rows.map((r) => r.organization_id));
}
