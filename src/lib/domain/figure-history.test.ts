import { describe, expect, it } from 'vitest';
import { historySource, readActorLabel, readHistoryChange } from './figure-history';

describe('readHistoryChange: an audit row as a value before and after', () => {
	it('reads a measurement with its percentage, from jsonb objects or text', () => {
		const before = { numerator: 1, denominator: 1000, comment: null, source: 'demo' };
		const after = JSON.stringify({ numerator: 2, denominator: 1000, comment: 'уточнено', source: 'form' });
		expect(readHistoryChange('measurement', before, after)).toEqual({
			kind: 'figure',
			before: { numerator: 1, denominator: 1000, percent: 0.1, comment: null },
			after: { numerator: 2, denominator: 1000, percent: 0.2, comment: 'уточнено' }
		});
	});
	it('gives no percentage for a reported zero denominator ("no cases")', () => {
		expect(readHistoryChange('measurement', null, { numerator: 0, denominator: 0 })).toMatchObject({ after: { percent: null } });
	});
	it('reads a volume, a removed one as null', () => {
		expect(readHistoryChange('service_volume', { count: 120, comment: null }, null)).toEqual({ kind: 'volume', before: { count: 120, comment: null }, after: null });
	});
	it('reads a reporting year step with its reason', () => {
		expect(readHistoryChange('reporting_year', { status: 'approved', last_step: 'approve', reason: null }, { status: 'open', last_step: 'reopen', reason: 'Ошибка в 2.1' }))
			.toEqual({ kind: 'year', before: { status: 'approved', step: 'approve', reason: null }, after: { status: 'open', step: 'reopen', reason: 'Ошибка в 2.1' } });
	});
	it('reads a complaint and ignores what is not a figure', () => {
		expect(readHistoryChange('complaint', null, { received_on: '2025-04-02', due_on: '2025-04-12', justified: true, answered_on: null, satisfied: null }))
			.toEqual({ kind: 'complaint', before: null, after: { receivedOn: '2025-04-02', dueOn: '2025-04-12', justified: true, answeredOn: null, satisfied: null } });
		expect(readHistoryChange('app_user', null, { email: 'x' })).toBeNull();
	});
	it('turns a malformed row into "no value" rather than a wrong one', () => {
		expect(readHistoryChange('measurement', { numerator: 5, denominator: 2 }, 'not json')).toEqual({ kind: 'figure', before: null, after: null });
	});
	it('takes the source from the row after the change, or before a removal', () => {
		expect(historySource({ source: 'demo' }, { source: 'import' })).toBe('import');
		expect(historySource({ source: 'demo' }, null)).toBe('demo');
		expect(historySource(null, { status: 'submitted' })).toBeNull();
	});
});

describe('readActorLabel', () => {
	it.each([
		['user:12', { kind: 'user', userId: 12 }],
		['import:7', { kind: 'import', batchId: 7 }],
		['demo-seed', { kind: 'demo' }],
		['system', { kind: 'other', label: 'system' }],
		['migration:organization-history', { kind: 'other', label: 'migration:organization-history' }]
	])('%s', (label, expected) => {
		expect(readActorLabel(label)).toEqual(expected);
	});
});
