import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OrganizationKind, TargetSetStatus } from '../db/schema';

/*
 * Target sets and their targets. Lists of organizations and services travel
 * as one array parameter (= ANY($1::integer[])), and bulk writes as one
 * statement over unnest()ed arrays, so a set of thousands of cells costs a
 * handful of statements and never meets the bind-parameter limit.
 */

type Db = Kysely<Database> | Transaction<Database>;
const ids = (xs: readonly number[]) => sql`${[...xs]}::integer[]`;

export interface TargetSetRow {
	id: number;
	year: number;
	rootId: number;
	serviceIds: number[];
	status: TargetSetStatus;
	protocolNumber: string | null;
	protocolDate: string | null;
	members: string | null;
	approvedAt: Date | null;
	approvedByName: string | null;
	reopenReason: string | null;
	reopenedAt: Date | null;
	reopenedByName: string | null;
	version: number;
	createdAt: Date;
	createdByName: string | null;
}

function setRows(db: Db) {
	return db
		.selectFrom('target_set as s')
		.leftJoin('app_user as a', 'a.id', 's.approved_by')
		.leftJoin('app_user as r', 'r.id', 's.reopened_by')
		.leftJoin('app_user as c', 'c.id', 's.created_by')
		.select([
			's.id', 's.year', 's.organization_id as rootId', 's.service_ids as serviceIds', 's.status', 's.protocol_number as protocolNumber',
			's.protocol_date as protocolDate', 's.members', 's.approved_at as approvedAt', 'a.display_name as approvedByName',
			's.reopen_reason as reopenReason', 's.reopened_at as reopenedAt', 'r.display_name as reopenedByName', 's.version',
			's.created_at as createdAt', 'c.display_name as createdByName'
		]);
}

/** One set; `forUpdate` locks it, which serializes every write to the set's targets. */
export async function findTargetSet(db: Db, id: number, { forUpdate = false } = {}): Promise<TargetSetRow | undefined> {
	let q = setRows(db).where('s.id', '=', id);
	if (forUpdate) q = q.forUpdate('s');
	return q.executeTakeFirst();
}

export interface TargetSetListRow extends TargetSetRow {
	root: { code: string; nameKk: string; nameRu: string; nameEn: string | null };
	targets: number;
}

/** Sets whose scope root is visible, newest year first. */
export async function listTargetSets(db: Db, scope: 'all' | ReadonlySet<number>, { year }: { year?: number } = {}): Promise<TargetSetListRow[]> {
	if (scope !== 'all' && scope.size === 0) return [];
	const rows = await setRows(db)
		.innerJoin('organization as o', 'o.id', 's.organization_id')
		.select((eb) => [
			'o.code', 'o.name_kk as nameKk', 'o.name_ru as nameRu', 'o.name_en as nameEn',
			eb.selectFrom('target as t').whereRef('t.target_set_id', '=', 's.id').select(sql<number>`count(*)::integer`.as('n')).as('targets')
		])
		.$if(scope !== 'all', (q) => q.where(sql<boolean>`s.organization_id = ANY(${ids([...(scope as ReadonlySet<number>)])})`))
		.$if(year !== undefined, (q) => q.where('s.year', '=', year!))
		.orderBy('s.year', 'desc').orderBy('o.code').orderBy('s.id')
		.execute();
	return rows.map(({ code, nameKk, nameRu, nameEn, targets, ...r }) => ({ ...r, root: { code, nameKk, nameRu, nameEn }, targets: Number(targets ?? 0) }));
}

/** A set of the same year, root and services (in any order), if one exists. */
export async function findSameScopeSet(db: Db, year: number, rootId: number, serviceIds: readonly number[]): Promise<number | undefined> {
	const sorted = [...new Set(serviceIds)].sort((a, b) => a - b);
	const row = await db.selectFrom('target_set').select('id')
		.where('year', '=', year).where('organization_id', '=', rootId)
		.where(sql<boolean>`ARRAY(SELECT unnest(service_ids) ORDER BY 1) = ${ids(sorted)}`)
		.executeTakeFirst();
	return row?.id;
}

