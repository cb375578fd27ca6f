import { sql, type Kysely, type Transaction } from 'kysely';
import type { ComplaintTally } from '../../domain/complaints';
import type { Database, FigureSource, IndicatorGroupCode, PolarityCode, ReportingStatus, ReportingStep, VolumeChannel } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface Texts { kk: string; ru: string; en: string | null }

export interface GridIndicator {
	id: number;
	code: string;
	groupCode: IndicatorGroupCode;
	groupNumber: number;
	groupTitle: Texts;
	title: Texts;
	numeratorText: Texts;
	denominatorText: Texts;
	polarity: PolarityCode;
	computed: boolean;
}

/** Every indicator in catalogue order, with what its numerator and denominator count. */
export async function listGridIndicators(db: Db): Promise<GridIndicator[]> {
	const rows = await db
		.selectFrom('indicator as i')
		.innerJoin('indicator_group as g', 'g.code', 'i.group_code')
		.select([
			'i.id', 'i.code', 'i.group_code', 'g.number', 'g.title_kk as g_kk', 'g.title_ru as g_ru', 'g.title_en as g_en',
			'i.title_kk', 'i.title_ru', 'i.title_en', 'i.numerator_kk', 'i.numerator_ru', 'i.numerator_en',
			'i.denominator_kk', 'i.denominator_ru', 'i.denominator_en', 'i.polarity', 'i.source'
		])
		.orderBy('i.sort_order')
		.execute();
	return rows.map((r) => ({
		id: r.id, code: r.code, groupCode: r.group_code, groupNumber: r.number,
		groupTitle: { kk: r.g_kk, ru: r.g_ru, en: r.g_en },
		title: { kk: r.title_kk, ru: r.title_ru, en: r.title_en },
		numeratorText: { kk: r.numerator_kk, ru: r.numerator_ru, en: r.numerator_en },
		denominatorText: { kk: r.denominator_kk, ru: r.denominator_ru, en: r.denominator_en },
		polarity: r.polarity,
		computed: r.source === 'complaints_register'
	}));
}

export interface StoredFigure {
	id: number;
	serviceId: number;
	indicatorId: number;
	numerator: number;
	denominator: number;
	comment: string | null;
	version: number;
	source: FigureSource;
	updatedAt: Date;
	updatedByName: string | null;
}

/** An organization's measurements of one year; `forUpdate` locks them until the transaction ends. */
export async function listFigures(db: Db, organizationId: number, year: number, { forUpdate = false } = {}): Promise<StoredFigure[]> {
	let q = db
		.selectFrom('measurement as m')
		.leftJoin('app_user as u', 'u.id', 'm.updated_by')
		.where('m.organization_id', '=', organizationId)
		.where('m.year', '=', year)
		.select([
			'm.id', 'm.service_id as serviceId', 'm.indicator_id as indicatorId', 'm.numerator', 'm.denominator', 'm.comment',
			'm.version', 'm.source', 'm.updated_at as updatedAt', 'u.display_name as updatedByName'
		]);
	if (forUpdate) q = q.forUpdate('m');
	return q.execute();
}

export interface StoredVolume {
	serviceId: number;
	channel: VolumeChannel;
	count: number;
	comment: string | null;
	version: number;
	source: FigureSource;
	updatedAt: Date;
	updatedByName: string | null;
}

export async function listVolumes(db: Db, organizationId: number, year: number, { forUpdate = false } = {}): Promise<StoredVolume[]> {
	let q = db
		.selectFrom('service_volume as v')
		.leftJoin('app_user as u', 'u.id', 'v.updated_by')
		.where('v.organization_id', '=', organizationId)
		.where('v.year', '=', year)
		.select([
			'v.service_id as serviceId', 'v.channel', 'v.count', 'v.comment', 'v.version', 'v.source',
			'v.updated_at as updatedAt', 'u.display_name as updatedByName'
		]);
	if (forUpdate) q = q.forUpdate('v');
	return q.execute();
}

