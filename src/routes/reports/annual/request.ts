import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requirePermission, type AccessLocals } from '$lib/server/auth/access';
import { loadAnnualReport, NotFoundError, type AnnualReportPage } from '$lib/server/services/annual-report';
import { parseAnnualReportQuery, reportLangFor } from '$lib/validation/annual-report-query';
import type { ReportLang } from '$lib/domain/annual-report';

/**
 * The page and its DOCX read the same address the same way: read anywhere, then read on the
 * organization named (404 outside the person's scope, checked before the rest of the address).
 */
export async function annualReportRequest(locals: AccessLocals, url: URL): Promise<AnnualReportPage & { lang: ReportLang }> {
	const access = await requirePermission(locals, 'read');
	const query = parseAnnualReportQuery(url.searchParams);
	if (!query.ok) {
		if (query.organizationId !== null) await requirePermission(locals, 'read', query.organizationId);
		error(400, m.error_bad_request());
	}
	if (query.value.organizationId !== null) await requirePermission(locals, 'read', query.value.organizationId);
	const lang = reportLangFor(query.value.lang, getLocale());
	try {
		return { ...(await loadAnnualReport(locals.db, access.visible, query.value, new Date().getFullYear())), lang };
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_not_found());
		throw err;
	}
}
