import { redirect, type RequestHandler } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';

/** Remembers the chosen language and returns the person to the page they were on. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	if (typeof locale === 'string' && isLocale(locale)) {
		// Readable by the client runtime too, so not HttpOnly; it holds only 'ru' | 'kk' | 'en'.
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false });
	}
	const target = form.get('redirect');
	// Only a local path: never an open redirect to another site.
	const safe = typeof target === 'string' && target.startsWith('/') && !target.startsWith('//') && !target.includes('\\') ? target : '/';
	redirect(303, safe);
};
