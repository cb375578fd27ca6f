import * as v from 'valibot';
import type { OrganizationKindCode } from '../domain/completeness';
import { INDICATOR_GROUPS, ORGANIZATION_KINDS, type IndicatorGroup } from '../domain/dashboard';
import { optionalInt } from './annex-query';
import { optionalPick } from './reporting-query';

/*
 * The dashboard's filters in its address: /dashboard?year=&org=&kind=&service=&group=&indicator=.
 * Absent or empty means "not chosen" (the service resolves it); anything else
 * that does not fit is a bad request. sort/dir belong to the page alone.
 */

const ID_MAX = 2_147_483_647;

/** An indicator's code as the catalogue writes it: "1.1", "4.2". */
const optionalIndicatorCode = v.pipe(
	v.optional(v.string(), ''),
	v.transform((s) => s.trim()),
	v.union([v.literal(''), v.pipe(v.string(), v.regex(/^\d{1,3}\.\d{1,3}$/))]),
	v.transform((s) => (s === '' ? null : s))
);

export const DashboardQuery = v.object({
	year: optionalInt(1991, 2100),
	org: optionalInt(1, ID_MAX),
	kind: optionalPick(ORGANIZATION_KINDS),
	service: optionalInt(1, ID_MAX),
	group: optionalPick(INDICATOR_GROUPS),
	indicator: optionalIndicatorCode
});

export interface DashboardRequest {
	year: number | null;
	organizationId: number | null;
	kind: OrganizationKindCode | null;
	serviceId: number | null;
	group: IndicatorGroup | null;
	/** The trend's indicator by its code. */
	indicator: string | null;
}

export function parseDashboardQuery(params: URLSearchParams): { ok: true; value: DashboardRequest } | { ok: false } {
	const r = v.safeParse(DashboardQuery, {
		year: params.get('year') ?? undefined,
		org: params.get('org') ?? undefined,
		kind: params.get('kind') ?? undefined,
		service: params.get('service') ?? undefined,
		group: params.get('group') ?? undefined,
		indicator: params.get('indicator') ?? undefined
	});
	if (!r.success) return { ok: false };
	const o = r.output;
	return { ok: true, value: { year: o.year, organizationId: o.org, kind: o.kind, serviceId: o.service, group: o.group, indicator: o.indicator } };
}
