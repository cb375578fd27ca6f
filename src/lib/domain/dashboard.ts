import { assess, percentOf, type Assessment, type ComplianceRate, type Counts, type Polarity } from './compliance';
import type { OrganizationKindCode } from './completeness';
import { isSmallSample } from './sample';

/*
 * The compliance dashboard, pure: what a head sees for a subtree and a year.
 *
 * The database keeps additive sums (Measures) per organization subtree, year,
 * service, indicator and the kind of the organization that reported; this
 * module turns sums into rates, roll-up assessments, headline cards with their
 * year-on-year verdicts, and rankings. Every status still comes from the
 * compliance engine (assess); nothing here knows SQL or the clock.
 */

export type IndicatorGroup = 'timeliness' | 'quality' | 'accessibility' | 'complaints' | 'politeness';
export const INDICATOR_GROUPS = ['timeliness', 'quality', 'accessibility', 'complaints', 'politeness'] as const satisfies readonly IndicatorGroup[];
export const ORGANIZATION_KINDS = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'] as const satisfies readonly OrganizationKindCode[];

export interface Texts {
	kk: string;
	ru: string;
	en: string | null;
}

/**
 * Additive sums over the leaf cells (organization × service × indicator ×
 * year) of a subtree. A leaf cell is assessed by the engine's rule against the
 * normative of the standard in force that year and the approved target.
 */
export interface Measures {
	numerator: number;
	denominator: number;
	/** Leaf cells with a value (a denominator above 0). */
	valued: number;
	/** Valued cells that have a normative (the engine's `assessed`). */
	assessed: number;
	meetsNormative: number;
	/** Valued cells breaching the normative (vsNormative = 'breach'). */
	breaches: number;
	/** Valued cells with an approved target. */
	withTarget: number;
	meetsTarget: number;
	/** Σ denominator × normative over the assessed cells (the weighted reference of a roll-up). */
	normativeWeighted: number;
	/** Σ denominator × target over the cells with a target. */
	targetWeighted: number;
	/** Σ denominator over the cells with a target. */
	targetDenominator: number;
	/** Σ denominator over the assessed cells. */
	normativeDenominator: number;
	/** Hand-reported cells owed (service provided that year × indicator typed by hand). */
	expected: number;
	/** Of those, cells with a stored value (a 0 of 0 counts: it was reported). */
	reported: number;
}

export const EMPTY_MEASURES: Readonly<Measures> = Object.freeze({
	numerator: 0, denominator: 0, valued: 0, assessed: 0, meetsNormative: 0, breaches: 0, withTarget: 0, meetsTarget: 0,
	normativeWeighted: 0, targetWeighted: 0, targetDenominator: 0, normativeDenominator: 0, expected: 0, reported: 0
});

/**
 * The measures of one leaf cell: its counts assessed by the engine. The
 * database computes the same per cell (migration T08); this is its reference.
 * `computed`: an indicator from the complaints register, owed by nobody.
 */
export function leafMeasures(cell: { numerator: number; denominator: number; normative: number | null; target: number | null; polarity: Polarity; computed?: boolean }): Measures {
	const { numerator, denominator, normative, target, polarity } = cell;
	const value = denominator > 0 ? (numerator * 100) / denominator : null;
	const a = assess({ value, normative, target, polarity });
	const valued = denominator > 0 ? 1 : 0;
	const assessed = valued && normative !== null ? 1 : 0;
	const withTarget = valued && target !== null ? 1 : 0;
	const owed = cell.computed ? 0 : 1;
	return {
		numerator, denominator, valued, assessed,
		meetsNormative: a.vsNormative === 'meets' ? 1 : 0,
		breaches: a.vsNormative === 'breach' ? 1 : 0,
		withTarget,
		meetsTarget: a.vsTarget === 'meets' ? 1 : 0,
		normativeWeighted: assessed ? denominator * normative! : 0,
		normativeDenominator: assessed ? denominator : 0,
		targetWeighted: withTarget ? denominator * target! : 0,
		targetDenominator: withTarget ? denominator : 0,
		expected: owed,
		reported: owed
	};
}

const MEASURE_KEYS = Object.keys(EMPTY_MEASURES) as Array<keyof Measures>;

export function sumMeasures(items: Iterable<Measures>): Measures {
	const total: Measures = { ...EMPTY_MEASURES };
	for (const item of items) for (const k of MEASURE_KEYS) total[k] += item[k];
	return total;
}

