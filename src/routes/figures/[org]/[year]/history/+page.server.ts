import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { loadHistory } from '$lib/server/services/figure-history';
import { parseHistoryQuery } from '$lib/validation/reporting-query';
import type { PageServerLoad } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const Year = v.pipe(v.string(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(1991), v.maxValue(2100));

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const id = v.safeParse(Id, params.org);
	const year = v.safeParse(Year, params.year);
	if (!id.success || !year.success) error(404, m.error_not_found());
	await requirePermission(locals, 'read', id.output);
	const query = parseHistoryQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	const history = await loadHistory(locals.db, { organizationId: id.output, year: year.output, ...query.value });
	if (!history) error(404, m.error_not_found());
	return history;
};
