import { describe, expect, it } from 'vitest';
import { assess, complianceRate, rollUp } from './compliance';
import {
	EMPTY_MEASURES,
	EMPTY_VOLUMES,
	changeOf,
	completenessOf,
	electronicShare,
	headlineCards,
	leafMeasures,
	rank,
	rateOf,
	referenceOf,
	rollUpCell,
	sortBy,
	sumMeasures,
	sumVolumes,
	yearRates,
	type Measures
} from './dashboard';

/** One leaf cell's measures, flagged the way the database's cells are (by the engine's own assess). */
function leaf(numerator: number, denominator: number, normative: number | null, target: number | null, polarity: 'higher_is_better' | 'lower_is_better' = 'higher_is_better'): Measures {
	return leafMeasures({ numerator, denominator, normative, target, polarity });
}

describe('sums and rates', () => {
	it('sums every measure and reads the engine rate from the sums', () => {
		const cells = [leaf(95, 100, 90, 97), leaf(40, 50, 90, null), leaf(0, 0, 90, 97)];
		const total = sumMeasures(cells);
		expect(total).toMatchObject({ numerator: 135, denominator: 150, valued: 2, assessed: 2, meetsNormative: 1, breaches: 1, withTarget: 1, meetsTarget: 0, expected: 3, reported: 3 });
		// The same as the engine over the leaves' own assessments.
		const engine = complianceRate(cells.map((c, i) => assess({ value: c.denominator ? (c.numerator * 100) / c.denominator : null, normative: 90, target: i === 1 ? null : 97, polarity: 'higher_is_better' })));
		expect(rateOf(total)).toEqual(engine);
	});

	it('gives no rate rather than 0 % when nothing was judged', () => {
		expect(rateOf(EMPTY_MEASURES)).toMatchObject({ normativeRate: null, targetRate: null, breaches: 0 });
		expect(completenessOf(EMPTY_MEASURES, EMPTY_VOLUMES)).toBeNull();
		expect(electronicShare(EMPTY_VOLUMES)).toBeNull();
	});

	it('counts completeness over typed values and channel counts together', () => {
		const m = { ...EMPTY_MEASURES, expected: 10, reported: 7 };
		const v = { ...EMPTY_VOLUMES, expected: 6, reported: 6 };
		expect(completenessOf(m, v)).toBeCloseTo(13 / 16);
	});

	it('takes the electronic share from eGov alone (a state corporation office is not electronic)', () => {
		const v = sumVolumes([{ provider: 50, stateCorporation: 30, egov: 20, expected: 3, reported: 3 }, { provider: 0, stateCorporation: 0, egov: 100, expected: 3, reported: 1 }]);
		expect(v).toEqual({ provider: 50, stateCorporation: 30, egov: 120, expected: 6, reported: 4 });
		expect(electronicShare(v)).toBeCloseTo(0.6);
	});
});

describe('roll-up cells', () => {
	it('holds a roll-up against the common normative when all parts share it, by Σ counts not a mean of percentages', () => {
		// 1 of 1 (100 %) and 80 of 100 (80 %): the mean of percentages would be 90 % and meet 85;
		// the engine's roll-up is 81 of 101 = 80.2 % and breaches.
		const cell = rollUpCell(sumMeasures([leaf(1, 1, 85, null), leaf(80, 100, 85, null)]), 'higher_is_better');
		const engine = rollUp([{ numerator: 1, denominator: 1 }, { numerator: 80, denominator: 100 }]);
		expect(cell.counts).toEqual({ numerator: engine.numerator, denominator: engine.denominator });
		expect(cell.value).toBe(engine.value);
		expect(cell.normative).toBe(85);
		expect(cell.assessment.status).toBe('breach');
	});

	it('weights differing normatives by cases', () => {
		// 100 cases against 90 and 300 cases against 70: (9000 + 21000) / 400 = 75.
		expect(referenceOf(100 * 90 + 300 * 70, 400, 2, 2)).toBe(75);
		const cell = rollUpCell(sumMeasures([leaf(95, 100, 90, null), leaf(210, 300, 70, null)]), 'higher_is_better');
		expect(cell.normative).toBe(75);
		expect(cell.value).toBeCloseTo(76.25);
		expect(cell.assessment.vsNormative).toBe('meets');
	});

	it('has no target when only some parts have one', () => {
		const cell = rollUpCell(sumMeasures([leaf(95, 100, 90, 97), leaf(40, 50, 90, null)]), 'higher_is_better');
		expect(cell.target).toBeNull();
		expect(cell.assessment.vsTarget).toBe('no_target');
		const full = rollUpCell(sumMeasures([leaf(95, 100, 90, 97), leaf(49, 50, 90, 95)]), 'higher_is_better');
		expect(full.target).toBeCloseTo((100 * 97 + 50 * 95) / 150);
	});

	it('follows polarity: for "lower is better" a smaller share meets', () => {
		const cell = rollUpCell(sumMeasures([leaf(1, 1000, 0.5, 0.2, 'lower_is_better')]), 'lower_is_better');
		expect(cell.value).toBeCloseTo(0.1);
		expect(cell.assessment.status).toBe('meets_target');
	});

	it('says no data for nothing reported, and for reported zero cases, and marks small samples', () => {
		expect(rollUpCell(EMPTY_MEASURES, 'higher_is_better')).toMatchObject({ counts: null, value: null, smallSample: false });
		expect(rollUpCell(EMPTY_MEASURES, 'higher_is_better').assessment.status).toBe('no_data');
		const zero = rollUpCell(leaf(0, 0, 90, null), 'higher_is_better');
		expect(zero.counts).toEqual({ numerator: 0, denominator: 0 });
		expect(zero.assessment.status).toBe('no_data');
		expect(rollUpCell(leaf(10, 12, 90, null), 'higher_is_better').smallSample).toBe(true);
		expect(rollUpCell(leaf(100, 120, 90, null), 'higher_is_better').smallSample).toBe(false);
	});
});

