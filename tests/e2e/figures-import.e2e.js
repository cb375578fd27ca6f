// The spreadsheet import as people use it: the template downloaded from the form, a file with a
// mistake uploaded without JavaScript (every problem named by row), the batch hidden from anyone
// else, then the corrected file checked and written, and the value in the entry grid.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editCsvRow as edit, signIn } from './helpers.js';

const YEAR = 2025;
const ADMIN = 'admin@demo.sapa.kz';

/**
 * A school whose 2025 is still open in the demo, looked for from the end of the annex tree
 * (the grid journeys take theirs from the start).
 * @param {import('playwright-core').Page} page
 */
async function openSchool(page) {
	await page.goto('/annex');
	const ids = await page.evaluate(() => [...document.querySelectorAll('a[data-org-code^="RUDNY-SCH-"]')].map((a) => new URL(/** @type {HTMLAnchorElement} */ (a).href).searchParams.get('org')));
	for (const id of [...new Set(ids)].reverse()) {
		await page.goto(`/figures/${id}/${YEAR}`);
		if ((await page.locator('.status-bar .pill').textContent())?.includes('Заполняется')) return Number(id);
	}
	throw new Error('no school with an open 2025 in the demo');
}

export default [
	{
		name: 'import: template, a mistake named by row (without JavaScript), the batch hidden from others, the fix written',
		/** @param {{ browser: import('playwright-core').Browser, baseUrl: string }} args */
		async run({ browser, baseUrl }) {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-import-e2e-'));
			const plain = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false });
			try {
				const page = await signIn(plain, baseUrl, ADMIN);
				const org = await openSchool(page);
				await page.goto(`/figures/import?org=${org}&year=${YEAR}`);
				assert.equal(await page.locator('select[name=org]').inputValue(), String(org));

				// The template, as the form's button fetches it: the school's rows, prefilled, with Russian headers.
				const template = await page.request.get(`/figures/import/template?org=${org}&year=${YEAR}&format=csv`);
				assert.equal(template.status(), 200);
				assert.match(template.headers()['content-disposition'] ?? '', /attachment; filename="figures-RUDNY-SCH-\d+-2025\.csv"/);
				const csv = await template.text();
				assert.match(csv, /^\uFEFFКод организации;Организация;Код услуги/);
				assert.doesNotMatch(csv, /;4\.1;|;4\.2;/, 'computed indicators are not in the template');

				// A numerator above its denominator: refused, named by row and column, nothing written.
				const bad = edit(csv, (c) => c[5] === '1.1', (c) => { c[7] = '101'; c[8] = '100'; });
				fs.writeFileSync(path.join(dir, 'bad.csv'), bad.text);
				await page.setInputFiles('input[name=file]', path.join(dir, 'bad.csv'));
				await Promise.all([page.waitForURL(/\/figures\/import\/\d+$/), page.getByRole('button', { name: 'Проверить файл' }).click()]);
				const batchUrl = new URL(page.url()).pathname;
				assert.match(await page.locator('h2').first().textContent() ?? '', /Ошибки: 1/);
				const problem = page.locator('section.panel tbody tr').first();
				assert.match(await problem.textContent() ?? '', new RegExp(`^\\s*${bad.row}\\s*Числитель`));
				assert.match(await problem.textContent() ?? '', /Числитель больше знаменателя/);
				assert.equal(await page.getByRole('button', { name: 'Записать данные' }).count(), 0);

				// Someone else who reads the same subtree (the Rudny head; the viewer account is left to the
				// throttling test) does not see the batch at all.
				const other = await signIn(await browser.newContext({ baseURL: baseUrl }), baseUrl, 'head.rudny@demo.sapa.kz');
				assert.equal((await other.goto(batchUrl))?.status(), 404);
				assert.equal((await other.goto(`${batchUrl}/progress`))?.status(), 404);
				await other.context().close();

				// The fix, with JavaScript: checked, then written all together; the grid shows it.
				const live = await signIn(await browser.newContext({ baseURL: baseUrl }), baseUrl, ADMIN);
				const good = edit(csv, (c) => c[5] === '1.1', (c) => { c[7] = '7'; c[8] = '9'; c[10] = 'Импорт: әкімдік'; });
				fs.writeFileSync(path.join(dir, 'good.csv'), good.text);
				await live.goto(`/figures/import?org=${org}&year=${YEAR}`);
				await live.setInputFiles('input[name=file]', path.join(dir, 'good.csv'));
				await Promise.all([live.waitForURL(/\/figures\/import\/\d+$/), live.getByRole('button', { name: 'Проверить файл' }).click()]);
				assert.match(await live.locator('.box').first().textContent() ?? '', /Ошибок нет/);
				await live.getByRole('button', { name: 'Записать данные' }).click();
				await live.locator('.box.ok a').waitFor();
				assert.match(await live.locator('.box.ok').textContent() ?? '', /Данные записаны/);
				assert.match(await live.locator('.state').textContent() ?? '', /Записан/);
				await live.locator('.box.ok a').click();
				await live.waitForURL(new RegExp(`/figures/${org}/${YEAR}$`));
				const row = live.locator('section.service >> nth=0 >> tr[data-indicator="1.1"]');
				assert.equal(await row.locator('input:not([type=hidden])').nth(0).inputValue(), '7');
				assert.equal(await row.locator('input:not([type=hidden])').nth(1).inputValue(), '9');
				await live.context().close();
			} finally {
				await plain.close();
				fs.rmSync(dir, { recursive: true, force: true });
			}
		}
	}
];
