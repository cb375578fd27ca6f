import type { SortDirection } from '$lib/domain/dashboard';
import type { DashboardFilters } from '$lib/domain/dashboard-view';

/*
 * The dashboard's state lives in its URL, so a link is the filters with one
 * thing changed: drilling down, a breadcrumb, a ranking entry. Empty filters
 * are left out, so links stay short and the server's defaults apply.
 */

export interface ScorecardSort {
	/** 'name', 'rate', 'breaches' or an indicator code. */
	key: string;
	dir: SortDirection;
}

export function dashboardQuery(filters: DashboardFilters, change: Partial<DashboardFilters> = {}, sort: ScorecardSort | null = null): URLSearchParams {
	const f = { ...filters, ...change };
	const q = new URLSearchParams();
	q.set('year', String(f.year));
	q.set('org', String(f.organizationId));
	if (f.kind) q.set('kind', f.kind);
	if (f.serviceId !== null) q.set('service', String(f.serviceId));
	if (f.group) q.set('group', f.group);
	if (f.indicator) q.set('indicator', f.indicator);
	if (sort) {
		q.set('sort', sort.key);
		q.set('dir', sort.dir);
	}
	return q;
}

export function dashboardHref(filters: DashboardFilters, change: Partial<DashboardFilters> = {}, sort: ScorecardSort | null = null): string {
	return `/dashboard?${dashboardQuery(filters, change, sort)}`;
}

/** The figure behind one scorecard cell. */
export function evidenceHref(organizationId: number, serviceId: number, indicator: string, year: number): string {
	const q = new URLSearchParams({ org: String(organizationId), service: String(serviceId), indicator, year: String(year) });
	return `/dashboard/evidence?${q}`;
}

/** The scorecard's sort as the URL says it; anything unreadable is no sort. */
export function readSort(params: URLSearchParams): ScorecardSort | null {
	const key = params.get('sort');
	const dir = params.get('dir');
	if (!key || key.length > 20 || (dir !== 'asc' && dir !== 'desc')) return null;
	return { key, dir };
}

/** The form's values as a query: empty selections dropped, so "all" is the absence of a filter. */
export function formQuery(form: HTMLFormElement): URLSearchParams {
	const q = new URLSearchParams();
	for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value !== '') q.set(name, value);
	return q;
}
