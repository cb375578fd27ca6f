// The access matrix over plain HTTP: every demo user (and an anonymous visitor) against every
// page, action and endpoint, aimed at organizations and people in each relation to them.
// Expectations come from tests/e2e/access-rules.js; refusals must not leak what they refuse.
import assert from 'node:assert/strict';
import { CELLS, DENIED, FORM, GLOBAL_PICKS, GROUPS, PICK, expected, meets, relation } from './access-rules.js';
import { demoOrganizations, demoUsers, httpSignIn, missingRoutes, postLogin, request, routeIds } from './helpers.js';

const ADMIN = 'admin@demo.sapa.kz';
/** @typedef {{ email: string, role: string | null, org: string | null | undefined }} Row  role null: anonymous; org null: global */
/** @type {Row[]} */
const ROWS = [
	...demoUsers().map((u) => {
		const [grant] = u.grants;
		assert.ok(grant && u.grants.length === 1, `${u.email}: the matrix handles one grant per demo user`);
		return { email: u.email, role: grant.role, org: grant.orgCode };
	}),
	{ email: 'anonymous', role: null, org: undefined }
];
/** @param {Row} row */
const describe = (row) => (row.role ? `${row.email} (${row.role} @ ${row.org ?? 'whole system'})` : 'anonymous visitor');
/** @param {string} url */
function cellFor(url) {
	const cell = CELLS.find((c) => c.url === url);
	if (!cell) throw new Error(`no cell for ${url} in access-rules.js`);
	return cell;
}
/** @param {string} s */
const escaped = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

let serial = 0;
/** Shared by the file's tests: organizations (ids, names), people's ids, one session per row. */
let world = /** @type {Promise<{ orgs: Map<string, { id: number, ru: string, kk: string }>, sessions: Map<string, string>, userIds: Map<string, number> | null }> | null} */ (null);
function setup(/** @type {string} */ baseUrl) {
	world ??= (async () => {
		const orgs = await demoOrganizations(baseUrl);
		const sessions = new Map();
		for (const row of ROWS) if (row.role) sessions.set(row.email, await httpSignIn(baseUrl, row.email));
		return { orgs, sessions, userIds: null };
	})();
	return world;
}

/** Ids of the demo people, from the rows of the list a global admin sees. */
async function userIds(/** @type {string} */ baseUrl, /** @type {Awaited<ReturnType<typeof setup>>} */ w) {
	if (w.userIds) return w.userIds;
	const html = await (await request(baseUrl, 'GET', '/admin/users', { cookie: w.sessions.get(ADMIN) })).text();
	const rows = html.split(/<tr[\s>]|<li[\s>]/);
	const links = [...html.matchAll(/\/admin\/users\/(\d+)/g)];
	w.userIds = new Map(ROWS.filter((r) => r.role).map((r) => {
		const mention = new RegExp(`(^|[^\\w.])${r.email.replaceAll('.', '\\.')}`);
		// The link in the person's table row or list item; else the link nearest to the address.
		let id = /\/admin\/users\/(\d+)/.exec(rows.find((part) => mention.test(part)) ?? '')?.[1];
		const at = html.search(mention);
		if (!id && at >= 0) id = links.sort((a, b) => Math.abs(/** @type {number} */ (a.index) - at) - Math.abs(/** @type {number} */ (b.index) - at))[0]?.[1];
		assert.ok(id, `/admin/users as admin: no link to /admin/users/<id> for ${r.email}`);
		return [r.email, Number(id)];
	}));
	return w.userIds;
}

const ROOT_OF_SETS = 'RUDNY-EDU';
/** @type {Promise<number> | null} */
let setId = null;
/** The id of a demo target set rooted at RUDNY-EDU (2026), from the list a global admin sees. */
function demoSetId(/** @type {string} */ baseUrl, /** @type {Awaited<ReturnType<typeof setup>>} */ w) {
	setId ??= (async () => {
		const html = await (await request(baseUrl, 'GET', '/targets?year=2026', { cookie: w.sessions.get(ADMIN) })).text();
		const id = new RegExp(`data-set-id="(\\d+)" data-root-code="${ROOT_OF_SETS}"`).exec(html)?.[1];
		assert.ok(id, `/targets?year=2026 as admin: no set rooted at ${ROOT_OF_SETS}`);
		return Number(id);
	})();
	return setId;
}

