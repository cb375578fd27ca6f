// Capturing a year's figures as the people who do it: an operator fills the grid, makes a mistake,
// fixes it, saves, imports a spreadsheet and submits; the Rudny head approves, and the year is locked.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editCsvRow, signIn } from './helpers.js';

const YEAR = 2025;

/** The id of the only organization an operator sees (the first organization link of /annex). @param {import('playwright-core').Page} page */
async function ownOrganizationId(page) {
	await page.goto('/annex');
	const id = await page.evaluate(() => {
		const a = /** @type {HTMLAnchorElement | null} */ (document.querySelector('a[href*="org="]'));
		return a ? new URL(a.href).searchParams.get('org') : null;
	});
	assert.ok(id, 'the operator sees their school');
	return Number(id);
}

/** @param {import('playwright-core').Page} page @param {string} code @param {number} nth 0 numerator, 1 denominator */
const cellInput = (page, code, nth) => page.locator(`section.service >> nth=0 >> tr[data-indicator="${code}"] input:not([type=hidden])`).nth(nth);

/** @param {import('playwright-core').Page} page */
async function save(page) {
	await Promise.all([
		page.waitForResponse((r) => r.url().includes('?/save') && r.request().method() === 'POST'),
		page.getByRole('button', { name: 'Сохранить' }).click()
	]);
	await page.waitForLoadState('networkidle');
}

