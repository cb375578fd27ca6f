import { error } from '@sveltejs/kit';
import { canAnywhere } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { loadOverview } from '$lib/server/services/reporting-overview';
import { parseOverviewQuery } from '$lib/validation/reporting-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const access = await requirePermission(locals, 'read');
	const query = parseOverviewQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	if (query.value.organizationId !== null) await requirePermission(locals, 'read', query.value.organizationId);
	// Figures of a year are reported in the following year.
	const asOfYear = new Date().getUTCFullYear();
	// Someone who approves years sees first what waits for them.
	const who = { scope: access.visible, decidesYears: canAnywhere(access.grants, 'year.approve') };
	return loadOverview(locals.db, who, query.value, asOfYear);
};
