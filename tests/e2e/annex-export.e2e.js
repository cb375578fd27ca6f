// The annex table leaves Sapa: the head of the Rudny department opens school 7's annex, downloads
// the table as XLSX (in Kazakh) and as CSV (in Russian, rolled up over every service), and finds in
// each the rows and numbers the screen shows; printing hides everything but the annex.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { demoOrganizations, missingRoutes, signIn } from './helpers.js';

/** @typedef {import('playwright-core').Page} Page */

const HEAD = 'head.rudny@demo.sapa.kz';
const skip = missingRoutes(['/annex/export']);

/** @param {Page} page @returns {Promise<{ name: string, bytes: Buffer }>} */
async function submit(page) {
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('annex-export').locator('button[type=submit]').click()]);
	return { name: file.suggestedFilename(), bytes: fs.readFileSync(/** @type {string} */ (await file.path())) };
}

/** @type {Array<{ name: string, skip?: string | null, run: (args: { browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, page: Page, baseUrl: string }) => Promise<void> }>} */
export default [
	{
		name: 'annex export: the table as XLSX (kk) and CSV (ru, all services) with the screen\'s rows and numbers',
		skip,
		async run({ context, baseUrl }) {
			const school = (await demoOrganizations(baseUrl)).get('RUDNY-SCH-07');
			assert.ok(school);
			const page = await signIn(context, baseUrl, HEAD);
			await page.goto(`/annex?org=${school.id}&year=2024`);
			// The screen: each indicator's current value as shown (column 4).
			const screen = await page.locator('table tbody tr[data-indicator]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-indicator') ?? '', r.querySelector('td.current strong')?.textContent?.trim() ?? '']));
			assert.equal(screen.length, 12, `12 indicator rows on screen, got ${JSON.stringify(screen)}`);

			const form = page.getByTestId('annex-export');
			await form.locator('select[name=lang]').selectOption('kk');
			const xlsx = await submit(page);
			assert.match(xlsx.name, /^sapa-annex-RUDNY-SCH-07-S\d+-2024\.xlsx$/);
			const book = new ExcelJS.Workbook();
			await book.xlsx.load(/** @type {any} */ (xlsx.bytes));
			const sheet = book.worksheets[0];
			assert.ok(sheet);
			assert.equal(sheet.getRow(1).getCell(1).value, 'Сапа және қол жетімділік көрсеткіштері');
			/** @type {Array<[string, unknown]>} */
			const fromFile = [];
			sheet.eachRow((row, n) => {
				const title = String(row.getCell(1).value);
				const code = title.match(/^(\d\.\d)\./)?.[1];
				if (n > 1 && code) fromFile.push([code, row.getCell(4).value]);
			});
			assert.deepEqual(fromFile.map(([c]) => c), screen.map(([c]) => c), 'the same indicators in the same order');
			for (const [code, shown] of screen) {
				const value = fromFile.find(([c]) => c === code)?.[1];
				// A value, or none ('—', or "no cases" for 0 of 0).
				const number = String(shown).replace(/\s|%/g, '').replace(',', '.');
				const want = /^-?\d+(\.\d+)?$/.test(number) ? Number(number) : null;
				assert.equal(value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10, want === null ? null : Math.round(want * 10) / 10, `${code}: file = screen`);
			}

			await form.locator('select[name=lang]').selectOption('ru');
			await form.locator('input[name=service][value=""]').check();
			await form.locator('select[name=format]').selectOption('csv');
			const csv = await submit(page);
			assert.match(csv.name, /^sapa-annex-RUDNY-SCH-07-all-services-2024\.csv$/);
			/** @type {string[][]} */
			const records = parse(csv.bytes, { bom: true, delimiter: ';' });
			assert.equal(records[0]?.[0], 'Показатели качества и доступности');
			assert.equal(records.filter((r) => /^\d\. /.test(r[0] ?? '')).length, 5, 'five group headings');
			assert.equal(records.filter((r) => /^\d\.\d\. /.test(r[0] ?? '')).length, 12, 'twelve indicators');

			// Printing: the annex alone.
			await page.emulateMedia({ media: 'print' });
			assert.equal(await form.evaluate((el) => getComputedStyle(el).display), 'none');
			await page.emulateMedia({ media: 'screen' });
		}
	}
];
