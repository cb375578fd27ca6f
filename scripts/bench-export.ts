/*
 * The large export (part of `npm run bench`; alone: `npm run bench -- export`): time and PEAK
 * memory of writing 100 000 rows as XLSX through the shared streaming writer, and the same at
 * 10 000 rows to show that memory does not grow with the rows.
 *
 *   synthetic   rows made up here (realistic lengths, Kazakh and Russian names and titles), judged
 *               by the engine (rollUpCell) like real cells, written by writeCellsExport's spec;
 *   database    the real path: planCellsExport + the keyset-paginated cell query (batches of 5 000)
 *               + writeXlsx, on the database in DATABASE_URL (else BENCH_NATIONAL_URL, else the
 *               default sapa_national that `npm run seed:national` fills), for the organization and
 *               year with at least BENCH_EXPORT_ROWS cells (the whole country in one year at national
 *               scale); skipped, saying how to get one, when no such database is there. Read only.
 *
 * Each case runs in a child process of its own, so its peak RSS (sampled every 50 ms, and the
 * kernel's process.resourceUsage().maxRSS) and peak heap are its own. BENCH_EXPORT_ROWS changes
 * the size (default 100 000); the small case is a tenth of it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { leafMeasures, rollUpCell } from '../src/lib/domain/dashboard';
import type { OrganizationKind } from '../src/lib/server/db/schema';
import { openPostgres } from '../src/lib/server/db/connect';
import { writeXlsx } from '../src/lib/server/export/table';
import { cellsExportMeta, cellsExportRows, cellsTableSpec, planCellsExport, type CellsExportPlan, type ExportCell } from '../src/lib/server/services/cells-export';
import { DEFAULT_NATIONAL_URL } from './bench-dashboard';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const SMALL = Math.max(1, Math.round(ROWS / 10));
const url = process.env.DATABASE_URL?.trim() || process.env.BENCH_NATIONAL_URL?.trim() || DEFAULT_NATIONAL_URL;
const self = fileURLToPath(import.meta.url);

interface Result {
	case: string;
	rows: number;
	ms: number;
	bytes: number;
	peakRss: number;
	peakHeap: number;
	maxRss: number;
	note?: string;
}

// ---------------------------------------------------------------------------------------------
// In the child: one case
// ---------------------------------------------------------------------------------------------

const DISTRICTS = ['Рудный', 'Лисаковск', 'Қостанай', 'Жітіқара', 'Арқалық', 'Федоров', 'Әулиекөл', 'Қарабалық'];
const KINDS: OrganizationKind[] = ['school', 'school', 'school', 'kindergarten', 'supplementary'];
const SERVICE_TITLES = [
	{ kk: 'Бастауыш, негізгі орта, жалпы орта білім берудің жалпы білім беретін бағдарламалары бойынша оқыту үшін құжаттарды қабылдау және білім беру ұйымдарына қабылдау', ru: 'Прием документов и зачисление в организации образования для обучения по общеобразовательным программам начального, основного среднего, общего среднего образования' },
	{ kk: 'Мектепке дейінгі білім беру ұйымдарына жолдама беру үшін мектеп жасына дейінгі (6 жасқа дейін) балаларды кезекке қою', ru: 'Постановка на очередь детей дошкольного возраста (до 6 лет) для направления в дошкольные организации' },
	{ kk: 'Негізгі орта, жалпы орта білім туралы құжаттардың телнұсқаларын беру', ru: 'Выдача дубликатов документов об основном среднем, общем среднем образовании' },
	{ kk: 'Балаларға қосымша білім беру бойынша қосымша білім беру бағдарламаларына құжаттар қабылдау және оқуға қабылдау', ru: 'Прием документов и зачисление детей на обучение по дополнительным образовательным программам' }
];
const INDICATORS = [
	{ code: '1.1', kk: 'Мемлекеттік көрсетілетін қызметті белгіленген мерзімде көрсету үлесі', ru: 'Доля государственных услуг, оказанных в установленный срок', polarity: 'higher_is_better' as const, normative: 100 },
	{ code: '2.1', kk: 'Көрсетілген қызмет сапасына қанағаттанған алушылардың үлесі', ru: 'Доля услугополучателей, удовлетворённых качеством оказания услуги', polarity: 'higher_is_better' as const, normative: 90 },
	{ code: '3.1', kk: 'Электрондық нысанда көрсетілген қызметтердің үлесі', ru: 'Доля услуг, оказанных в электронной форме', polarity: 'higher_is_better' as const, normative: 80 },
	{ code: '4.1', kk: 'Негізді шағымдардың көрсетілген қызметтердің жалпы санындағы үлесі', ru: 'Доля обоснованных жалоб в общем количестве оказанных услуг', polarity: 'lower_is_better' as const, normative: 0.5 },
	{ code: '5.1', kk: 'Қызметкерлердің әдептілігіне қатысты шағымдардың үлесі', ru: 'Доля жалоб на вежливость работников', polarity: 'lower_is_better' as const, normative: 1 }
];

/** n cells as the query would give them, deterministic, each judged by the engine. */
function* syntheticCells(n: number): Generator<ExportCell> {
	let seed = 2026;
	const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	for (let i = 0; i < n; i++) {
		const orgNo = Math.floor(i / (SERVICE_TITLES.length * INDICATORS.length));
		const district = DISTRICTS[orgNo % DISTRICTS.length]!;
		const service = SERVICE_TITLES[Math.floor(i / INDICATORS.length) % SERVICE_TITLES.length]!;
		const ind = INDICATORS[i % INDICATORS.length]!;
		const denominator = rnd() < 0.08 ? 0 : 20 + Math.floor(rnd() * 900);
		const share = ind.polarity === 'higher_is_better' ? 0.8 + rnd() * 0.2 : rnd() * 0.02;
		const numerator = Math.min(denominator, Math.round(denominator * share));
		const target = rnd() < 0.5 ? null : ind.normative;
		const measures = leafMeasures({ numerator, denominator, normative: ind.normative, target, polarity: ind.polarity });
		yield {
			organization: {
				code: `KST-${String(orgNo).padStart(5, '0')}`, kind: KINDS[orgNo % KINDS.length]!,
				name: { kk: `«${district} қаласы әкімдігінің № ${orgNo} жалпы білім беретін мектебі» КММ`, ru: `КГУ «Общеобразовательная школа № ${orgNo} акимата города ${district}»`, en: null }
			},
			service: { code: `S0${(Math.floor(i / INDICATORS.length) % SERVICE_TITLES.length) + 1}`, title: { ...service, en: null } },
			indicator: { code: ind.code, title: { kk: ind.kk, ru: ind.ru, en: null } },
			year: 2025,
			cell: rollUpCell(measures, ind.polarity)
		};
	}
}

