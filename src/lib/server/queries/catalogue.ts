import type { Kysely } from 'kysely';
import type { Channel, Database, IndicatorGroupCode, PolarityCode } from '../db/schema';

/* The shared catalogue: services, their standards with normatives, and the indicators. */

type Db = Kysely<Database>;

export interface ServiceRecord {
	id: number;
	code: string;
	titleKk: string;
	titleRu: string;
	titleEn: string | null;
	titleRuVerified: boolean;
	channels: Channel[];
	isPaid: boolean;
	termDays: number | null;
	maxWaitSubmitMin: number | null;
	maxWaitReceiveMin: number | null;
	legalBasisKk: string | null;
	legalBasisRu: string | null;
}

export interface StandardRecord {
	id: number;
	serviceId: number;
	actIssuerKk: string;
	actIssuerRu: string;
	actNumber: string;
	actDate: string;
	registrationNumber: string | null;
	registrationDate: string | null;
	validFrom: string;
	validTo: string | null;
	repealIssuerKk: string | null;
	repealIssuerRu: string | null;
	repealNumber: string | null;
	repealDate: string | null;
	isDemo: boolean;
}

export interface IndicatorRecord {
	id: number;
	code: string;
	groupCode: IndicatorGroupCode;
	groupNumber: number;
	groupTitleKk: string;
	groupTitleRu: string;
	groupTitleEn: string;
	titleKk: string;
	titleRu: string;
	titleEn: string | null;
	unit: 'percent';
	polarity: PolarityCode;
	source: 'reported' | 'complaints_register';
	numeratorKk: string;
	numeratorRu: string;
	numeratorEn: string | null;
	denominatorKk: string;
	denominatorRu: string;
	denominatorEn: string | null;
}

const serviceColumns = [
	'id', 'code', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn', 'title_ru_verified as titleRuVerified',
	'channels', 'is_paid as isPaid', 'term_days as termDays', 'max_wait_submit_min as maxWaitSubmitMin',
	'max_wait_receive_min as maxWaitReceiveMin', 'legal_basis_kk as legalBasisKk', 'legal_basis_ru as legalBasisRu'
] as const;

const standardColumns = [
	'id', 'service_id as serviceId', 'act_issuer_kk as actIssuerKk', 'act_issuer_ru as actIssuerRu', 'act_number as actNumber',
	'act_date as actDate', 'registration_number as registrationNumber', 'registration_date as registrationDate',
	'valid_from as validFrom', 'valid_to as validTo', 'repeal_issuer_kk as repealIssuerKk', 'repeal_issuer_ru as repealIssuerRu',
	'repeal_number as repealNumber', 'repeal_date as repealDate', 'is_demo as isDemo'
] as const;

// ---------- services ----------

export async function listServices(db: Db): Promise<ServiceRecord[]> {
	return db.selectFrom('service').select(serviceColumns).orderBy('code').execute();
}

export async function findService(db: Db, id: number): Promise<ServiceRecord | undefined> {
	return db.selectFrom('service').select(serviceColumns).where('id', '=', id).executeTakeFirst();
}

export type ServicePatch = Omit<ServiceRecord, 'id' | 'code'>;

export async function updateService(db: Db, id: number, p: ServicePatch): Promise<void> {
	await db
		.updateTable('service')
		.set({
			title_kk: p.titleKk, title_ru: p.titleRu, title_en: p.titleEn, title_ru_verified: p.titleRuVerified,
			channels: p.channels, is_paid: p.isPaid, term_days: p.termDays, max_wait_submit_min: p.maxWaitSubmitMin,
			max_wait_receive_min: p.maxWaitReceiveMin, legal_basis_kk: p.legalBasisKk, legal_basis_ru: p.legalBasisRu
		})
		.where('id', '=', id)
		.execute();
}

// ---------- standards ----------

/** Every service's standard in force on the given day ('YYYY-MM-DD'), by service id. */
export async function listStandardsInForce(db: Db, day: string): Promise<StandardRecord[]> {
	return db
		.selectFrom('standard')
		.select(standardColumns)
		.where('valid_from', '<=', day)
		.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
		.execute();
}

/** A service's standards, newest first. */
export async function listStandards(db: Db, serviceId: number): Promise<StandardRecord[]> {
	return db.selectFrom('standard').select(standardColumns).where('service_id', '=', serviceId).orderBy('valid_from', 'desc').execute();
}

export async function findStandard(db: Db, id: number): Promise<StandardRecord | undefined> {
	return db.selectFrom('standard').select(standardColumns).where('id', '=', id).executeTakeFirst();
}

/** The service's standard with no end date, if any (the no-overlap trigger allows at most one). */
export async function findOpenStandard(db: Db, serviceId: number): Promise<StandardRecord | undefined> {
	return db.selectFrom('standard').select(standardColumns).where('service_id', '=', serviceId).where('valid_to', 'is', null).executeTakeFirst();
}

/** Normatives of the given standards: standard id -> indicator id -> value. */
export async function listNormatives(db: Db, standardIds: number[]): Promise<Map<number, Map<number, number>>> {
	const out = new Map<number, Map<number, number>>();
	if (standardIds.length === 0) return out;
	const rows = await db.selectFrom('standard_normative').select(['standard_id', 'indicator_id', 'value']).where('standard_id', 'in', standardIds).execute();
	for (const r of rows) {
		let m = out.get(r.standard_id);
		if (!m) out.set(r.standard_id, (m = new Map()));
		m.set(r.indicator_id, Number(r.value));
	}
	return out;
}

