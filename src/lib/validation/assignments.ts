import * as v from 'valibot';

export const ORGANIZATION_KIND_CODES = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'] as const;

/*
 * The assignment forms. Messages are problem codes; the page words them.
 * An empty "to" year means "still provided".
 */

const id = (problem: string) => v.pipe(v.string(problem), v.trim(), v.regex(/^\d{1,9}$/, problem), v.transform(Number), v.minValue(1, problem));
const year = v.pipe(v.string('year_invalid'), v.trim(), v.regex(/^\d{4}$/, 'year_invalid'), v.transform(Number), v.minValue(1991, 'year_invalid'), v.maxValue(2100, 'year_invalid'));
const optionalYear = v.union([v.pipe(v.literal(''), v.transform(() => null)), year], 'year_invalid');

const yearRange = (input: { yearFrom: number; yearTo: number | null }) => input.yearTo === null || input.yearTo >= input.yearFrom;

export const ProvisionForm = v.pipe(
	v.object({ organization: id('organization_required'), service: id('service_required'), yearFrom: year, yearTo: optionalYear }),
	v.forward(v.partialCheck([['yearFrom'], ['yearTo']], yearRange, 'year_order'), ['yearTo'])
);

export const ProvisionYearsForm = v.pipe(v.object({ provision: id('provision_required'), yearFrom: year, yearTo: optionalYear }), v.forward(v.partialCheck([['yearFrom'], ['yearTo']], yearRange, 'year_order'), ['yearTo']));

export const BulkAssignmentForm = v.pipe(
	v.object({
		department: id('department_required'),
		kind: v.picklist(ORGANIZATION_KIND_CODES, 'kind_required'),
		services: v.pipe(v.array(id('service_required')), v.minLength(1, 'services_required'), v.maxLength(200, 'services_required')),
		yearFrom: year,
		yearTo: optionalYear
	}),
	v.forward(v.partialCheck([['yearFrom'], ['yearTo']], yearRange, 'year_order'), ['yearTo'])
);

export type AssignmentProblem =
	| 'organization_required' | 'service_required' | 'provision_required' | 'department_required' | 'kind_required'
	| 'services_required' | 'year_invalid' | 'year_order';

/** Field name → first problem code, for fail(400, { values, errors }). */
export function assignmentProblems(issues: v.BaseIssue<unknown>[]): Record<string, AssignmentProblem> {
	const nested = v.flatten(issues as [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]).nested ?? {};
	const out: Record<string, AssignmentProblem> = {};
	for (const [key, codes] of Object.entries(nested)) if (codes?.[0]) out[key.split('.')[0]!] = codes[0] as AssignmentProblem;
	return out;
}
