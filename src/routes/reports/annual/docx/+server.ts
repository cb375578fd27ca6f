import { error } from '@sveltejs/kit';
import { reportFileName } from '$lib/domain/annual-report';
import * as m from '$lib/paraglide/messages';
import { annualReportDocx } from '$lib/server/export/annual-report-docx';
import { renderAnnualReport } from '$lib/ui/annual-report-document';
import { annualReportRequest } from '../request';
import type { RequestHandler } from './$types';

/** GET ?org=&year=&lang=kk|ru: the department's annual report as a Word document (the page's text, editable before signing). */
export const GET: RequestHandler = async ({ url, locals }) => {
	const { report, organization, lang } = await annualReportRequest(locals, url);
	if (!report || !organization) error(404, m.rep_error_not_department());
	const bytes = await annualReportDocx(renderAnnualReport(report, lang));
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'content-disposition': `attachment; filename="${reportFileName(organization.code, report.year, lang)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