/** Normative per service and indicator from the standard governing each service in that year (see findStandardForYear). */
export async function listNormativesForYear(db: Db, serviceIds: readonly number[], year: number): Promise<Map<number, Map<number, number>>> {
	const out = new Map<number, Map<number, number>>();
	if (serviceIds.length === 0) return out;
	const rows = await db
		.with('governing', (w) => w
			.selectFrom('standard')
			.where('service_id', 'in', serviceIds)
			.where('valid_from', '<=', `${year}-12-31`)
			.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', `${year}-01-01`)]))
			.distinctOn('service_id')
			.select(['id', 'service_id'])
			.orderBy('service_id').orderBy('valid_from', 'desc'))
		.selectFrom('governing as s')
		.innerJoin('standard_normative as n', 'n.standard_id', 's.id')
		.select(['s.service_id as serviceId', 'n.indicator_id as indicatorId', 'n.value'])
		.execute();
	for (const r of rows) {
		const m = out.get(r.serviceId) ?? new Map<number, number>();
		m.set(r.indicatorId, r.value);
		out.set(r.serviceId, m);
	}
	return out;
}

export interface TargetView { value: number; status: 'draft' | 'approved' }

/** The year's targets of the organization, keyed `service:indicator`. */
export async function listTargets(db: Db, organizationId: number, year: number): Promise<Map<string, TargetView>> {
	const rows = await db
		.selectFrom('target')
		.where('organization_id', '=', organizationId)
		.where('year', '=', year)
		.select(['service_id', 'indicator_id', 'value', 'status'])
		.execute();
	return new Map(rows.map((r) => [`${r.service_id}:${r.indicator_id}`, { value: r.value, status: r.status }]));
}

/** What the complaints register and the volumes give, per service, for the organization's year. */
export async function listComplaintTallies(db: Db, organizationId: number, year: number): Promise<Map<number, ComplaintTally>> {
	const volumes = await db
		.selectFrom('service_volume')
		.where('organization_id', '=', organizationId).where('year', '=', year)
		.groupBy('service_id')
		.select(['service_id', sql<number>`sum(count)::integer`.as('served')])
		.execute();
	const complaints = await db
		.selectFrom('complaint')
		.where('organization_id', '=', organizationId)
		.where('received_on', '>=', `${year}-01-01`).where('received_on', '<=', `${year}-12-31`)
		.groupBy('service_id')
		.select([
			'service_id',
			sql<number>`count(*) FILTER (WHERE justified)::integer`.as('justified'),
			sql<number>`count(*) FILTER (WHERE justified AND satisfied AND answered_within_term)::integer`.as('inTerm')
		])
		.execute();
	const out = new Map<number, ComplaintTally>();
	const at = (id: number) => out.get(id) ?? out.set(id, { served: null, justified: 0, justifiedSatisfiedInTerm: 0 }).get(id)!;
	for (const v of volumes) at(v.service_id).served = v.served;
	for (const c of complaints) Object.assign(at(c.service_id), { justified: c.justified, justifiedSatisfiedInTerm: c.inTerm });
	return out;
}

export interface ReportingYearView {
	status: ReportingStatus;
	lastStep: ReportingStep;
	reason: string | null;
	stepAt: Date;
	stepByName: string | null;
	version: number;
}

export async function findReportingYear(db: Db, organizationId: number, year: number, { forUpdate = false } = {}): Promise<ReportingYearView | undefined> {
	let q = db
		.selectFrom('reporting_year as r')
		.leftJoin('app_user as u', 'u.id', 'r.step_by')
		.where('r.organization_id', '=', organizationId)
		.where('r.year', '=', year)
		.select(['r.status', 'r.last_step as lastStep', 'r.reason', 'r.step_at as stepAt', 'u.display_name as stepByName', 'r.version']);
	if (forUpdate) q = q.forUpdate('r');
	return q.executeTakeFirst();
}