/**
 * What a cell is aimed at for a row: each with its relation, address and the secrets a refusal must not show.
 * @param {string} baseUrl @param {Awaited<ReturnType<typeof setup>>} w @param {Row} row @param {import('./access-rules.js').Cell} cell
 * @returns {Promise<Array<{ rel: string, label: string, url: string, id?: string, secrets: string[] }>>}
 */
async function aims(baseUrl, w, row, cell) {
	if (cell.target === 'org') {
		/** @type {Array<[string, string | null | undefined]>} */
		const picks = row.org === undefined ? [['anonymous', 'RUDNY-SCH-07']]
			: row.org === null ? GLOBAL_PICKS.map((c) => ['whole system', c])
			: Object.entries(PICK).map(([rel, pick]) => [rel, pick(/** @type {string} */ (row.org))]);
		return picks.map(([rel, code]) => {
			if (!code) return { rel, label: `${rel}: none in the demo tree`, url: '', secrets: [] };
			const o = w.orgs.get(/** @type {string} */ (code));
			assert.ok(o, `organization ${code} is not in the admin's tree`);
			return { rel, label: `${rel} ${code}`, url: cell.url.replace('[id]', String(o.id)), id: String(o.id), secrets: [o.ru, o.kk] };
		});
	}
	if (cell.target === 'set') {
		// The demo's target sets are all rooted at RUDNY-EDU: one set, aimed at in the row's relation to that root.
		const id = await demoSetId(baseUrl, w);
		const rel = row.org === undefined ? 'anonymous' : relation(/** @type {string | null} */ (row.org), ROOT_OF_SETS);
		const o = w.orgs.get(ROOT_OF_SETS);
		assert.ok(o, `organization ${ROOT_OF_SETS} is not in the admin's tree`);
		return [{ rel, label: `${rel} set@${ROOT_OF_SETS}`, url: cell.url.replace('[set]', String(id)), secrets: [o.ru, o.kk] }];
	}
	if (cell.target === 'user') {
		const ids = await userIds(baseUrl, w);
		/** @type {Map<string, Row>} one person per relation (a global admin: three, in different places) */
		const people = new Map();
		for (const other of ROWS.filter((r) => r.role && r.email !== row.email)) {
			const rel = row.org === undefined ? 'anonymous' : relation(row.org, /** @type {string | null} */ (other.org));
			const key = rel === 'whole system' ? other.email : rel;
			if (rel !== 'cousin' && !people.has(key) && !(rel === 'whole system' && !GLOBAL_PICKS.concat('ALT-EDU').includes(String(other.org)))) people.set(key, other);
		}
		return [...people].map(([key, other]) => {
			const rel = row.org === null ? 'whole system' : key;
			return { rel, label: `${rel} ${other.email.split('@')[0]}`, url: cell.url.replace('[id]', String(ids.get(other.email))), secrets: [other.email] };
		});
	}
	return [{ rel: '', label: '', url: cell.url, secrets: /** @type {string[]} */ ([]) }];
}

/**
 * Runs one row's cells of a group; prints the row's table; fails listing every mismatch and leak.
 * @param {string} baseUrl @param {Row} row @param {string} group
 */
