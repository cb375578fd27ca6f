// The annual report on public services (/reports/annual) in a real browser, signed in as the head of the
// Rudny department: the report opens on Rudny's department; for 2020 its numbers are seed 000's published
// ones (read from the demo catalogue's source, not copied here) and agree with one another; in Kazakh the
// page and its DOCX are the Kazakh text; the DOCX is a real Word file naming the department; the phone
// layout has no sideways scroll.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { demoOrganizations, root, signIn } from './helpers.js';

/** @typedef {import('playwright-core').Page} Page */

const HEAD = 'head.rudny@demo.sapa.kz';
const DEPARTMENT = 'RUDNY-EDU';
const TITLE_KK = 'Мемлекеттік қызметтер көрсету мәселелері жөніндегі қызметінің есебі';
const TITLE_RU = 'Отчет о деятельности по вопросам оказания государственных услуг';

/** Seed 000's facts as migrations/data/catalogue-v1.ts declares them (reportFacts). */
function reportFacts() {
	const source = fs.readFileSync(path.join(root, 'migrations', 'data', 'catalogue-v1.ts'), 'utf8');
	const block = /export const reportFacts = \{([\s\S]*?)\n\} as const;/.exec(source)?.[1];
	assert.ok(block, 'reportFacts not found in catalogue-v1.ts');
	const y = /year2020: \{ total: (\d+), provider: (\d+), stateCorporation: (\d+), electronic: (\d+) \}/.exec(block);
	assert.ok(y, 'reportFacts.year2020 not found');
	const demanded = [...(/mostDemanded2021: \[([\s\S]*?)\]/.exec(block)?.[1] ?? '').matchAll(/count: (\d+)/g)].map((x) => Number(x[1]));
	assert.equal(demanded.length, 5);
	return { total: Number(y[1]), provider: Number(y[2]), stateCorporation: Number(y[3]), electronic: Number(y[4]), demanded2021: demanded };
}

/** '8 926' (any spaces) -> 8926. @param {string} s */
const num = (s) => {
	const t = s.replace(/[\s\u00a0\u202f]/g, '');
	assert.match(t, /^\d+$/, `"${s}" is not a count`);
	return Number(t);
};
/** Numbers written as the report writes them: thousands apart by a no-break space. @param {number} v */
const written = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
/** @param {string} s */
const flat = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

/**
 * A table's body cells and footer cells as text.
 * @param {Page} page @param {string} id
 */
async function tableOf(page, id) {
	const table = page.locator(`article[data-testid=annual-report] table[data-table="${id}"]`);
	assert.equal(await table.count(), 1, `table "${id}" is on the page`);
	const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
	const foot = await table.locator('tfoot td').evaluateAll((tds) => tds.map((td) => (td.textContent ?? '').trim()));
	return { rows, foot };
}

