// Shared by the browser and HTTP tests: signing in, plain requests with a session,
// and what the demo data and the route folders say (read from the sources, not copied).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const DEMO_PASSWORD = 'sapa-demo-2026';
export const root = path.resolve(import.meta.dirname, '..', '..');
export const routesDir = path.join(root, 'src', 'routes');

/**
 * Signs in through the real /login form in the browser. Given a context, opens a page
 * for it (the session cookie then belongs to the whole context). Returns the page.
 * @param {import('playwright-core').Page | import('playwright-core').BrowserContext} target
 * @param {string} baseUrl
 * @param {string} email
 * @param {string} [password]
 */
export async function signIn(target, baseUrl, email, password = DEMO_PASSWORD) {
	const page = 'goto' in target ? target : await target.newPage();
	await page.goto(`${baseUrl}/login`);
	await page.locator('form input[name=email]').fill(email);
	await page.locator('form input[name=password]').fill(password);
	await Promise.all([
		page.waitForURL((url) => !url.pathname.startsWith('/login')),
		page.locator('form button[type=submit]').click()
	]);
	return page;
}

/**
 * One request as a browser's form post or link would make it: same-site Origin on posts
 * (SvelteKit refuses cross-site form posts), HTML wanted, redirects not followed.
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} url a path such as '/annex?org=3'
 * @param {{ cookie?: string | null, form?: Record<string, string> }} [options]
 */
export function request(baseUrl, method, url, { cookie = null, form } = {}) {
	/** @type {Record<string, string>} */
	const headers = { accept: 'text/html' };
	if (cookie) headers.cookie = cookie;
	if (method !== 'GET') headers.origin = baseUrl;
	const body = method === 'GET' ? undefined : new URLSearchParams(form ?? {});
	return fetch(`${baseUrl}${url}`, { method, headers, body, redirect: 'manual' });
}

/**
 * POST /login as the form does; the raw response.
 * @param {string} baseUrl
 * @param {string} email
 * @param {string} [password]
 */
export function postLogin(baseUrl, email, password = DEMO_PASSWORD) {
	return request(baseUrl, 'POST', '/login', { form: { email, password, next: '/annex' } });
}

/**
 * Signs in over HTTP; returns the cookie string `sapa_session=…` to send back.
 * @param {string} baseUrl
 * @param {string} email
 * @param {string} [password]
 */
export async function httpSignIn(baseUrl, email, password = DEMO_PASSWORD) {
	const res = await postLogin(baseUrl, email, password);
	const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('sapa_session=') && c.length > 'sapa_session='.length);
	if (res.status !== 303 || !cookie) {
		const body = (await res.text()).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').slice(0, 300);
		throw new Error(`sign-in as ${email} failed: ${res.status} ${body}`);
	}
	return cookie;
}

const entities = /** @type {Record<string, string>} */ ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" });
/** @param {string} s */
export const unescapeHtml = (s) => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e] ?? e);

/**
 * Every organization in the tree of an /annex page: code → { id, name } (name as shown).
 * @param {string} html
 */
export function treeOrganizations(html) {
	/** @type {Map<string, { id: number, name: string }>} */
	const out = new Map();
	for (const [, attrs = '', name = ''] of html.matchAll(/<a\b([^>]*\bdata-org-code="[^"]+"[^>]*)>([^<]*)</g)) {
		const code = /data-org-code="([^"]+)"/.exec(attrs)?.[1];
		const id = /href="\/annex\?org=(\d+)/.exec(attrs)?.[1];
		if (code && id) out.set(unescapeHtml(code), { id: Number(id), name: unescapeHtml(name).trim() });
	}
	return out;
}

/**
 * Organizations with their ids and Russian and Kazakh names, as a global admin sees them.
 * @param {string} baseUrl
 * @returns {Promise<Map<string, { id: number, ru: string, kk: string }>>}
 */
export async function demoOrganizations(baseUrl) {
	const cookie = await httpSignIn(baseUrl, 'admin@demo.sapa.kz');
	const tree = async (/** @type {string} */ locale) =>
		treeOrganizations(await (await request(baseUrl, 'GET', '/annex', { cookie: `${cookie}; PARAGLIDE_LOCALE=${locale}` })).text());
	const [ru, kk] = [await tree('ru'), await tree('kk')];
	return new Map([...ru].map(([code, o]) => [code, { id: o.id, ru: o.name, kk: kk.get(code)?.name ?? '' }]));
}

/**
 * DEMO_USERS as src/lib/server/demo/plan.ts declares them (one grant each in the demo).
 * @returns {Array<{ email: string, grants: Array<{ role: string, orgCode: string | null }> }>}
 */
export function demoUsers() {
	const source = fs.readFileSync(path.join(root, 'src', 'lib', 'server', 'demo', 'plan.ts'), 'utf8');
	const block = /export const DEMO_USERS[^=]*=\s*\[([\s\S]*?)\n\];/.exec(source)?.[1];
	if (!block) throw new Error('DEMO_USERS not found in plan.ts');
	return block.split('\n').filter((line) => line.includes('email:')).map((line) => ({
		email: /email: '([^']+)'/.exec(line)?.[1] ?? '',
		grants: [...line.matchAll(/role: '(\w+)', orgCode: (?:'([^']+)'|null)/g)].map(([, role = '', orgCode]) => ({ role, orgCode: orgCode ?? null }))
	}));
}

/**
 * Route ids of every page and endpoint under src/routes, groups left out: '/admin/users/[id]'.
 * @returns {string[]}
 */
export function routeIds() {
	const ids = new Set();
	const walk = (/** @type {string} */ dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory()) walk(path.join(dir, entry.name));
			else if (/^\+(page\.server|page|server)\.(ts|js)$|^\+page\.svelte$/.test(entry.name)) {
				const segments = path.relative(routesDir, dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
				ids.add(`/${segments.join('/')}`);
			}
		}
	};
	walk(routesDir);
	return [...ids].sort();
}

/**
 * Why a test that needs these routes cannot run yet, or null when every one's folder exists.
 * @param {string[]} routes
 */
export function missingRoutes(routes) {
	const have = new Set(routeIds());
	const dirs = new Set(routeDirs());
	const missing = routes.filter((r) => !have.has(r) && !dirs.has(r));
	return missing.length ? `not built yet: ${missing.map((r) => `src/routes${r}`).join(', ')}` : null;
}

/** Route ids of every folder under src/routes (groups left out), pages or not. */
function routeDirs() {
	/** @type {string[]} */
	const out = [];
	const walk = (/** @type {string} */ dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (!entry.isDirectory()) continue;
			walk(path.join(dir, entry.name));
			const segments = path.relative(routesDir, path.join(dir, entry.name)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
			out.push(`/${segments.join('/')}`);
		}
	};
	walk(routesDir);
	return out;
}

/**
 * Changes one data row of a figures CSV template (`;`, CRLF, BOM): the first row `where` picks; returns the new
 * text and the spreadsheet row number of the change.
 * @param {string} csv @param {(cells: string[]) => boolean} where @param {(cells: string[]) => void} change
 */
export function editCsvRow(csv, where, change) {
	const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
	const at = lines.findIndex((l, i) => i > 0 && where(l.split(';')));
	assert.ok(at > 0, 'the template has the row to edit');
	const cells = /** @type {string} */ (lines[at]).split(';');
	change(cells);
	lines[at] = cells.join(';');
	return { text: '\uFEFF' + lines.join('\r\n'), row: at + 1 };
}
