import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access, type AccessLocals } from '$lib/server/auth/access';
import { NotFoundError, planCellsExport, type CellsExportPlan } from '$lib/server/services/cells-export';
import { parseCellsExportQuery } from '$lib/validation/cells-export-query';

/**
 * The export page and its form read the address the same way: read anywhere, then read on the
 * organization named (404 outside the scope, checked before the rest of the address: 400).
 * The organization chosen by default (none named) is checked as well.
 */
export async function cellsExportRequest(locals: AccessLocals, url: URL, form: FormData | null = null): Promise<{ access: Access; plan: CellsExportPlan }> {
	const access = await requirePermission(locals, 'read');
	const query = parseCellsExportQuery(url.searchParams, form);
	if (!query.ok) {
		if (query.organizationId !== null) await requirePermission(locals, 'read', query.organizationId);
		error(400, m.error_bad_request());
	}
	if (query.value.organizationId !== null) await requirePermission(locals, 'read', query.value.organizationId);
	let plan: CellsExportPlan;
	try {
		plan = await planCellsExport(locals.db, access.visible, query.value);
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_org_not_found());
		throw err;
	}
	if (query.value.organizationId === null) await requirePermission(locals, 'read', plan.organization.id);
	return { access, plan };
}