async function runRow(baseUrl, row, group) {
	const w = await setup(baseUrl);
	const cookie = w.sessions.get(row.email) ?? null;
	const lines = [];
	const problems = [];
	for (const cell of CELLS.filter((c) => c.group === group && !c.ends)) {
		const head = `    ${cell.method.padEnd(4)} ${(cell.show ?? cell.url).padEnd(38)} `;
		const missing = missingRoutes([cell.route]);
		if (missing) {
			lines.push(`${head}skipped: ${missing}`);
			continue;
		}
		const results = [];
		for (const aim of await aims(baseUrl, w, row, cell)) {
			if (!aim.url) {
				results.push(aim.label);
				continue;
			}
			const want = expected(row.role, cell, aim.rel);
			const tag = aim.label ? `${aim.label} ` : '';
			if (cell.changes && !DENIED.has(want)) {
				results.push(`${tag}(allowed: run in the last test)`);
				continue;
			}
			const n = String(++serial);
			const form = cell.form && Object.fromEntries(Object.entries(cell.form).map(([k, v]) => [k, v.replace('[id]', aim.id ?? '').replaceAll('[n]', n)]));
			const res = await request(baseUrl, cell.method, aim.url, { cookie, form });
			const body = await res.text();
			const ok = meets(res, want, aim.url);
			const leaks = DENIED.has(want) ? aim.secrets.filter((s) => s && (body.includes(s) || body.includes(escaped(s)))) : [];
			results.push(`${tag}${res.status}${ok ? '' : ` ✗ want ${want}`}${leaks.length ? ' ✗ LEAK' : ''}`);
			const where = `${cell.method} ${aim.url} as ${row.email}${aim.label ? ` (${aim.label})` : ''}`;
			if (!ok) problems.push(`${where}: expected ${want}, got ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}`);
			if (leaks.length) problems.push(`${where}: the refusal shows ${leaks.join(' / ')}`);
			// A page that is allowed shows what a refusal must hide: proof the leak check looks for the right text.
			if (ok && cell.method === 'GET' && res.status === 200 && aim.secrets.length && !aim.secrets.some((x) => body.includes(x))) {
				problems.push(`${where}: the page does not show ${aim.secrets.join(' / ')}, so the leak check would be blind`);
			}
		}
		lines.push(head + results.join(' · '));
	}
	console.log(`  ${describe(row)} — ${group}\n${lines.join('\n')}`);
	assert.deepEqual(problems, [], `${problems.length} cell(s) wrong`);
}

/** Signing out, last: /logout ends one session, signOutEverywhere all of them; anonymous posts are refused. */
async function signOuts(/** @type {string} */ baseUrl) {
	const w = await setup(baseUrl);
	const [logout, everywhere] = [cellFor('/logout'), cellFor('/account?/signOutEverywhere')];
	const account = /** @param {string} cookie */ async (cookie) => request(baseUrl, 'GET', '/account', { cookie });
	for (const row of ROWS) {
		if (!row.role) {
			for (const cell of [logout, everywhere]) {
				const res = await request(baseUrl, 'POST', cell.url, { form: {} });
				assert.ok(meets(res, expected(null, cell, ''), cell.url), `${cell.url} as anonymous: got ${res.status}`);
			}
			console.log(`    anonymous: POST /logout and ?/signOutEverywhere refused`);
			continue;
		}
		const main = /** @type {string} */ (w.sessions.get(row.email));
		const one = await httpSignIn(baseUrl, row.email);
		let res = await request(baseUrl, 'POST', logout.url, { cookie: one, form: {} });
		assert.ok(meets(res, expected(row.role, logout, ''), logout.url) && res.headers.get('location') === '/login', `${row.email}: POST /logout → ${res.status}`);
		assert.ok(meets(await account(one), 'login', '/account'), `${row.email}: the signed-out session still opens /account`);
		assert.equal((await account(main)).status, 200, `${row.email}: /logout ended another session too`);
		const two = await httpSignIn(baseUrl, row.email);
		res = await request(baseUrl, 'POST', everywhere.url, { cookie: two, form: {} });
		assert.ok(meets(res, expected(row.role, everywhere, ''), everywhere.url), `${row.email}: signOutEverywhere → ${res.status}`);
		for (const [name, cookie] of /** @type {Array<[string, string]>} */ ([['that', two], ['another', main]])) assert.ok(meets(await account(cookie), 'login', '/account'), `${row.email}: ${name} session survived signOutEverywhere`);
		console.log(`    ${row.email}: POST /logout 303 ends that session only · POST ?/signOutEverywhere ${res.status} ends all`);
	}
}

