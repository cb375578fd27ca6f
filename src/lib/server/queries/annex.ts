import { sql, type Kysely } from 'kysely';
import type { ComplaintTally } from '../../domain/complaints';
import type { Database, IndicatorGroupCode, PolarityCode } from '../db/schema';

export interface AnnexKey {
	organizationId: number;
	serviceId: number;
	year: number;
}

export interface AnnexIndicatorRow {
	code: string;
	groupCode: IndicatorGroupCode;
	groupNumber: number;
	groupTitleKk: string;
	groupTitleRu: string;
	groupTitleEn: string;
	titleKk: string;
	titleRu: string;
	titleEn: string | null;
	polarity: PolarityCode;
	source: 'reported' | 'complaints_register';
	normative: number | null;
	targetValue: number | null;
	targetStatus: 'draft' | 'approved' | null;
	targetProtocolNumber: string | null;
	targetProtocolDate: string | null;
	nextTargetValue: number | null;
	nextTargetStatus: 'draft' | 'approved' | null;
	numerator: number | null;
	denominator: number | null;
	comment: string | null;
}

/** Every indicator with the normative of the given standard, this and next year's targets, and the year's counts. */
export async function findAnnexIndicators(db: Kysely<Database>, key: AnnexKey, standardId: number | null): Promise<AnnexIndicatorRow[]> {
	const { organizationId: org, serviceId: svc, year } = key;
	return db
		.selectFrom('indicator as i')
		.innerJoin('indicator_group as g', 'g.code', 'i.group_code')
		.leftJoin('standard_normative as n', (j) => j.onRef('n.indicator_id', '=', 'i.id').on('n.standard_id', '=', standardId ?? -1))
		.leftJoin('target as t', (j) =>
			j.onRef('t.indicator_id', '=', 'i.id').on('t.organization_id', '=', org).on('t.service_id', '=', svc).on('t.year', '=', year))
		.leftJoin('target as tn', (j) =>
			j.onRef('tn.indicator_id', '=', 'i.id').on('tn.organization_id', '=', org).on('tn.service_id', '=', svc).on('tn.year', '=', year + 1))
		.leftJoin('measurement as m', (j) =>
			j.onRef('m.indicator_id', '=', 'i.id').on('m.organization_id', '=', org).on('m.service_id', '=', svc).on('m.year', '=', year))
		.select([
			'i.code', 'i.group_code as groupCode', 'g.number as groupNumber', 'g.title_kk as groupTitleKk',
			'g.title_ru as groupTitleRu', 'g.title_en as groupTitleEn', 'i.title_kk as titleKk', 'i.title_ru as titleRu',
			'i.title_en as titleEn', 'i.polarity', 'i.source', 'n.value as normative',
			't.value as targetValue', 't.status as targetStatus', 't.protocol_number as targetProtocolNumber',
			't.protocol_date as targetProtocolDate', 'tn.value as nextTargetValue', 'tn.status as nextTargetStatus',
			'm.numerator', 'm.denominator', 'm.comment'
		])
		.orderBy('i.sort_order')
		.execute();
}

/** What the complaints register and the service volumes say for one organization, service and year. */
export async function findComplaintTally(db: Kysely<Database>, key: AnnexKey): Promise<ComplaintTally> {
	const { organizationId: org, serviceId: svc, year } = key;
	const volume = await db
		.selectFrom('service_volume')
		.where('organization_id', '=', org).where('service_id', '=', svc).where('year', '=', year)
		.select((eb) => [eb.fn.countAll<number>().as('rows'), sql<number>`coalesce(sum(count), 0)::integer`.as('served')])
		.executeTakeFirstOrThrow();
	const complaints = await db
		.selectFrom('complaint')
		.where('organization_id', '=', org).where('service_id', '=', svc)
		.where('received_on', '>=', `${year}-01-01`).where('received_on', '<=', `${year}-12-31`)
		.select([
			sql<number>`count(*) FILTER (WHERE justified)::integer`.as('justified'),
			sql<number>`count(*) FILTER (WHERE justified AND satisfied AND answered_within_term)::integer`.as('inTerm')
		])
		.executeTakeFirstOrThrow();
	return {
		served: Number(volume.rows) > 0 ? volume.served : null,
		justified: complaints.justified,
		justifiedSatisfiedInTerm: complaints.inTerm
	};
}
