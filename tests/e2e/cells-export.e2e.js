// The large export in a real browser: the head of the Rudny department opens the export of
// Rudny's cells for a year, makes the file, watches the progress reach done (polled with
// script; reloaded without), downloads it and finds as many rows as the page announced.
// Nobody else sees the job.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { demoOrganizations, httpSignIn, missingRoutes, request, signIn } from './helpers.js';

/** @typedef {import('playwright-core').Page} Page */

const HEAD = 'head.rudny@demo.sapa.kz';
// Someone else who may read Rudny (the region's head; the access matrix resets head.other's password earlier in the run): a job is still only its owner's.
const OTHER = 'head.region@demo.sapa.kz';
const YEAR = 2024;
const skip = missingRoutes(['/exports/cells', '/exports/cells/[id]', '/exports/cells/[id]/status', '/exports/cells/[id]/file']);

/**
 * Opens the export page, makes the file in `format`; returns the job's address and the announced row count.
 * @param {Page} page @param {number} org @param {'xlsx' | 'csv'} format
 */
async function makeFile(page, org, format) {
	await page.goto(`/exports/cells?org=${org}&year=${YEAR}`);
	const count = Number(await page.getByTestId('cx-count').getAttribute('data-count'));
	assert.ok(count > 100, `the page announces ${count} rows`);
	assert.match(await page.getByTestId('cx-org').innerText(), /RUDNY-EDU/);
	await page.locator(`input[name=format][value=${format}]`).check();
	await Promise.all([page.waitForURL(/\/exports\/cells\/[A-Za-z0-9_-]{22}$/), page.getByTestId('cx-make').click()]);
	return { url: new URL(page.url()).pathname, count };
}

/** @param {Page} page @param {number} count */
async function waitDone(page, count) {
	const progress = page.getByTestId('cx-progress');
	await progress.and(page.locator('[data-state=done]')).waitFor({ timeout: 60_000 });
	const rows = progress.locator('.rows');
	assert.equal(Number(await rows.getAttribute('data-written')), count, 'rows written');
	assert.equal(Number(await rows.getAttribute('data-total')), count, 'rows in total');
	assert.equal(await progress.locator('progress').getAttribute('max'), String(count));
}

/** @type {Array<{ name: string, skip?: string | null, run: (args: { browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, page: Page, baseUrl: string }) => Promise<void> }>} */
export default [
	{
		name: 'cells export: make the XLSX, see the progress reach done, download it: as many rows as announced; nobody else sees the job',
		skip,
		async run({ context, baseUrl }) {
			const rudny = (await demoOrganizations(baseUrl)).get('RUDNY-EDU');
			assert.ok(rudny);
			const page = await signIn(context, baseUrl, HEAD);
			const { url, count } = await makeFile(page, rudny.id, 'xlsx');
			// The page polls its status while it runs (no reload).
			const polls = [];
			page.on('request', (r) => { if (r.url().endsWith('/status')) polls.push(r.url()); });
			await waitDone(page, count);
			const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cx-download').click()]);
			assert.match(download.suggestedFilename(), /^sapa-cells-RUDNY-EDU-2024\.xlsx$/);
			const bytes = fs.readFileSync(/** @type {string} */ (await download.path()));
			const book = new ExcelJS.Workbook();
			await book.xlsx.load(/** @type {any} */ (bytes));
			const sheet = book.worksheets[0];
			assert.ok(sheet);
			let rows = 0;
			sheet.eachRow((_, i) => { if (i > 1) rows++; });
			assert.equal(rows, count, 'data rows in the XLSX');
			const years = new Set();
			sheet.eachRow((row, i) => { if (i > 1) years.add(row.getCell(8).value); });
			assert.deepEqual([...years], [YEAR]);
			console.log(`    ${count} rows; ${polls.length} status polls seen after done was shown`);

			// The job is its owner's: another head gets 404 for the page, its status and its file; so does a made-up id.
			const other = await httpSignIn(baseUrl, OTHER);
			for (const path of [url, `${url}/status`, `${url}/file`]) {
				assert.equal((await request(baseUrl, 'GET', path, { cookie: other })).status, 404, `${path} as ${OTHER}`);
			}
			const res = await page.request.get(`${url}/status`);
			assert.deepEqual(await res.json(), { state: 'done', written: count, total: count });
		}
	},
	{
		name: 'cells export without JavaScript: the page reloads itself until the CSV is ready',
		skip,
		async run({ browser, baseUrl }) {
			const rudny = (await demoOrganizations(baseUrl)).get('RUDNY-EDU');
			assert.ok(rudny);
			const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: baseUrl, javaScriptEnabled: false });
			try {
				const page = await signIn(context, baseUrl, HEAD);
				const { count } = await makeFile(page, rudny.id, 'csv');
				await waitDone(page, count);
				const href = await page.getByTestId('cx-download').getAttribute('href');
				assert.ok(href);
				const res = await page.request.get(href);
				assert.equal(res.status(), 200);
				assert.match(res.headers()['content-type'] ?? '', /^text\/csv/);
				assert.match(res.headers()['content-disposition'] ?? '', /^attachment; filename="sapa-cells-RUDNY-EDU-2024\.csv"/);
				const text = (await res.body()).toString('utf8');
				assert.equal(text.charCodeAt(0), 0xfeff, 'a byte-order mark');
				const records = parse(text.slice(1), { delimiter: ';' });
				assert.equal(records.length - 1, count, 'data rows in the CSV');
				// No sideways scroll on a phone.
				assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll at 390 px');
			} finally {
				await context.close();
			}
		}
	}
];
