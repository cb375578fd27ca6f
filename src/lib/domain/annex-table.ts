import { assess, percentOf, type Assessment, type Counts, type Polarity } from './compliance';
import { referenceOf, type Texts } from './dashboard';

/*
 * The standard's annex table ("Значения показателей качества и доступности",
 * seed 003) as rows to write: the five groups as heading rows, each
 * indicator with its normative value, the target for the following year and
 * the current value in the reporting year. For one organization and service
 * it is the annex itself; over several (a subtree, several services) the
 * parts are rolled up as the dashboard rolls them: Σ numerators / Σ
 * denominators, held against the case-weighted mean of the parts'
 * references, a reference only when every valued part has one.
 */

/** One indicator of one organization × service, as the annex screen has it. */
export interface AnnexPart {
	code: string;
	group: { code: string; number: number; title: Texts };
	title: Texts;
	polarity: Polarity;
	normative: number | null;
	/** This year's approved target (a draft is not a target). */
	target: number | null;
	/** The following year's target, with its status. */
	nextTarget: { value: number; status: 'draft' | 'approved' } | null;
	counts: Counts | null;
}

export interface AnnexTableIndicator {
	kind: 'indicator';
	code: string;
	group: AnnexPart['group'];
	title: Texts;
	polarity: Polarity;
	normative: number | null;
	/** The following year's target; `draft` when any part's is still a draft. */
	nextTarget: number | null;
	nextTargetDraft: boolean;
	counts: Counts | null;
	value: number | null;
	assessment: Assessment;
	/** How many organization × service parts are behind the row. */
	parts: number;
}

export interface AnnexTableGroup {
	kind: 'group';
	number: number;
	title: Texts;
}

export type AnnexTableRow = AnnexTableGroup | AnnexTableIndicator;

/**
 * Rolls the parts' annexes up, indicator by indicator, in the standard's
 * order (the order of the first part). A single part comes back as it is.
 */
export function rollUpAnnex(parts: ReadonlyArray<readonly AnnexPart[]>): AnnexTableIndicator[] {
	const byCode = new Map<string, AnnexPart[]>();
	for (const annex of parts) for (const r of annex) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
	return [...byCode.values()].map((rows) => rollUpIndicator(rows));
}

function rollUpIndicator(rows: readonly AnnexPart[]): AnnexTableIndicator {
	const first = rows[0]!;
	if (rows.length === 1) {
		const value = first.counts ? percentOf(first.counts) : null;
		return {
			kind: 'indicator', code: first.code, group: first.group, title: first.title, polarity: first.polarity,
			normative: first.normative, nextTarget: first.nextTarget?.value ?? null, nextTargetDraft: first.nextTarget?.status === 'draft',
			counts: first.counts, value, assessment: assess({ value, normative: first.normative, target: first.target, polarity: first.polarity }), parts: 1
		};
	}
	const valued = rows.filter((r) => r.counts && r.counts.denominator > 0);
	const numerator = rows.reduce((s, r) => s + (r.counts?.numerator ?? 0), 0);
	const denominator = rows.reduce((s, r) => s + (r.counts?.denominator ?? 0), 0);
	const reported = rows.some((r) => r.counts !== null);
	const counts = reported ? { numerator, denominator } : null;
	const value = counts && denominator > 0 ? percentOf(counts) : null;
	const weighted = (ref: (r: AnnexPart) => number | null) => {
		const covered = valued.filter((r) => ref(r) !== null);
		const sum = covered.reduce((s, r) => s + r.counts!.denominator * ref(r)!, 0);
		return referenceOf(sum, denominator, covered.length, valued.length);
	};
	// With nothing valued there are no weights: a reference shared by every part still holds.
	const common = (ref: (r: AnnexPart) => number | null) => {
		const values = new Set(rows.map(ref));
		return values.size === 1 ? [...values][0]! : null;
	};
	const reference = (ref: (r: AnnexPart) => number | null) => (valued.length > 0 ? weighted(ref) : common(ref));
	const normative = reference((r) => r.normative);
	const target = reference((r) => r.target);
	const nextTarget = reference((r) => r.nextTarget?.value ?? null);
	return {
		kind: 'indicator', code: first.code, group: first.group, title: first.title, polarity: first.polarity,
		normative, nextTarget, nextTargetDraft: rows.some((r) => r.nextTarget?.status === 'draft'),
		counts, value, assessment: assess({ value, normative, target, polarity: first.polarity }), parts: rows.length
	};
}

/** The table as the standard lays it out: each group's heading row, then its indicators. */
export function annexTable(indicators: readonly AnnexTableIndicator[]): AnnexTableRow[] {
	const rows: AnnexTableRow[] = [];
	let group: number | null = null;
	for (const r of indicators) {
		if (r.group.number !== group) {
			group = r.group.number;
			rows.push({ kind: 'group', number: r.group.number, title: r.group.title });
		}
		rows.push(r);
	}
	return rows;
}

/** "1. Своевременность" / "1.1. % (доля) ..." as the standard numbers them. */
export function groupHeading(row: AnnexTableGroup, lang: 'kk' | 'ru'): string {
	return `${row.number}. ${row.title[lang]}`;
}

export function indicatorHeading(row: AnnexTableIndicator, lang: 'kk' | 'ru'): string {
	return `${row.code}. ${row.title[lang]}`;
}