/** Only the first n of an (async) iterable. */
async function* take<T>(items: AsyncIterable<T>, n: number): AsyncGenerator<T> {
	if (n <= 0) return;
	let i = 0;
	for await (const item of items) {
		yield item;
		if (++i >= n) return;
	}
}

async function runCase(kind: 'synthetic' | 'database', rows: number): Promise<Result> {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-export-')), 'cells.xlsx');
	let peakRss = process.memoryUsage().rss;
	let peakHeap = process.memoryUsage().heapUsed;
	const sampler = setInterval(() => {
		const m = process.memoryUsage();
		peakRss = Math.max(peakRss, m.rss);
		peakHeap = Math.max(peakHeap, m.heapUsed);
	}, 50);
	const spec = cellsTableSpec('kk');
	const made = new Date();
	let note: string | undefined;
	let written = 0;
	const started = performance.now();
	try {
		if (kind === 'synthetic') {
			const meta = { title: 'Bench', filters: [] as Array<[string, string]>, filtersSheet: 'Іріктеу', madeAtLabel: 'Жасалған', madeAt: made, madeAtText: made.toISOString() };
			const out = fs.createWriteStream(file);
			written = await writeXlsx(out, spec, syntheticCells(rows), meta);
			await finished(out);
		} else {
			const handle = openPostgres(url, { poolMax: 2 });
			try {
				const plan = await pickPlan(handle.db, rows);
				if (!plan) throw new Error('no organization and year with enough cells');
				note = `${plan.organization.code}, ${plan.request.year ?? 'all years'}: ${plan.count.toLocaleString('en')} cells, first ${rows.toLocaleString('en')} written`;
				const out = fs.createWriteStream(file);
				written = await writeXlsx(out, spec, take(cellsExportRows(handle.db, plan), rows), cellsExportMeta(plan, 'kk', made, 'bench'));
				await finished(out);
			} finally {
				await handle.close();
			}
		}
	} finally {
		clearInterval(sampler);
	}
	const ms = performance.now() - started;
	const m = process.memoryUsage();
	const result: Result = {
		case: kind, rows: written, ms, bytes: fs.statSync(file).size,
		peakRss: Math.max(peakRss, m.rss), peakHeap: Math.max(peakHeap, m.heapUsed), maxRss: process.resourceUsage().maxRSS * 1024, note
	};
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
	return result;
}

