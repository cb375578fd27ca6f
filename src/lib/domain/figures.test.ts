import { describe, expect, it } from 'vitest';
import { figureWarnings, judgeFigure, judgeVolume, parseCount, previewPercent, type FigureContext } from './figures';

describe('parseCount: counts as people type them and spreadsheets hold them', () => {
	it.each([
		['1234', 1234], [' 1234 ', 1234], ['1 234', 1234], ['1\u00a0234', 1234], ['1\u202f234', 1234],
		['12,0', 12], ['12.00', 12], ['0', 0], ['-0', 0], ['+7', 7], ['', null], ['   ', null]
	])('%j → %j', (text, value) => expect(parseCount(text)).toEqual({ ok: true, value }));
	it.each([
		['12,5', 'not_integer'], ['1,000', 'not_integer'], ['1.000', 'not_integer'], ['abc', 'not_integer'], ['1e3', 'not_integer'],
		['12%', 'not_integer'], ['-3', 'negative'], ['\u22123', 'negative'], ['-2,5', 'negative'], ['100000001', 'too_large'],
		['99999999999999999999', 'too_large']
	])('%j is refused: %s', (text, problem) => expect(parseCount(text)).toEqual({ ok: false, problem }));
	it('spreadsheet numbers', () => {
		expect(parseCount(42)).toEqual({ ok: true, value: 42 });
		expect(parseCount(4.2)).toEqual({ ok: false, problem: 'not_integer' });
		expect(parseCount(-1)).toEqual({ ok: false, problem: 'negative' });
		expect(parseCount(null)).toEqual({ ok: true, value: null });
	});
});

const ctx: FigureContext = { provided: true, computed: false, yearOpen: true, year: 2025, asOfYear: 2026, lastYear: null, jumpPoints: 20 };
const judge = (n: string, d: string, over: Partial<FigureContext> = {}, comment: string | null = null) =>
	judgeFigure({ numerator: parseCount(n), denominator: parseCount(d), comment }, { ...ctx, ...over });

describe('judgeFigure: one rule per line', () => {
	it('a valid pair', () => expect(judge('9', '10')).toEqual({ counts: { numerator: 9, denominator: 10 }, problems: [], warnings: ['small_sample'] }));
	it('both blank is no figure, not a problem', () => expect(judge('', '')).toEqual({ counts: null, problems: [], warnings: [] }));
	it('0 of 0 is a reported "no cases"', () => expect(judge('0', '0').counts).toEqual({ numerator: 0, denominator: 0 }));
	it('numerator ≤ denominator', () => expect(judge('11', '10').problems).toEqual([{ field: 'numerator', problem: 'numerator_above_denominator' }]));
	it('both or neither', () => {
		expect(judge('3', '').problems).toEqual([{ field: 'denominator', problem: 'half_filled' }]);
		expect(judge('', '3').problems).toEqual([{ field: 'numerator', problem: 'half_filled' }]);
	});
	it('each count checked on its own field', () => expect(judge('x', '-1').problems).toEqual([
		{ field: 'numerator', problem: 'not_integer' }, { field: 'denominator', problem: 'negative' }]));
	it('the service provided that year', () => expect(judge('1', '2', { provided: false }).problems).toEqual([{ field: null, problem: 'not_provided' }]));
	it('the year open', () => expect(judge('1', '2', { yearOpen: false }).problems).toEqual([{ field: null, problem: 'year_locked' }]));
	it('not a future year', () => expect(judge('1', '2', { year: 2027 }).problems).toEqual([{ field: null, problem: 'year_future' }]));
	it('computed indicators are not typed', () => expect(judge('1', '2', { computed: true }).problems).toEqual([{ field: null, problem: 'computed_indicator' }]));
	it('a comment of at most 2000 characters', () => expect(judge('1', '2', {}, 'x'.repeat(2001)).problems).toEqual([{ field: 'comment', problem: 'comment_too_long' }]));
	it('blank cells of a closed year are no problem', () => expect(judge('', '', { yearOpen: false, provided: false }).problems).toEqual([]));
});

describe('warnings never block', () => {
	it('a jump of more than the configured points against last year, either way', () => {
		expect(figureWarnings({ numerator: 60, denominator: 100 }, { lastYear: { numerator: 90, denominator: 100 }, jumpPoints: 20 })).toEqual(['jump']);
		expect(figureWarnings({ numerator: 95, denominator: 100 }, { lastYear: { numerator: 70, denominator: 100 }, jumpPoints: 20 })).toEqual(['jump']);
		expect(figureWarnings({ numerator: 80, denominator: 100 }, { lastYear: { numerator: 90, denominator: 100 }, jumpPoints: 20 })).toEqual([]);
		expect(figureWarnings({ numerator: 80, denominator: 100 }, { lastYear: { numerator: 90, denominator: 100 }, jumpPoints: 5 })).toEqual(['jump']);
	});
	it('no jump against a year with no cases', () => expect(figureWarnings({ numerator: 1, denominator: 100 }, { lastYear: { numerator: 0, denominator: 0 }, jumpPoints: 20 })).toEqual([]));
	it('a small sample', () => expect(figureWarnings({ numerator: 1, denominator: 29 }, { lastYear: null, jumpPoints: 20 })).toEqual(['small_sample']));
	it('a judged pair with a warning is still saved', () => expect(judge('50', '100', { lastYear: { numerator: 99, denominator: 100 } })).toMatchObject({ counts: { numerator: 50 }, problems: [], warnings: ['jump'] }));
});

describe('volumes and the live percentage', () => {
	it('a volume', () => {
		expect(judgeVolume({ count: parseCount('1 200') }, ctx)).toEqual({ count: 1200, problems: [] });
		expect(judgeVolume({ count: parseCount('-1') }, ctx).problems).toEqual([{ field: 'count', problem: 'negative' }]);
		expect(judgeVolume({ count: parseCount('5') }, { ...ctx, yearOpen: false }).problems).toEqual([{ field: null, problem: 'year_locked' }]);
	});
	it('previewPercent', () => {
		expect(previewPercent('1', '4')).toBe(25);
		expect(previewPercent('5', '4')).toBeNull();
		expect(previewPercent('0', '0')).toBeNull();
		expect(previewPercent('', '4')).toBeNull();
	});
});