export async function insertTargetSet(trx: Transaction<Database>, s: { year: number; rootId: number; serviceIds: readonly number[]; userId: number | null }): Promise<number> {
	const row = await trx.insertInto('target_set')
		.values({ year: s.year, organization_id: s.rootId, service_ids: [...new Set(s.serviceIds)].sort((a, b) => a - b), created_by: s.userId, protocol_number: null, protocol_date: null, members: null, approved_by: null, approved_at: null, reopen_reason: null, reopened_by: null, reopened_at: null })
		.returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export interface ScopeCell {
	organizationId: number;
	code: string;
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	serviceId: number;
}

/** Every organization of the root's subtree in that year × each of the services it provided that year. */
export async function listScopeCells(db: Db, s: { year: number; rootId: number; serviceIds: readonly number[] }): Promise<ScopeCell[]> {
	const r = await sql<ScopeCell>`
		WITH RECURSIVE down(id, depth) AS (
			SELECT ${s.rootId}::integer, 0
			UNION
			SELECT l.organization_id, down.depth + 1 FROM organization_link l JOIN down ON l.parent_id = down.id
			WHERE l.year_from <= ${s.year} AND (l.year_to IS NULL OR l.year_to >= ${s.year}) AND down.depth < 64
		)
		SELECT DISTINCT o.id AS "organizationId", o.code, o.kind, o.name_kk AS "nameKk", o.name_ru AS "nameRu", o.name_en AS "nameEn", p.service_id AS "serviceId"
		FROM down JOIN organization o ON o.id = down.id
		JOIN service_provision p ON p.organization_id = o.id AND p.service_id = ANY(${ids(s.serviceIds)})
			AND p.year_from <= ${s.year} AND (p.year_to IS NULL OR p.year_to >= ${s.year})
		ORDER BY o.code, p.service_id`.execute(db);
	return r.rows;
}

export interface StoredTarget {
	id: number;
	organizationId: number;
	serviceId: number;
	indicatorId: number;
	value: number;
	status: 'draft' | 'approved';
	reason: string | null;
	setId: number | null;
	version: number;
	updatedAt: Date;
	updatedByName: string | null;
}

/** A year's targets of these organizations and services, whatever set holds them; `forUpdate` locks them. */
export async function listTargetsOf(db: Db, year: number, organizationIds: readonly number[], serviceIds: readonly number[], { forUpdate = false } = {}): Promise<StoredTarget[]> {
	if (organizationIds.length === 0 || serviceIds.length === 0) return [];
	let q = db.selectFrom('target as t')
		.leftJoin('app_user as u', 'u.id', 't.updated_by')
		.where('t.year', '=', year)
		.where(sql<boolean>`t.organization_id = ANY(${ids(organizationIds)})`)
		.where(sql<boolean>`t.service_id = ANY(${ids(serviceIds)})`)
		.select([
			't.id', 't.organization_id as organizationId', 't.service_id as serviceId', 't.indicator_id as indicatorId', 't.value', 't.status',
			't.reason', 't.target_set_id as setId', 't.version', 't.updated_at as updatedAt', 'u.display_name as updatedByName'
		]);
	if (forUpdate) q = q.forUpdate('t');
	return q.execute();
}

export interface PastValue { organizationId: number; serviceId: number; indicatorId: number; year: number; numerator: number; denominator: number }

/** Up to `perCell` latest reported years (with cases) in [fromYear, toYear] of each organization × service × indicator. */
export async function listRecentMeasurements(db: Db, s: { organizationIds: readonly number[]; serviceIds: readonly number[]; fromYear: number; toYear: number; perCell: number }): Promise<PastValue[]> {
	if (s.organizationIds.length === 0 || s.serviceIds.length === 0) return [];
	const r = await sql<PastValue>`
		SELECT organization_id AS "organizationId", service_id AS "serviceId", indicator_id AS "indicatorId", year, numerator, denominator
		FROM (
			SELECT m.*, row_number() OVER (PARTITION BY organization_id, service_id, indicator_id ORDER BY year DESC) AS rn
			FROM measurement m
			WHERE m.organization_id = ANY(${ids(s.organizationIds)}) AND m.service_id = ANY(${ids(s.serviceIds)})
				AND m.year BETWEEN ${s.fromYear} AND ${s.toYear} AND m.denominator > 0
		) x WHERE rn <= ${s.perCell}`.execute(db);
	return r.rows;
}

export interface PastTally { organizationId: number; serviceId: number; year: number; served: number | null; justified: number; justifiedSatisfiedInTerm: number }

/** What the complaints register and the volumes give per organization × service × year in [fromYear, toYear]. */
export async function listRecentComplaintTallies(db: Db, s: { organizationIds: readonly number[]; serviceIds: readonly number[]; fromYear: number; toYear: number }): Promise<PastTally[]> {
	if (s.organizationIds.length === 0 || s.serviceIds.length === 0) return [];
	const r = await sql<PastTally>`
		WITH v AS (
			SELECT organization_id, service_id, year, sum(count)::integer AS served FROM service_volume
			WHERE organization_id = ANY(${ids(s.organizationIds)}) AND service_id = ANY(${ids(s.serviceIds)}) AND year BETWEEN ${s.fromYear} AND ${s.toYear}
			GROUP BY 1, 2, 3
		), c AS (
			SELECT organization_id, service_id, extract(year FROM received_on)::integer AS year,
				(count(*) FILTER (WHERE justified))::integer AS justified,
				(count(*) FILTER (WHERE justified AND satisfied AND answered_within_term))::integer AS in_term
			FROM complaint
			WHERE organization_id = ANY(${ids(s.organizationIds)}) AND service_id = ANY(${ids(s.serviceIds)})
				AND received_on >= make_date(${s.fromYear}, 1, 1) AND received_on <= make_date(${s.toYear}, 12, 31)
			GROUP BY 1, 2, 3
		)
		SELECT coalesce(v.organization_id, c.organization_id) AS "organizationId", coalesce(v.service_id, c.service_id) AS "serviceId",
			coalesce(v.year, c.year) AS year, v.served, coalesce(c.justified, 0) AS justified, coalesce(c.in_term, 0) AS "justifiedSatisfiedInTerm"
		FROM v FULL JOIN c ON c.organization_id = v.organization_id AND c.service_id = v.service_id AND c.year = v.year`.execute(db);
	return r.rows;
}

// ---------- writes ----------

export interface TargetWrite { organizationId: number; serviceId: number; indicatorId: number; value: number; reason: string | null }

/** New draft targets of a set, in one statement. */
export async function insertTargets(trx: Transaction<Database>, setId: number, year: number, rows: readonly TargetWrite[], userId: number | null): Promise<void> {
	if (rows.length === 0) return;
	await sql`
		INSERT INTO target (organization_id, service_id, indicator_id, year, value, reason, status, target_set_id, updated_by)
		SELECT o, s, i, ${year}::integer, v, r, 'draft', ${setId}::integer, ${userId}::integer
		FROM unnest(${ids(rows.map((x) => x.organizationId))}, ${ids(rows.map((x) => x.serviceId))}, ${ids(rows.map((x) => x.indicatorId))},
			${rows.map((x) => x.value)}::numeric[], ${rows.map((x) => x.reason)}::text[]) AS u(o, s, i, v, r)`.execute(trx);
}

/** New values (and reasons) of existing targets, by id, in one statement; each version moves on. */
export async function updateTargets(trx: Transaction<Database>, rows: ReadonlyArray<{ id: number; value: number; reason: string | null }>, userId: number | null): Promise<void> {
	if (rows.length === 0) return;
	await sql`
		UPDATE target t SET value = u.v, reason = u.r, updated_by = ${userId}::integer, version = t.version + 1
		FROM unnest(${sql`${rows.map((x) => x.id)}::bigint[]`}, ${rows.map((x) => x.value)}::numeric[], ${rows.map((x) => x.reason)}::text[]) AS u(id, v, r)
		WHERE t.id = u.id`.execute(trx);
}

export async function deleteTargets(trx: Transaction<Database>, targetIds: readonly number[]): Promise<void> {
	if (targetIds.length === 0) return;
	await sql`DELETE FROM target WHERE id = ANY(${sql`${[...targetIds]}::bigint[]`})`.execute(trx);
}

/** Every target of the set approved under the protocol (before the set itself, which then locks them). */
export async function approveSetTargets(trx: Transaction<Database>, setId: number, a: { userId: number; protocolNumber: string; protocolDate: string }): Promise<number> {
	const r = await trx.updateTable('target')
		.set({ status: 'approved', approved_by: a.userId, approved_at: sql`now()`, protocol_number: a.protocolNumber, protocol_date: a.protocolDate, updated_by: a.userId, version: sql`version + 1` })
		.where('target_set_id', '=', setId)
		.executeTakeFirst();
	return Number(r.numUpdatedRows);
}

/** Every target of a reopened set back to draft (after the set itself is reopened). */
export async function draftSetTargets(trx: Transaction<Database>, setId: number, userId: number): Promise<void> {
	await trx.updateTable('target')
		.set({ status: 'draft', approved_by: null, approved_at: null, protocol_number: null, protocol_date: null, updated_by: userId, version: sql`version + 1` })
		.where('target_set_id', '=', setId)
		.execute();
}

/** The set approved, only from the version the person saw. False: someone moved it first. */
export async function markSetApproved(
	trx: Transaction<Database>,
	setId: number,
	a: { expectedVersion: number; userId: number; protocolNumber: string; protocolDate: string; members: string }
): Promise<boolean> {
	const r = await trx.updateTable('target_set')
		.set({ status: 'approved', protocol_number: a.protocolNumber, protocol_date: a.protocolDate, members: a.members, approved_by: a.userId, approved_at: sql`now()`, version: sql`version + 1` })
		.where('id', '=', setId).where('version', '=', a.expectedVersion).where('status', '=', 'draft')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** The set reopened with a reason; the protocol of the approval it undoes stays in the audit log, the members stay for the next one. */
export async function markSetReopened(trx: Transaction<Database>, setId: number, a: { expectedVersion: number; userId: number; reason: string }): Promise<boolean> {
	const r = await trx.updateTable('target_set')
		.set({
			status: 'draft', reopen_reason: a.reason, reopened_by: a.userId, reopened_at: sql`clock_timestamp()`,
			protocol_number: null, protocol_date: null, approved_by: null, approved_at: null, version: sql`version + 1`
		})
		.where('id', '=', setId).where('version', '=', a.expectedVersion).where('status', '=', 'approved')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

// ---------- comparison ----------

export interface ComparisonPair { indicatorId: number; previous: number | null; current: number | null; currentStatus: 'draft' | 'approved' | null }

/**
 * Each cell with a target in `year` (any status) or an approved one in the
 * year before, for these organizations and services.
 */
export async function listTargetPairs(db: Db, year: number, organizationIds: readonly number[], serviceIds: readonly number[]): Promise<ComparisonPair[]> {
	if (organizationIds.length === 0 || serviceIds.length === 0) return [];
	const r = await sql<ComparisonPair>`
		WITH cur AS (
			SELECT organization_id, service_id, indicator_id, value, status FROM target
			WHERE year = ${year} AND organization_id = ANY(${ids(organizationIds)}) AND service_id = ANY(${ids(serviceIds)})
		), prev AS (
			SELECT organization_id, service_id, indicator_id, value FROM target
			WHERE year = ${year - 1} AND status = 'approved' AND organization_id = ANY(${ids(organizationIds)}) AND service_id = ANY(${ids(serviceIds)})
		)
		SELECT coalesce(cur.indicator_id, prev.indicator_id) AS "indicatorId", prev.value AS previous, cur.value AS current, cur.status AS "currentStatus"
		FROM cur FULL JOIN prev USING (organization_id, service_id, indicator_id)`.execute(db);
	return r.rows;
}


export interface ServiceTitle { id: number; code: string; titleKk: string; titleRu: string; titleEn: string | null }

export async function listServicesByIds(db: Db, serviceIds: readonly number[]): Promise<ServiceTitle[]> {
	if (serviceIds.length === 0) return [];
	return db.selectFrom('service')
		.where(sql<boolean>`id = ANY(${ids(serviceIds)})`)
		.select(['id', 'code', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn'])
		.orderBy('code')
		.execute();
}

/** Every target of one set. */
export async function listSetTargets(db: Db, setId: number): Promise<StoredTarget[]> {
	return db.selectFrom('target as t')
		.leftJoin('app_user as u', 'u.id', 't.updated_by')
		.where('t.target_set_id', '=', setId)
		.select([
			't.id', 't.organization_id as organizationId', 't.service_id as serviceId', 't.indicator_id as indicatorId', 't.value', 't.status',
			't.reason', 't.target_set_id as setId', 't.version', 't.updated_at as updatedAt', 'u.display_name as updatedByName'
		])
		.execute();
}