describe('year-on-year verdicts', () => {
	it('judges by direction, never "up is good"', () => {
		expect(changeOf(0.9, 0.8, 'higher')).toMatchObject({ verdict: 'better' });
		expect(changeOf(12, 8, 'lower')).toMatchObject({ delta: 4, verdict: 'worse' });
		expect(changeOf(5, 5, 'lower')).toEqual({ delta: 0, verdict: 'same' });
		expect(changeOf(null, 5, 'lower')).toEqual({ delta: null, verdict: null });
	});

	it('builds the five headline cards with the right directions', () => {
		const thisYear = { measures: sumMeasures([leaf(95, 100, 90, 97), leaf(40, 50, 90, 30)]), volumes: { provider: 10, stateCorporation: 0, egov: 30, expected: 6, reported: 6 } };
		const lastYear = { measures: sumMeasures([leaf(95, 100, 90, 97), leaf(50, 50, 90, 30)]), volumes: { provider: 30, stateCorporation: 0, egov: 10, expected: 6, reported: 3 } };
		const cards = Object.fromEntries(headlineCards(thisYear, lastYear).map((c) => [c.key, c]));
		expect(cards.normative_rate).toMatchObject({ value: 0.5, previous: 1, numerator: 1, denominator: 2, change: { verdict: 'worse' } });
		expect(cards.breaches).toMatchObject({ value: 1, previous: 0, betterWhen: 'lower', change: { verdict: 'worse' } });
		expect(cards.target_rate).toMatchObject({ value: 0.5, previous: 0.5, change: { verdict: 'same' } });
		expect(cards.completeness).toMatchObject({ value: 1, change: { verdict: 'better' } });
		expect(cards.electronic_share).toMatchObject({ value: 0.75, previous: 0.25, change: { verdict: 'better' } });
		expect(headlineCards(thisYear, null).every((c) => c.change.verdict === null)).toBe(true);
	});
});

describe('rankings and order', () => {
	const unit = (id: number, cur: Measures[], prev: Measures[] | null) => ({ id, code: `U${id}`, name: { kk: `U${id}`, ru: `U${id}`, en: null }, current: sumMeasures(cur), previous: prev ? sumMeasures(prev) : null });
	it('lists the largest shortfalls and gains, leaving out what was not judged', () => {
		const units = [
			unit(1, [leaf(10, 100, 90, null), leaf(10, 100, 90, null)], [leaf(10, 100, 90, null), leaf(95, 100, 90, null)]),
			unit(2, [leaf(10, 100, 90, null), leaf(95, 100, 90, null)], [leaf(10, 100, 90, null), leaf(10, 100, 90, null)]),
			unit(3, [leaf(95, 100, 90, null)], null),
			unit(4, [leaf(0, 0, 90, null)], null)
		];
		const { worst, improved } = rank(units);
		expect(worst.map((r) => r.id)).toEqual([1, 2]);
		expect(worst[0]).toMatchObject({ rate: 0, breaches: 2, change: { verdict: 'worse' } });
		expect(improved.map((r) => r.id)).toEqual([2]);
		expect(improved[0]!.change.delta).toBeCloseTo(0.5);
	});

	it('sorts missing values last in both directions', () => {
		const rows = [{ v: 2 }, { v: null }, { v: 1 }, { v: 3 }];
		expect(sortBy(rows, (r) => r.v, 'asc').map((r) => r.v)).toEqual([1, 2, 3, null]);
		expect(sortBy(rows, (r) => r.v, 'desc').map((r) => r.v)).toEqual([3, 2, 1, null]);
		expect(sortBy([{ v: 'Б' }, { v: 'А' }], (r) => r.v, 'asc').map((r) => r.v)).toEqual(['А', 'Б']);
	});

	it('orders years and carries completeness', () => {
		const rates = yearRates([
			{ year: 2025, measures: sumMeasures([leaf(1, 2, 90, null)]), volumes: EMPTY_VOLUMES },
			{ year: 2024, measures: sumMeasures([leaf(2, 2, 90, null)]), volumes: EMPTY_VOLUMES }
		]);
		expect(rates.map((r) => [r.year, r.normativeRate, r.completeness])).toEqual([[2024, 1, 1], [2025, 0, 1]]);
	});
});