/** The organization and year with at least `rows` cells: the country root, in its latest year with that many (else all years). */
async function pickPlan(db: ReturnType<typeof openPostgres>['db'], rows: number): Promise<CellsExportPlan | null> {
	const roots = await sql<{ id: number }>`SELECT id FROM organization WHERE parent_id IS NULL ORDER BY id`.execute(db);
	const years = (await db.selectFrom('compliance_year').select('year').orderBy('year', 'desc').execute()).map((y) => y.year);
	for (const root of roots.rows) {
		for (const year of [...years, null]) {
			const plan = await planCellsExport(db, 'all', { organizationId: Number(root.id), year, kind: null, serviceId: null, group: null, format: 'xlsx', separator: 'semicolon' });
			if (plan.count >= rows) return plan;
		}
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// In the parent: every case in a child of its own, then the table
// ---------------------------------------------------------------------------------------------

/** `heapMb`: run the child with V8's old space capped, so garbage is collected early and RSS shows what is really held. */
function child(kind: string, rows: number, heapMb?: number): Promise<Result> {
	return new Promise((resolve, reject) => {
		const cap = heapMb ? [`--max-old-space-size=${heapMb}`] : [];
		const p = spawn(process.execPath, [...cap, '--import', 'tsx', self, '--case', kind, String(rows)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
		let out = '';
		p.stdout.on('data', (c: Buffer) => (out += c.toString()));
		p.on('error', reject);
		p.on('close', (code) => {
			const line = out.trim().split('\n').at(-1) ?? '';
			if (code !== 0 || !line.startsWith('{')) reject(new Error(`bench case ${kind} ${rows} exited ${code}: ${out.slice(-500)}`));
			else resolve({ ...(JSON.parse(line) as Result), ...(heapMb ? { case: `${kind}/${heapMb}MB` } : {}) });
		});
	});
}

async function databaseReady(): Promise<string | null> {
	const handle = openPostgres(url, { poolMax: 1, connectTimeoutMs: 3000 });
	try {
		const r = await sql<{ n: number }>`SELECT count(*)::float8 AS n FROM compliance_cell`.execute(handle.db);
		const n = Number(r.rows[0]?.n ?? 0);
		return n >= ROWS ? null : `${safeUrl(url)} holds ${n.toLocaleString('en')} cells, fewer than ${ROWS.toLocaleString('en')}`;
	} catch (err) {
		return `${safeUrl(url)}: ${(err as Error).message.split('\n')[0]}`;
	} finally {
		await handle.close();
	}
}

const safeUrl = (u: string) => u.replace(/\/\/[^@/]*@/, '//…@');
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

export async function benchExport(): Promise<{ problems: string[] }> {
	console.log(`Sapa export bench: XLSX through the streaming writer, ${ROWS.toLocaleString('en')} rows (and ${SMALL.toLocaleString('en')}), each case in its own process`);
	const results: Result[] = [];
	for (const rows of [SMALL, ROWS]) results.push(await child('synthetic', rows));
	// Bounded, not merely lazy: with the heap capped at 64 MB, ×10 and ×30 the rows still finish in the same RSS.
	const capped: Result[] = [];
	for (const rows of [SMALL, ROWS, ROWS * 3]) capped.push(await child('synthetic', rows, 64));
	results.push(...capped);
	const skip = await databaseReady();
	if (skip) {
		console.log(`  database path skipped: ${skip}.`);
		console.log('  Fill one with: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapa_national npm run seed:national  (≈ 1 M cells per year at full scale;');
		console.log('  --scale 0.1 gives ≈ 115 000 per year), then DATABASE_URL=… npm run bench -- export');
	} else {
		for (const rows of [SMALL, ROWS]) results.push(await child('database', rows));
		results.push(await child('database', ROWS, 64));
	}
	console.log('');
	console.log(`  ${'case'.padEnd(15)} ${'rows'.padStart(8)} ${'wall ms'.padStart(9)} ${'rows/s'.padStart(9)} ${'file'.padStart(9)} ${'peak RSS'.padStart(10)} ${'peak heap'.padStart(10)} ${'maxRSS'.padStart(10)}`);
	for (const r of results) {
		console.log(`  ${r.case.padEnd(15)} ${r.rows.toLocaleString('en').padStart(8)} ${Math.round(r.ms).toLocaleString('en').padStart(9)} ${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en').padStart(9)} ${mb(r.bytes).padStart(9)} ${mb(r.peakRss).padStart(10)} ${mb(r.peakHeap).padStart(10)} ${mb(r.maxRss).padStart(10)}${r.note ? `  (${r.note})` : ''}`);
	}
	const problems: string[] = [];
	for (const kind of ['synthetic', 'database']) {
		const [small, large] = results.filter((r) => r.case === kind);
		if (!small || !large) continue;
		if (large.rows !== ROWS) problems.push(`${kind}: ${large.rows} rows written, not ${ROWS}`);
		const growth = large.maxRss / small.maxRss;
		console.log(`  ${kind}: peak RSS ×${growth.toFixed(2)} for ×${(large.rows / small.rows).toFixed(0)} the rows (heap ×${(large.peakHeap / small.peakHeap).toFixed(2)})`);
	}
	const [c1, , c3] = capped;
	if (c1 && c3) {
		console.log(`  synthetic with a 64 MB heap cap: ${c3.rows.toLocaleString('en')} rows in ${mb(c3.maxRss)} maxRSS against ${mb(c1.maxRss)} for ${c1.rows.toLocaleString('en')} (×${(c3.maxRss / c1.maxRss).toFixed(2)})`);
		if (c3.rows !== ROWS * 3) problems.push(`capped: ${c3.rows} rows written, not ${ROWS * 3}`);
	}
	return { problems };
}

const args = process.argv.slice(2);
if (args[0] === '--case') {
	const result = await runCase(args[1] as 'synthetic' | 'database', Number(args[2]));
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.exit(0);
} else if (process.argv[1] && path.resolve(process.argv[1]) === self) {
	const { problems } = await benchExport();
	if (problems.length) {
		console.error(problems.join('\n'));
		process.exitCode = 1;
	}
}
