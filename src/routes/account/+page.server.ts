import { redirect } from '@sveltejs/kit';
import { requireSignedIn } from '$lib/server/auth/access';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { listGrantsWithOrganizations } from '$lib/server/queries/users';
import { signOutEverywhere } from '$lib/server/services/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const access = requireSignedIn(locals);
	return { user: locals.user!, grants: await listGrantsWithOrganizations(locals.db, access.userId) };
};

export const actions: Actions = {
	signOutEverywhere: async ({ locals, cookies }) => {
		const access = requireSignedIn(locals);
		await signOutEverywhere(locals.db, access.userId);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
