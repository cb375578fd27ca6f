import { sql, type Kysely, type RawBuilder } from 'kysely';
import type {
	ComplaintInput, IndicatorMeasuresInput, ProvisionInput, ReportService, ServiceChannel, TargetSetInput, VolumeInput
} from '../../domain/annual-report';
import type { OrganizationKindCode } from '../../domain/completeness';
import type { Database } from '../db/schema';
import { findSubtreeMeasures } from './dashboard';

/*
 * The annual report's reads for one department and year. The subtree is the
 * tree of that year (organization_link, as the completeness overview walks
 * it), the department included; every figure is read from the raw tables of
 * that year (provisions, served volumes, complaints, reporting years, target
 * sets), so the report is what was recorded, not a cached sum. Counts come
 * back as numbers on both engines.
 */

type Db = Kysely<Database>;

/** `WITH RECURSIVE … tree(id)`: the organizations under `rootId` in `year`, the root included, open at some time in the year. */
function subtree(rootId: number, year: number, then: RawBuilder<unknown>) {
	return sql`
		WITH RECURSIVE down(id, depth) AS (
			SELECT ${rootId}::integer, 0
			UNION ALL
			SELECT l.organization_id, down.depth + 1 FROM organization_link l JOIN down ON l.parent_id = down.id
			WHERE l.year_from <= ${year} AND (l.year_to IS NULL OR l.year_to >= ${year}) AND down.depth < 64
		),
		tree AS (
			SELECT DISTINCT d.id FROM down d JOIN organization o ON o.id = d.id
			WHERE o.active_from <= ${`${year}-12-31`}::date AND (o.active_to IS NULL OR o.active_to >= ${`${year}-01-01`}::date)
		)
		${then}`;
}

const provides = (p: string, year: number) => sql`${sql.raw(p)}.year_from <= ${year} AND (${sql.raw(p)}.year_to IS NULL OR ${sql.raw(p)}.year_to >= ${year})`;

/** Who provided what that year: the department itself, or each kind of organization below it (how many of them). */
export async function findReportProvisions(db: Db, rootId: number, year: number): Promise<ProvisionInput[]> {
	const r = await subtree(rootId, year, sql`
		SELECT (p.organization_id = ${rootId}) AS own, o.kind, p.service_id, count(DISTINCT p.organization_id)::integer AS organizations
		FROM tree JOIN service_provision p ON p.organization_id = tree.id AND ${provides('p', year)}
		JOIN organization o ON o.id = p.organization_id
		GROUP BY 1, 2, 3`).execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({
		own: x.own === true, kind: x.kind as OrganizationKindCode, serviceId: Number(x.service_id), organizations: Number(x.organizations)
	}));
}

/** The organizations below the department that year, by kind (the department itself not counted). */
export async function findReportOrganizationKinds(db: Db, rootId: number, year: number): Promise<Array<{ kind: OrganizationKindCode; organizations: number }>> {
	const r = await subtree(rootId, year, sql`
		SELECT o.kind, count(*)::integer AS organizations
		FROM tree JOIN organization o ON o.id = tree.id
		WHERE tree.id <> ${rootId}
		GROUP BY o.kind`).execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({ kind: x.kind as OrganizationKindCode, organizations: Number(x.organizations) }));
}

/** Served in the year by channel (service_volume), per provider group and service. */
export async function findReportVolumes(db: Db, rootId: number, year: number): Promise<VolumeInput[]> {
	const r = await subtree(rootId, year, sql`
		SELECT (v.organization_id = ${rootId}) AS own, o.kind, v.service_id,
			coalesce(sum(v.count) FILTER (WHERE v.channel = 'provider'), 0)::float8 AS provider,
			coalesce(sum(v.count) FILTER (WHERE v.channel = 'state_corporation'), 0)::float8 AS state_corporation,
			coalesce(sum(v.count) FILTER (WHERE v.channel = 'egov'), 0)::float8 AS egov
		FROM tree JOIN service_volume v ON v.organization_id = tree.id AND v.year = ${year}
		JOIN organization o ON o.id = v.organization_id
		GROUP BY 1, 2, 3`).execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({
		own: x.own === true, kind: x.kind as OrganizationKindCode, serviceId: Number(x.service_id),
		provider: Number(x.provider), stateCorporation: Number(x.state_corporation), egov: Number(x.egov)
	}));
}

