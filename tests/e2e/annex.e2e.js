// The annex page in a real browser: the organization tree, the table, languages,
// filters without JavaScript, the phone layout and error pages. Signed in as the head
// of the Rudny department, who sees the whole Rudny subtree.
import assert from 'node:assert/strict';
import { demoOrganizations, signIn } from './helpers.js';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */
/**
 * What scripts/e2e.js hands each test: a fresh context and page (1366×768, baseURL set),
 * and the browser and address for tests that need a context of their own.
 * @typedef {{ browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, page: Page, baseUrl: string }} E2EArgs
 * @typedef {{ name: string, run: (args: E2EArgs) => Promise<void> }} E2ETest
 */

const HEAD = 'head.rudny@demo.sapa.kz';
const SCHOOL = 'RUDNY-SCH-07';
const schoolLink = `nav.tree-desktop a[data-org-code="${SCHOOL}"]`;
const INDICATORS = ['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '4.4', '5.1'];

const TITLE = {
	ru: 'Значения показателей качества и доступности',
	kk: 'Сапа және қол жетімділік көрсеткіштерінің мәні',
	en: 'Values of the quality and accessibility indicators'
};
const ROW_1_1 = { ru: 'случаев предоставления услуги в установленный срок', kk: 'құжаттарды тапсырған сәттен бастап' };
/**
 * Status code -> the badge texts allowed for it ('meets_normative' reads differently when no target is set).
 * @type {Record<'ru' | 'kk', Record<string, string[]>>}
 */
const LABELS = {
	ru: {
		meets_target: ['Цель достигнута'],
		meets_normative: ['Норматив соблюдён, цель не достигнута', 'Норматив соблюдён, цель не установлена'],
		breach: ['Нарушение норматива'],
		no_data: ['Нет данных']
	},
	kk: {
		meets_target: ['Нысаналы мәнге жетті'],
		meets_normative: ['Норматив сақталды, нысаналы мәнге жетпеді', 'Норматив сақталды, нысаналы мән белгіленбеген'],
		breach: ['Норматив бұзылды'],
		no_data: ['Деректер жоқ']
	}
};

/** @param {Locator} locator */
const text = async (locator) => (await locator.innerText()).trim();

/**
 * The school's annex address, read from the organization tree.
 * @param {Page} page
 */
async function schoolUrl(page) {
	await page.goto('/annex');
	const href = await page.locator(schoolLink).getAttribute('href');
	assert.ok(href);
	assert.match(href, /[?&]org=\d+/);
	return href;
}

/**
 * Every indicator row's status code and badge text must agree with the language's labels.
 * @param {Page} page
 * @param {'ru' | 'kk'} locale
 */
async function assertStatusLabels(page, locale) {
	const rows = page.locator('table.annex tr[data-indicator]');
	assert.equal(await rows.count(), INDICATORS.length);
	for (const row of await rows.all()) {
		const code = await row.getAttribute('data-indicator');
		const status = await row.getAttribute('data-status');
		const labels = LABELS[locale][status ?? ''];
		assert.ok(labels, `row ${code}: unknown status "${status}"`);
		const cell = await text(row.locator('td').last());
		assert.notEqual(cell, '', `row ${code}: empty status cell`);
		const badge = (await text(row.locator('td').last().locator('.status'))).replace(/^[✓◐✕–]\s*/u, '');
		assert.ok(labels.includes(badge), `row ${code}: "${badge}" is not a ${locale} label for ${status}`);
	}
}

/** @type {E2ETest[]} */
export default [
	{
		name: 'annex of a Rudny school in Russian',
		async run({ page, baseUrl }) {
			await signIn(page, baseUrl, HEAD);
			await page.goto('/annex');
			assert.equal(await text(page.locator('h1')), TITLE.ru);
			const link = page.locator(schoolLink);
			// The school sits in a folded "Школы" group: unfold closed ancestors, outermost first.
			const closed = link.locator('xpath=ancestor::details[not(@open)]/summary');
			while (!(await link.isVisible()) && (await closed.count()) > 0) await closed.first().click();
			await Promise.all([page.waitForURL((url) => url.searchParams.has('org')), link.click()]);
			assert.match(page.url(), /[?&]org=\d+/);
			await page.locator('table.annex').waitFor();

			assert.equal(await text(page.locator('h1')), TITLE.ru);
			const rows = page.locator('table.annex tr[data-indicator]');
			assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.indicator)), INDICATORS);
			assert.equal(await page.locator('table.annex tr.group').count(), 5);
			await assertStatusLabels(page, 'ru');
			assert.match(await text(page.locator('tr[data-indicator="1.1"]')), new RegExp(ROW_1_1.ru));
			assert.match(await text(page.locator('tr[data-indicator="4.1"] th.ind')), /чем меньше, тем лучше/);
			// Any kind of space before '%' (a no-break space would be fine too).
			assert.equal((await text(page.locator('tr[data-indicator="3.1"] td').first())).replace(/\s+/gu, ' '), '99 %');
			assert.notEqual(await text(page.locator('[data-testid="annex-summary"]')), '');
		}
	},
	{
		name: 'annex in Kazakh',
		async run({ page, baseUrl }) {
			await signIn(page, baseUrl, HEAD);
			const href = await schoolUrl(page);
			await page.goto(href);
			const before = page.url();

			await page.locator('button[name=locale][value=kk]').click();
			await page.waitForSelector('html[lang="kk"]');
			assert.equal(page.url(), before, 'the language switch returns to the same page');
			assert.equal(new URL(page.url()).searchParams.get('org'), new URL(before).searchParams.get('org'));
			assert.equal(await page.getAttribute('html', 'lang'), 'kk');
			assert.equal(await text(page.locator('h1')), TITLE.kk);
			assert.match(await text(page.locator('tr[data-indicator="1.1"] th.ind')), new RegExp(ROW_1_1.kk));
			await assertStatusLabels(page, 'kk');

			await page.locator('button[name=locale][value=en]').click();
			await page.waitForSelector('html[lang="en"]');
			assert.equal(page.url(), before);
			assert.equal(await text(page.locator('h1')), TITLE.en);
			// English has no official text: the Russian title stays, with an English gloss under it.
			const title = page.locator('tr[data-indicator="1.1"] th.ind');
			assert.match(await text(title.locator('span[lang="ru"]')), new RegExp(ROW_1_1.ru));
			const gloss = await text(title.locator('.gloss'));
			assert.match(gloss, /[a-z]{3,}/i);
			assert.doesNotMatch(gloss, /[а-яё]/i, 'the gloss is English');
		}
	},
	{
		name: 'changing year and service keeps working without JavaScript',
		async run({ browser, baseUrl }) {
			const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 768 }, baseURL: baseUrl });
			const page = await signIn(context, baseUrl, HEAD);
			await page.goto(await schoolUrl(page));
			const submit = page.locator('form.filters button[type=submit]');

			const year = page.locator('select[name=year]');
			const current = await year.inputValue();
			const years = await year.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
			const other = years.find((y) => Number(y) < Number(current)) ?? years.find((y) => y !== current);
			assert.ok(other, `only one year on offer: ${years}`);
			await year.selectOption(other);
			await Promise.all([page.waitForURL((url) => url.searchParams.get('year') === other), submit.click()]);
			assert.match(await text(page.locator('table.annex thead')), new RegExp(`отчётном году \\(${other}\\)`));
			assert.equal(await year.inputValue(), other);

			const service = page.locator('select[name=service]');
			const heading = await text(page.locator('.service h2'));
			const chosen = await service.inputValue();
			const ids = await service.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
			const next = ids.find((id) => id !== chosen);
			assert.ok(next, 'the school offers more than one service');
			await service.selectOption(next);
			await Promise.all([page.waitForURL((url) => url.searchParams.get('service') === next), submit.click()]);
			assert.equal(new URL(page.url()).searchParams.get('year'), other, 'the year is kept');
			assert.notEqual(await text(page.locator('.service h2')), heading);
			assert.equal(await page.locator('table.annex tr[data-indicator]').count(), INDICATORS.length);
		}
	},
	{
		name: 'phone layout',
		async run({ browser, baseUrl }) {
			const context = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: baseUrl });
			const page = await signIn(context, baseUrl, HEAD);
			await page.goto(await schoolUrl(page));
			const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
			assert.ok(overflow.scroll <= overflow.inner + 1, `horizontal scroll: ${overflow.scroll} > ${overflow.inner}`);
			const rows = page.locator('table.annex tr[data-indicator]');
			assert.equal(await rows.count(), INDICATORS.length);
			for (const row of await rows.all()) {
				assert.ok(await row.isVisible(), `row ${await row.getAttribute('data-indicator')} is visible`);
				const box = await row.boundingBox();
				assert.ok(box && box.x >= 0 && box.x + box.width <= 391, `row fits the screen: ${JSON.stringify(box)}`);
			}
			assert.equal(await page.locator('nav.tree-desktop').isVisible(), false, 'the desktop tree is hidden');
			assert.ok(await page.locator('details.picker > summary').isVisible(), 'the organization picker is offered');
		}
	},
	{
		name: 'unknown organization is a 404 page, the same as one outside the scope',
		async run({ page, baseUrl }) {
			const region = (await demoOrganizations(baseUrl)).get('KST-EDU');
			assert.ok(region, 'KST-EDU is in the demo data');
			await signIn(page, baseUrl, HEAD);
			const missing = await page.goto('/annex?org=999999');
			assert.equal(missing?.status(), 404);
			const unknownText = await text(page.locator('main'));
			assert.match(unknownText, /не найдена/);
			// Unknown and not yours read alike, so ids cannot be probed.
			const outside = await page.goto(`/annex?org=${region.id}`);
			assert.equal(outside?.status(), 404);
			assert.equal(await text(page.locator('main')), unknownText);
			const bad = await page.goto('/annex?org=abc');
			assert.equal(bad?.status(), 400);
			assert.match(await text(page.locator('main')), /Неверные параметры запроса/);
		}
	}
];
