import * as v from 'valibot';
import { isGlobalAdmin } from '$lib/domain/permissions';
import { requirePermission } from '$lib/server/auth/access';
import { SEARCH_LIMIT } from '$lib/server/queries/organization-history';
import { listManageable } from '$lib/server/services/organizations';
import type { PageServerLoad } from './$types';

const Search = v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(200));

export const load: PageServerLoad = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'catalogue.manage');
	const parsed = v.safeParse(Search, url.searchParams.get('q') ?? undefined);
	const search = parsed.success ? parsed.output : '';
	const organizations = await listManageable(locals.db, access, search);
	return { search, organizations, limited: organizations.length >= SEARCH_LIMIT, everyone: isGlobalAdmin(access.grants) };
};
