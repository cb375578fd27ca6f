import { describe, expect, it } from 'vitest';
import { complaintIndicatorCounts } from './complaints';
import { assess, percentOf } from './compliance';

describe('complaintIndicatorCounts', () => {
	it('4.1 is justified complaints over consumers served: 1 in 1,000 is the seed annex 0.1 %, a breach of normative 0', () => {
		const counts = complaintIndicatorCounts('4.1', { served: 1000, justified: 1, justifiedSatisfiedInTerm: 1 });
		expect(counts).toEqual({ numerator: 1, denominator: 1000 });
		const value = percentOf(counts!);
		expect(value).toBeCloseTo(0.1, 10);
		expect(assess({ value, normative: 0, target: 0, polarity: 'lower_is_better' }).status).toBe('breach');
	});

	it('4.1 has no data without reported volumes, and zero complaints give 0 %', () => {
		expect(complaintIndicatorCounts('4.1', { served: null, justified: 0, justifiedSatisfiedInTerm: 0 })).toBeNull();
		expect(complaintIndicatorCounts('4.1', { served: 50, justified: 0, justifiedSatisfiedInTerm: 0 })).toEqual({ numerator: 0, denominator: 50 });
	});

	it('4.2 is the share of justified complaints satisfied in term; no justified complaints means no cases', () => {
		expect(complaintIndicatorCounts('4.2', { served: 10, justified: 4, justifiedSatisfiedInTerm: 3 })).toEqual({ numerator: 3, denominator: 4 });
		const none = complaintIndicatorCounts('4.2', { served: 10, justified: 0, justifiedSatisfiedInTerm: 0 });
		expect(none).toEqual({ numerator: 0, denominator: 0 });
		expect(percentOf(none!)).toBeNull();
	});

	it('refuses an impossible tally and an indicator that is not computed', () => {
		expect(complaintIndicatorCounts('4.1', { served: 1, justified: 2, justifiedSatisfiedInTerm: 0 })).toBeNull();
		expect(complaintIndicatorCounts('4.2', { served: 9, justified: 1, justifiedSatisfiedInTerm: 2 })).toBeNull();
		expect(() => complaintIndicatorCounts('1.1', { served: 1, justified: 0, justifiedSatisfiedInTerm: 0 })).toThrow(RangeError);
	});
});
