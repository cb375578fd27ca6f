import { describe, expect, it } from 'vitest';
import { indicators, regionalStandard } from '../../../migrations/data/catalogue-v1';
import {
	acceptSuggestions, applyValue, compareTarget, compareYears, copyPreviousTargets, isWorseThanNormative, judgeTarget,
	lastMeets, parsePercent, setStepsFrom, suggestTarget, takeSetStep, trendOf, type BulkCell
} from './targets';

const polarityOf = Object.fromEntries(indicators.map((i) => [i.code, i.polarity]));
const { normatives, annexTargets, annexCurrent } = regionalStandard;

describe('suggestions on the seed annex (seed 003: normative, target next year, current value)', () => {
	// Suggestion from the current value and the normative. Where the group's own target differs, the
	// annex shows a group decision above the suggestion (3.1: 99 reached, 100 set), never below it.
	const expected: Record<string, { suggestion: number; lastMeetsAnnexTarget: boolean }> = {
		'1.1': { suggestion: 100, lastMeetsAnnexTarget: true },
		'1.2': { suggestion: 100, lastMeetsAnnexTarget: true },
		'2.1': { suggestion: 100, lastMeetsAnnexTarget: true },
		'2.2': { suggestion: 100, lastMeetsAnnexTarget: true },
		'3.1': { suggestion: 99, lastMeetsAnnexTarget: false },
		'3.2': { suggestion: 99, lastMeetsAnnexTarget: true },
		'3.3': { suggestion: 0, lastMeetsAnnexTarget: true },
		'4.1': { suggestion: 0, lastMeetsAnnexTarget: false },
		'4.2': { suggestion: 0, lastMeetsAnnexTarget: true },
		'4.3': { suggestion: 100, lastMeetsAnnexTarget: true },
		'4.4': { suggestion: 100, lastMeetsAnnexTarget: true },
		'5.1': { suggestion: 100, lastMeetsAnnexTarget: true }
	};

	it.each(Object.keys(expected))('%s', (code) => {
		const polarity = polarityOf[code]!;
		const s = suggestTarget(annexCurrent[code]!, normatives[code]!, polarity);
		expect(s).toBe(expected[code]!.suggestion);
		// Never worse than the normative, and the annex's own target is never worse than the suggestion.
		expect(isWorseThanNormative(s!, normatives[code]!, polarity)).toBe(false);
		expect(compareTarget(s!, annexTargets[code]!, polarity).effect).not.toBe('loosened');
		expect(lastMeets(annexCurrent[code]!, annexTargets[code]!, polarity)).toBe(expected[code]!.lastMeetsAnnexTarget);
	});

	it('4.1 (lower is better): 0.1 % last year against a normative of 0 suggests 0, and 0.1 would not meet it', () => {
		expect(suggestTarget(0.1, 0, 'lower_is_better')).toBe(0);
		expect(lastMeets(0.1, 0, 'lower_is_better')).toBe(false);
		// Better than the normative last year: keep that level, rounded up to a tenth so it is met.
		expect(suggestTarget(0.04, 0.5, 'lower_is_better')).toBe(0.1);
		expect(lastMeets(0.04, 0.1, 'lower_is_better')).toBe(true);
	});
});

describe('suggestTarget', () => {
	it.each([
		// last, normative, polarity, suggestion
		[99.94, 99, 'higher_is_better', 99.9],
		[97.5, 99, 'higher_is_better', 99],
		[100, 99, 'higher_is_better', 100],
		[99.9, 99, 'higher_is_better', 99.9],
		[0.7, 99, 'higher_is_better', 99],
		[null, 99, 'higher_is_better', 99],
		[98.76, null, 'higher_is_better', 98.7],
		[null, null, 'higher_is_better', null],
		[0.31, 1, 'lower_is_better', 0.4],
		[2, 1, 'lower_is_better', 1],
		[0, 0, 'lower_is_better', 0],
		[0.3, null, 'lower_is_better', 0.3]
	] as const)('last %s, normative %s, %s → %s', (last, normative, polarity, suggestion) => {
		expect(suggestTarget(last, normative, polarity)).toBe(suggestion);
	});

	it('never suggests what last year would not meet, nor anything worse than the normative', () => {
		for (let i = 0; i <= 1000; i++) {
			const last = i / 10;
			for (const [normative, polarity] of [[99, 'higher_is_better'], [0, 'lower_is_better'], [5, 'lower_is_better']] as const) {
				const s = suggestTarget(last, normative, polarity)!;
				expect(isWorseThanNormative(s, normative, polarity)).toBe(false);
				if (!isWorseThanNormative(last, normative, polarity)) expect(lastMeets(last, s, polarity)).toBe(true);
			}
		}
	});
});

