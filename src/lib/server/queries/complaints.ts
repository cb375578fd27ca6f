import { sql, type Kysely, type Transaction } from 'kysely';
import type { ComplaintValues } from '../../domain/complaint-rules';
import type { Database, PolarityCode } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

/*
 * The complaints register. A complaint belongs to the reporting year it was
 * received in; every read and write here is bounded by organization and
 * year, so an id from another organization or year is simply not found.
 */

export interface StoredComplaint extends ComplaintValues {
	id: number;
	serviceCode: string;
	serviceTitleKk: string;
	serviceTitleRu: string;
	serviceTitleEn: string | null;
	answeredWithinTerm: boolean | null;
	isDemo: boolean;
	version: number;
	updatedAt: Date;
	updatedByName: string | null;
}

const inYear = (year: number) => [`${year}-01-01`, `${year}-12-31`] as const;

function complaints(db: Db, organizationId: number, year: number) {
	const [from, to] = inYear(year);
	return db
		.selectFrom('complaint as c')
		.innerJoin('service as s', 's.id', 'c.service_id')
		.leftJoin('app_user as u', 'u.id', 'c.updated_by')
		.where('c.organization_id', '=', organizationId)
		.where('c.received_on', '>=', from).where('c.received_on', '<=', to)
		.select([
			'c.id', 'c.service_id as serviceId', 's.code as serviceCode', 's.title_kk as serviceTitleKk', 's.title_ru as serviceTitleRu',
			's.title_en as serviceTitleEn', 'c.received_on as receivedOn', 'c.summary', 'c.justified', 'c.due_on as dueOn',
			'c.answered_on as answeredOn', 'c.satisfied', 'c.answered_within_term as answeredWithinTerm', 'c.is_demo as isDemo',
			'c.version', 'c.updated_at as updatedAt', 'u.display_name as updatedByName'
		]);
}

/** The year's complaints of the organization, newest first; optionally of one service. */
export async function listComplaints(db: Db, organizationId: number, year: number, serviceId: number | null = null): Promise<StoredComplaint[]> {
	return complaints(db, organizationId, year)
		.$if(serviceId !== null, (q) => q.where('c.service_id', '=', serviceId!))
		.orderBy('c.received_on', 'desc').orderBy('c.id', 'desc')
		.execute();
}

export async function findComplaint(db: Db, organizationId: number, year: number, id: number): Promise<StoredComplaint | undefined> {
	return complaints(db, organizationId, year).where('c.id', '=', id).executeTakeFirst();
}

export interface ComplaintCounts { total: number; justified: number; pending: number; unanswered: number; overdue: number }

/** Per service: complaints received in the year, how many were justified, not yet examined, not answered, past their term. */
export async function countComplaints(db: Db, organizationId: number, year: number, today: string): Promise<Map<number, ComplaintCounts>> {
	const [from, to] = inYear(year);
	const rows = await db
		.selectFrom('complaint')
		.where('organization_id', '=', organizationId)
		.where('received_on', '>=', from).where('received_on', '<=', to)
		.groupBy('service_id')
		.select([
			'service_id',
			sql<number>`count(*)::integer`.as('total'),
			sql<number>`count(*) FILTER (WHERE justified)::integer`.as('justified'),
			sql<number>`count(*) FILTER (WHERE justified IS NULL)::integer`.as('pending'),
			sql<number>`count(*) FILTER (WHERE answered_on IS NULL)::integer`.as('unanswered'),
			sql<number>`count(*) FILTER (WHERE answered_on IS NULL AND due_on < ${today}::date)::integer`.as('overdue')
		])
		.execute();
	return new Map(rows.map((r) => [r.service_id, { total: r.total, justified: r.justified, pending: r.pending, unanswered: r.unanswered, overdue: r.overdue }]));
}

export interface ComputedIndicator { id: number; code: string; polarity: PolarityCode; titleKk: string; titleRu: string; titleEn: string | null }

/** The indicators computed from the register (4.1 and 4.2), in catalogue order. */
export async function listRegisterIndicators(db: Db): Promise<ComputedIndicator[]> {
	return db
		.selectFrom('indicator')
		.where('source', '=', 'complaints_register')
		.select(['id', 'code', 'polarity', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn'])
		.orderBy('sort_order')
		.execute();
}

// ---------- writes ----------

const columns = (c: ComplaintValues) => ({
	service_id: c.serviceId, received_on: c.receivedOn, summary: c.summary, justified: c.justified,
	due_on: c.dueOn, answered_on: c.answeredOn, satisfied: c.satisfied
});

export async function insertComplaint(trx: Transaction<Database>, organizationId: number, c: ComplaintValues, userId: number): Promise<number> {
	const row = await trx.insertInto('complaint')
		.values({ organization_id: organizationId, ...columns(c), updated_by: userId })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Writes only over the version the person saw; false when it is no longer the stored one (or the complaint is gone). */
export async function updateComplaint(
	trx: Transaction<Database>, organizationId: number, year: number, id: number, expectedVersion: number, c: ComplaintValues, userId: number
): Promise<boolean> {
	const [from, to] = inYear(year);
	const r = await trx.updateTable('complaint')
		.set({ ...columns(c), updated_by: userId, version: sql`version + 1` })
		.where('id', '=', id).where('organization_id', '=', organizationId).where('version', '=', expectedVersion)
		.where('received_on', '>=', from).where('received_on', '<=', to)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export async function deleteComplaint(trx: Transaction<Database>, organizationId: number, year: number, id: number, expectedVersion: number): Promise<boolean> {
	const [from, to] = inYear(year);
	const r = await trx.deleteFrom('complaint')
		.where('id', '=', id).where('organization_id', '=', organizationId).where('version', '=', expectedVersion)
		.where('received_on', '>=', from).where('received_on', '<=', to)
		.executeTakeFirst();
	return Number(r.numDeletedRows) === 1;
}
