import { json, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getLocale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';
import { readConfig } from '$lib/server/config';
import type { DatabaseHandle } from '$lib/server/db/connect';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { migrations } from '$lib/server/db/migrations.bundled';
import { isStopping, markStopping, msSinceStop } from '$lib/server/lifecycle';
import { errorFields, log } from '$lib/server/log';
import { loadAccess } from '$lib/server/auth/access';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from '$lib/server/auth/session';
import { startSapa } from '$lib/server/startup';

// Kept on globalThis so a dev-server reload reuses the open database (and its folder lock).
const state = globalThis as typeof globalThis & { sapaDatabase?: Promise<DatabaseHandle> };

/** adapter-node's grace for in-flight requests after SIGTERM, in seconds (its own default is 30). */
const DEFAULT_SHUTDOWN_TIMEOUT = '10';

export const init: ServerInit = async () => {
	if (building) return;
	// Read by adapter-node right after this returns (its server module runs once init is done).
	if (!dev) process.env.SHUTDOWN_TIMEOUT ??= DEFAULT_SHUTDOWN_TIMEOUT;
	// Inside the promise: a wrong setting (readConfig throws) is reported like any other refusal below.
	state.sapaDatabase ??= Promise.resolve().then(() => startSapa(readConfig(), migrations));
	let handle: DatabaseHandle;
	try {
		handle = await state.sapaDatabase;
	} catch (err) {
		// A refusal to start (folder in use, database unreachable, bad config) is said plainly, then the process ends.
		log.error('Sapa cannot start', { reason: err instanceof Error ? err.message : String(err) });
		console.error(`\nSapa cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	}
	if (!dev) stopGracefully(handle);
	if (!dev) log.info(`Sapa is ready: open http://localhost:${process.env.PORT ?? 3000}`);
};

/**
 * SIGTERM or SIGINT: adapter-node stops accepting connections, lets the requests in flight
 * finish (up to SHUTDOWN_TIMEOUT seconds, then cuts them) and emits 'sveltekit:shutdown';
 * then the database closes (the pool ends; PGlite checkpoints, closes and frees its folder)
 * and the process exits. Meanwhile /readyz answers 503. A backstop ends the process should
 * anything hang.
 */
function stopGracefully(handle: DatabaseHandle) {
	const onSignal = (signal: NodeJS.Signals) => {
		if (isStopping()) return;
		markStopping();
		const graceS = Number(process.env.SHUTDOWN_TIMEOUT) || Number(DEFAULT_SHUTDOWN_TIMEOUT);
		log.info('stopping: finishing the requests in flight', { signal, graceS });
		setTimeout(() => {
			log.error('stopping took too long: exiting now', { ms: msSinceStop() });
			process.exit(1);
		}, (graceS + 5) * 1000).unref();
	};
	process.once('SIGTERM', onSignal);
	process.once('SIGINT', onSignal);
	process.once('sveltekit:shutdown', () => {
		log.info('requests finished, closing the database', { ms: msSinceStop() });
		void handle
			.close()
			.then(
				() => log.info('stopped', { ms: msSinceStop() }),
				(err) => {
					log.error('database close failed', { err: errorFields(err, true) });
					process.exitCode = 1;
				}
			)
			// Nothing else may keep the process up once the database is closed.
			.finally(() => process.exit());
	});
}

// ---------- per request: an id, one log line, 503 when the database is out of reach ----------

const requestIds = new WeakMap<App.Locals, string>();
/** Requests whose load, action or endpoint failed because the database was out of reach. */
const unreachable = new WeakSet<App.Locals>();
/** A proxy's X-Request-Id is kept when it looks like one. */
const GIVEN_ID = /^[A-Za-z0-9._-]{1,64}$/;

const newRequestId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);
const requestId = (event: Pick<RequestEvent, 'locals'>) => requestIds.get(event.locals) ?? newRequestId();

/** Outermost: every request gets an id (X-Request-Id both ways) and one JSON line when answered. */
const requestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const given = event.request.headers.get('x-request-id');
	const id = given && GIVEN_ID.test(given) ? given : newRequestId();
	requestIds.set(event.locals, id);
	const method = event.request.method;
	const path = event.url.pathname;
	log.debug('request received', { id, method, path });
	const line = (status: number) => ({
		id, method, path, route: event.route.id, status,
		ms: Math.round((performance.now() - started) * 10) / 10,
		user: event.locals.user?.id ?? null
	});
	let response: Response;
	try {
		response = await resolve(event);
	} catch (err) {
		log.info('request', line(500));
		throw err;
	}
	try {
		response.headers.set('x-request-id', id);
		// Stopping: the connection closes after this answer instead of idling in keep-alive,
		// so the server is closed as soon as the last request in flight is answered.
		if (isStopping()) response.headers.set('connection', 'close');
	} catch {
		/* a response with immutable headers keeps them */
	}
	log.info('request', line(response.status));
	return response;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The answer while the database is out of reach: a plain page, or JSON for SvelteKit's own fetches. */
function unavailableResponse(event: RequestEvent): Response {
	const id = requestId(event);
	const message = m.ops_unavailable_text();
	const headers = { 'retry-after': '5', 'cache-control': 'no-store' };
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return json({ type: 'error', error: { message, id } }, { status: 503, headers });
	}
	const accept = event.request.headers.get('accept') ?? '';
	if (event.isDataRequest || (accept.includes('application/json') && !accept.includes('text/html'))) {
		return json({ message, id }, { status: 503, headers });
	}
	const again = escapeHtml(event.request.method === 'GET' ? event.url.pathname + event.url.search : event.url.pathname);
	const html = `<!doctype html>
<html lang="${escapeHtml(getLocale())}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(m.ops_unavailable_title())} — Sapa</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2430}main{max-width:36rem;margin:4rem auto;padding:1.5rem;background:#fff;border:1px solid #d5d9e0}h1{font-size:1.4rem;margin-top:0}small{color:#5b6472}</style>
</head>
<body><main>
<h1>503 · ${escapeHtml(m.ops_unavailable_title())}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="${again}">${escapeHtml(m.ops_unavailable_retry())}</a></p>
<p><small>${escapeHtml(m.ops_request_id({ id }))}</small></p>
</main></body>
</html>`;
	return new Response(html, {
		status: 503,
		headers: {
			...headers,
			'content-type': 'text/html; charset=utf-8',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
		}
	});
}

/**
 * The database out of reach (PostgreSQL restarting, connections dropped, pool exhausted past its
 * timeout): 503 instead of 500, and the process carries on; the pool reconnects by itself once the
 * server is back. Inside i18n, so the page speaks the person's language.
 */
const databaseUnavailable: Handle = async ({ event, resolve }) => {
	let response: Response;
	try {
		response = await resolve(event);
	} catch (err) {
		// Thrown by a hook below (the session check): SvelteKit would answer 500.
		if (!isDatabaseUnavailable(err)) throw err;
		log.warn('database unavailable', { id: requestId(event), path: event.url.pathname, err: errorFields(err) });
		return unavailableResponse(event);
	}
	if (response.status >= 500 && unreachable.has(event.locals)) {
		await response.body?.cancel().catch(() => {});
		return unavailableResponse(event);
	}
	return response;
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
const PUBLIC_PATHS = ['/login', '/locale', '/healthz', '/readyz'];
/** Probes of load balancers and process managers: answered without looking at any session. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.access = null;
	const token = PROBE_PATHS.has(event.url.pathname) ? undefined : event.cookies.get(SESSION_COOKIE);
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
	// A signed-in person's pages are private and change with every write: no shared cache keeps them,
	// and the browser reloads them on Back instead of restoring a stale copy from its back/forward cache
	// (after a language switch that copy was still showing the page the person had moved on from).
	if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(requestLog, securityHeaders, i18n, databaseUnavailable, database, auth);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = requestId(event);
	if (isDatabaseUnavailable(error)) {
		unreachable.add(event.locals);
		log.warn('database unavailable', { id, status, path: event.url.pathname, err: errorFields(error) });
		return { message: m.ops_unavailable_text(), id };
	}
	if (status !== 404) {
		log.error('request failed', { id, status, path: event.url.pathname, err: errorFields(error, true) });
	}
	return { message: status === 404 ? m.error_not_found() : m.error_generic({ id }), id };
};