/** Takes a step: inserts the year's row or moves it on, only from the version the person saw. False: someone moved it first. */
export async function writeReportingYear(
	trx: Transaction<Database>,
	r: { organizationId: number; year: number; status: ReportingStatus; step: ReportingStep; reason: string | null; userId: number; expectedVersion: number }
): Promise<boolean> {
	if (r.expectedVersion === 0) {
		const inserted = await trx
			.insertInto('reporting_year')
			.values({ organization_id: r.organizationId, year: r.year, status: r.status, last_step: r.step, reason: r.reason, step_by: r.userId })
			.onConflict((oc) => oc.columns(['organization_id', 'year']).doNothing())
			.executeTakeFirst();
		return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
	}
	const updated = await trx
		.updateTable('reporting_year')
		.set({ status: r.status, last_step: r.step, reason: r.reason, step_by: r.userId, step_at: sql`now()`, version: sql`version + 1` })
		.where('organization_id', '=', r.organizationId).where('year', '=', r.year).where('version', '=', r.expectedVersion)
		.executeTakeFirst();
	return Number(updated.numUpdatedRows) === 1;
}

/** Last year's counts of the organization, keyed `service:indicator`. */
export async function listLastYearCounts(db: Db, organizationId: number, year: number): Promise<Map<string, { numerator: number; denominator: number }>> {
	const rows = await db
		.selectFrom('measurement')
		.where('organization_id', '=', organizationId).where('year', '=', year - 1)
		.select(['service_id', 'indicator_id', 'numerator', 'denominator'])
		.execute();
	return new Map(rows.map((r) => [`${r.service_id}:${r.indicator_id}`, { numerator: r.numerator, denominator: r.denominator }]));
}

// ---------- writes of single values (the entry grid) ----------

export async function insertFigure(trx: Transaction<Database>, f: { organizationId: number; serviceId: number; indicatorId: number; year: number; numerator: number; denominator: number; comment: string | null; userId: number }): Promise<void> {
	await trx.insertInto('measurement').values({
		organization_id: f.organizationId, service_id: f.serviceId, indicator_id: f.indicatorId, year: f.year,
		numerator: f.numerator, denominator: f.denominator, comment: f.comment, source: 'form', updated_by: f.userId
	}).execute();
}

export async function updateFigure(trx: Transaction<Database>, id: number, f: { numerator: number; denominator: number; comment: string | null; userId: number }): Promise<void> {
	await trx.updateTable('measurement')
		.set({ numerator: f.numerator, denominator: f.denominator, comment: f.comment, source: 'form', updated_by: f.userId, version: sql`version + 1` })
		.where('id', '=', id)
		.execute();
}

export async function deleteFigure(trx: Transaction<Database>, id: number): Promise<void> {
	await trx.deleteFrom('measurement').where('id', '=', id).execute();
}

export async function upsertVolume(trx: Transaction<Database>, v: { organizationId: number; serviceId: number; year: number; channel: VolumeChannel; count: number; comment: string | null; userId: number }): Promise<void> {
	await trx.insertInto('service_volume')
		.values({ organization_id: v.organizationId, service_id: v.serviceId, year: v.year, channel: v.channel, count: v.count, comment: v.comment, source: 'form', updated_by: v.userId })
		.onConflict((oc) => oc.columns(['organization_id', 'service_id', 'year', 'channel']).doUpdateSet({
			count: v.count, comment: v.comment, source: 'form', updated_by: v.userId, version: sql`service_volume.version + 1`
		}))
		.execute();
}

export async function deleteVolume(trx: Transaction<Database>, v: { organizationId: number; serviceId: number; year: number; channel: VolumeChannel }): Promise<void> {
	await trx.deleteFrom('service_volume')
		.where('organization_id', '=', v.organizationId).where('service_id', '=', v.serviceId)
		.where('year', '=', v.year).where('channel', '=', v.channel)
		.execute();
}
