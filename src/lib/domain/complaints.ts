import type { Counts } from './compliance';

/** What the complaints register and the service volumes give for one organization, service and year. */
export interface ComplaintTally {
	/** Consumers served (all channels); null when no volumes were reported. */
	served: number | null;
	/** Complaints received that year and found justified. */
	justified: number;
	/** Justified complaints considered and satisfied within the established term. */
	justifiedSatisfiedInTerm: number;
}

/**
 * Indicators 4.1 and 4.2 are never typed: they follow from the register.
 * 4.1 = justified complaints / consumers served; 4.2 = justified complaints
 * satisfied in term / justified complaints. Returns null when there is
 * nothing to compute from (no volumes reported; or a tally that cannot be
 * right, such as more justified complaints than consumers served).
 */
export function complaintIndicatorCounts(code: string, t: ComplaintTally): Counts | null {
	if (code === '4.1') {
		if (t.served === null || t.justified > t.served) return null;
		return { numerator: t.justified, denominator: t.served };
	}
	if (code === '4.2') {
		if (t.justifiedSatisfiedInTerm > t.justified) return null;
		return { numerator: t.justifiedSatisfiedInTerm, denominator: t.justified };
	}
	throw new RangeError(`indicator ${code} is not computed from the complaints register`);
}
