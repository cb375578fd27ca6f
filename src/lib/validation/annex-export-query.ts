import * as v from 'valibot';
import { optionalInt } from './annex-query';

/*
 * The annex table's address: /annex/export?org=&year=&service=&subtree=1&lang=kk|ru|both&format=xlsx|csv&sep=semicolon|comma.
 * No service means every service the organization provides that year.
 */

const AnnexExportQuery = v.object({
	org: v.pipe(optionalInt(1, 2_147_483_647), v.number()),
	year: v.pipe(optionalInt(1991, 2100), v.number()),
	service: optionalInt(1, 2_147_483_647),
	subtree: v.optional(v.picklist(['0', '1']), '0'),
	lang: v.optional(v.picklist(['kk', 'ru', 'both']), 'ru'),
	format: v.optional(v.picklist(['xlsx', 'csv']), 'xlsx'),
	sep: v.optional(v.picklist(['semicolon', 'comma']), 'semicolon')
});

export interface AnnexExportQueryValue {
	organizationId: number;
	year: number;
	serviceId: number | null;
	subtree: boolean;
	lang: 'kk' | 'ru' | 'both';
	format: 'xlsx' | 'csv';
	delimiter: ';' | ',';
}

export function parseAnnexExportQuery(params: URLSearchParams): { ok: true; value: AnnexExportQueryValue } | { ok: false } {
	const get = (k: string) => params.get(k) ?? undefined;
	const r = v.safeParse(AnnexExportQuery, {
		org: get('org'), year: get('year'), service: get('service'), subtree: get('subtree'), lang: get('lang'), format: get('format'), sep: get('sep')
	});
	if (!r.success) return { ok: false };
	const o = r.output;
	return { ok: true, value: { organizationId: o.org, year: o.year, serviceId: o.service, subtree: o.subtree === '1', lang: o.lang, format: o.format, delimiter: o.sep === 'comma' ? ',' : ';' } };
}
