import * as v from 'valibot';
import { isGlobalAdmin } from '$lib/domain/permissions';
import { requirePermission } from '$lib/server/auth/access';
import { listManagedUsers } from '$lib/server/services/users';
import { UserSearch } from '$lib/validation/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'users.manage');
	const parsed = v.safeParse(UserSearch, url.searchParams.get('q') ?? undefined);
	const search = parsed.success ? parsed.output : '';
	return { search, selfId: access.userId, everyone: isGlobalAdmin(access.grants), users: await listManagedUsers(locals.db, access, search) };
};
