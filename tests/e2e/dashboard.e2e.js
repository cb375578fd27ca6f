// The compliance dashboard as the Rudny head uses it: filter to 2024, sort the
// scorecard, drill into a breaching school, read the evidence behind a number,
// switch to Kazakh, go back. Every step leaves a screenshot in
// test-results/dashboard-journey/ and is checked with axe-core (no serious or
// critical violations).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, signIn } from './helpers.js';

/** @typedef {import('playwright-core').Page} Page */

const HEAD = 'head.rudny@demo.sapa.kz';
const shots = path.join(root, 'test-results', 'dashboard-journey');
const axeSource = fs.readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page; fails on any serious or critical violation.
 * @param {Page} page
 * @param {string} step
 */
async function assertAccessible(page, step) {
	await page.addScriptTag({ content: axeSource });
	/** @type {Array<{ id: string, impact: string | null, nodes: Array<{ target: unknown[] }> }>} */
	const violations = await page.evaluate(async () => {
		// @ts-expect-error axe is injected above
		const result = await window.axe.run(document, { resultTypes: ['violations'] });
		return result.violations.map((/** @type {any} */ v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })) }));
	});
	const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	assert.deepEqual(bad.map((v) => `${v.impact} ${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`), [], `axe on ${step}`);
}

/**
 * @param {Page} page
 * @param {number} n
 * @param {string} name
 */