describe('the guard on one target', () => {
	it('reads percentages as people type them', () => {
		expect(parsePercent('99,5')).toEqual({ ok: true, value: 99.5 });
		expect(parsePercent(' 99.50 % ')).toEqual({ ok: true, value: 99.5 });
		expect(parsePercent('100')).toEqual({ ok: true, value: 100 });
		expect(parsePercent('0,125')).toEqual({ ok: true, value: 0.125 });
		expect(parsePercent('')).toEqual({ ok: true, value: null });
		expect(parsePercent(null)).toEqual({ ok: true, value: null });
		expect(parsePercent(99.5)).toEqual({ ok: true, value: 99.5 });
	});

	it.each([
		['100,1', 'out_of_range'], ['101', 'out_of_range'], ['-1', 'out_of_range'], ['−0,5', 'out_of_range'],
		['abc', 'not_number'], ['9 9,5,1', 'not_number'], ['1e2', 'not_number'], ['99,1234', 'too_precise']
	] as const)('refuses %s: %s', (text, problem) => {
		expect(parsePercent(text)).toEqual({ ok: false, problem });
	});

	it('refuses a target outside 0–100 % whatever the reason', () => {
		expect(judgeTarget({ value: 120, reason: 'так решили' }, { normative: 99, polarity: 'higher_is_better' }).problems).toEqual([{ field: 'value', problem: 'out_of_range' }]);
		expect(judgeTarget({ value: parsePercent('-3') }, { normative: 0, polarity: 'lower_is_better' }).problems).toEqual([{ field: 'value', problem: 'out_of_range' }]);
	});

	it('4.1: a target above its normative 0 is worse, flagged, and needs a reason; 0 is fine', () => {
		const ctx = { normative: 0, polarity: 'lower_is_better' as const };
		expect(judgeTarget({ value: 0.5 }, ctx)).toEqual({ value: null, reason: null, problems: [{ field: 'reason', problem: 'reason_required' }], worseThanNormative: true });
		expect(judgeTarget({ value: 0.5, reason: '  Новый сервис, жалобы ожидаются  ' }, ctx)).toEqual({ value: 0.5, reason: 'Новый сервис, жалобы ожидаются', problems: [], worseThanNormative: true });
		expect(judgeTarget({ value: 0 }, ctx)).toEqual({ value: 0, reason: null, problems: [], worseThanNormative: false });
	});

	it('higher is better: below the normative needs a reason; at or above does not, and a stray reason is dropped', () => {
		const ctx = { normative: 99, polarity: 'higher_is_better' as const };
		expect(judgeTarget({ value: 98 }, ctx).problems).toEqual([{ field: 'reason', problem: 'reason_required' }]);
		expect(judgeTarget({ value: 98, reason: 'x'.repeat(2001) }, ctx).problems).toEqual([{ field: 'reason', problem: 'reason_too_long' }]);
		expect(judgeTarget({ value: 99, reason: 'не нужна' }, ctx)).toEqual({ value: 99, reason: null, problems: [], worseThanNormative: false });
		expect(judgeTarget({ value: 42 }, { normative: null, polarity: 'higher_is_better' }).worseThanNormative).toBe(false);
	});

	it('a blank target is no target', () => {
		expect(judgeTarget({ value: parsePercent('') }, { normative: 99, polarity: 'higher_is_better' })).toEqual({ value: null, reason: null, problems: [], worseThanNormative: false });
	});
});

describe('trend over the last three reported years', () => {
	it('reads the direction in the indicator’s sense', () => {
		const pts = [{ year: 2021, value: 90 }, { year: 2022, value: 99 }, { year: 2023, value: 97 }, { year: 2024, value: 98 }];
		expect(trendOf(pts, 'higher_is_better')).toEqual({ direction: 'down', meaning: 'worsening', fromYear: 2022, toYear: 2024, change: -1 });
		expect(trendOf(pts, 'lower_is_better')).toMatchObject({ direction: 'down', meaning: 'improving' });
		expect(trendOf([{ year: 2023, value: 99.95 }, { year: 2024, value: 100 }], 'higher_is_better')).toMatchObject({ direction: 'flat', meaning: 'steady' });
		expect(trendOf([{ year: 2024, value: 100 }], 'higher_is_better')).toBeNull();
		expect(trendOf([], 'higher_is_better')).toBeNull();
	});
});

describe('comparison with the previous year', () => {
	it('raised, kept, lowered; tightened or loosened by polarity', () => {
		expect(compareTarget(99, 100, 'higher_is_better')).toEqual({ change: 'raised', effect: 'tightened' });
		expect(compareTarget(0, 0.5, 'lower_is_better')).toEqual({ change: 'raised', effect: 'loosened' });
		expect(compareTarget(0.5, 0, 'lower_is_better')).toEqual({ change: 'lowered', effect: 'tightened' });
		expect(compareTarget(99, 99, 'higher_is_better')).toEqual({ change: 'kept', effect: 'kept' });
	});

	it('counts per indicator, with targets added, dropped and still draft', () => {
		const h = 'higher_is_better' as const, l = 'lower_is_better' as const;
		const out = compareYears([
			{ indicatorId: 1, polarity: h, previous: 99, current: 100, currentStatus: 'approved' },
			{ indicatorId: 1, polarity: h, previous: 99, current: 99, currentStatus: 'draft' },
			{ indicatorId: 1, polarity: h, previous: 100, current: 99, currentStatus: 'approved' },
			{ indicatorId: 1, polarity: h, previous: null, current: 99, currentStatus: 'approved' },
			{ indicatorId: 8, polarity: l, previous: 0, current: 0.5, currentStatus: 'approved' },
			{ indicatorId: 8, polarity: l, previous: 0, current: null, currentStatus: null }
		]);
		expect(out).toEqual([
			{ indicatorId: 1, raised: 1, kept: 1, lowered: 1, tightened: 1, loosened: 1, added: 1, dropped: 0, draft: 1 },
			{ indicatorId: 8, raised: 1, kept: 0, lowered: 0, tightened: 0, loosened: 1, added: 0, dropped: 1, draft: 0 }
		]);
	});
});

