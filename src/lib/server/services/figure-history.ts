import type { Kysely } from 'kysely';
import type { Database, VolumeChannel } from '../db/schema';
import { listFigureHistory, HISTORY_PAGE_SIZE, type HistoryPage } from '../queries/figure-history';
import { listGridIndicators } from '../queries/figures';
import { findOrganization, type OrganizationSummary } from '../queries/organizations';
import { listServicesProvided, type ServiceSummary } from '../queries/services';

/*
 * The history page of one organization's reporting year: the page of
 * changes asked for, and what the filters offer (the services provided that
 * year, the indicators typed by hand).
 */

export interface HistoryView extends HistoryPage {
	organization: OrganizationSummary;
	year: number;
	pageSize: number;
	filters: { serviceId: number | null; indicatorId: number | null; channel: VolumeChannel | null };
	services: ServiceSummary[];
	indicators: Array<{ id: number; code: string; computed: boolean }>;
}

export async function loadHistory(
	db: Kysely<Database>,
	q: { organizationId: number; year: number; serviceId: number | null; indicatorId: number | null; channel: VolumeChannel | null; page: number }
): Promise<HistoryView | null> {
	const [organization, services, indicators, page] = await Promise.all([
		findOrganization(db, q.organizationId),
		listServicesProvided(db, q.organizationId, q.year),
		listGridIndicators(db),
		listFigureHistory(db, {
			organizationId: q.organizationId, year: q.year, page: q.page,
			serviceId: q.serviceId ?? undefined, indicatorId: q.indicatorId ?? undefined, channel: q.channel ?? undefined
		})
	]);
	if (!organization) return null;
	return {
		...page,
		organization,
		year: q.year,
		pageSize: HISTORY_PAGE_SIZE,
		filters: { serviceId: q.serviceId, indicatorId: q.indicatorId, channel: q.channel },
		services,
		indicators: indicators.map((i) => ({ id: i.id, code: i.code, computed: i.computed }))
	};
}
