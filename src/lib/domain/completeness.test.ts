import { describe, expect, it } from 'vitest';
import { completenessRatio, expectedValues, orderForOverview, totals, yearState, type CompletenessSource } from './completeness';

describe('yearState: how a reporting year reads on the overview', () => {
	it.each([
		[null, null, 'not_submitted'],
		['open', 'return', 'returned'],
		['open', 'reopen', 'reopened'],
		['submitted', 'submit', 'submitted'],
		['approved', 'approve', 'approved']
	] as const)('%s after %s → %s', (status, step, state) => {
		expect(yearState(status, step)).toBe(state);
	});
});

describe('what an organization owes and how much is in', () => {
	it('owes, per service, every hand-reported indicator and every volume channel', () => {
		expect(expectedValues(7, 10, 3)).toBe(91);
		expect(expectedValues(0, 10, 3)).toBe(0);
	});
	it('counts nothing owed as complete and never goes past 100 %', () => {
		expect(completenessRatio(0, 0)).toBe(1);
		expect(completenessRatio(13, 26)).toBe(0.5);
		expect(completenessRatio(30, 26)).toBe(1);
	});
	it('sums statuses (a year never stepped is open) and values for the chips and the bar', () => {
		const t = totals([
			{ status: null, filled: 0, expected: 13 },
			{ status: 'open', filled: 13, expected: 13 },
			{ status: 'submitted', filled: 26, expected: 26 },
			{ status: 'approved', filled: 14, expected: 13 }
		]);
		expect(t).toEqual({ organizations: 4, byStatus: { open: 2, submitted: 1, approved: 1 }, filled: 52, expected: 65 });
	});
});

describe('orderForOverview', () => {
	const row = (id: number, parentId: number | null, kind: CompletenessSource['kind'], code: string, services = 1, status: CompletenessSource['status'] = null): CompletenessSource =>
		({ id, parentId, kind, code, services, filled: 0, status, lastStep: null });
	const rows = [
		row(1, null, 'city_department', 'RUDNY-EDU', 0),
		row(2, 1, 'kindergarten', 'RUDNY-KG-01'),
		row(3, 1, 'school', 'RUDNY-SCH-10', 1, 'submitted'),
		row(4, 1, 'school', 'RUDNY-SCH-9'),
		row(5, 1, 'school', 'RUDNY-SCH-11', 0),
		row(6, 4, 'other', 'RUDNY-SCH-9-B', 1, 'submitted')
	];
	it('follows the tree: kinds in the tree’s order, codes in numeric order, children after their parent; leaves out who owes nothing', () => {
		const out = orderForOverview(rows, { waitingFirst: false });
		expect(out.map((r) => [r.id, r.depth])).toEqual([[4, 1], [6, 2], [3, 1], [2, 1]]);
	});
	it('puts the years waiting for approval first for someone who decides them, each part still in tree order', () => {
		expect(orderForOverview(rows, { waitingFirst: true }).map((r) => r.id)).toEqual([6, 3, 4, 2]);
	});
});
