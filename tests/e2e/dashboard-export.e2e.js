// Compliance tables from the dashboard, in a real browser: the head of the Rudny department opens
// the overview for a year, downloads the table as XLSX, CSV (;) and CSV (,) from the export panel,
// and finds in each file the value the scorecard shows on screen; the printed page repeats its
// column headings on every page; another region's table is not found.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { demoOrganizations, httpSignIn, missingRoutes, request, signIn } from './helpers.js';

/** @typedef {import('playwright-core').Page} Page */

const HEAD = 'head.rudny@demo.sapa.kz';
const YEAR = 2024;
const skip = missingRoutes(['/dashboard/export', '/dashboard/print']);

/** @param {Page} page @param {string} format @returns {Promise<{ name: string, bytes: Buffer }>} */
async function download(page, format) {
	const link = page.locator(`[data-view=year] a[data-format=${format}]`);
	const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return { name: file.suggestedFilename(), bytes: fs.readFileSync(/** @type {string} */ (await file.path())) };
}

/** @type {Array<{ name: string, skip?: string | null, run: (args: { browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, page: Page, baseUrl: string }) => Promise<void> }>} */
export default [
	{
		name: 'dashboard export: XLSX, CSV (;), CSV (,) and the printed page carry the scorecard\'s numbers',
		skip,
		async run({ context, baseUrl }) {
			const orgs = await demoOrganizations(baseUrl);
			const rudny = orgs.get('RUDNY-EDU');
			const school = orgs.get('RUDNY-SCH-07');
			assert.ok(rudny && school);
			const page = await signIn(context, baseUrl, HEAD);
			await page.goto(`/dashboard?org=${rudny.id}&year=${YEAR}`);
			// What the screen says for school 7, indicator 1.1: the cell's value as written there ("98,3").
			const cell = page.locator('[data-testid=scorecard] tbody tr[data-row="RUDNY-SCH-07"] td[data-indicator="1.1"] .v');
			await cell.waitFor();
			const shown = (await cell.innerText()).trim();
			assert.match(shown, /^\d+(?:,\d+)?$/, 'the scorecard shows a value for school 7, 1.1');
			const onScreen = Number(shown.replace(',', '.'));

			const xlsx = await download(page, 'xlsx');
			assert.match(xlsx.name, /^sapa-compliance-2024-RUDNY-EDU\.xlsx$/);
			const book = new ExcelJS.Workbook();
			await book.xlsx.load(/** @type {any} */ (xlsx.bytes));
			const sheet = book.worksheets[0];
			assert.ok(sheet);
			/** @type {number | null} */
			let fromXlsx = null;
			sheet.eachRow((r) => { if (r.getCell(1).value === 'RUDNY-SCH-07' && r.getCell(3).value === '1.1') fromXlsx = /** @type {number} */ (r.getCell(7).value); });
			assert.ok(fromXlsx !== null, 'the XLSX has school 7, 1.1');
			assert.equal(Math.round(fromXlsx * 1000) / 10, onScreen, 'XLSX value = screen');
			assert.equal(book.worksheets.length, 2, 'a sheet with the filters');

			for (const [format, delimiter, point] of /** @type {Array<[string, string, string]>} */ ([['csv-semicolon', ';', ','], ['csv-comma', ',', '.']])) {
				const csv = await download(page, format);
				assert.match(csv.name, /\.csv$/);
				assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${format}: BOM`);
				/** @type {string[][]} */
				const records = parse(csv.bytes, { bom: true, delimiter });
				const rec = records.find((r) => r[0] === 'RUDNY-SCH-07' && r[2] === '1.1');
				assert.ok(rec, `${format}: school 7, 1.1`);
				assert.equal(Math.round(Number(String(rec[6]).replace(point, '.')) * 10) / 10, onScreen, `${format}: value = screen`);
			}

			// The printed page: the same table, its headings repeated on every printed page.
			await page.locator('[data-view=year] a[data-format=print]').click();
			await page.waitForURL(/\/dashboard\/print\?/);
			const printRow = page.locator('.print-table tbody tr', { hasText: 'RUDNY-SCH-07' }).filter({ hasText: /\b1\.1\b/ }).first();
			assert.match(await printRow.innerText(), new RegExp(shown.replace(',', '\\,')));
			await page.emulateMedia({ media: 'print' });
			assert.equal(await page.locator('.print-table thead').evaluate((el) => getComputedStyle(el).display), 'table-header-group');
			assert.equal(await page.locator('header.top').evaluate((el) => getComputedStyle(el).display), 'none', 'no navigation on paper');
			await page.screenshot({ path: 'test-results/dashboard-print.png', fullPage: false });
			await page.emulateMedia({ media: 'screen' });

			// The years table and the scope.
			const cookie = await httpSignIn(baseUrl, HEAD);
			const years = await request(baseUrl, 'GET', `/dashboard/export?org=${school.id}&view=years&format=csv&sep=comma`, { cookie });
			assert.equal(years.status, 200);
			const other = orgs.get('ALT-EDU');
			assert.ok(other);
			assert.equal((await request(baseUrl, 'GET', `/dashboard/export?org=${other.id}&format=xlsx`, { cookie })).status, 404);
			assert.equal((await request(baseUrl, 'GET', `/dashboard/print?org=${other.id}`, { cookie })).status, 404);
		}
	}
];
