import type { Kysely } from 'kysely';
import { complaintIndicatorCounts } from '../../domain/complaints';
import { assess, complianceRate, percentOf, type Assessment, type ComplianceRate, type Counts } from '../../domain/compliance';
import { isSmallSample } from '../../domain/sample';
import type { Database, IndicatorGroupCode, PolarityCode } from '../db/schema';
import { findAnnexIndicators, findComplaintTally, type AnnexKey } from '../queries/annex';
import { findStandardForYear } from '../queries/standards';

export interface Texts {
	kk: string;
	ru: string;
	en: string | null;
}

export interface AnnexTarget {
	value: number;
	status: 'draft' | 'approved';
	protocolNumber: string | null;
	protocolDate: string | null;
}

export interface AnnexRow {
	code: string;
	group: { code: IndicatorGroupCode; number: number; title: Texts };
	title: Texts;
	polarity: PolarityCode;
	computed: boolean;
	normative: number | null;
	target: AnnexTarget | null;
	nextTarget: AnnexTarget | null;
	counts: Counts | null;
	value: number | null;
	comment: string | null;
	smallSample: boolean;
	assessment: Assessment;
}

export interface AnnexStandard {
	actIssuer: Texts;
	actNumber: string;
	actDate: string;
	validFrom: string;
	validTo: string | null;
	repealNumber: string | null;
	repealDate: string | null;
	isDemo: boolean;
}

export interface Annex {
	year: number;
	/** The working group's decisions behind this year's approved targets (usually one protocol). */
	targetProtocols: Array<{ number: string; date: string }>;
	standard: AnnexStandard | null;
	rows: AnnexRow[];
	summary: ComplianceRate;
}

function targetOf(value: number | null, status: 'draft' | 'approved' | null, protocolNumber: string | null = null, protocolDate: string | null = null): AnnexTarget | null {
	return value === null || status === null ? null : { value, status, protocolNumber, protocolDate };
}

/**
 * The standard's annex for one organization, service and year, with each
 * row assessed by the engine. Only an approved target counts; a draft is
 * shown as a draft and judged as "no target".
 */
export async function buildAnnex(db: Kysely<Database>, key: AnnexKey): Promise<Annex> {
	const standard = await findStandardForYear(db, key.serviceId, key.year);
	const [indicators, tally] = await Promise.all([
		findAnnexIndicators(db, key, standard?.id ?? null),
		findComplaintTally(db, key)
	]);
	const rows = indicators.map((r): AnnexRow => {
		const computed = r.source === 'complaints_register';
		const counts = computed
			? complaintIndicatorCounts(r.code, tally)
			: r.numerator === null || r.denominator === null ? null : { numerator: r.numerator, denominator: r.denominator };
		const value = counts ? percentOf(counts) : null;
		const target = targetOf(r.targetValue, r.targetStatus, r.targetProtocolNumber, r.targetProtocolDate);
		return {
			code: r.code,
			group: { code: r.groupCode, number: r.groupNumber, title: { kk: r.groupTitleKk, ru: r.groupTitleRu, en: r.groupTitleEn } },
			title: { kk: r.titleKk, ru: r.titleRu, en: r.titleEn },
			polarity: r.polarity,
			computed,
			normative: r.normative,
			target,
			nextTarget: targetOf(r.nextTargetValue, r.nextTargetStatus),
			counts,
			value,
			comment: r.comment,
			smallSample: isSmallSample(counts?.denominator),
			assessment: assess({
				value,
				normative: r.normative,
				target: target?.status === 'approved' ? target.value : null,
				polarity: r.polarity
			})
		};
	});
	const protocols = new Map<string, { number: string; date: string }>();
	for (const r of rows) {
		const t = r.target;
		if (t?.status === 'approved' && t.protocolNumber && t.protocolDate) protocols.set(`${t.protocolNumber}|${t.protocolDate}`, { number: t.protocolNumber, date: t.protocolDate });
	}
	return {
		year: key.year,
		targetProtocols: [...protocols.values()],
		standard: standard
			? {
					actIssuer: { kk: standard.act_issuer_kk, ru: standard.act_issuer_ru, en: null },
					actNumber: standard.act_number,
					actDate: standard.act_date,
					validFrom: standard.valid_from,
					validTo: standard.valid_to,
					repealNumber: standard.repeal_number,
					repealDate: standard.repeal_date,
					isDemo: standard.is_demo
				}
			: null,
		rows,
		summary: complianceRate(rows.map((r) => r.assessment))
	};
}
