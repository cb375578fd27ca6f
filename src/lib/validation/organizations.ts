import * as v from 'valibot';
import { isValidBin } from '../domain/bin';
import * as m from '../paraglide/messages';

/*
 * Forms of the organization admin pages. The schemas judge shape (and the
 * BIN's check digit); the service judges the rest against the database and
 * throws the same problem codes, so both reach the form as one message per field.
 */

export const ORGANIZATION_KINDS = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'] as const;

export type OrganizationProblem =
	| 'code_invalid' | 'code_taken' | 'kind_required' | 'name_required' | 'name_too_long' | 'bin_invalid' | 'bin_taken'
	| 'parent_required' | 'parent_closed' | 'same_parent' | 'cycle' | 'date_invalid' | 'year_invalid'
	| 'already_closed' | 'has_children' | 'figures_after_close' | 'figures_after_merge' | 'target_required'
	| 'merge_into_self' | 'target_closed';

export type OrganizationField =
	| 'code' | 'kind' | 'nameKk' | 'nameRu' | 'nameEn' | 'bin' | 'parent' | 'activeFrom' | 'fromYear' | 'closedOn' | 'target';

export function organizationProblemMessage(problem: OrganizationProblem): string {
	switch (problem) {
		case 'code_invalid': return m.orgs_error_code_invalid();
		case 'code_taken': return m.orgs_error_code_taken();
		case 'kind_required': return m.orgs_error_kind_required();
		case 'name_required': return m.orgs_error_name_required();
		case 'name_too_long': return m.orgs_error_name_too_long({ max: NAME_MAX });
		case 'bin_invalid': return m.orgs_error_bin_invalid();
		case 'bin_taken': return m.orgs_error_bin_taken();
		case 'parent_required': return m.orgs_error_parent_required();
		case 'parent_closed': return m.orgs_error_parent_closed();
		case 'same_parent': return m.orgs_error_same_parent();
		case 'cycle': return m.orgs_error_cycle();
		case 'date_invalid': return m.orgs_error_date_invalid();
		case 'year_invalid': return m.orgs_error_year_invalid();
		case 'already_closed': return m.orgs_error_already_closed();
		case 'has_children': return m.orgs_error_has_children();
		case 'figures_after_close': return m.orgs_error_figures_after_close();
		case 'figures_after_merge': return m.orgs_error_figures_after_merge();
		case 'target_required': return m.orgs_error_target_required();
		case 'merge_into_self': return m.orgs_error_merge_into_self();
		case 'target_closed': return m.orgs_error_target_closed();
	}
}

export const NAME_MAX = 500;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
	if (!ISO_DATE.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const Name = v.pipe(v.string('name_required'), v.trim(), v.nonEmpty('name_required'), v.maxLength(NAME_MAX, 'name_too_long'));
const OptionalName = v.pipe(v.string('name_too_long'), v.trim(), v.maxLength(NAME_MAX, 'name_too_long'), v.transform((s) => s || null));
const Bin = v.pipe(
	v.string('bin_invalid'), v.trim(), v.transform((s) => s.replace(/\s+/g, '')),
	v.check((s) => s === '' || isValidBin(s), 'bin_invalid'), v.transform((s) => s || null)
);
const Id = (problem: OrganizationProblem) => v.pipe(v.string(problem), v.regex(/^\d{1,9}$/, problem), v.transform(Number));
const DateField = v.pipe(v.string('date_invalid'), v.trim(), v.check(isRealDate, 'date_invalid'));
const Year = v.pipe(v.string('year_invalid'), v.trim(), v.regex(/^\d{4}$/, 'year_invalid'), v.transform(Number), v.minValue(1991, 'year_invalid'), v.maxValue(2100, 'year_invalid'));

export const OrganizationDetailsForm = v.object({
	kind: v.picklist(ORGANIZATION_KINDS, 'kind_required'),
	nameKk: Name,
	nameRu: Name,
	nameEn: OptionalName,
	bin: Bin
});

export const NewOrganizationForm = v.object({
	...OrganizationDetailsForm.entries,
	code: v.pipe(v.string('code_invalid'), v.trim(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'code_invalid')),
	parent: Id('parent_required'),
	activeFrom: DateField
});

export const MoveOrganizationForm = v.object({ parent: Id('parent_required'), fromYear: Year });
export const CloseOrganizationForm = v.object({ closedOn: DateField });
export const MergeOrganizationForm = v.object({ target: Id('target_required'), fromYear: Year });

/** The first problem of each field, as localized messages. */
export function fieldErrors(issues: v.BaseIssue<unknown>[]): Partial<Record<OrganizationField, string>> {
	const out: Partial<Record<OrganizationField, string>> = {};
	for (const issue of issues) {
		const key = issue.path?.[0]?.key;
		if (typeof key !== 'string' || key in out) continue;
		out[key as OrganizationField] = organizationProblemMessage(issue.message as OrganizationProblem);
	}
	return out;
}