/** The allowed changes, last: a manager disables, re-enables and resets a person in scope. */
async function managersChange(/** @type {string} */ baseUrl) {
	const w = await setup(baseUrl);
	const ids = await userIds(baseUrl, w);
	/** @type {Array<[string, string]>} manager and a person in their scope */
	const pairs = [['head.rudny@demo.sapa.kz', 'wg.rudny@demo.sapa.kz'], [ADMIN, 'head.other@demo.sapa.kz']];
	for (const [manager, person] of pairs) {
		const m = /** @type {Row} */ (ROWS.find((r) => r.email === manager));
		const p = /** @type {Row} */ (ROWS.find((r) => r.email === person));
		const cookie = await httpSignIn(baseUrl, manager);
		const own = await httpSignIn(baseUrl, person);
		const post = (/** @type {string} */ action) => request(baseUrl, 'POST', `/admin/users/${ids.get(person)}?/${action}`, { cookie, form: {} });
		const rel = relation(/** @type {string | null} */ (m.org), /** @type {string | null} */ (p.org));
		assert.equal(expected(m.role, cellFor('/admin/users/[id]?/disable'), rel), FORM, `${manager} may change ${person} (${rel})`);
		const disabled = await post('disable');
		assert.ok(meets(disabled, FORM, ''), `${manager} ?/disable ${person}: ${disabled.status}`);
		if (disabled.status !== 400) {
			assert.ok(meets(await request(baseUrl, 'GET', '/account', { cookie: own }), 'login', '/account'), `${person}'s session survived being disabled`);
			assert.notEqual((await postLogin(baseUrl, person)).status, 303, `${person} signs in while disabled`);
		}
		const enabled = await post('enable');
		assert.ok(meets(enabled, FORM, ''), `${manager} ?/enable ${person}: ${enabled.status}`);
		const again = enabled.status === 400 ? null : await httpSignIn(baseUrl, person);
		const reset = await post('resetPassword');
		assert.ok(meets(reset, FORM, ''), `${manager} ?/resetPassword ${person}: ${reset.status}`);
		if (again && reset.status !== 400) {
			assert.ok(meets(await request(baseUrl, 'GET', '/account', { cookie: again }), 'login', '/account'), `${person}'s session survived a password reset`);
			assert.equal((await postLogin(baseUrl, person)).status, 400, `${person}'s old password still works after a reset`);
		}
		console.log(`    ${manager} on ${person} (${rel}): disable ${disabled.status} · enable ${enabled.status} · resetPassword ${reset.status}`);
	}
}

/** @type {Array<{ name: string, skip?: string | null, run: (args: { baseUrl: string }) => Promise<void> }>} */
const tests = [
	{
		name: 'every route is in the access matrix',
		async run() {
			const covered = new Set(CELLS.map((c) => c.route));
			assert.deepEqual(routeIds().filter((r) => !covered.has(r)), [], 'routes the matrix in tests/e2e/access-rules.js does not cover');
		}
	}
];
for (const row of ROWS) {
	for (const group of GROUPS) {
		const needed = [...new Set(CELLS.filter((c) => c.group === group).map((c) => c.route))];
		const missing = missingRoutes(needed);
		// Skipped only when none of the group's routes exists yet; otherwise the missing cells are listed as skipped.
		const skip = missing && needed.every((r) => missingRoutes([r])) ? missing : null;
		tests.push({ name: `access matrix, ${group}: ${describe(row)}`, skip, run: ({ baseUrl }) => runRow(baseUrl, row, group) });
	}
}
tests.push(
	{ name: 'signing out ends that session, signing out everywhere ends them all', run: ({ baseUrl }) => signOuts(baseUrl) },
	{ name: 'a manager may disable, enable and reset a person in scope', skip: missingRoutes(['/admin/users', '/admin/users/[id]']), run: ({ baseUrl }) => managersChange(baseUrl) }
);
export default tests;