export interface NewStandard {
	serviceId: number;
	actIssuerKk: string;
	actIssuerRu: string;
	actNumber: string;
	actDate: string;
	registrationNumber: string | null;
	registrationDate: string | null;
	validFrom: string;
}

export async function insertStandard(db: Db, s: NewStandard, normatives: Array<{ indicatorId: number; value: number }>): Promise<number> {
	const row = await db
		.insertInto('standard')
		.values({
			service_id: s.serviceId, act_issuer_kk: s.actIssuerKk, act_issuer_ru: s.actIssuerRu, act_number: s.actNumber,
			act_date: s.actDate, registration_number: s.registrationNumber, registration_date: s.registrationDate, valid_from: s.validFrom
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (normatives.length) {
		await db.insertInto('standard_normative').values(normatives.map((n) => ({ standard_id: row.id, indicator_id: n.indicatorId, value: n.value }))).execute();
	}
	return row.id;
}

export async function endStandard(db: Db, id: number, lastDay: string): Promise<void> {
	await db.updateTable('standard').set({ valid_to: lastDay }).where('id', '=', id).execute();
}

export interface Repeal {
	issuerKk: string;
	issuerRu: string;
	number: string;
	date: string;
	lastDay: string;
}

export async function repealStandard(db: Db, id: number, r: Repeal): Promise<void> {
	await db
		.updateTable('standard')
		.set({ repeal_issuer_kk: r.issuerKk, repeal_issuer_ru: r.issuerRu, repeal_number: r.number, repeal_date: r.date, valid_to: r.lastDay })
		.where('id', '=', id)
		.execute();
}

// ---------- indicators ----------

function indicatorQuery(db: Db) {
	return db
		.selectFrom('indicator as i')
		.innerJoin('indicator_group as g', 'g.code', 'i.group_code')
		.select([
			'i.id', 'i.code', 'i.group_code as groupCode', 'g.number as groupNumber', 'g.title_kk as groupTitleKk',
			'g.title_ru as groupTitleRu', 'g.title_en as groupTitleEn', 'i.title_kk as titleKk', 'i.title_ru as titleRu',
			'i.title_en as titleEn', 'i.unit', 'i.polarity', 'i.source', 'i.numerator_kk as numeratorKk',
			'i.numerator_ru as numeratorRu', 'i.numerator_en as numeratorEn', 'i.denominator_kk as denominatorKk',
			'i.denominator_ru as denominatorRu', 'i.denominator_en as denominatorEn'
		]);
}

export async function listIndicators(db: Db): Promise<IndicatorRecord[]> {
	return indicatorQuery(db).orderBy('i.sort_order').execute();
}

export async function findIndicator(db: Db, id: number): Promise<IndicatorRecord | undefined> {
	return indicatorQuery(db).where('i.id', '=', id).executeTakeFirst();
}

export async function listIndicatorGroups(db: Db) {
	return db.selectFrom('indicator_group').select(['code', 'number', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn']).orderBy('number').execute();
}

/**
 * How many figures judge by the indicator: measurements typed against it or,
 * for one computed from the complaints register, the complaints and served
 * volumes it is computed from (the same rule as the indicator_change_needs_decision trigger).
 */
export async function countIndicatorFigures(db: Db, id: number, source: IndicatorRecord['source']): Promise<number> {
	const n = (row: { n: string | number }) => Number(row.n);
	const typed = n(await db.selectFrom('measurement').select((eb) => eb.fn.countAll<string>().as('n')).where('indicator_id', '=', id).executeTakeFirstOrThrow());
	if (source !== 'complaints_register') return typed;
	const [complaints, volumes] = await Promise.all([
		db.selectFrom('complaint').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
		db.selectFrom('service_volume').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
	]);
	return typed + n(complaints) + n(volumes);
}

export type IndicatorPatch = Pick<IndicatorRecord,
	'groupCode' | 'titleKk' | 'titleRu' | 'titleEn' | 'unit' | 'polarity' | 'numeratorKk' | 'numeratorRu' | 'numeratorEn' | 'denominatorKk' | 'denominatorRu' | 'denominatorEn'>;

export async function updateIndicator(db: Db, id: number, p: IndicatorPatch): Promise<void> {
	await db
		.updateTable('indicator')
		.set({
			group_code: p.groupCode, title_kk: p.titleKk, title_ru: p.titleRu, title_en: p.titleEn, unit: p.unit, polarity: p.polarity,
			numerator_kk: p.numeratorKk, numerator_ru: p.numeratorRu, numerator_en: p.numeratorEn,
			denominator_kk: p.denominatorKk, denominator_ru: p.denominatorRu, denominator_en: p.denominatorEn
		})
		.where('id', '=', id)
		.execute();
}

export interface NewIndicatorDecision {
	indicatorId: number;
	decidedBy: number | null;
	field: 'polarity' | 'unit';
	oldValue: string;
	newValue: string;
	reason: string;
}

export async function insertIndicatorDecision(db: Db, d: NewIndicatorDecision): Promise<number> {
	const row = await db
		.insertInto('indicator_decision')
		.values({ indicator_id: d.indicatorId, decided_by: d.decidedBy, field: d.field, old_value: d.oldValue, new_value: d.newValue, reason: d.reason })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function listIndicatorDecisions(db: Db, indicatorId: number) {
	return db
		.selectFrom('indicator_decision as d')
		.leftJoin('app_user as u', 'u.id', 'd.decided_by')
		.select(['d.id', 'd.field', 'd.old_value as oldValue', 'd.new_value as newValue', 'd.reason', 'd.decided_at as decidedAt', 'u.display_name as decidedBy'])
		.where('d.indicator_id', '=', indicatorId)
		.orderBy('d.id', 'desc')
		.execute();
}
