import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { loadAnnexPage, NotFoundError } from '$lib/server/services/annex-page';
import { parseAnnexQuery } from '$lib/validation/annex-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const access = await requirePermission(locals, 'read');
	const query = parseAnnexQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	if (query.value.organizationId !== null) await requirePermission(locals, 'read', query.value.organizationId);
	try {
		return await loadAnnexPage(locals.db, access.visible, query.value, new Date().getFullYear());
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_org_not_found());
		throw err;
	}
};
