import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server';
import * as m from '$lib/paraglide/messages';
import { readConfig } from '$lib/server/config';
import type { DatabaseHandle } from '$lib/server/db/connect';
import { migrations } from '$lib/server/db/migrations.bundled';
import { log } from '$lib/server/log';
import { loadAccess } from '$lib/server/auth/access';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from '$lib/server/auth/session';
import { startSapa } from '$lib/server/startup';

// Kept on globalThis so a dev-server reload reuses the open database (and its folder lock).
const state = globalThis as typeof globalThis & { sapaDatabase?: Promise<DatabaseHandle> };

export const init: ServerInit = async () => {
	if (building) return;
	state.sapaDatabase ??= startSapa(readConfig(), migrations);
	let handle: DatabaseHandle;
	try {
		handle = await state.sapaDatabase;
	} catch (err) {
		// A refusal to start (folder in use, database unreachable, bad config) is said plainly, then the process ends.
		log.error('Sapa cannot start', { reason: err instanceof Error ? err.message : String(err) });
		console.error(`\nSapa cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	}
	process.once('sveltekit:shutdown', () => {
		// Closing flushes PGlite to disk and releases the data-folder lock.
		void handle.close().catch((err) => log.error('database close failed', { err: String(err) }));
	});
	if (!dev) log.info(`Sapa is ready: open http://localhost:${process.env.PORT ?? 3000}`);
};

const database: Handle = async ({ event, resolve }) => {
	if (!state.sapaDatabase) throw new Error('database not initialised');
	event.locals.db = (await state.sapaDatabase).db;
	return resolve(event);
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) });
	});

/** Pages anyone may open; everything else needs a session. */
const PUBLIC_PATHS = ['/login', '/locale'];

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.access = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(event.locals.db, token, new Date());
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			event.locals.access = await loadAccess(event.locals.db, result.user.id);
			event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event.url, result.session.expiresAt));
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	const isPublic = PUBLIC_PATHS.some((p) => event.url.pathname === p || event.url.pathname.startsWith(`${p}/`));
	if (!event.locals.user && !isPublic) {
		if (event.request.method === 'GET' && !event.url.pathname.startsWith('/api/')) {
			// Returned, not thrown, so the outer hooks still add the security headers.
			return new Response(null, { status: 303, headers: { location: `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}` } });
		}
		return new Response('Unauthorized', { status: 401 });
	}
	return resolve(event);
};

/** Headers every response carries (the CSP itself comes from kit.csp with nonces). */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	return response;
};

export const handle = sequence(securityHeaders, i18n, database, auth);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = crypto.randomUUID().slice(0, 8);
	if (status !== 404) {
		log.error('request failed', {
			id, status, path: event.url.pathname,
			err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error)
		});
	}
	return { message: status === 404 ? m.error_not_found() : m.error_generic({ id }), id };
};