/** Complaints received in the year anywhere in the subtree, per service. */
export async function findReportComplaints(db: Db, rootId: number, year: number): Promise<ComplaintInput[]> {
	const r = await subtree(rootId, year, sql`
		SELECT c.service_id,
			count(*)::integer AS received,
			count(*) FILTER (WHERE c.justified)::integer AS justified,
			count(*) FILTER (WHERE c.justified = false)::integer AS unjustified,
			count(*) FILTER (WHERE c.justified IS NULL)::integer AS pending,
			count(*) FILTER (WHERE c.answered_on IS NOT NULL)::integer AS answered,
			count(*) FILTER (WHERE c.answered_within_term)::integer AS answered_in_term,
			count(*) FILTER (WHERE c.satisfied)::integer AS satisfied
		FROM tree JOIN complaint c ON c.organization_id = tree.id
		WHERE c.received_on >= ${`${year}-01-01`}::date AND c.received_on <= ${`${year}-12-31`}::date
		GROUP BY c.service_id`).execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({
		serviceId: Number(x.service_id), received: Number(x.received), justified: Number(x.justified), unjustified: Number(x.unjustified),
		pending: Number(x.pending), answered: Number(x.answered), answeredInTerm: Number(x.answered_in_term), satisfied: Number(x.satisfied)
	}));
}

/** Organizations of the subtree that provided services that year (they owe figures), and their reporting years' status. */
export async function findReportReporting(db: Db, rootId: number, year: number): Promise<{ due: number; submitted: number; approved: number }> {
	const r = await subtree(rootId, year, sql`, owing AS (
			SELECT DISTINCT p.organization_id AS id FROM tree JOIN service_provision p ON p.organization_id = tree.id AND ${provides('p', year)}
		)
		SELECT count(*)::integer AS due,
			count(*) FILTER (WHERE ry.status = 'submitted')::integer AS submitted,
			count(*) FILTER (WHERE ry.status = 'approved')::integer AS approved
		FROM owing LEFT JOIN reporting_year ry ON ry.organization_id = owing.id AND ry.year = ${year}`).execute(db);
	const x = (r.rows as Array<Record<string, unknown>>)[0] ?? {};
	return { due: Number(x.due ?? 0), submitted: Number(x.submitted ?? 0), approved: Number(x.approved ?? 0) };
}

/** The working group's target sets that hold the year's targets of the subtree. */
export async function findReportTargetSets(db: Db, rootId: number, year: number): Promise<TargetSetInput[]> {
	const r = await subtree(rootId, year, sql`
		SELECT s.id, s.status, s.protocol_number, s.protocol_date::text AS protocol_date
		FROM target_set s
		WHERE s.year = ${year} AND EXISTS (SELECT 1 FROM target t JOIN tree ON tree.id = t.organization_id WHERE t.target_set_id = s.id)
		ORDER BY s.id`).execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({
		status: x.status as TargetSetInput['status'],
		protocolNumber: x.protocol_number === null ? null : String(x.protocol_number),
		protocolDate: x.protocol_date === null ? null : String(x.protocol_date).slice(0, 10)
	}));
}

/** The year's pre-aggregated measures of the subtree per service × indicator (every kind summed). */
export async function findReportMeasures(db: Db, rootId: number, year: number): Promise<IndicatorMeasuresInput[]> {
	const rows = (await findSubtreeMeasures(db, rootId)).filter((r) => r.year === year);
	const out = new Map<string, IndicatorMeasuresInput>();
	for (const { year: _y, serviceId, indicatorId, kind: _k, ...measures } of rows) {
		const key = `${serviceId}|${indicatorId}`;
		const prev = out.get(key);
		if (!prev) out.set(key, { serviceId, indicatorId, measures });
		else for (const k of Object.keys(measures) as Array<keyof typeof measures>) prev.measures[k] += measures[k];
	}
	return [...out.values()];
}

/** The catalogue entries of the services named. */
export async function findReportServices(db: Db, ids: number[]): Promise<ReportService[]> {
	if (ids.length === 0) return [];
	const rows = await db.selectFrom('service')
		.select(['id', 'code', 'title_kk', 'title_ru', 'title_en', 'channels', 'channels_note_kk', 'channels_note_ru', 'is_paid'])
		.where('id', 'in', ids)
		.orderBy('code')
		.execute();
	return rows.map((s) => ({
		id: s.id, code: s.code, title: { kk: s.title_kk, ru: s.title_ru, en: s.title_en },
		channels: s.channels as ServiceChannel[],
		channelsNote: { kk: s.channels_note_kk || null, ru: s.channels_note_ru || null },
		isPaid: s.is_paid
	}));
}
