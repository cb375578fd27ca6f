import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { loadDashboard, NotFoundError } from '$lib/server/services/dashboard';
import { parseDashboardQuery } from '$lib/validation/dashboard-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const access = await requirePermission(locals, 'read');
	const query = parseDashboardQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	if (query.value.organizationId !== null) await requirePermission(locals, 'read', query.value.organizationId);
	try {
		return { dashboard: await loadDashboard(locals.db, access.visible, query.value, new Date().getFullYear()) };
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_not_found());
		throw err;
	}
};
