import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requirePermission } from '$lib/server/auth/access';
import { findOrganization } from '$lib/server/queries/organizations';
import { buildTemplate } from '$lib/server/services/figures-import';
import { channelItemTitle, columnTitle } from '$lib/ui/figure-import';
import { FIGURE_COLUMNS, type FigureColumn } from '$lib/server/import/figures';
import { official, orgName } from '$lib/ui/official';
import type { RequestHandler } from './$types';

const Query = v.object({
	org: v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number)),
	year: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(1991), v.maxValue(2100))),
	format: v.optional(v.picklist(['xlsx', 'csv']), 'xlsx')
});

/** GET ?org=&year=&format=xlsx|csv: the figures template of the organization's subtree for the year, prefilled. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const query = v.safeParse(Query, Object.fromEntries(['org', 'year', 'format'].filter((k) => url.searchParams.get(k)).map((k) => [k, url.searchParams.get(k)!])));
	if (!query.success) error(400, m.error_bad_request());
	const access = await requirePermission(locals, 'read', query.output.org);
	const organization = await findOrganization(locals.db, query.output.org);
	if (!organization) error(404, m.error_not_found());
	const year = query.output.year ?? new Date().getUTCFullYear() - 1;
	const locale = getLocale();
	const { bytes, fileName } = await buildTemplate(locals.db, access, {
		organizationId: organization.id,
		organizationCode: organization.code,
		year,
		format: query.output.format,
		titles: Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, columnTitle(c)])) as Record<FigureColumn, string>,
		sheetName: m.import_figures_sheet({ year }),
		texts: {
			organization: (o) => orgName(o, locale).text,
			service: (s) => official({ kk: s.titleKk, ru: s.titleRu, en: s.titleEn }, locale).text,
			indicator: (i) => official({ kk: i.titleKk, ru: i.titleRu, en: i.titleEn }, locale).text,
			channel: channelItemTitle,
			noServices: m.import_figures_template_no_services()
		}
	});
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': query.output.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