/** Served volumes by channel, and how many of the owed channel counts were reported. */
export interface Volumes {
	provider: number;
	stateCorporation: number;
	egov: number;
	/** Channel counts owed: services provided × 3 channels. */
	expected: number;
	reported: number;
}

export const EMPTY_VOLUMES: Readonly<Volumes> = Object.freeze({ provider: 0, stateCorporation: 0, egov: 0, expected: 0, reported: 0 });

export function sumVolumes(items: Iterable<Volumes>): Volumes {
	const total: Volumes = { ...EMPTY_VOLUMES };
	for (const v of items) {
		total.provider += v.provider;
		total.stateCorporation += v.stateCorporation;
		total.egov += v.egov;
		total.expected += v.expected;
		total.reported += v.reported;
	}
	return total;
}

export function servedTotal(v: Volumes): number {
	return v.provider + v.stateCorporation + v.egov;
}

/** Share (0..1) served through eGov; null when nothing was served. */
export function electronicShare(v: Volumes): number | null {
	const total = servedTotal(v);
	return total === 0 ? null : v.egov / total;
}

/** The engine's compliance rate, read from sums: the share of leaf cells meeting the normative / the target. */
export function rateOf(m: Measures): ComplianceRate {
	return {
		assessed: m.assessed,
		meetingNormative: m.meetsNormative,
		withTarget: m.withTarget,
		meetingTarget: m.meetsTarget,
		normativeRate: m.assessed === 0 ? null : m.meetsNormative / m.assessed,
		targetRate: m.withTarget === 0 ? null : m.meetsTarget / m.withTarget,
		breaches: m.breaches
	};
}

/** Share (0..1) of the owed values (indicators typed by hand and channel counts) that are in; null when nothing is owed. */
export function completenessOf(m: Measures, v: Volumes): number | null {
	const expected = m.expected + v.expected;
	return expected === 0 ? null : (m.reported + v.reported) / expected;
}

export interface RolledCell {
	counts: Counts | null;
	value: number | null;
	/** The reference the roll-up is held against; see referenceOf. */
	normative: number | null;
	target: number | null;
	assessment: Assessment;
	smallSample: boolean;
}

/**
 * A roll-up is held against the case-weighted mean of its parts' references
 * (Σ denominator × reference / Σ denominator), which is the common normative
 * itself when all parts share it. A reference exists only when every valued
 * part has one: a target set for half the schools says nothing of the rest.
 */
export function referenceOf(weighted: number, denominator: number, covered: number, valued: number): number | null {
	if (valued === 0 || covered !== valued || denominator === 0) return null;
	return Math.round((weighted / denominator) * 1e6) / 1e6;
}

export function rollUpCell(m: Measures, polarity: Polarity): RolledCell {
	const counts = m.valued === 0 && m.denominator === 0 ? (m.reported > 0 ? { numerator: 0, denominator: 0 } : null) : { numerator: m.numerator, denominator: m.denominator };
	const value = counts ? percentOf(counts) : null;
	const normative = referenceOf(m.normativeWeighted, m.normativeDenominator, m.assessed, m.valued);
	const target = referenceOf(m.targetWeighted, m.targetDenominator, m.withTarget, m.valued);
	return { counts, value, normative, target, assessment: assess({ value, normative, target, polarity }), smallSample: isSmallSample(counts?.denominator) };
}

export type BetterWhen = 'higher' | 'lower';
export type Verdict = 'better' | 'worse' | 'same';

export interface Change {
	/** current − previous, in the measure's own unit; null when either side is missing. */
	delta: number | null;
	verdict: Verdict | null;
}

/** Year-on-year change judged by the measure's direction, never "up is good". */
export function changeOf(current: number | null, previous: number | null, betterWhen: BetterWhen, epsilon = 1e-9): Change {
	if (current === null || previous === null) return { delta: null, verdict: null };
	const delta = current - previous;
	if (Math.abs(delta) <= epsilon) return { delta: 0, verdict: 'same' };
	const better = betterWhen === 'higher' ? delta > 0 : delta < 0;
	return { delta, verdict: better ? 'better' : 'worse' };
}

export function betterWhenFor(polarity: Polarity): BetterWhen {
	return polarity === 'higher_is_better' ? 'higher' : 'lower';
}

export type HeadlineKey = 'normative_rate' | 'target_rate' | 'breaches' | 'completeness' | 'electronic_share';

