import * as v from 'valibot';
import { isGlobalAdmin } from '$lib/domain/permissions';
import { requirePermission } from '$lib/server/auth/access';
import { listManagedUsers } from '$lib/server/services/users';
import type { PageServerLoad } from './$types';

const Search = v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(200));

export const load: PageServerLoad = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'users.manage');
	const parsed = v.safeParse(Search, url.searchParams.get('q') ?? undefined);
	const search = parsed.success ? parsed.output : '';
	return { search, selfId: access.userId, everyone: isGlobalAdmin(access.grants), users: await listManagedUsers(locals.db, access, search) };
};
