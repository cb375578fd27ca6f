/**
 * Compliance of quality/accessibility indicators against a standard's annex.
 *
 * Every indicator is a share (numerator over denominator). We keep the counts
 * rather than only the percentage so roll-ups stay exact and a figure such as
 * 0.1 % can be traced back to "1 complaint in 1,000 services".
 */

export type Polarity = 'higher_is_better' | 'lower_is_better';

export type Counts = { numerator: number; denominator: number };

export type Status = 'meets_target' | 'meets_normative' | 'breach' | 'no_data';
export type TargetStatus = 'meets' | 'misses' | 'no_target' | 'no_data';
export type NormativeStatus = 'meets' | 'breach' | 'no_normative' | 'no_data';

export type Assessment = {
	status: Status;
	vsNormative: NormativeStatus;
	vsTarget: TargetStatus;
	gapToNormative: number | null;
	gapToTarget: number | null;
};

export type ComplianceRate = {
	assessed: number;
	meetingNormative: number;
	withTarget: number;
	meetingTarget: number;
	normativeRate: number | null;
	targetRate: number | null;
	breaches: number;
};

// Absolute tolerance: values are percentages (0..100), so 1e-9 is far below
// any meaningful difference but above accumulated binary float error.
const TOLERANCE = 1e-9;

function assertFinite(n: number, name: string): void {
	if (!Number.isFinite(n)) throw new RangeError(`${name} must be a finite number`);
}

function assertCounts(c: Counts): void {
	const { numerator, denominator } = c;
	if (!Number.isInteger(numerator) || !Number.isInteger(denominator)) {
		throw new RangeError('counts must be integers');
	}
	if (numerator < 0 || denominator < 0) throw new RangeError('counts must not be negative');
	if (numerator > denominator) throw new RangeError('numerator must not exceed denominator');
}

/** Percentage 0..100; null when there were no cases, because 0 of 0 is "no data", not 0 %. */
export function percentOf(c: Counts): number | null {
	assertCounts(c);
	if (c.denominator === 0) return null;
	return (c.numerator * 100) / c.denominator;
}

export function meets(value: number, reference: number, polarity: Polarity): boolean {
	assertFinite(value, 'value');
	assertFinite(reference, 'reference');
	return polarity === 'higher_is_better'
		? value >= reference - TOLERANCE
		: value <= reference + TOLERANCE;
}

/**
 * Signed so that a positive gap is always good regardless of polarity; callers
 * can then sort or colour gaps without knowing the indicator's direction.
 */
export function gap(value: number, reference: number, polarity: Polarity): number {
	assertFinite(value, 'value');
	assertFinite(reference, 'reference');
	const raw = polarity === 'higher_is_better' ? value - reference : reference - value;
	const rounded = Math.round(raw * 1e6) / 1e6;
	// Math.round can yield -0, which would print as "-0" in some formatters.
	return rounded === 0 ? 0 : rounded;
}

function vsNormativeOf(value: number | null, normative: number | null, polarity: Polarity): NormativeStatus {
	if (value === null) return 'no_data';
	if (normative === null) return 'no_normative';
	return meets(value, normative, polarity) ? 'meets' : 'breach';
}

function vsTargetOf(value: number | null, target: number | null, polarity: Polarity): TargetStatus {
	if (value === null) return 'no_data';
	if (target === null) return 'no_target';
	return meets(value, target, polarity) ? 'meets' : 'misses';
}

/**
 * Overall status rule:
 * - no value                              -> 'no_data'
 * - normative breached                    -> 'breach' (the standard is fixed by
 *   law; a working group's target can never excuse breaching it)
 * - target met                            -> 'meets_target'
 * - target missed and no normative exists -> 'breach' (nothing to fall back on,
 *   so missing the only reference is a shortfall)
 * - otherwise                             -> 'meets_normative' (normative met and
 *   target missed or not set; also neither reference set, where there is
 *   nothing to breach)
 */
export function assess(input: {
	value: number | null;
	normative: number | null;
	target: number | null;
	polarity: Polarity;
}): Assessment {
	const { value, normative, target, polarity } = input;
	const vsNormative = vsNormativeOf(value, normative, polarity);
	const vsTarget = vsTargetOf(value, target, polarity);
	const status: Status =
		value === null
			? 'no_data'
			: vsNormative === 'breach'
				? 'breach'
				: vsTarget === 'meets'
					? 'meets_target'
					: vsTarget === 'misses' && vsNormative === 'no_normative'
						? 'breach'
						: 'meets_normative';
	return {
		status,
		vsNormative,
		vsTarget,
		gapToNormative: value === null || normative === null ? null : gap(value, normative, polarity),
		gapToTarget: value === null || target === null ? null : gap(value, target, polarity)
	};
}

/**
 * Σnumerators / Σdenominators. A mean of percentages would give a unit with
 * one case the same weight as one with a thousand.
 */
export function rollUp(items: Iterable<Counts>): Counts & { value: number | null } {
	let numerator = 0;
	let denominator = 0;
	for (const item of items) {
		assertCounts(item);
		numerator += item.numerator;
		denominator += item.denominator;
	}
	return { numerator, denominator, value: percentOf({ numerator, denominator }) };
}

/** Rates are shares 0..1; null when nothing could be judged, so 0 % is never invented. */
export function complianceRate(
	assessments: Iterable<{ vsNormative: NormativeStatus; vsTarget: TargetStatus }>
): ComplianceRate {
	let assessed = 0;
	let meetingNormative = 0;
	let withTarget = 0;
	let meetingTarget = 0;
	let breaches = 0;
	for (const a of assessments) {
		if (a.vsNormative === 'meets' || a.vsNormative === 'breach') assessed++;
		if (a.vsNormative === 'meets') meetingNormative++;
		if (a.vsNormative === 'breach') breaches++;
		if (a.vsTarget === 'meets' || a.vsTarget === 'misses') withTarget++;
		if (a.vsTarget === 'meets') meetingTarget++;
	}
	return {
		assessed,
		meetingNormative,
		withTarget,
		meetingTarget,
		normativeRate: assessed === 0 ? null : meetingNormative / assessed,
		targetRate: withTarget === 0 ? null : meetingTarget / withTarget,
		breaches
	};
}

export function complianceByYear<
	T extends { year: number; vsNormative: NormativeStatus; vsTarget: TargetStatus }
>(rows: Iterable<T>): Array<{ year: number } & ComplianceRate> {
	const byYear = new Map<number, T[]>();
	for (const row of rows) {
		const bucket = byYear.get(row.year);
		if (bucket) bucket.push(row);
		else byYear.set(row.year, [row]);
	}
	return [...byYear.entries()]
		.sort(([a], [b]) => a - b)
		.map(([year, group]) => ({ year, ...complianceRate(group) }));
}