export default [
	{
		name: 'an operator fills the grid, fixes a mistake, saves, imports a spreadsheet and submits; the Rudny head approves and the year locks',
		/** @param {{ browser: import('playwright-core').Browser, page: import('playwright-core').Page, baseUrl: string }} args */
		async run({ browser, page, baseUrl }) {
			await signIn(page, baseUrl, 'operator.school7@demo.sapa.kz');
			const org = await ownOrganizationId(page);
			await page.goto(`/figures/${org}/${YEAR}`);
			assert.match(await page.locator('.status-bar .pill').textContent() ?? '', /Заполняется/);

			// The percentage follows what is typed.
			await cellInput(page, '1.1', 0).fill('3');
			await cellInput(page, '1.1', 1).fill('4');
			assert.match(await page.locator('section.service >> nth=0 >> tr[data-indicator="1.1"] td.pct').textContent() ?? '', /75\s?%/);

			// A mistake: more on time than all cases. Nothing is saved, the field says why, what was typed stays.
			await cellInput(page, '1.1', 0).fill('5');
			await save(page);
			const alert = page.locator('[role=alert]').first();
			assert.match(await alert.textContent() ?? '', /Ничего не сохранено/);
			assert.equal(await cellInput(page, '1.1', 0).getAttribute('aria-invalid'), 'true');
			assert.match(await page.locator('section.service >> nth=0 >> tr[data-indicator="1.1"]').textContent() ?? '', /Числитель больше знаменателя/);
			assert.equal(await cellInput(page, '1.1', 0).inputValue(), '5');

			// Fixed, with a comment: saved, and the history link shows who changed it.
			await cellInput(page, '1.1', 0).fill('3');
			await page.locator('section.service >> nth=0 >> tr[data-indicator="1.1"] td.comment input').fill('Пересчитано по журналу');
			await save(page);
			assert.match(await page.locator('.notice').first().textContent() ?? '', /Сохранено изменений: 1/);
			assert.equal(await cellInput(page, '1.1', 0).inputValue(), '3');
			assert.equal(await cellInput(page, '1.1', 1).inputValue(), '4');

			// A spreadsheet: the template from the grid's link, one value changed, checked, written, seen in the grid.
			await Promise.all([page.waitForURL(/\/figures\/import\?/), page.getByRole('link', { name: 'Загрузить из таблицы' }).click()]);
			const template = await page.request.get(`/figures/import/template?org=${org}&year=${YEAR}&format=csv`);
			assert.equal(template.status(), 200);
			const file = editCsvRow(await template.text(), (c) => c[5] === '2.2', (c) => { c[7] = '11'; c[8] = '12'; });
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-e2e-'));
			fs.writeFileSync(path.join(dir, 'figures.csv'), file.text);
			await page.setInputFiles('input[name=file]', path.join(dir, 'figures.csv'));
			await Promise.all([page.waitForURL(/\/figures\/import\/\d+$/), page.getByRole('button', { name: 'Проверить файл' }).click()]);
			fs.rmSync(dir, { recursive: true, force: true });
			assert.match(await page.locator('.box').first().textContent() ?? '', /Ошибок нет/);
			await page.getByRole('button', { name: 'Записать данные' }).click();
			await page.locator('.box.ok a').waitFor();
			await Promise.all([page.waitForURL(new RegExp(`/figures/${org}/${YEAR}$`)), page.locator('.box.ok a').click()]);
			assert.equal(await cellInput(page, '2.2', 0).inputValue(), '11');
			assert.equal(await cellInput(page, '2.2', 1).inputValue(), '12');

			// Submit: the grid becomes read-only.
			await Promise.all([page.waitForLoadState('networkidle'), page.getByRole('button', { name: 'Отправить на утверждение' }).click()]);
			await page.waitForFunction(() => document.querySelector('.status-bar .pill')?.textContent?.includes('Отправлен'));
			assert.equal(await page.locator('form.grid-form input[name^="m."]').count(), 0);

			// The Rudny head approves.
			const headContext = await browser.newContext({ baseURL: baseUrl });
			const head = await signIn(headContext, baseUrl, 'head.rudny@demo.sapa.kz');
			await head.goto(`/figures/${org}/${YEAR}`);
			assert.match(await head.locator('section.service >> nth=0 >> tr[data-indicator="1.1"]').textContent() ?? '', /Пересчитано по журналу/);
			await Promise.all([head.waitForLoadState('networkidle'), head.getByRole('button', { name: 'Утвердить' }).click()]);
			await head.waitForFunction(() => document.querySelector('.status-bar .pill')?.textContent?.includes('Утверждён'));
			// Reopening needs a reason; the head is offered it.
			assert.equal(await head.getByRole('button', { name: 'Открыть повторно' }).count(), 1);
			await headContext.close();

			// The operator sees it approved and cannot submit again.
			await page.reload();
			assert.match(await page.locator('.status-bar .pill').textContent() ?? '', /Утверждён/);
			assert.equal(await page.getByRole('button', { name: 'Отправить на утверждение' }).count(), 0);
		}
	},
	{
		name: 'two people save the same value: the second is told both values and nothing of theirs is overwritten',
		/** @param {{ browser: import('playwright-core').Browser, page: import('playwright-core').Page, baseUrl: string }} args */
		async run({ browser, page, baseUrl }) {
			// Both are admins of the whole system here: the demo has one operator per school.
			await signIn(page, baseUrl, 'admin@demo.sapa.kz');
			const otherContext = await browser.newContext({ baseURL: baseUrl });
			const other = await signIn(otherContext, baseUrl, 'admin@demo.sapa.kz');
			// Secondary school No. 7's neighbour whose 2025 is open in the demo: found through the annex tree.
			await page.goto('/annex');
			const ids = await page.evaluate(() => [...document.querySelectorAll('a[href*="org="]')].map((a) => new URL(/** @type {HTMLAnchorElement} */ (a).href).searchParams.get('org')));
			let target = null;
			for (const id of ids) {
				await page.goto(`/figures/${id}/${YEAR}`);
				if ((await page.locator('.status-bar .pill').textContent())?.includes('Заполняется') && await cellInput(page, '1.2', 0).count()) { target = id; break; }
			}
			assert.ok(target, 'some organization has an open 2025 in the demo');
			await other.goto(`/figures/${target}/${YEAR}`);
			const before = await cellInput(page, '1.2', 1).inputValue();
			const denominator = Number(before || '10') + 1;

			await cellInput(other, '1.2', 0).fill('1');
			await cellInput(other, '1.2', 1).fill(String(denominator));
			await save(other);
			assert.match(await other.locator('.notice').first().textContent() ?? '', /Сохранено/);

			await cellInput(page, '1.2', 0).fill('0');
			await cellInput(page, '1.2', 1).fill(String(denominator));
			await save(page);
			const text = await page.locator('.conflicts').textContent() ?? '';
			assert.match(text, /другой пользователь изменил/);
			assert.match(text, new RegExp(`1 / ${denominator}`));
			assert.match(text, new RegExp(`ваше значение: 0 / ${denominator}`));
			// Saving again, knowingly, replaces theirs.
			await save(page);
			assert.match(await page.locator('.notice').first().textContent() ?? '', /Сохранено изменений: 1/);
			await otherContext.close();
		}
	},
	{
		name: 'the grid works without JavaScript: a problem comes back with what was typed, then the fix saves',
		/** @param {{ browser: import('playwright-core').Browser, baseUrl: string }} args */
		async run({ browser, baseUrl }) {
			const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false });
			const page = await signIn(context, baseUrl, 'operator.school7@demo.sapa.kz');
			const org = await ownOrganizationId(page);
			const year = new Date().getFullYear();
			await page.goto(`/figures/${org}/${year}`);
			await cellInput(page, '2.1', 0).fill('7');
			await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Сохранить' }).click()]);
			assert.match(await page.locator('[role=alert]').first().textContent() ?? '', /Ничего не сохранено/);
			assert.equal(await cellInput(page, '2.1', 0).inputValue(), '7');
			assert.match(await page.locator('section.service >> nth=0 >> tr[data-indicator="2.1"]').textContent() ?? '', /Заполните и числитель, и знаменатель/);
			await cellInput(page, '2.1', 1).fill('9');
			await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Сохранить' }).click()]);
			assert.match(await page.locator('.notice').first().textContent() ?? '', /Сохранено изменений: 1/);
			await context.close();
		}
	}
];
