import { describe, expect, it } from 'vitest';
import { addWorkingDays, astanaToday, complaintState, defaultDueOn, isIsoDate, judgeComplaint, type ComplaintValues } from './complaint-rules';

const ctx = { year: 2025, today: '2025-06-10', provided: new Set([7]) };
const ok: ComplaintValues = { serviceId: 7, receivedOn: '2025-03-03', summary: null, justified: null, dueOn: '2025-03-10', answeredOn: null, satisfied: null };

describe('working days and the default term', () => {
	it('skips Saturdays and Sundays: a Monday gives the next Monday, a Friday the next Friday, a Wednesday the next Wednesday', () => {
		expect(addWorkingDays('2025-03-03', 5)).toBe('2025-03-10');
		expect(addWorkingDays('2025-03-07', 5)).toBe('2025-03-14');
		expect(addWorkingDays('2025-03-05', 5)).toBe('2025-03-12');
		expect(defaultDueOn('2025-03-08')).toBe('2025-03-14'); // received on a Saturday
		expect(defaultDueOn('2025-12-29')).toBe('2026-01-05'); // across the year's end
	});
	it('knows real dates and Astana’s calendar day', () => {
		expect(isIsoDate('2024-02-29')).toBe(true);
		expect(isIsoDate('2025-02-29')).toBe(false);
		expect(isIsoDate('10.03.2025')).toBe(false);
		expect(astanaToday(new Date('2025-03-09T19:30:00Z'))).toBe('2025-03-10');
		expect(astanaToday(new Date('2025-03-09T18:59:00Z'))).toBe('2025-03-09');
	});
});

describe('judgeComplaint', () => {
	it('accepts a complaint received in the year, not yet examined', () => {
		expect(judgeComplaint(ok, ctx)).toEqual([]);
	});
	const cases: Array<[string, Partial<ComplaintValues>, string, string]> = [
		['a service not provided that year', { serviceId: 8 }, 'service', 'service_not_provided'],
		['received in another year', { receivedOn: '2024-12-31', dueOn: '2025-01-08' }, 'receivedOn', 'received_outside_year'],
		['received in the future', { receivedOn: '2025-06-11', dueOn: '2025-06-18' }, 'receivedOn', 'received_future'],
		['due before received', { dueOn: '2025-03-02' }, 'dueOn', 'due_before_received'],
		['due over a year after received', { dueOn: '2026-03-04' }, 'dueOn', 'due_too_late'],
		['answered before received', { justified: true, answeredOn: '2025-03-01' }, 'answeredOn', 'answered_before_received'],
		['answered in the future', { justified: true, answeredOn: '2025-06-11' }, 'answeredOn', 'answered_future'],
		['answered but not examined', { answeredOn: '2025-03-05' }, 'justified', 'examination_required'],
		['satisfied without an answer', { justified: true, satisfied: true }, 'satisfied', 'satisfied_without_answer']
	];
	for (const [name, change, field, problem] of cases) {
		it(`refuses ${name}, naming the field`, () => {
			expect(judgeComplaint({ ...ok, ...change }, ctx)).toEqual([{ field, problem }]);
		});
	}
	it('accepts an answer on the day received and a term reaching into next year', () => {
		expect(judgeComplaint({ ...ok, receivedOn: '2025-06-10', dueOn: '2025-06-17', justified: false, answeredOn: '2025-06-10', satisfied: false }, ctx)).toEqual([]);
		expect(judgeComplaint({ ...ok, dueOn: '2026-01-10' }, ctx)).toEqual([]);
	});
});

describe('complaintState', () => {
	it('tells answered in term, answered late, overdue and open apart', () => {
		expect(complaintState({ dueOn: '2025-03-10', answeredOn: '2025-03-10' }, '2025-06-01')).toBe('answered_in_term');
		expect(complaintState({ dueOn: '2025-03-10', answeredOn: '2025-03-11' }, '2025-06-01')).toBe('answered_late');
		expect(complaintState({ dueOn: '2025-03-10', answeredOn: null }, '2025-03-11')).toBe('overdue');
		expect(complaintState({ dueOn: '2025-03-10', answeredOn: null }, '2025-03-10')).toBe('open');
	});
});
