import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session';
import { isDemoSeeded } from '$lib/server/demo/seed';
import { signIn } from '$lib/server/services/sign-in';
import { safeNext, SignInForm } from '$lib/validation/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')), demo: await isDemoSeeded(locals.db) };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const next = safeNext(String(form.get('next') ?? ''));
		const parsed = v.safeParse(SignInForm, { email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return fail(400, { email, message: m.login_required_fields() });

		const result = await signIn(locals.db, { ...parsed.output, ip: getClientAddress(), userAgent: request.headers.get('user-agent') ?? undefined }, new Date());
		if (!result.ok) {
			const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
			const message = {
				bad_credentials: m.login_bad_credentials(),
				account_throttled: m.login_account_throttled({ minutes }),
				account_locked: m.login_account_locked(),
				address_throttled: m.login_address_throttled({ minutes }),
				disabled: m.login_disabled()
			}[result.reason];
			return fail(result.reason === 'bad_credentials' ? 400 : 429, { email, message });
		}
		cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(url, result.expiresAt));
		redirect(303, next);
	}
};
