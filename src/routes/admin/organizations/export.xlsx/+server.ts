import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { exportFileName, organizationsToXlsx } from '$lib/server/export/organizations';
import { listOrganizationsForExport } from '$lib/server/import/organizations';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const access = await requirePermission(locals, 'catalogue.manage');
	const titles = {
		code: m.imp_colname_code(), parent_code: m.imp_colname_parent_code(), parent_bin: m.imp_colname_parent_bin(), kind: m.imp_colname_kind(),
		name_kk: m.imp_colname_name_kk(), name_ru: m.imp_colname_name_ru(), name_en: m.imp_colname_name_en(), bin: m.imp_colname_bin(),
		active_from: m.imp_colname_active_from()
	};
	const body = await organizationsToXlsx(await listOrganizationsForExport(locals.db, access.visible), titles, m.imp_sheet_name());
	return new Response(body as BodyInit, {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${exportFileName('xlsx', new Date())}"`,
			'cache-control': 'no-store'
		}
	});
};
