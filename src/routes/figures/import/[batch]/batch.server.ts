import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { isGlobalAdmin } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type AccessLocals } from '$lib/server/auth/access';
import { findImportBatch } from '$lib/server/queries/figures-import';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

/**
 * The batch a page or endpoint is about. Only the person who uploaded it (or
 * a global admin) sees it; for anyone else, and for an id that does not
 * exist, it is a 404 alike. Then the permission on its organization.
 */
export async function batchFor(locals: AccessLocals, param: string, action: 'read' | 'figures.write') {
	if (!locals.access) error(401, m.error_sign_in_first());
	const id = v.safeParse(Id, param);
	if (!id.success) error(404, m.error_not_found());
	const batch = await findImportBatch(locals.db, id.output);
	if (!batch || (batch.createdBy !== locals.access.userId && !isGlobalAdmin(locals.access.grants))) error(404, m.error_not_found());
	const access = await requirePermission(locals, action, batch.organizationId);
	return { access, batch };
}
