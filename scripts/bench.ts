/*
 * npm run bench: throughput of the figures import on the database in use.
 *
 * DATABASE_URL set: a scratch database is created on that server (and dropped
 * afterwards), so the bench never touches the data there. Otherwise: a
 * temporary embedded (PGlite) folder, as `npm start` uses. The catalogue comes
 * from the migrations; enough organizations and provisions are added for a
 * 100 000-row file (every reported indicator and the three volume channels of
 * every service). Then it times, separately: reading and judging the file (the
 * preview), the commit (read again, judge again, write in one transaction),
 * and a plain COPY of the same file into a scratch table with no triggers.
 * BENCH_ROWS changes the size.
 *
 * Then the dashboard at national scale (scripts/bench-dashboard.ts): every dashboard query,
 * loadDashboard and the page over HTTP against the database `npm run seed:national` filled
 * (BENCH_NATIONAL_URL), each sum beside the raw SQL that recomputes it; skipped, with the way to
 * create that database, when it is not there.
 *
 *   npm run bench                 every part
 *   npm run bench -- import       the import only
 *   npm run bench -- dashboard    the dashboard only
 *   npm run bench -- export       the 100 000-row XLSX export only (scripts/bench-export.ts: time, peak memory)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openPglite, openPostgres, type DatabaseHandle } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { runAdminStatement, withDatabase } from '../src/lib/server/db/pg-admin';
import { FIGURE_COLUMNS, judgeFigureRows, organizationCodesIn, readFigureTable, type HeaderLabels } from '../src/lib/server/import/figures';
import { loadFigureLookup } from '../src/lib/server/queries/figures-import';
import { insertUser } from '../src/lib/server/queries/users';
import { commitFigureImport, previewFigureImport, type ImportSettings } from '../src/lib/server/services/figures-import';
import { benchDashboardFromEnv } from './bench-dashboard';
import { benchExport } from './bench-export';
import { loadMigrations } from './load-migrations';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const YEAR = 2024;
const url = process.env.DATABASE_URL?.trim() || null;

async function open(): Promise<{ handle: DatabaseHandle; engine: string; cleanup: () => Promise<void>; copy: (bytes: Uint8Array) => Promise<void> }> {
	if (url) {
		const name = `sapa_bench_${process.pid}`;
		await runAdminStatement(url, `CREATE DATABASE "${name}"`);
		const scratchUrl = withDatabase(url, name);
		const handle = openPostgres(scratchUrl, { poolMax: 4 });
		return {
			handle, engine: `PostgreSQL (scratch database ${name} on the DATABASE_URL server)`,
			cleanup: async () => { await handle.close(); await runAdminStatement(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); },
			copy: async (bytes) => {
				const client = new pg.Client({ connectionString: scratchUrl });
				await client.connect();
				try {
					await pipeline(Readable.from([Buffer.from(bytes)]), client.query(copyFrom(`COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')`)));
				} finally {
					await client.end();
				}
			}
		};
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-'));
	const handle = await openPglite({ dataDir: dir });
	return {
		handle, engine: `PGlite (temporary folder ${dir})`,
		cleanup: async () => { await handle.close(); fs.rmSync(dir, { recursive: true, force: true }); },
		// PGlite's COPY FROM STDIN blocks; it reads a blob from the virtual /dev/blob instead.
		copy: async (bytes) => {
			await handle.pglite.query(`COPY bench_copy FROM '/dev/blob' WITH (FORMAT csv, HEADER true, DELIMITER ';')`, [], { blob: new Blob([Buffer.from(bytes)]) });
		}
	};
}

const ms = (t: number) => performance.now() - t;
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const perSecond = (rows: number, millis: number) => Math.round(rows / (millis / 1000));

async function benchImport(): Promise<void> {
	const { handle, engine, cleanup, copy } = await open();
	const db = handle.db;
	try {
		console.log(`Sapa import bench: ${ROWS.toLocaleString('en')} rows on ${engine}`);
		let t = performance.now();
		await migrateToLatest(db, await loadMigrations());
		console.log(`  migrated in ${Math.round(ms(t))} ms`);

		// Enough schools under one department for ROWS values; each provides every service.
		t = performance.now();
		const services = await db.selectFrom('service').select(['id', 'code']).orderBy('code').execute();
		const indicators = await db.selectFrom('indicator').select(['id', 'code']).where('source', '=', 'reported').orderBy('sort_order').execute();
		const perOrg = services.length * (indicators.length + 3);
		const root = await db.insertInto('organization').values({ code: 'BENCH-ROOT', kind: 'city_department', name_kk: 'Бөлім', name_ru: 'Отдел' }).returning('id').executeTakeFirstOrThrow();
		const orgs = await db.insertInto('organization').values(Array.from({ length: Math.ceil(ROWS / perOrg) }, (_, i) => ({
			code: `BENCH-${String(i).padStart(4, '0')}`, kind: 'school' as const, name_kk: `№ ${i} мектеп`, name_ru: `Школа № ${i}`, parent_id: root.id
		}))).returning(['id', 'code']).execute();
		await db.insertInto('service_provision').values(orgs.flatMap((o) => services.map((s) => ({ organization_id: o.id, service_id: s.id, year_from: 2020 })))).execute();
		const userId = await insertUser(db, { email: 'bench@bench.sapa.kz', displayName: 'Bench', passwordHash: 'x' });
		console.log(`  ${orgs.length} organizations × ${services.length} services provided, in ${Math.round(ms(t))} ms`);

		// The file: every value filled, a Kazakh comment now and then, as the template lays it out.
		const lines = [FIGURE_COLUMNS.join(';')];
		outer: for (const o of orgs) for (const s of services) {
			for (const i of indicators) {
				const n = lines.length;
				lines.push([o.code, `Школа ${o.code}`, s.code, '', YEAR, i.code, '', 40 + (n % 60), 100, '', n % 97 === 0 ? 'Тексерілді: әкімдік' : ''].join(';'));
				if (lines.length > ROWS) break outer;
			}
			for (const ch of ['provider', 'state_corporation', 'egov']) {
				lines.push([o.code, `Школа ${o.code}`, s.code, '', YEAR, `V:${ch}`, '', '', '', lines.length % 5000, ''].join(';'));
				if (lines.length > ROWS) break outer;
			}
		}
		const bytes = new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n');
		const labels = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, []])) as unknown as HeaderLabels;
		const settings: ImportSettings = { maxBytes: 25 * 1024 * 1024, maxRows: 200_000, jumpPoints: 20, asOfYear: 2025, labels };
		const access = { userId, grants: [{ role: 'operator' as const, organizationId: root.id }], visible: new Set([root.id, ...orgs.map((o) => o.id)]) };
		console.log(`  file: ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB CSV`);

		// The parts of a preview, one by one, then the preview as the app runs it (it also stores the file).
		t = performance.now();
		const table = await readFigureTable(bytes, settings, labels);
		const readMs = ms(t);
		const rss: number[] = [rssMb()];
		if (!table.ok) throw new Error(JSON.stringify(table.problems));
		t = performance.now();
		const lookup = await loadFigureLookup(db, { year: YEAR, asOfYear: 2025, jumpPoints: 20, codes: organizationCodesIn(table.table), subtree: new Set(access.visible), writable: 'all', visible: 'all' });
		const lookupMs = ms(t);
		rss.push(rssMb());
		t = performance.now();
		const judged = judgeFigureRows(table.table, lookup);
		const judgeMs = ms(t);
		rss.push(rssMb());
		if (judged.problems.length) throw new Error(JSON.stringify(judged.problems.slice(0, 3)));

		t = performance.now();
		const preview = await previewFigureImport(db, access, { organizationId: root.id, year: YEAR, fileName: 'bench.csv', bytes }, settings);
		const previewMs = ms(t);
		rss.push(rssMb());
		if (preview.kind !== 'stored') throw new Error(preview.kind);
		t = performance.now();
		const committed = await commitFigureImport(db, access, preview.batchId, settings);
		const commitMs = ms(t);
		rss.push(rssMb());
		if (committed.kind !== 'committed' || committed.fresh !== ROWS) throw new Error(JSON.stringify(committed));

		// The floor: the same file copied into a table without checks, triggers or audit.
		await sql.raw(`CREATE TABLE bench_copy (${FIGURE_COLUMNS.map((c) => `${c} ${['year', 'numerator', 'denominator', 'count'].includes(c) ? 'integer' : 'text'}`).join(', ')})`).execute(db);
		const withoutBom = bytes.subarray(3);
		t = performance.now();
		await copy(withoutBom);
		const copyMs = ms(t);
		rss.push(rssMb());
		const copied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_copy`.execute(db);
		if (Number(copied.rows[0]!.n) !== ROWS) throw new Error(`COPY loaded ${copied.rows[0]!.n} rows`);

		const rows: Array<[string, number]> = [
			['read the file (decode, parse)', readMs],
			['load what rows are judged against', lookupMs],
			['judge every row', judgeMs],
			['preview as the app runs it (read, judge, store the file)', previewMs],
			['commit (read + judge again, write in one transaction)', commitMs],
			['plain COPY of the same rows into a bare table', copyMs]
		];
		console.log('');
		console.log(`  ${'step'.padEnd(58)} ${'ms'.padStart(9)} ${'rows/s'.padStart(10)} ${'RSS after'.padStart(10)}`);
		rows.forEach(([name, millis], i) => console.log(
			`  ${name.padEnd(58)} ${Math.round(millis).toLocaleString('en').padStart(9)} ${perSecond(ROWS, millis).toLocaleString('en').padStart(10)} ${`${rss[i]} MB`.padStart(10)}`
		));
		console.log('');
		console.log(`  import throughput: ${perSecond(ROWS, previewMs + commitMs).toLocaleString('en')} rows/s end to end (preview + commit); commit alone ${perSecond(ROWS, commitMs).toLocaleString('en')} rows/s, ${(commitMs / copyMs).toFixed(1)}× the plain COPY`);
		console.log(`  peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
	} finally {
		await cleanup();
	}
}

const part = process.argv[2];
if (part !== undefined && part !== 'import' && part !== 'dashboard' && part !== 'export') {
	console.error(`Unknown part "${part}": use import, dashboard or export (or nothing for all).`);
	process.exit(2);
}
if (part === undefined || part === 'import') await benchImport();
if (part === undefined || part === 'dashboard') {
	const { problems } = await benchDashboardFromEnv();
	if (problems.length) process.exitCode = 1;
}
if (part === undefined || part === 'export') {
	const { problems } = await benchExport();
	if (problems.length) process.exitCode = 1;
}
