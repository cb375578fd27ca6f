import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { signOut } from '$lib/server/services/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/annex');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session && locals.user) await signOut(locals.db, locals.session.id, locals.user.id);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
