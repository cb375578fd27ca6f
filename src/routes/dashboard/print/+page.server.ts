import { formatDateTime } from '$lib/ui/format';
import { complianceTableFilters, complianceTableTitle, statusWord, unitName } from '$lib/server/services/dashboard-export';
import { complianceTableRequest } from '../export/table.server';
import type { PageServerLoad } from './$types';

/** GET ?<dashboard filters>&view=year|years: the compliance table as a page to print (A4, the heading repeated on every page). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { table, locale, sortLabel } = await complianceTableRequest(locals, url);
	const back = new URLSearchParams(url.searchParams);
	for (const k of ['view', 'format', 'sep']) back.delete(k);
	return {
		view: table.view,
		title: complianceTableTitle(table, locale),
		filters: complianceTableFilters(table, locale, sortLabel),
		madeAt: formatDateTime(new Date(), locale),
		madeBy: locals.user?.displayName ?? '',
		back: `/dashboard?${back}`,
		rows: table.rows.map((r) => ({
			unit: table.view === 'year' ? unitName(r, locale) : String(r.year),
			unitCode: r.unit.code,
			total: r.unit.kind === 'total',
			indicator: r.indicator,
			counts: r.counts,
			value: r.value,
			normative: r.normative,
			target: r.target,
			status: r.assessment.status,
			statusWord: statusWord(r, locale),
			gapToNormative: r.assessment.gapToNormative,
			gapToTarget: r.assessment.gapToTarget,
			smallSample: r.smallSample
		}))
	};
};
