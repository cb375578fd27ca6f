/*
 * Where the evidence page leads: back up the dashboard, and on to the pages
 * that hold the figure (entry grid, history, complaints register, annex).
 */

export interface EvidenceKey {
	organizationId: number;
	serviceId: number;
	indicatorId: number;
	indicatorCode: string;
	computed: boolean;
	year: number;
}

/** The dashboard at an organization, keeping the year, the service and (for ancestors) the trend indicator. */
export function dashboardAt(organizationId: number, k: EvidenceKey, { indicator = true } = {}): string {
	const q = new URLSearchParams({ org: String(organizationId), year: String(k.year), service: String(k.serviceId) });
	if (indicator) q.set('indicator', k.indicatorCode);
	return `/dashboard?${q}`;
}

export function evidenceLinks(k: EvidenceKey) {
	const year = `/figures/${k.organizationId}/${k.year}`;
	const history = new URLSearchParams({ service: String(k.serviceId) });
	// 4.1 / 4.2 are not typed: their changes are the register's, filed under the service only.
	if (!k.computed) history.set('indicator', String(k.indicatorId));
	return {
		grid: year,
		history: `${year}/history?${history}`,
		complaints: `${year}/complaints?service=${k.serviceId}`,
		annex: `/annex?${new URLSearchParams({ org: String(k.organizationId), service: String(k.serviceId), year: String(k.year) })}`,
		dashboard: dashboardAt(k.organizationId, k, { indicator: false })
	};
}
