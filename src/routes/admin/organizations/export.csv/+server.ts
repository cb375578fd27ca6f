import { requirePermission } from '$lib/server/auth/access';
import { exportFileName, organizationsToCsv } from '$lib/server/export/organizations';
import { listOrganizationsForExport } from '$lib/server/import/organizations';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const access = await requirePermission(locals, 'catalogue.manage');
	const body = organizationsToCsv(await listOrganizationsForExport(locals.db, access.visible));
	return new Response(body as BodyInit, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${exportFileName('csv', new Date())}"`,
			'cache-control': 'no-store'
		}
	});
};
