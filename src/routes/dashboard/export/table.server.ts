import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requirePermission, type AccessLocals } from '$lib/server/auth/access';
import { NotFoundError } from '$lib/server/services/dashboard';
import { loadComplianceTable } from '$lib/server/services/dashboard-export';
import { parseDashboardExportQuery } from '$lib/validation/dashboard-export-query';
import { parseDashboardQuery } from '$lib/validation/dashboard-query';
import { readSort } from '../links';
import { sortRows } from '../scorecard';

/**
 * The file and the printed page read their address alike: read anywhere, then
 * read on the organization named (404 outside the scope), the table in the
 * screen's sort.
 */
export async function complianceTableRequest(locals: AccessLocals, url: URL) {
	const access = await requirePermission(locals, 'read');
	// The organization first: outside the scope a bad address is not found, never "bad request".
	const filters = parseDashboardQuery(url.searchParams);
	if (filters.ok && filters.value.organizationId !== null) await requirePermission(locals, 'read', filters.value.organizationId);
	const query = parseDashboardExportQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	const req = query.value;
	const sort = readSort(url.searchParams);
	const locale = getLocale();
	try {
		const table = await loadComplianceTable(locals.db, access.visible, req.dashboard, req.view, new Date().getFullYear(), (rows) => sortRows(rows, sort, locale));
		const indicator = sort ? table.data.scorecard.indicators.find((i) => i.code === sort.key) : undefined;
		const sortLabel = !sort ? null
			: `${sort.key === 'name' ? m.dash_col_org() : sort.key === 'rate' ? m.dash_col_rate() : sort.key === 'breaches' ? m.dash_col_breaches() : (indicator?.code ?? sort.key)} ${sort.dir === 'asc' ? '↑' : '↓'}`;
		return { request: req, table, locale, sortLabel };
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_not_found());
		throw err;
	}
}
