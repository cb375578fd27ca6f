import { describe, it, expect } from 'vitest';
import {
	assess,
	complianceByYear,
	complianceRate,
	gap,
	meets,
	percentOf,
	rollUp,
	type NormativeStatus,
	type Polarity,
	type Status,
	type TargetStatus
} from './compliance';

// Annex of seed standard 003 (DOMAIN.md §2). Only 4.1 is lower-is-better.
type AnnexRow = { code: string; polarity: Polarity; normative: number; target: number; current: number; status: Status; vsNormative: NormativeStatus; vsTarget: TargetStatus };
const SEED_ANNEX: AnnexRow[] = [
	{ code: '1.1', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '1.2', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '2.1', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '2.2', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '3.1', polarity: 'higher_is_better', normative: 99, target: 100, current: 99, status: 'meets_normative', vsNormative: 'meets', vsTarget: 'misses' },
	{ code: '3.2', polarity: 'higher_is_better', normative: 99, target: 99, current: 99, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '3.3', polarity: 'higher_is_better', normative: 0, target: 0, current: 0, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '4.1', polarity: 'lower_is_better', normative: 0, target: 0, current: 0.1, status: 'breach', vsNormative: 'breach', vsTarget: 'misses' },
	{ code: '4.2', polarity: 'higher_is_better', normative: 0, target: 0, current: 0, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '4.3', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '4.4', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' },
	{ code: '5.1', polarity: 'higher_is_better', normative: 100, target: 100, current: 100, status: 'meets_target', vsNormative: 'meets', vsTarget: 'meets' }
];

describe('assess: seed standard annex', () => {
	it('covers all 12 indicators of the annex', () => {
		expect(SEED_ANNEX).toHaveLength(12);
		expect(SEED_ANNEX.filter((r) => r.polarity === 'lower_is_better').map((r) => r.code)).toEqual(['4.1']);
	});

	it.each(SEED_ANNEX)(
		'indicator $code: current $current vs normative $normative / target $target ($polarity) is $status',
		({ polarity, normative, target, current, status, vsNormative, vsTarget }) => {
			const a = assess({ value: current, normative, target, polarity });
			expect(a.status).toBe(status);
			expect(a.vsNormative).toBe(vsNormative);
			expect(a.vsTarget).toBe(vsTarget);
		}
	);

	it('4.1 at 0.1 % complaints is a breach by 0.1 points', () => {
		const a = assess({ value: 0.1, normative: 0, target: 0, polarity: 'lower_is_better' });
		expect(a.gapToNormative).toBe(-0.1);
		expect(a.gapToTarget).toBe(-0.1);
	});

	it('3.1 at 99 misses the target of 100 by 1 point but is exactly on the normative', () => {
		const a = assess({ value: 99, normative: 99, target: 100, polarity: 'higher_is_better' });
		expect(a.gapToNormative).toBe(0);
		expect(a.gapToTarget).toBe(-1);
	});
});

describe('assess: rules', () => {
	type Case = [string, number | null, number | null, number | null, Polarity, Status, NormativeStatus, TargetStatus, number | null, number | null];
	it.each<Case>([
		// name, value, normative, target, polarity -> status, vsNormative, vsTarget, gapToNormative, gapToTarget
		['null value is no_data everywhere with null gaps', null, 99, 100, 'higher_is_better', 'no_data', 'no_data', 'no_data', null, null],
		['no target set but normative met is meets_normative with no_target', 99.5, 99, null, 'higher_is_better', 'meets_normative', 'meets', 'no_target', 0.5, null],
		['no target set and normative breached is breach', 98, 99, null, 'higher_is_better', 'breach', 'breach', 'no_target', -1, null],
		['a target met while the normative is breached is still breach', 95, 99, 90, 'higher_is_better', 'breach', 'breach', 'meets', -4, 5],
		['lower-is-better below both references meets the target', 0.05, 0.2, 0.1, 'lower_is_better', 'meets_target', 'meets', 'meets', 0.15, 0.05],
		['lower-is-better between target and normative meets the normative only', 0.15, 0.2, 0.1, 'lower_is_better', 'meets_normative', 'meets', 'misses', 0.05, -0.05],
		['no normative and target met is meets_target', 100, null, 100, 'higher_is_better', 'meets_target', 'no_normative', 'meets', null, 0],
		['no normative and target missed counts as a shortfall (breach)', 97, null, 100, 'higher_is_better', 'breach', 'no_normative', 'misses', null, -3],
		['neither normative nor target leaves nothing to breach (meets_normative)', 50, null, null, 'higher_is_better', 'meets_normative', 'no_normative', 'no_target', null, null]
	])('%s', (_name, value, normative, target, polarity, status, vsNormative, vsTarget, gapToNormative, gapToTarget) => {
		expect(assess({ value, normative, target, polarity })).toEqual({ status, vsNormative, vsTarget, gapToNormative, gapToTarget });
	});
});

describe('meets', () => {
	it.each<[string, number, number, Polarity, boolean]>([
		['higher: equal meets', 99, 99, 'higher_is_better', true],
		['higher: above meets', 99.5, 99, 'higher_is_better', true],
		['higher: below fails', 98.9, 99, 'higher_is_better', false],
		['lower: below meets', 0, 0.1, 'lower_is_better', true],
		['lower: equal meets', 0.1, 0.1, 'lower_is_better', true],
		['lower: above fails', 0.1, 0, 'lower_is_better', false],
		['higher: float noise below reference still meets', 99, 99.0000000001, 'higher_is_better', true],
		['lower: float noise above reference still meets', 0.1 + 0.2, 0.3, 'lower_is_better', true],
		['higher: a real shortfall beyond tolerance fails', 99, 99.000001, 'higher_is_better', false]
	])('%s', (_name, value, reference, polarity, expected) => {
		expect(meets(value, reference, polarity)).toBe(expected);
	});

	it.each([NaN, Infinity])('rejects non-finite input %s', (bad) => {
		expect(() => meets(bad, 1, 'higher_is_better')).toThrow(RangeError);
	});
});

describe('gap: positive is always better', () => {
	it.each<[string, number, number, Polarity, number]>([
		['higher: above reference is positive', 100, 99, 'higher_is_better', 1],
		['higher: below reference is negative', 98, 99, 'higher_is_better', -1],
		['lower: below reference is positive', 0, 0.1, 'lower_is_better', 0.1],
		['lower: above reference is negative', 0.1, 0, 'lower_is_better', -0.1],
		['float noise is rounded away', 0.1 + 0.2, 0.3, 'higher_is_better', 0],
		['rounded to 6 decimals', 1.23456789, 0, 'higher_is_better', 1.234568]
	])('%s', (_name, value, reference, polarity, expected) => {
		expect(gap(value, reference, polarity)).toBe(expected);
	});

	it('never returns negative zero', () => {
		expect(Object.is(gap(0.3, 0.1 + 0.2, 'higher_is_better'), 0)).toBe(true);
	});
});

describe('percentOf', () => {
	it.each<[string, number, number, number | null]>([
		['all cases', 100, 100, 100],
		['1 complaint in 1,000 services is 0.1 %', 1, 1000, 0.1],
		['none of some cases is 0 %', 0, 5, 0],
		['no cases is no data, not 0 %', 0, 0, null]
	])('%s', (_name, numerator, denominator, expected) => {
		expect(percentOf({ numerator, denominator })).toBe(expected);
	});

	it.each<[string, number, number]>([
		['negative numerator', -1, 10],
		['negative denominator', 0, -1],
		['non-integer numerator', 1.5, 10],
		['non-integer denominator', 1, 10.5],
		['numerator above denominator', 11, 10],
		['numerator with zero denominator', 1, 0],
		['NaN', NaN, 10]
	])('throws RangeError for %s', (_name, numerator, denominator) => {
		expect(() => percentOf({ numerator, denominator })).toThrow(RangeError);
	});
});

describe('rollUp', () => {
	it('uses Σnumerators / Σdenominators, not the mean of percentages', () => {
		const items = [
			{ numerator: 1, denominator: 1 },
			{ numerator: 50, denominator: 100 }
		];
		const meanOfPercentages = (100 + 50) / 2;
		const r = rollUp(items);
		expect(r.numerator).toBe(51);
		expect(r.denominator).toBe(101);
		expect(r.value).toBeCloseTo(50.495, 3);
		expect(r.value).toBe((51 * 100) / 101);
		expect(r.value).not.toBeCloseTo(meanOfPercentages, 0);
	});

	it.each<[string, Array<{ numerator: number; denominator: number }>, { numerator: number; denominator: number; value: number | null }]>([
		['empty input is no data', [], { numerator: 0, denominator: 0, value: null }],
		['only empty units is no data', [{ numerator: 0, denominator: 0 }, { numerator: 0, denominator: 0 }], { numerator: 0, denominator: 0, value: null }],
		['empty units do not dilute the others', [{ numerator: 0, denominator: 0 }, { numerator: 3, denominator: 4 }], { numerator: 3, denominator: 4, value: 75 }],
		['complaints across organizations', [{ numerator: 1, denominator: 1000 }, { numerator: 0, denominator: 3000 }], { numerator: 1, denominator: 4000, value: 0.025 }]
	])('%s', (_name, items, expected) => {
		expect(rollUp(items)).toEqual(expected);
	});

	it('accepts any iterable', () => {
		function* gen() {
			yield { numerator: 1, denominator: 2 };
			yield { numerator: 1, denominator: 2 };
		}
		expect(rollUp(gen()).value).toBe(50);
	});

	it('rejects invalid counts in any item', () => {
		expect(() => rollUp([{ numerator: 1, denominator: 1 }, { numerator: 2, denominator: 1 }])).toThrow(RangeError);
	});
});

type Row = { year: number; vsNormative: NormativeStatus; vsTarget: TargetStatus };
const MIXED_2024: Row[] = [
	{ year: 2024, vsNormative: 'meets', vsTarget: 'meets' },
	{ year: 2024, vsNormative: 'meets', vsTarget: 'misses' },
	{ year: 2024, vsNormative: 'breach', vsTarget: 'meets' },
	{ year: 2024, vsNormative: 'meets', vsTarget: 'no_target' },
	{ year: 2024, vsNormative: 'no_normative', vsTarget: 'misses' },
	{ year: 2024, vsNormative: 'no_data', vsTarget: 'no_data' }
];

describe('complianceRate', () => {
	it.each<[string, Row[], ReturnType<typeof complianceRate>]>([
		['empty set has null rates, not 0', [], { assessed: 0, meetingNormative: 0, withTarget: 0, meetingTarget: 0, normativeRate: null, targetRate: null, breaches: 0 }],
		['only no_data rows has null rates', [{ year: 2024, vsNormative: 'no_data', vsTarget: 'no_data' }], { assessed: 0, meetingNormative: 0, withTarget: 0, meetingTarget: 0, normativeRate: null, targetRate: null, breaches: 0 }],
		['mixed rows count only what could be judged', MIXED_2024, { assessed: 4, meetingNormative: 3, withTarget: 4, meetingTarget: 2, normativeRate: 0.75, targetRate: 0.5, breaches: 1 }]
	])('%s', (_name, rows, expected) => {
		expect(complianceRate(rows)).toEqual(expected);
	});

	it('matches the seed annex: 11 of 12 meet the normative, one breach', () => {
		const r = complianceRate(
			SEED_ANNEX.map((x) => assess({ value: x.current, normative: x.normative, target: x.target, polarity: x.polarity }))
		);
		expect(r).toMatchObject({ assessed: 12, meetingNormative: 11, withTarget: 12, meetingTarget: 10, breaches: 1 });
		expect(r.normativeRate).toBeCloseTo(11 / 12);
		expect(r.targetRate).toBeCloseTo(10 / 12);
	});
});

describe('complianceByYear', () => {
	it('groups by year and sorts ascending regardless of input order', () => {
		const rows: Row[] = [
			{ year: 2025, vsNormative: 'meets', vsTarget: 'meets' },
			...MIXED_2024,
			{ year: 2023, vsNormative: 'breach', vsTarget: 'misses' },
			{ year: 2025, vsNormative: 'breach', vsTarget: 'no_target' }
		];
		const byYear = complianceByYear(rows);
		expect(byYear.map((y) => y.year)).toEqual([2023, 2024, 2025]);
		expect(byYear[0]).toEqual({ year: 2023, assessed: 1, meetingNormative: 0, withTarget: 1, meetingTarget: 0, normativeRate: 0, targetRate: 0, breaches: 1 });
		expect(byYear[1]).toEqual({ year: 2024, ...complianceRate(MIXED_2024) });
		expect(byYear[2]).toEqual({ year: 2025, assessed: 2, meetingNormative: 1, withTarget: 1, meetingTarget: 1, normativeRate: 0.5, targetRate: 1, breaches: 1 });
	});

	it('returns an empty list for no rows', () => {
		expect(complianceByYear([])).toEqual([]);
	});
});
