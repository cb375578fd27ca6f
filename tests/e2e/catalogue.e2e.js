// Keeping the catalogue true, as an administrator does it: a new school under Rudny, the school
// services assigned to it from next year, and a new standard with a changed normative, both
// visible in the annex screen for the right years.
import assert from 'node:assert/strict';
import { signIn } from './helpers.js';

const NEXT = new Date().getFullYear() + 1;
const SCHOOL_SERVICES = ['S13', 'S15', 'S16', 'S17', 'S18', 'S19', 'S20', 'S21'];

/** @param {import('playwright-core').Page} page @param {string} selector @param {string} label text the option starts with */
async function selectByText(page, selector, label) {
	const value = await page.$eval(selector, (el, l) => {
		const option = [...(/** @type {HTMLSelectElement} */ (el)).options].find((o) => o.textContent?.trim().startsWith(l));
		return option?.value ?? null;
	}, label);
	assert.ok(value, `no option starting with "${label}" in ${selector}`);
	await page.selectOption(selector, value);
}

export default [
	{
		name: 'an admin adds a school, assigns it the school services from next year and records a new standard',
		/** @param {{ page: import('playwright-core').Page, baseUrl: string }} args */
		async run({ page, baseUrl }) {
			await signIn(page, baseUrl, 'admin@demo.sapa.kz', 'sapa-demo-2026');

			// 1. The new school under Rudny, open from 1 September of next year.
			await page.goto('/admin/organizations/new');
			await page.fill('input[name=code]', 'RUDNY-SCH-23');
			await page.selectOption('select[name=kind]', 'school');
			await page.fill('input[name=nameKk]', '№ 23 жалпы орта білім беретін мектеп (e2e)');
			await page.fill('input[name=nameRu]', 'Средняя школа № 23 (e2e)');
			await selectByText(page, 'select[name=parent]', 'RUDNY-EDU');
			await page.fill('input[name=activeFrom]', `${NEXT}-09-01`);
			await Promise.all([page.waitForURL(/\/admin\/organizations\/\d+(\?|$)/), page.click('form button.primary[type=submit]')]);
			const schoolId = Number(/\/admin\/organizations\/(\d+)/.exec(page.url())?.[1]);
			assert.ok(schoolId > 0);
			assert.match(await page.textContent('main') ?? '', /Средняя школа № 23 \(e2e\)/);

			// 2. Every Rudny school provides the school services; only the new one lacks them from next year.
			await page.goto('/admin/assignments');
			const bulk = page.locator('form[action$="/bulk"]');
			await selectByText(page, 'form[action$="/bulk"] select[name=department]', 'RUDNY-EDU');
			await bulk.locator('select[name=kind]').selectOption('school');
			for (const code of SCHOOL_SERVICES) {
				const label = bulk.locator('label', { hasText: new RegExp(`^\\s*${code}\\b`) });
				await label.locator('input[name=services]').check();
			}
			await bulk.locator('input[name=yearFrom]').fill(String(NEXT));
			await Promise.all([page.waitForLoadState('networkidle'), bulk.locator('button[type=submit]').click()]);
			const report = await page.textContent('main') ?? '';
			assert.match(report, new RegExp(`\\b${SCHOOL_SERVICES.length}\\b`), `the bulk result names ${SCHOOL_SERVICES.length} added: ${report.slice(0, 400)}`);

			// 3. A new standard for S19 from next year: 3.1's normative 99 → 100.
			await page.goto('/admin/services');
			await page.click('a:has-text("S19")');
			const std = page.locator('form[action="?/standard"]');
			await std.locator('input[name=actIssuerKk]').fill('Сынақ бұйрығы (e2e)');
			await std.locator('input[name=actIssuerRu]').fill('Тестовый приказ (e2e)');
			await std.locator('input[name=actNumber]').fill('E2E-1');
			await std.locator('input[name=actDate]').fill(`${NEXT - 1}-12-01`);
			await std.locator('input[name=validFrom]').fill(`${NEXT}-01-01`);
			const r31 = std.locator('label', { hasText: /^\s*3\.1\b/ }).locator('input');
			await r31.fill('100');
			await Promise.all([page.waitForLoadState('networkidle'), std.locator('button[type=submit]').click()]);
			assert.match(await page.textContent('main') ?? '', /E2E-1/);

			// 4. The annex: the new school has S19 from next year under the new standard (3.1 normative 100).
			await page.goto(`/annex?org=${schoolId}&year=${NEXT}`);
			await selectByText(page, 'select[name=service]', 'S19');
			await Promise.all([page.waitForLoadState('networkidle'), page.click('form.filters button[type=submit]')]);
			assert.match(page.url(), new RegExp(`year=${NEXT}`));
			assert.equal((await page.textContent('tr[data-indicator="3.1"] td.num'))?.trim(), '100 %');
			assert.match(await page.textContent('.standard') ?? '', /E2E-1/);

			// ...and an existing Rudny school keeps the old normative (99) for this year, the new one for next year.
			const school7 = await page.$eval('a[data-org-code="RUDNY-SCH-07"]', (a) => new URL(/** @type {HTMLAnchorElement} */ (a).href).searchParams.get('org'));
			const cell = async (/** @type {number} */ year) => {
				await page.goto(`/annex?org=${school7}&year=${year}`);
				await selectByText(page, 'select[name=service]', 'S19');
				await Promise.all([page.waitForLoadState('networkidle'), page.click('form.filters button[type=submit]')]);
				return (await page.textContent('tr[data-indicator="3.1"] td.num'))?.trim();
			};
			assert.equal(await cell(NEXT - 1), '99 %');
			assert.equal(await cell(NEXT), '100 %');
		}
	}
];
