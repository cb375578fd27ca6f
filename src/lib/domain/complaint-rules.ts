/*
 * The complaints register's rules, pure: what a complaint's dates and
 * answers may be, the default answer term, and where a complaint stands.
 * Dates are ISO 'YYYY-MM-DD' strings (they compare as text); "today" is
 * passed in by the caller, computed from its clock in Astana time.
 */

import { ASTANA_UTC_OFFSET_HOURS } from '../ui/format';

export const SUMMARY_MAX = 2000;
/** The term for an answer when none is typed: five working days after the complaint is received. */
export const DEFAULT_TERM_WORKING_DAYS = 5;

export type ComplaintField = 'service' | 'receivedOn' | 'summary' | 'justified' | 'dueOn' | 'answeredOn' | 'satisfied';

export type ComplaintProblem =
	| 'service_required' | 'service_not_provided'
	| 'received_invalid' | 'received_outside_year' | 'received_future'
	| 'summary_too_long'
	| 'justified_invalid' | 'examination_required'
	| 'due_invalid' | 'due_before_received' | 'due_too_late'
	| 'answered_invalid' | 'answered_required' | 'answered_before_received' | 'answered_future'
	| 'satisfied_invalid' | 'satisfied_required' | 'satisfied_without_answer';

export interface ComplaintIssue { field: ComplaintField; problem: ComplaintProblem }

/** A complaint as it is written: justified null = not yet examined; satisfied null = no answer yet. */
export interface ComplaintValues {
	serviceId: number;
	receivedOn: string;
	summary: string | null;
	justified: boolean | null;
	dueOn: string;
	answeredOn: string | null;
	satisfied: boolean | null;
}

/** The calendar date in Astana at the given instant. */
export function astanaToday(asOf: Date): string {
	return new Date(asOf.getTime() + ASTANA_UTC_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

/** A real calendar date in ISO form ('2025-02-30' is not). */
export function isIsoDate(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `iso` plus `n` working days (Monday to Friday; public holidays are not known here, so the result is a default to check). */
export function addWorkingDays(iso: string, n: number): string {
	const d = new Date(`${iso}T00:00:00Z`);
	let left = n;
	while (left > 0) {
		d.setUTCDate(d.getUTCDate() + 1);
		const wd = d.getUTCDay();
		if (wd !== 0 && wd !== 6) left--;
	}
	return d.toISOString().slice(0, 10);
}

export function addYears(iso: string, years: number): string {
	const d = new Date(`${iso}T00:00:00Z`);
	d.setUTCFullYear(d.getUTCFullYear() + years);
	return d.toISOString().slice(0, 10);
}

export function defaultDueOn(receivedOn: string): string {
	return addWorkingDays(receivedOn, DEFAULT_TERM_WORKING_DAYS);
}

export interface ComplaintContext {
	/** The reporting year the complaint belongs to: it must be received within it. */
	year: number;
	/** Today in Astana (astanaToday). */
	today: string;
	/** Services the organization provided that year. */
	provided: ReadonlySet<number>;
}

/**
 * Judges a complete complaint against the year, today and the services
 * provided. Every problem comes back, each naming its field.
 */
export function judgeComplaint(c: ComplaintValues, ctx: ComplaintContext): ComplaintIssue[] {
	const out: ComplaintIssue[] = [];
	const add = (field: ComplaintField, problem: ComplaintProblem) => out.push({ field, problem });
	if (!ctx.provided.has(c.serviceId)) add('service', 'service_not_provided');
	if (!c.receivedOn.startsWith(`${ctx.year}-`)) add('receivedOn', 'received_outside_year');
	else if (c.receivedOn > ctx.today) add('receivedOn', 'received_future');
	if (c.dueOn < c.receivedOn) add('dueOn', 'due_before_received');
	// A term over a year long is a typing slip (2052 for 2025), not a term.
	else if (c.dueOn > addYears(c.receivedOn, 1)) add('dueOn', 'due_too_late');
	if (c.answeredOn !== null) {
		if (c.answeredOn < c.receivedOn) add('answeredOn', 'answered_before_received');
		else if (c.answeredOn > ctx.today) add('answeredOn', 'answered_future');
		// An answer is the outcome of examining the complaint: it was found justified or not.
		if (c.justified === null) add('justified', 'examination_required');
	} else if (c.satisfied !== null) {
		add('satisfied', 'satisfied_without_answer');
	}
	return out;
}

export type ComplaintState = 'answered_in_term' | 'answered_late' | 'overdue' | 'open';

/** Where a complaint stands today: answered (in term or late), or still open (past its term or not). */
export function complaintState(c: { dueOn: string; answeredOn: string | null }, today: string): ComplaintState {
	if (c.answeredOn !== null) return c.answeredOn <= c.dueOn ? 'answered_in_term' : 'answered_late';
	return c.dueOn < today ? 'overdue' : 'open';
}