async function shot(page, n, name) {
	await page.screenshot({ path: path.join(shots, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/**
 * The rate column of the scorecard's body rows, as numbers (null for "—").
 * @param {Page} page
 */
async function rates(page) {
	return page.locator('table.scorecard tbody tr').evaluateAll((rows) =>
		rows.map((r) => {
			const text = (r.querySelector('td.rate')?.textContent ?? '').replace(/\s/g, '').replace(',', '.').replace('%', '');
			const n = Number.parseFloat(text);
			return Number.isFinite(n) ? n : null;
		})
	);
}

/** @type {import('./annex.e2e.js').E2ETest[]} */
export default [
	{
		name: 'dashboard journey: filter, sort, drill down to the evidence, Kazakh, back',
		async run({ browser, baseUrl }) {
			// axe-core is injected as a script; the app's Content Security Policy would refuse it.
			const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: baseUrl, bypassCSP: true });
			context.setDefaultTimeout(10_000);
			const page = await context.newPage();
			fs.rmSync(shots, { recursive: true, force: true });
			fs.mkdirSync(shots, { recursive: true });

			// Signing in lands on the dashboard, on the head's own department.
			await signIn(page, baseUrl, HEAD);
			assert.equal(new URL(page.url()).pathname, '/dashboard');
			await page.locator('table.scorecard').waitFor();

			// 1. Filter to 2024: the select applies at once and the filter lives in the URL.
			await Promise.all([
				page.waitForURL((url) => url.searchParams.get('year') === '2024'),
				page.locator('form.filters select[name=year]').selectOption('2024')
			]);
			await page.locator('table.scorecard').waitFor();
			assert.match(await page.locator('main h1').first().innerText(), /\S/);
			assert.ok(await page.locator('.crumbs').innerText().then((t) => t.includes('2024')), 'the breadcrumb names the year');
			const cards = page.locator('[data-testid=headline] li.card');
			assert.equal(await cards.count(), 5, 'five headline cards');
			assert.ok(!(await page.content()).includes('NaN'), 'no NaN anywhere on the page');
			await shot(page, 1, 'filtered-2024');
			await assertAccessible(page, 'dashboard 2024');

			// 2. Sort the scorecard by the share meeting the normative, worst first.
			const rateHeader = page.locator('table.scorecard thead th').nth(1);
			await rateHeader.locator('button').click();
			let sorted = await rateHeader.getAttribute('aria-sort');
			if (sorted !== 'ascending') {
				await rateHeader.locator('button').click();
				sorted = await rateHeader.getAttribute('aria-sort');
			}
			assert.equal(sorted, 'ascending');
			await page.waitForURL((url) => url.searchParams.get('sort') === 'rate');
			const shown = (await rates(page)).filter((r) => r !== null);
			assert.ok(shown.length > 3, 'several rated rows');
			assert.deepEqual(shown, [...shown].sort((a, b) => a - b), 'rows in ascending order of the rate');
			await shot(page, 2, 'sorted-by-rate');

			// 3. Drill into a school with a breach.
			const breachingSchool = page.locator('table.scorecard tbody tr[data-kind=organization][data-row^="RUDNY-SCH-"]', { has: page.locator('td[data-status=breach]') }).first();
			const schoolCode = await breachingSchool.getAttribute('data-row');
			assert.ok(schoolCode, 'a breaching school is listed');
			const schoolName = await breachingSchool.locator('th a').innerText();
			await Promise.all([page.waitForURL((url) => url.searchParams.has('org') && url.searchParams.get('year') === '2024'), breachingSchool.locator('th a').click()]);
			await page.locator('table.scorecard tbody tr[data-kind=service]').first().waitFor();
			assert.ok((await page.locator('.crumbs').innerText()).includes(schoolName), 'the school is the scope now');
			await shot(page, 3, 'school');
			await assertAccessible(page, 'school dashboard');

			// 4. The evidence behind a breaching number: the counts, the status in words, the history and complaints.
			const breachCell = page.locator('table.scorecard tbody tr[data-kind=service] td[data-status=breach] a').first();
			const indicator = await breachCell.locator('xpath=..').getAttribute('data-indicator');
			await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/evidence'), breachCell.click()]);
			const evidenceUrl = new URL(page.url());
			assert.equal(evidenceUrl.searchParams.get('indicator'), indicator);
			assert.equal(evidenceUrl.searchParams.get('year'), '2024');
			const main = await page.locator('main').innerText();
			assert.ok(main.includes(indicator ?? '?'), 'the indicator code is shown');
			assert.equal(await page.locator('section.value').getAttribute('data-status'), 'breach');
			assert.match(main, /Нарушение норматива/, 'the status is said in words');
			assert.match(main, /\d+\s*\/\s*\d+|\d+ из \d+/, 'the counts behind the share');
			await shot(page, 4, 'evidence');
			await assertAccessible(page, 'evidence');

			// 5. Kazakh: the same evidence, official titles as written in Kazakh.
			await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/evidence'), page.locator('form.lang button[value=kk]').click()]);
			await page.waitForFunction(() => document.documentElement.lang === 'kk');
			assert.equal(new URL(page.url()).search, evidenceUrl.search, 'the same evidence after switching language');
			await shot(page, 5, 'evidence-kk');
			await assertAccessible(page, 'evidence in Kazakh');

			// 6. Back to the school's dashboard: still 2024, now in Kazakh.
			for (let i = 0; i < 3 && new URL(page.url()).pathname !== '/dashboard'; i++) await page.goBack();
			const back = new URL(page.url());
			assert.equal(back.pathname, '/dashboard');
			assert.equal(back.searchParams.get('year'), '2024');
			await page.locator('table.scorecard').waitFor();
			assert.equal(await page.evaluate(() => document.documentElement.lang), 'kk');
			assert.ok((await page.locator('table.scorecard').innerText()).length > 0);
			await shot(page, 6, 'back-kk');
			await assertAccessible(page, 'dashboard in Kazakh');

			// The phone layout of the department's dashboard: no sideways scroll of the page itself.
			await page.setViewportSize({ width: 390, height: 844 });
			await page.goto('/dashboard?year=2024');
			await page.locator('table.scorecard').waitFor();
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.ok(overflow <= 1, `the page does not scroll sideways on a phone (${overflow}px)`);
			await shot(page, 7, 'phone');
		}
	}
];
