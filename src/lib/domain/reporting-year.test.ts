import { describe, expect, it } from 'vitest';
import { stepsFrom, takeStep } from './reporting-year';

describe('the reporting year: open → submitted → approved, back to open with a reason', () => {
	it.each([
		[null, 'submit', null, 'submitted'], ['open', 'submit', null, 'submitted'], ['submitted', 'approve', null, 'approved'],
		['submitted', 'return', 'Нет данных', 'open'], ['approved', 'reopen', 'Ошибка', 'open']
	] as const)('%s --%s--> %s', (from, step, reason, to) => expect(takeStep(from, step, reason)).toEqual({ ok: true, status: to }));
	it.each([
		['submitted', 'submit'], ['approved', 'submit'], ['open', 'approve'], [null, 'approve'], ['approved', 'approve'],
		['open', 'return'], ['approved', 'return'], ['open', 'reopen'], ['submitted', 'reopen']
	] as const)('from %s, %s is not allowed', (from, step) => expect(takeStep(from, step, 'a reason')).toEqual({ ok: false, problem: 'step_not_allowed' }));
	it('a return and a reopening need a reason', () => {
		expect(takeStep('submitted', 'return', '  ')).toEqual({ ok: false, problem: 'reason_required' });
		expect(takeStep('approved', 'reopen', null)).toEqual({ ok: false, problem: 'reason_required' });
	});
	it('the steps that follow each status', () => {
		expect(stepsFrom(null)).toEqual(['submit']);
		expect(stepsFrom('submitted')).toEqual(['approve', 'return']);
		expect(stepsFrom('approved')).toEqual(['reopen']);
	});
});