/** @type {Array<{ name: string, run: (a: { page: Page, baseUrl: string }) => Promise<void> }>} */
export default [
	{
		name: 'annual report: Rudny 2020 shows seed 000\'s numbers, consistent throughout, in Russian and Kazakh; the DOCX is the Kazakh report',
		run: async ({ page, baseUrl }) => {
			const facts = reportFacts();
			const orgs = await demoOrganizations(baseUrl);
			const rudny = orgs.get(DEPARTMENT);
			assert.ok(rudny && rudny.kk, 'the demo has the Rudny department with a Kazakh name');
			await signIn(page, baseUrl, HEAD);

			// The head's own department and the latest year open by default; the nav leads there.
			await page.goto('/dashboard');
			await page.locator('nav a[href="/reports/annual"]').click();
			await page.waitForURL((u) => u.pathname === '/reports/annual');
			const picker = page.locator('select[name=org]');
			assert.equal(await picker.inputValue(), String(rudny.id));
			const years = await page.locator('select[name=year] option').evaluateAll((os) => os.map((o) => Number(/** @type {HTMLOptionElement} */ (o).value)));
			assert.ok(years.includes(2020) && years.includes(2021), `years offered: ${years}`);
			assert.equal(Number(await page.locator('select[name=year]').inputValue()), Math.max(...years));

			// Choosing 2020 submits the filter (the select submits its form).
			await Promise.all([page.waitForURL((u) => u.searchParams.get('year') === '2020'), page.locator('select[name=year]').selectOption('2020')]);
			const sheet = page.getByTestId('annual-report');
			assert.equal(await sheet.getAttribute('lang'), 'ru');
			assert.equal(flat(await sheet.locator('h2').innerText()), TITLE_RU);

			// The channels table: seed 000's published 2020 numbers, and its rows add up to its total.
			const channels = await tableOf(page, 'channels');
			assert.equal(channels.rows.length, 3);
			const [provider = 0, sc = 0, egov = 0] = channels.rows.map((r) => num(r[1] ?? ''));
			assert.deepEqual({ provider, sc, egov, total: num(channels.foot[1] ?? '') }, { provider: facts.provider, sc: facts.stateCorporation, egov: facts.electronic, total: facts.total });
			assert.equal(provider + sc + egov, facts.total);
			// The sentence says the same numbers.
			const text = flat(await sheet.innerText());
			assert.ok(text.includes(flat(`составило ${written(facts.total)}, в том числе через услугодателя – ${written(facts.provider)}, через Государственную корпорацию – ${written(facts.stateCorporation)}, в электронном виде – ${written(facts.electronic)}.`)), 'the totals sentence');
			// Who provided them: the department's own services and each kind's add up to the total,
			// and each table's rows add up to its footer.
			const serviceTables = await sheet.locator('table[data-table="own"], table[data-table^="group-"]').evaluateAll((ts) => ts.map((t) => t.getAttribute('data-table')));
			assert.deepEqual(serviceTables, ['own', 'group-school', 'group-kindergarten', 'group-supplementary']);
			let served = 0;
			for (const id of serviceTables) {
				const t = await tableOf(page, /** @type {string} */ (id));
				assert.ok(t.rows.length > 0, `${id} lists services`);
				const rows = t.rows.reduce((s, r) => s + num(r.at(-1) ?? ''), 0);
				assert.equal(num(t.foot.at(-1) ?? ''), rows, `${id}: rows add up to the footer`);
				for (const r of t.rows) assert.ok(['Бесплатно', 'Платно'].includes(r[3] ?? ''), `${id}: paid/free "${r[3]}"`);
				served += rows;
			}
			assert.equal(served, facts.total);
			// Seed 000: no complaints in 2020; the parts the system does not record say so.
			assert.ok(text.includes('государственных услуг: жалоб нет.'), 'no complaints in 2020');
			assert.ok(text.includes('4) Результаты общественного мониторинга качества оказания государственных услуг: в системе не учитываются'));
			// The summary's electronic share is the channels' share.
			const headline = await tableOf(page, 'headline');
			const electronic = headline.rows.find((r) => r[0] === 'Доля услуг, оказанных в электронном виде');
			assert.ok(electronic, 'the electronic share row');
			assert.equal(flat(electronic[1] ?? ''), flat(`${(Math.round((facts.electronic / facts.total) * 1000) / 10).toFixed(1).replace('.', ',')} % (${written(facts.electronic)} из ${written(facts.total)})`));

			// Kazakh: the report's language switch keeps the department and the year.
			await Promise.all([page.waitForURL((u) => u.searchParams.get('lang') === 'kk'), page.locator('a.lang[lang=kk]').click()]);
			assert.equal(new URL(page.url()).searchParams.get('year'), '2020');
			assert.equal(await sheet.getAttribute('lang'), 'kk');
			assert.equal(flat(await sheet.locator('h2').innerText()), TITLE_KK);
			assert.equal(flat(await sheet.locator('.doc-subtitle').first().innerText()), flat(rudny.kk));
			const kk = flat(await sheet.innerText());
			const sentenceKk = flat(`2020 жылы көрсетілген мемлекеттік қызметтер саны ${written(facts.total)} құрады, оның ішінде көрсетілетін қызметті беруші арқылы – ${written(facts.provider)}, Мемлекеттік корпорация арқылы – ${written(facts.stateCorporation)}, электрондық түрде – ${written(facts.electronic)}.`);
			assert.ok(kk.includes(sentenceKk), 'the Kazakh totals sentence');
			assert.ok(kk.includes('шағымдар жоқ.'));
			assert.deepEqual((await tableOf(page, 'channels')).rows.map((r) => num(r[1] ?? '')), [facts.provider, facts.stateCorporation, facts.electronic]);

			// The DOCX: a zip holding word/document.xml with the department's Kazakh name and the same sentence.
			const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href^="/reports/annual/docx"]').click()]);
			assert.match(download.suggestedFilename(), new RegExp(`${DEPARTMENT}-2020-kk\\.docx$`));
			const file = await download.path();
			assert.ok(file);
			const bytes = fs.readFileSync(file);
			assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'a zip file');
			const zip = await JSZip.loadAsync(bytes);
			const xml = await zip.file('word/document.xml')?.async('string');
			assert.ok(xml, 'word/document.xml is in the file');
			const docText = flat(xml.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'"));
			assert.ok(docText.includes(flat(rudny.kk)), `the DOCX names ${rudny.kk}`);
			assert.ok(docText.includes(TITLE_KK));
			assert.ok(docText.includes(sentenceKk), 'the DOCX has the Kazakh totals sentence');
		}
	},
	{
		name: 'annual report: 2021\'s most demanded services are seed 000\'s counts; phone layout without sideways scroll',
		run: async ({ page, baseUrl }) => {
			const facts = reportFacts();
			await signIn(page, baseUrl, HEAD);
			await page.goto('/reports/annual?year=2021&lang=kk');
			const items = await page.locator('article[data-testid=annual-report] ol li').allInnerTexts();
			assert.equal(items.length, 5);
			const counts = items.map((t) => num(/(\d[\d\s\u00a0]*) қызмет көрсетілді\.$/.exec(t.trim())?.[1] ?? ''));
			assert.deepEqual(counts, [...facts.demanded2021].sort((a, b) => b - a));
			for (const t of items) assert.match(t, /2021 жылы/);

			await page.setViewportSize({ width: 390, height: 844 });
			await page.goto('/reports/annual?year=2020&lang=ru');
			const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
			assert.ok(scroll <= client, `no sideways scroll at 390 px (${scroll} > ${client})`);
			// A wide table becomes one card per row, each value labelled with its column.
			const cell = page.locator('table[data-table="own"] tbody tr').first().locator('td').nth(1);
			assert.equal(await cell.getAttribute('data-label'), 'Наименование государственной услуги');
			assert.equal(await cell.evaluate((td) => getComputedStyle(td).display), 'grid');
		}
	}
];
