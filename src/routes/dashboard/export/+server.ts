import { attachment, CONTENT_TYPE, streamOf } from '$lib/server/export/table';
import { complianceTableFileName, writeComplianceTable } from '$lib/server/services/dashboard-export';
import { complianceTableRequest } from './table.server';
import type { RequestHandler } from './$types';

/** GET ?<dashboard filters>&view=year|years&format=xlsx|csv&sep=semicolon|comma: the compliance table as a file. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const { request, table, locale, sortLabel } = await complianceTableRequest(locals, url);
	const madeBy = locals.user ? `${locals.user.displayName} <${locals.user.email}>` : '';
	const body = streamOf((out) => writeComplianceTable(out, table, request.format, request.delimiter, locale, new Date(), madeBy, sortLabel));
	return new Response(body, {
		headers: {
			'content-type': CONTENT_TYPE[request.format],
			'content-disposition': attachment(complianceTableFileName(table, request.format)),
			'cache-control': 'private, no-store'
		}
	});
};
