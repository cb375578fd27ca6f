import * as v from 'valibot';
import { isIsoDate, SUMMARY_MAX, type ComplaintField, type ComplaintIssue, type ComplaintProblem } from '../domain/complaint-rules';
import * as m from '../paraglide/messages';

/*
 * The complaints register's forms: text in, typed values out, each failure a
 * problem code on its field. The schema judges shape only; the year, today
 * and the services provided are judged by judgeComplaint (domain) in the
 * service, so one message per field reaches the form either way.
 */

export const JUSTIFIED_CHOICES = ['yes', 'no', 'pending'] as const;
export type JustifiedChoice = (typeof JUSTIFIED_CHOICES)[number];

/** '10.03.2025' as typed where a browser has no date picker; the picker itself sends '2025-03-10'. */
function toIso(s: string): string {
	const dmy = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
	return dmy ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : s;
}

const Text = v.pipe(v.optional(v.string(), ''), v.trim());
const RequiredDate = (problem: ComplaintProblem) => v.pipe(Text, v.transform(toIso), v.check(isIsoDate, problem));
const OptionalDate = (problem: ComplaintProblem) =>
	v.pipe(Text, v.transform(toIso), v.check((s) => s === '' || isIsoDate(s), problem), v.transform((s) => s || null));
const Justified = v.pipe(Text, v.picklist(JUSTIFIED_CHOICES, 'justified_invalid'), v.transform((s) => (s === 'pending' ? null : s === 'yes')));
const Satisfied = v.pipe(Text, v.picklist(['', 'yes', 'no'], 'satisfied_invalid'), v.transform((s) => (s === '' ? null : s === 'yes')));
// Browsers send a textarea's line breaks as CRLF; counted as typed (one character each).
const Summary = v.pipe(
	v.optional(v.string(), ''), v.transform((s) => s.replace(/\r\n?/g, '\n').trim()),
	v.maxLength(SUMMARY_MAX, 'summary_too_long'), v.transform((s) => s || null)
);

export const ComplaintForm = v.object({
	service: v.pipe(Text, v.regex(/^\d{1,9}$/, 'service_required'), v.transform(Number)),
	receivedOn: RequiredDate('received_invalid'),
	summary: Summary,
	justified: Justified,
	/** Blank: the default term (received + 5 working days). */
	dueOn: OptionalDate('due_invalid'),
	answeredOn: OptionalDate('answered_invalid'),
	satisfied: Satisfied
});
export type ComplaintFormOutput = v.InferOutput<typeof ComplaintForm>;

/** Closing: the outcome of the examination, the answer's date and whether it satisfied the complaint. */
export const CloseForm = v.object({
	justified: v.pipe(Text, v.picklist(['yes', 'no'], 'examination_required'), v.transform((s) => s === 'yes')),
	answeredOn: v.pipe(Text, v.nonEmpty('answered_required'), v.transform(toIso), v.check(isIsoDate, 'answered_invalid')),
	satisfied: v.pipe(Text, v.picklist(['yes', 'no'], 'satisfied_required'), v.transform((s) => s === 'yes'))
});
export type CloseFormOutput = v.InferOutput<typeof CloseForm>;

const Number9 = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
/** Which complaint, and the version the person saw. Not typed by anyone: a failure is a bad request. */
export const ComplaintRef = v.object({ id: Number9, version: Number9 });

export const COMPLAINT_FIELDS = ['service', 'receivedOn', 'summary', 'justified', 'dueOn', 'answeredOn', 'satisfied'] as const satisfies readonly ComplaintField[];

/** The form's fields as posted (strings; absent ones blank). */
export function formValues(form: FormData, fields: readonly string[] = COMPLAINT_FIELDS): Record<string, string> {
	return Object.fromEntries(fields.map((k) => [k, typeof form.get(k) === 'string' ? String(form.get(k)) : '']));
}

/** Parses with one of the schemas; the issues as problem codes on fields (the first per field). */
export function readForm<S extends v.GenericSchema>(schema: S, raw: unknown):
	{ ok: true; output: v.InferOutput<S> } | { ok: false; issues: ComplaintIssue[] } {
	const parsed = v.safeParse(schema, raw);
	if (parsed.success) return { ok: true, output: parsed.output };
	const issues: ComplaintIssue[] = [];
	for (const issue of parsed.issues) {
		const field = issue.path?.[0]?.key as ComplaintField | undefined;
		if (!field || issues.some((i) => i.field === field)) continue;
		issues.push({ field, problem: issue.message as ComplaintProblem });
	}
	return { ok: false, issues };
}

// ---------- messages ----------

/** The message for a problem; each names its field. */
export function complaintProblemMessage(problem: ComplaintProblem, year: number): string {
	switch (problem) {
		case 'service_required': return m.complaints_p_service_required();
		case 'service_not_provided': return m.complaints_p_service_not_provided({ year });
		case 'received_invalid': return m.complaints_p_received_invalid();
		case 'received_outside_year': return m.complaints_p_received_outside_year({ year });
		case 'received_future': return m.complaints_p_received_future();
		case 'summary_too_long': return m.complaints_p_summary_too_long({ max: SUMMARY_MAX });
		case 'justified_invalid': return m.complaints_p_justified_invalid();
		case 'examination_required': return m.complaints_p_examination_required();
		case 'due_invalid': return m.complaints_p_due_invalid();
		case 'due_before_received': return m.complaints_p_due_before_received();
		case 'due_too_late': return m.complaints_p_due_too_late();
		case 'answered_invalid': return m.complaints_p_answered_invalid();
		case 'answered_required': return m.complaints_p_answered_required();
		case 'answered_before_received': return m.complaints_p_answered_before_received();
		case 'answered_future': return m.complaints_p_answered_future();
		case 'satisfied_invalid': return m.complaints_p_satisfied_invalid();
		case 'satisfied_required': return m.complaints_p_satisfied_required();
		case 'satisfied_without_answer': return m.complaints_p_satisfied_without_answer();
	}
}

/** Problems keyed by field, as messages, for the form. */
export function fieldMessages(issues: readonly ComplaintIssue[], year: number): Partial<Record<ComplaintField, string>> {
	const out: Partial<Record<ComplaintField, string>> = {};
	for (const i of issues) out[i.field] = out[i.field] ? `${out[i.field]}; ${complaintProblemMessage(i.problem, year)}` : complaintProblemMessage(i.problem, year);
	return out;
}

export function justifiedChoice(justified: boolean | null): JustifiedChoice {
	return justified === null ? 'pending' : justified ? 'yes' : 'no';
}
