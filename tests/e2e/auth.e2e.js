// Signing in and out in a real browser, what each person's tree shows, replayed cookies,
// throttling of wrong passwords and the security headers of the sign-in page.
import assert from 'node:assert/strict';
import { demoOrganizations, postLogin, request, signIn } from './helpers.js';

/** @typedef {import('./annex.e2e.js').E2ETest} E2ETest */
/** @typedef {import('playwright-core').Page} Page */

const HEAD = 'head.rudny@demo.sapa.kz';
const OPERATOR = 'operator.school7@demo.sapa.kz';
const VIEWER = 'viewer.rudny@demo.sapa.kz';
const tree = 'nav.tree-desktop a[data-org-code]';

/** @param {Page} page */
const mainText = async (page) => (await page.locator('main').innerText()).trim();
/** @param {Page} page */
const treeCodes = (page) => page.locator(tree).evaluateAll((as) => as.map((a) => a.getAttribute('data-org-code') ?? ''));

/** @type {E2ETest[]} */
export default [
	{
		name: 'operator of a school sees only that school',
		async run({ page, baseUrl }) {
			const orgs = await demoOrganizations(baseUrl);
			const school = orgs.get('RUDNY-SCH-07');
			const city = orgs.get('RUDNY-EDU');
			assert.ok(school && city);
			await signIn(page, baseUrl, OPERATOR);
			await page.goto('/annex');
			// No choice to make: the school's annex is shown straight away.
			await page.locator('table.annex').waitFor();
			assert.deepEqual(await treeCodes(page), ['RUDNY-SCH-07']);
			assert.equal(await page.locator(tree).getAttribute('aria-current'), 'page');
			assert.ok((await mainText(page)).includes(school.ru), 'the school is named on its annex');

			const refused = await page.goto(`/annex?org=${city.id}`);
			assert.equal(refused?.status(), 404);
			assert.match(await mainText(page), /не найдена/);
			assert.ok(!(await page.content()).includes(city.ru), 'the 404 page does not name the department');
		}
	},
	{
		name: 'Rudny head sees all of Rudny',
		async run({ page, baseUrl }) {
			await signIn(page, baseUrl, HEAD);
			await page.goto('/annex');
			const codes = await treeCodes(page);
			const count = (/** @type {string} */ prefix) => codes.filter((c) => c.startsWith(prefix)).length;
			assert.ok(codes.includes('RUDNY-EDU'), 'the department itself');
			assert.equal(count('RUDNY-SCH-'), 22, 'schools');
			assert.equal(count('RUDNY-KG-'), 16, 'kindergartens');
			assert.equal(count('RUDNY-SUP-'), 3, 'supplementary organizations');
			for (const outside of ['KST-EDU', 'LIS-EDU', 'ALT-EDU']) assert.ok(!codes.includes(outside), `${outside} is not in the tree`);
			assert.equal(codes.length, 1 + 22 + 16 + 3, `nothing else: ${codes.filter((c) => !c.startsWith('RUDNY-'))}`);
		}
	},
	{
		name: 'signing out from the header lands on the sign-in page and closes the app',
		async run({ page, baseUrl }) {
			await signIn(page, baseUrl, HEAD);
			await page.goto('/annex');
			await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.locator('header form[action="/logout"] button').click()]);
			assert.equal(await page.locator('header form[action="/logout"]').count(), 0, 'no sign-out button once signed out');
			await page.goto('/annex');
			const url = new URL(page.url());
			assert.equal(url.pathname, '/login');
			assert.equal(url.searchParams.get('next'), '/annex');
			assert.equal(await page.locator('form input[name=password]').count(), 1);
		}
	},
	{
		name: 'a replayed cookie after sign-out is refused',
		async run({ page, context, baseUrl }) {
			await signIn(page, baseUrl, HEAD);
			const session = (await context.cookies()).find((c) => c.name === 'sapa_session');
			assert.ok(session?.value, 'the session cookie is set');
			assert.ok(session.httpOnly, 'the session cookie is HttpOnly');
			const cookie = `sapa_session=${session.value}`;
			assert.equal((await request(baseUrl, 'GET', '/annex', { cookie })).status, 200, 'the cookie works before signing out');
			await page.goto('/annex');
			await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.locator('header form[action="/logout"] button').click()]);

			const replay = await request(baseUrl, 'GET', '/annex', { cookie });
			assert.equal(replay.status, 303);
			assert.equal(replay.headers.get('location'), '/login?next=%2Fannex');
			const post = await request(baseUrl, 'POST', '/account?/signOutEverywhere', { cookie, form: {} });
			assert.equal(post.status, 401, 'a post with the old cookie is refused too');
		}
	},
	{
		name: 'throttling: after repeated wrong passwords even the right one is refused for a while',
		async run({ baseUrl }) {
			const statuses = [];
			for (let i = 0; i < 6; i++) statuses.push((await postLogin(baseUrl, VIEWER, `wrong-password-${i}`)).status);
			assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400], `wrong passwords: ${statuses}`);
			assert.equal(statuses[5], 429, `the sixth wrong password: ${statuses}`);
			const right = await postLogin(baseUrl, VIEWER);
			assert.equal(right.status, 429);
			assert.ok(!right.headers.getSetCookie().some((c) => /^sapa_session=[^;]+/.test(c)), 'no session while throttled');
			const text = (await right.text()).replace(/<[^>]*>/g, ' ');
			assert.match(text, /Слишком много неудачных попыток\. Повторите через \d+ мин\./);
		}
	},
	{
		name: 'security headers on the sign-in page',
		async run({ baseUrl }) {
			const res = await request(baseUrl, 'GET', '/login');
			assert.equal(res.status, 200);
			const csp = res.headers.get('content-security-policy') ?? '';
			assert.ok(csp.includes("frame-ancestors 'none'"), `CSP: ${csp}`);
			assert.match(csp, /script-src[^;]*'nonce-[A-Za-z0-9+/=_-]{16,}'/, `a script nonce in the CSP: ${csp}`);
			const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
			assert.ok((await res.text()).includes(`nonce="${nonce}"`), 'the page\'s scripts carry that nonce');
			assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
			assert.ok(res.headers.get('referrer-policy'), 'a Referrer-Policy');
			// The redirect an anonymous visitor gets carries them too.
			const anonymous = await request(baseUrl, 'GET', '/annex');
			assert.equal(anonymous.status, 303);
			assert.equal(anonymous.headers.get('x-content-type-options'), 'nosniff');
			assert.equal(anonymous.headers.get('x-frame-options'), 'DENY');
		}
	}
];