export interface HeadlineCard {
	key: HeadlineKey;
	/** Shares are 0..1; breaches a count. */
	value: number | null;
	previous: number | null;
	betterWhen: BetterWhen;
	change: Change;
	/** What the share is of, for the card's small print: e.g. 412 of 450 cells. */
	numerator: number | null;
	denominator: number | null;
}

export interface YearSums {
	measures: Measures;
	volumes: Volumes;
}

export function headlineCards(current: YearSums, previous: YearSums | null): HeadlineCard[] {
	const cur = rateOf(current.measures);
	const prev = previous ? rateOf(previous.measures) : null;
	const card = (key: HeadlineKey, value: number | null, before: number | null, betterWhen: BetterWhen, numerator: number | null, denominator: number | null): HeadlineCard => ({
		key, value, previous: before, betterWhen, change: changeOf(value, before, betterWhen), numerator, denominator
	});
	const cv = current.volumes;
	return [
		card('normative_rate', cur.normativeRate, prev?.normativeRate ?? null, 'higher', cur.meetingNormative, cur.assessed),
		card('target_rate', cur.targetRate, prev?.targetRate ?? null, 'higher', cur.meetingTarget, cur.withTarget),
		card('breaches', cur.assessed === 0 ? null : cur.breaches, prev && prev.assessed > 0 ? prev.breaches : null, 'lower', null, null),
		card('completeness', completenessOf(current.measures, cv), previous ? completenessOf(previous.measures, previous.volumes) : null, 'higher',
			current.measures.reported + cv.reported, current.measures.expected + cv.expected),
		card('electronic_share', electronicShare(cv), previous ? electronicShare(previous.volumes) : null, 'higher', cv.egov, servedTotal(cv))
	];
}

export interface Ranked {
	/** Organization or service id. */
	id: number;
	code: string;
	name: Texts;
	rate: number | null;
	previousRate: number | null;
	change: Change;
	breaches: number;
	assessed: number;
}

/**
 * The largest shortfalls: the lowest share meeting the normative (most
 * breaches first among equals). The largest gains: the biggest rise of that
 * share since the previous year. Units with nothing assessed are left out of
 * both, as neither good nor bad.
 */
export function rank(
	units: Array<{ id: number; code: string; name: Texts; current: Measures; previous: Measures | null }>,
	limit = 5
): { worst: Ranked[]; improved: Ranked[] } {
	const ranked: Ranked[] = units.map((u) => {
		const rate = rateOf(u.current).normativeRate;
		const previousRate = u.previous ? rateOf(u.previous).normativeRate : null;
		return { id: u.id, code: u.code, name: u.name, rate, previousRate, change: changeOf(rate, previousRate, 'higher'), breaches: u.current.breaches, assessed: u.current.assessed };
	});
	const judged = ranked.filter((r) => r.rate !== null);
	const worst = [...judged]
		.filter((r) => r.breaches > 0)
		.sort((a, b) => a.rate! - b.rate! || b.breaches - a.breaches || a.code.localeCompare(b.code))
		.slice(0, limit);
	const improved = judged
		.filter((r) => r.change.verdict === 'better')
		.sort((a, b) => b.change.delta! - a.change.delta! || a.code.localeCompare(b.code))
		.slice(0, limit);
	return { worst, improved };
}

/** What a year's compliance reads as across all years with data (the chart over years). */
export interface YearRate extends ComplianceRate {
	year: number;
	completeness: number | null;
}

export function yearRates(years: Array<{ year: number } & YearSums>): YearRate[] {
	return [...years]
		.sort((a, b) => a.year - b.year)
		.map((y) => ({ year: y.year, ...rateOf(y.measures), completeness: completenessOf(y.measures, y.volumes) }));
}

export type SortDirection = 'asc' | 'desc';

/**
 * Sorts with missing values last whatever the direction, so "no data" never
 * masquerades as the best or the worst.
 */
export function sortBy<T>(rows: readonly T[], key: (row: T) => number | string | null, direction: SortDirection): T[] {
	const sign = direction === 'asc' ? 1 : -1;
	return [...rows].sort((a, b) => {
		const x = key(a);
		const y = key(b);
		if (x === null && y === null) return 0;
		if (x === null) return 1;
		if (y === null) return -1;
		if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
		return String(x).localeCompare(String(y)) * sign;
	});
}