describe('bulk operations of the editor', () => {
	const cell = (o: number, kind: string, ind: number, extra: Partial<BulkCell> = {}): BulkCell => ({
		organizationId: o, organizationKind: kind, serviceId: 5, indicatorId: ind, editable: true, suggestion: 99, previousTarget: 98, proposed: null, ...extra
	});
	const cells = [
		cell(1, 'school', 1), cell(1, 'school', 2, { suggestion: null }), cell(2, 'school', 1, { proposed: { value: 97, reason: 'старое' } }),
		cell(3, 'kindergarten', 1, { previousTarget: null }), cell(4, 'school', 1, { editable: false })
	];

	it('applies one value to a whole indicator, skipping cells it may not write and cells already at that value', () => {
		expect(applyValue(cells, 100, null, { filter: { indicatorId: 1 } }).map((c) => [c.organizationId, c.value, c.reason])).toEqual([[1, 100, null], [2, 100, 'старое'], [3, 100, null]]);
		expect(applyValue([cell(1, 'school', 1, { proposed: { value: 100, reason: null } })], 100)).toEqual([]);
	});

	it('applies one value to every organization of a kind, optionally only where nothing is proposed yet', () => {
		expect(applyValue(cells, 99.5, 'общая причина', { filter: { organizationKind: 'school' } }).map((c) => [c.organizationId, c.indicatorId, c.reason]))
			.toEqual([[1, 1, 'общая причина'], [1, 2, 'общая причина'], [2, 1, 'общая причина']]);
		expect(applyValue(cells, 99.5, null, { filter: { organizationKind: 'school' }, onlyBlank: true }).map((c) => c.organizationId)).toEqual([1, 1]);
	});

	it('copies last year’s targets where there were any', () => {
		expect(copyPreviousTargets(cells).map((c) => [c.organizationId, c.indicatorId, c.value])).toEqual([[1, 1, 98], [1, 2, 98], [2, 1, 98]]);
	});

	it('accepts suggestions where there are any, without a reason', () => {
		expect(acceptSuggestions(cells).map((c) => [c.organizationId, c.indicatorId, c.value, c.reason])).toEqual([[1, 1, 99, null], [2, 1, 99, null], [3, 1, 99, null]]);
	});
});

describe('the set’s lifecycle', () => {
	const approval = { protocolNumber: ' 7 ', protocolDate: '2026-12-20', members: 'Иванова А. (председатель), Сейткали Б.' };
	const asOf = '2026-12-22';

	it('draft → approved with the protocol; approved → draft again only with a reason', () => {
		expect(takeSetStep('draft', 'approve', { approval }, asOf)).toEqual({ ok: true, status: 'approved' });
		expect(takeSetStep('approved', 'reopen', { reason: 'Ошибка в целях школы № 7' }, asOf)).toEqual({ ok: true, status: 'draft' });
		expect(takeSetStep('approved', 'reopen', { reason: '  ' }, asOf)).toEqual({ ok: false, problems: [{ field: 'reason', problem: 'reason_required' }] });
		expect(setStepsFrom('draft')).toEqual(['approve']);
		expect(setStepsFrom('approved')).toEqual(['reopen']);
	});

	it('refuses steps out of order', () => {
		expect(takeSetStep('approved', 'approve', { approval }, asOf)).toEqual({ ok: false, problems: [{ field: null, problem: 'step_not_allowed' }] });
		expect(takeSetStep('draft', 'reopen', { reason: 'x' }, asOf)).toEqual({ ok: false, problems: [{ field: null, problem: 'step_not_allowed' }] });
	});

	it('names every missing or wrong field of the protocol', () => {
		expect(takeSetStep('draft', 'approve', { approval: { protocolNumber: '', protocolDate: '', members: ' ' } }, asOf)).toEqual({
			ok: false, problems: [
				{ field: 'protocolNumber', problem: 'protocol_number_required' },
				{ field: 'protocolDate', problem: 'protocol_date_required' },
				{ field: 'members', problem: 'members_required' }
			]
		});
		const bad = (protocolDate: string) => takeSetStep('draft', 'approve', { approval: { ...approval, protocolDate } }, asOf);
		expect(bad('2026-02-30')).toEqual({ ok: false, problems: [{ field: 'protocolDate', problem: 'protocol_date_invalid' }] });
		expect(bad('2027-01-01')).toEqual({ ok: false, problems: [{ field: 'protocolDate', problem: 'protocol_date_future' }] });
	});
});
