import { renderAnnualReport } from '$lib/ui/annual-report-document';
import type { PageServerLoad } from './$types';
import { annualReportRequest } from './request';

/** GET ?org=&year=&lang=kk|ru: the department's annual report on public services, as a page. */
export const load: PageServerLoad = async ({ url, locals }) => {
	const { report, ...page } = await annualReportRequest(locals, url);
	return { ...page, document: report ? renderAnnualReport(report, page.lang) : null };
};
