import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requirePermission } from '$lib/server/auth/access';
import { attachment, CONTENT_TYPE, streamOf } from '$lib/server/export/table';
import { annexFileName, loadAnnexExport, NotFoundError, TooLargeError, writeAnnexExport } from '$lib/server/services/annex-export';
import { parseAnnexQuery } from '$lib/validation/annex-query';
import { parseAnnexExportQuery } from '$lib/validation/annex-export-query';
import type { RequestHandler } from './$types';

/** GET: the standard's annex table (one organization and service, or rolled up) as XLSX or CSV, in kk, ru or both. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'read');
	// The organization first: outside the scope a bad address is not found, never "bad request".
	const org = parseAnnexQuery(url.searchParams);
	if (org.ok && org.value.organizationId !== null) await requirePermission(locals, 'read', org.value.organizationId);
	const query = parseAnnexExportQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	const q = query.value;
	try {
		const x = await loadAnnexExport(locals.db, access.visible, { organizationId: q.organizationId, serviceId: q.serviceId, year: q.year, subtree: q.subtree });
		const madeBy = locals.user ? `${locals.user.displayName} <${locals.user.email}>` : '';
		const body = streamOf((out) => writeAnnexExport(out, x, q.lang, q.format, q.delimiter, getLocale(), new Date(), madeBy));
		return new Response(body, {
			headers: { 'content-type': CONTENT_TYPE[q.format], 'content-disposition': attachment(annexFileName(x, q.format)), 'cache-control': 'private, no-store' }
		});
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_org_not_found());
		if (err instanceof TooLargeError) error(400, m.ax_too_large());
		throw err;
	}
};
