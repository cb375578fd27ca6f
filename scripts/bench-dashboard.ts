/*
 * The dashboard at national scale (part of `npm run bench`): against the database that
 * `npm run seed:national` filled (BENCH_NATIONAL_URL, default postgres://postgres@127.0.0.1:5432/sapa_national),
 * for the whole country, one region and one city:
 *   - every query of queries/dashboard.ts and loadDashboard itself, p50 and p95 over BENCH_RUNS runs;
 *   - beside each sum, the plainest hand-written SQL computing the same numbers from the raw tables
 *     (measurement ⋈ target ⋈ standard_normative ⋈ service_volume ⋈ complaint over the
 *     organization_link subtree of each year, no pre-aggregates), BENCH_RAW_RUNS runs, and whether
 *     the numbers are equal;
 *   - the page over HTTP (autocannon, BENCH_HTTP_SECONDS per scope) on a built app
 *     (BENCH_BUILD_DIR, default ./build), signed in as the national administrator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import pg from 'pg';
import { EMPTY_MEASURES, EMPTY_VOLUMES, sumMeasures, sumVolumes, type Measures, type Volumes } from '../src/lib/domain/dashboard';
import type { DashboardData } from '../src/lib/domain/dashboard-view';
import { createSession, invalidateSession, SESSION_COOKIE } from '../src/lib/server/auth/session';
import { openPostgres } from '../src/lib/server/db/connect';
import type { Database } from '../src/lib/server/db/schema';
import { refreshCompliance } from '../src/lib/server/queries/compliance-rollup';
import {
	findBranches, findChildMeasures, findChildren, findIndicatorCatalogue, findOrganizationRef, findScopeTops, findServiceCatalogue,
	findSubtreeMeasures, findSubtreeVolumes, type MeasureRow, type UnitMeasureRow, type VolumeRow
} from '../src/lib/server/queries/dashboard';
import { loadDashboard } from '../src/lib/server/services/dashboard';
import type { DashboardRequest } from '../src/lib/validation/dashboard-query';

export const DEFAULT_NATIONAL_URL = 'postgres://postgres@127.0.0.1:5432/sapa_national';
const MARKER = 'national_seeded';
const ROOT_CODE = 'KZ-EDU';
const ADMIN_EMAIL = 'admin@national.sapa.kz';

type Db = Kysely<Database>;

// ---------------------------------------------------------------------------------------------
// The same numbers, from the raw tables
// ---------------------------------------------------------------------------------------------

/** The years with any figure: a few index probes per possible year. */
const YEARS = sql`years AS (
	SELECT y AS year FROM generate_series(1991, 2100) AS y
	WHERE EXISTS (SELECT 1 FROM measurement WHERE year = y) OR EXISTS (SELECT 1 FROM service_volume WHERE year = y)
		OR EXISTS (SELECT 1 FROM complaint WHERE received_on >= make_date(y, 1, 1) AND received_on < make_date(y + 1, 1, 1))
)`;

/**
 * Leaf cells of the organizations in `sub` (unit, id, year), judged by the engine's rules
 * (compliance.ts assess, complaints.ts complaintIndicatorCounts, the standard in force that year,
 * approved targets only), summed per `groupBy`. Only years with any figure count, as everywhere.
 */
function rawCellsSql(subCtes: RawBuilder<unknown>, groupBy: 'subtree' | 'unit') {
	const keys = groupBy === 'subtree' ? sql`year, service_id, indicator_id, kind` : sql`unit, year, indicator_id`;
	return sql`
		WITH RECURSIVE ${YEARS}, ${subCtes}, cells AS (
			SELECT s.unit, s.year, p.organization_id AS org, p.service_id, o.kind
			FROM sub s
			JOIN service_provision p ON p.organization_id = s.id AND p.year_from <= s.year AND (p.year_to IS NULL OR p.year_to >= s.year)
			JOIN organization o ON o.id = p.organization_id
		), std AS (
			SELECT DISTINCT ON (y.year, s.service_id) y.year, s.service_id, s.id
			FROM years y JOIN standard s ON s.valid_from <= make_date(y.year, 12, 31) AND (s.valid_to IS NULL OR s.valid_to >= make_date(y.year, 1, 1))
			ORDER BY y.year, s.service_id, s.valid_from DESC
		), served AS (
			SELECT v.organization_id, v.service_id, v.year, sum(v.count) AS n FROM service_volume v
			WHERE (v.organization_id, v.year) IN (SELECT id, year FROM sub) GROUP BY 1, 2, 3
		), register AS (
			SELECT c.organization_id, c.service_id, extract(year FROM c.received_on)::integer AS year,
				count(*) FILTER (WHERE c.justified) AS justified,
				count(*) FILTER (WHERE c.justified AND c.satisfied AND c.answered_on <= c.due_on) AS in_term
			FROM complaint c WHERE (c.organization_id, extract(year FROM c.received_on)::integer) IN (SELECT id, year FROM sub) GROUP BY 1, 2, 3
		), counted AS (
			SELECT c.unit, c.year, c.service_id, i.id AS indicator_id, c.kind, i.polarity = 'higher_is_better' AS higher,
				i.source = 'reported' AS typed, m.id IS NOT NULL AS has_value,
				CASE WHEN i.source = 'reported' THEN m.numerator
					WHEN i.code = '4.1' AND v.n IS NOT NULL AND coalesce(r.justified, 0) <= v.n THEN coalesce(r.justified, 0)
					WHEN i.code = '4.2' THEN coalesce(r.in_term, 0) END::float8 AS num,
				CASE WHEN i.source = 'reported' THEN m.denominator
					WHEN i.code = '4.1' AND v.n IS NOT NULL AND coalesce(r.justified, 0) <= v.n THEN v.n
					WHEN i.code = '4.2' THEN coalesce(r.justified, 0) END::float8 AS den,
				n.value::float8 AS normative, t.value::float8 AS target
			FROM cells c
			CROSS JOIN indicator i
			LEFT JOIN std ON std.year = c.year AND std.service_id = c.service_id
			LEFT JOIN standard_normative n ON n.standard_id = std.id AND n.indicator_id = i.id
			LEFT JOIN measurement m ON m.organization_id = c.org AND m.service_id = c.service_id AND m.indicator_id = i.id AND m.year = c.year
			LEFT JOIN target t ON t.organization_id = c.org AND t.service_id = c.service_id AND t.indicator_id = i.id AND t.year = c.year AND t.status = 'approved'
			LEFT JOIN served v ON v.organization_id = c.org AND v.service_id = c.service_id AND v.year = c.year
			LEFT JOIN register r ON r.organization_id = c.org AND r.service_id = c.service_id AND r.year = c.year
			WHERE c.year IN (SELECT year FROM years)
		), judged AS (
			SELECT x.*, x.den > 0 AS valued, x.num * 100 / nullif(x.den, 0) AS val FROM counted x
		)
		SELECT ${keys},
			coalesce(sum(num), 0)::float8 AS numerator, coalesce(sum(den), 0)::float8 AS denominator,
			count(*) FILTER (WHERE valued)::float8 AS valued,
			count(*) FILTER (WHERE valued AND normative IS NOT NULL)::float8 AS assessed,
			count(*) FILTER (WHERE valued AND normative IS NOT NULL AND CASE WHEN higher THEN val >= normative - 1e-9 ELSE val <= normative + 1e-9 END)::float8 AS meets_normative,
			count(*) FILTER (WHERE valued AND normative IS NOT NULL AND NOT CASE WHEN higher THEN val >= normative - 1e-9 ELSE val <= normative + 1e-9 END)::float8 AS breaches,
			count(*) FILTER (WHERE valued AND target IS NOT NULL)::float8 AS with_target,
			count(*) FILTER (WHERE valued AND target IS NOT NULL AND CASE WHEN higher THEN val >= target - 1e-9 ELSE val <= target + 1e-9 END)::float8 AS meets_target,
			coalesce(sum(den * normative) FILTER (WHERE valued AND normative IS NOT NULL), 0)::float8 AS normative_weighted,
			coalesce(sum(den) FILTER (WHERE valued AND normative IS NOT NULL), 0)::float8 AS normative_denominator,
			coalesce(sum(den * target) FILTER (WHERE valued AND target IS NOT NULL), 0)::float8 AS target_weighted,
			coalesce(sum(den) FILTER (WHERE valued AND target IS NOT NULL), 0)::float8 AS target_denominator,
			count(*) FILTER (WHERE typed)::float8 AS expected,
			count(*) FILTER (WHERE typed AND has_value)::float8 AS reported
		FROM judged GROUP BY ${keys}`;
}

/** The subtree of `rootId` in every year, as organization_link gives it. */
const subtreeOf = (rootId: number) => sql`sub(unit, id, year) AS (
	SELECT ${rootId}::integer, ${rootId}::integer, y.year FROM years y
	UNION ALL
	SELECT s.unit, l.organization_id, s.year FROM sub s
	JOIN organization_link l ON l.parent_id = s.id AND l.year_from <= s.year AND (l.year_to IS NULL OR l.year_to >= s.year)
)`;

const measuresOf = (x: Record<string, unknown>): Measures => ({
	numerator: Number(x.numerator), denominator: Number(x.denominator), valued: Number(x.valued), assessed: Number(x.assessed),
	meetsNormative: Number(x.meets_normative), breaches: Number(x.breaches), withTarget: Number(x.with_target), meetsTarget: Number(x.meets_target),
	normativeWeighted: Number(x.normative_weighted), normativeDenominator: Number(x.normative_denominator),
	targetWeighted: Number(x.target_weighted), targetDenominator: Number(x.target_denominator), expected: Number(x.expected), reported: Number(x.reported)
});

/** findSubtreeMeasures, from the raw tables. */
export async function rawSubtreeMeasures(db: Db, rootId: number): Promise<MeasureRow[]> {
	const r = await rawCellsSql(subtreeOf(rootId), 'subtree').execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({
		year: Number(x.year), serviceId: Number(x.service_id), indicatorId: Number(x.indicator_id), kind: x.kind as MeasureRow['kind'], ...measuresOf(x)
	}));
}

/** findChildMeasures (no filters), from the raw tables: each child's subtree in `year` and the year before, and the root's own cells. */
export async function rawChildMeasures(db: Db, rootId: number, year: number): Promise<UnitMeasureRow[]> {
	const sub = sql`kids AS (
		SELECT l.organization_id AS id FROM organization_link l WHERE l.parent_id = ${rootId} AND l.year_from <= ${year} AND (l.year_to IS NULL OR l.year_to >= ${year})
	), down(unit, id, year) AS (
		SELECT k.id, k.id, y.year FROM kids k CROSS JOIN (VALUES (${year}::integer), (${year - 1}::integer)) AS y(year)
		UNION ALL
		SELECT d.unit, l.organization_id, d.year FROM down d
		JOIN organization_link l ON l.parent_id = d.id AND l.year_from <= d.year AND (l.year_to IS NULL OR l.year_to >= d.year)
	), sub(unit, id, year) AS (
		SELECT unit, id, year FROM down
		UNION ALL SELECT ${rootId}::integer, ${rootId}::integer, y FROM (VALUES (${year}::integer), (${year - 1}::integer)) AS own(y)
	)`;
	const r = await rawCellsSql(sub, 'unit').execute(db);
	return (r.rows as Array<Record<string, unknown>>).map((x) => ({ unitId: Number(x.unit), year: Number(x.year), indicatorId: Number(x.indicator_id), ...measuresOf(x) }));
}

/** findSubtreeVolumes, from the raw tables. */
export async function rawSubtreeVolumes(db: Db, rootId: number): Promise<VolumeRow[]> {
	const r = await sql<Record<string, unknown>>`
		WITH RECURSIVE ${YEARS}, ${subtreeOf(rootId)}
		SELECT s.year, p.service_id, o.kind,
			coalesce(sum(v.count) FILTER (WHERE v.channel = 'provider'), 0)::float8 AS provider,
			coalesce(sum(v.count) FILTER (WHERE v.channel = 'state_corporation'), 0)::float8 AS state_corporation,
			coalesce(sum(v.count) FILTER (WHERE v.channel = 'egov'), 0)::float8 AS egov,
			(3 * count(DISTINCT p.organization_id))::float8 AS expected,
			count(v.channel)::float8 AS reported
		FROM sub s
		JOIN service_provision p ON p.organization_id = s.id AND p.year_from <= s.year AND (p.year_to IS NULL OR p.year_to >= s.year)
		JOIN organization o ON o.id = p.organization_id
		LEFT JOIN service_volume v ON v.organization_id = p.organization_id AND v.service_id = p.service_id AND v.year = s.year
		GROUP BY s.year, p.service_id, o.kind`.execute(db);
	return r.rows.map((x) => ({
		year: Number(x.year), serviceId: Number(x.service_id), kind: x.kind as VolumeRow['kind'], provider: Number(x.provider),
		stateCorporation: Number(x.state_corporation), egov: Number(x.egov), expected: Number(x.expected), reported: Number(x.reported)
	}));
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** Rows keyed and compared measure by measure; a key missing on one side counts as all zero (roll-ups keep no all-zero rows). */
export function sameSums<R extends object>(a: R[], b: R[], key: (r: R) => string, fields: Array<keyof R>): string[] {
	const index = (rows: R[]) => {
		const m = new Map<string, R>();
		for (const r of rows) m.set(key(r), r);
		return m;
	};
	const [ia, ib] = [index(a), index(b)];
	const problems: string[] = [];
	for (const k of new Set([...ia.keys(), ...ib.keys()])) {
		for (const f of fields) {
			const x = Number(ia.get(k)?.[f] ?? 0);
			const y = Number(ib.get(k)?.[f] ?? 0);
			if (!close(x, y)) problems.push(`${k} ${String(f)}: ${x} ≠ ${y}`);
		}
	}
	return problems;
}

export const MEASURE_FIELDS = Object.keys(EMPTY_MEASURES) as Array<keyof Measures>;
export const VOLUME_FIELDS = Object.keys(EMPTY_VOLUMES) as Array<keyof Volumes>;
export const measureKey = (r: MeasureRow) => `${r.year}/${r.serviceId}/${r.indicatorId}/${r.kind}`;
export const volumeKey = (r: VolumeRow) => `${r.year}/${r.serviceId}/${r.kind}`;
export const unitKey = (r: UnitMeasureRow) => `${r.unitId}/${r.year}/${r.indicatorId}`;

/** What the page shows (the year's headline, the chart over years, the scorecard rows) against the raw sums. */
export function dashboardMatchesRaw(d: DashboardData, raw: { measures: MeasureRow[]; volumes: VolumeRow[]; children: UnitMeasureRow[] }): string[] {
	const problems: string[] = [];
	const check = (what: string, x: number | null, y: number | null) => {
		if (x === null || y === null ? x !== y : !close(x, y)) problems.push(`${what}: ${x} ≠ ${y}`);
	};
	for (const yr of d.byYear) {
		const m = sumMeasures(raw.measures.filter((r) => r.year === yr.year));
		const v = sumVolumes(raw.volumes.filter((r) => r.year === yr.year));
		check(`${yr.year} assessed`, yr.assessed, m.assessed);
		check(`${yr.year} meeting the normative`, yr.meetingNormative, m.meetsNormative);
		check(`${yr.year} breaches`, yr.breaches, m.breaches);
		check(`${yr.year} with a target`, yr.withTarget, m.withTarget);
		check(`${yr.year} meeting the target`, yr.meetingTarget, m.meetsTarget);
		const owed = m.expected + v.expected;
		check(`${yr.year} completeness`, yr.completeness, owed === 0 ? null : (m.reported + v.reported) / owed);
	}
	const year = d.filters.year;
	const m = sumMeasures(raw.measures.filter((r) => r.year === year));
	const v = sumVolumes(raw.volumes.filter((r) => r.year === year));
	for (const card of d.headline) {
		if (card.key === 'normative_rate') { check('headline normative numerator', card.numerator, m.meetsNormative); check('headline normative denominator', card.denominator, m.assessed); }
		if (card.key === 'target_rate') { check('headline target numerator', card.numerator, m.meetsTarget); check('headline target denominator', card.denominator, m.withTarget); }
		if (card.key === 'breaches') check('headline breaches', card.value, m.assessed === 0 ? null : m.breaches);
		if (card.key === 'completeness') { check('headline reported', card.numerator, m.reported + v.reported); check('headline owed', card.denominator, m.expected + v.expected); }
		if (card.key === 'electronic_share') { check('headline eGov', card.numerator, v.egov); check('headline served', card.denominator, v.provider + v.stateCorporation + v.egov); }
	}
	for (const row of d.scorecard.rows) {
		if (row.kind !== 'organization' && row.kind !== 'own') continue;
		const u = sumMeasures(raw.children.filter((r) => r.unitId === row.id && r.year === year));
		check(`scorecard ${row.code} assessed`, row.rate.assessed, u.assessed);
		check(`scorecard ${row.code} meeting the normative`, row.rate.meetingNormative, u.meetsNormative);
	}
	return problems;
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

const percentile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/** p50 and p95 of `runs` runs, after one warm-up run (unless warm is false: the raw statements take long enough). */
async function timed<T>(runs: number, work: () => Promise<T>, warm = true): Promise<{ p50: number; p95: number; result: T }> {
	let result: T | undefined = warm ? await work() : undefined;
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		result = await work();
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), result: result as T };
}

interface Row { scope: string; what: string; p50: number; p95: number; rows: number | null; raw?: { p50: number; p95: number }; equal?: string }

const fmt = (ms: number) => (ms >= 100 ? Math.round(ms).toLocaleString('en') : ms.toFixed(1));

function printTable(title: string, rows: Row[], runs: number, rawRuns: number, log: (s: string) => void): void {
	log('');
	log(`  ${title} (p50 / p95 in ms; pre-aggregated reads ${runs} runs after a warm-up, raw SQL ${rawRuns} runs without warm-up)`);
	const head = `  ${'scope'.padEnd(10)} ${'what'.padEnd(26)} ${'rows'.padStart(6)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}   ${'raw p50'.padStart(9)} ${'raw p95'.padStart(9)}  ${'equal'}`;
	log(head);
	log(`  ${'-'.repeat(head.length - 2)}`);
	for (const r of rows) {
		log(`  ${r.scope.padEnd(10)} ${r.what.padEnd(26)} ${(r.rows === null ? '' : String(r.rows)).padStart(6)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(8)}   ${(r.raw ? fmt(r.raw.p50) : '—').padStart(9)} ${(r.raw ? fmt(r.raw.p95) : '—').padStart(9)}  ${r.equal ?? ''}`);
	}
}

// ---------------------------------------------------------------------------------------------
// The page over HTTP
// ---------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const port = (server.address() as net.AddressInfo).port;
			server.close(() => resolve(port));
		});
	});
}

async function startApp(buildDir: string, url: string, log: (s: string) => void): Promise<{ base: string; stop: () => Promise<void> }> {
	const port = await freePort();
	const base = `http://localhost:${port}`;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-bench-app-'));
	const child: ChildProcess = spawn(process.execPath, [path.join(buildDir, 'index.js')], {
		env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, SAPA_DATA_DIR: dataDir, SAPA_DEMO: 'never' },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
	const stop = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
	};
	const until = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}): ${stderr}`);
		try {
			const res = await fetch(`${base}/readyz`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > until) {
			await stop();
			throw new Error(`the app did not become ready within a minute: ${stderr}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	log(`  app from ${buildDir} listening on ${base}`);
	return { base, stop };
}

interface HttpRow { scope: string; p50: number; p95: number; rps: number; requests: number; non2xx: number; errors: number; kb: number }

async function hammer(target: string, cookie: string, seconds: number, connections: number): Promise<Omit<HttpRow, 'scope'>> {
	const latencies: number[] = [];
	let bytes = 0;
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon({ url: target, connections, duration: seconds, headers: { cookie }, timeout: 60 }, (err, r) => (err ? reject(err) : resolve(r)));
		instance.on('response', (_client, status, resBytes, responseTime) => {
			if (status === 200) latencies.push(responseTime);
			bytes += resBytes;
		});
	});
	latencies.sort((a, b) => a - b);
	return {
		p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), rps: result.requests.average, requests: result.requests.total,
		non2xx: result.non2xx, errors: result.errors + result.timeouts, kb: result.requests.total ? bytes / result.requests.total / 1024 : 0
	};
}

// ---------------------------------------------------------------------------------------------
// The bench
// ---------------------------------------------------------------------------------------------

export interface DashboardBenchOptions {
	url: string;
	runs: number;
	rawRuns: number;
	buildDir: string;
	httpSeconds: number;
	connections: number;
	log?: (s: string) => void;
}

async function databaseAnswers(url: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
	try {
		await client.connect();
	} catch (err) {
		return `cannot connect (${err instanceof Error ? err.message : err})`;
	}
	try {
		const r = await client.query(`SELECT to_regclass('public.app_meta') IS NOT NULL AS ok`);
		if (!r.rows[0]?.ok) return 'it holds no Sapa schema';
		const m = await client.query(`SELECT value FROM app_meta WHERE key = $1`, [MARKER]);
		return m.rows.length ? null : 'it holds no national data set';
	} finally {
		await client.end();
	}
}

export async function benchDashboard(options: DashboardBenchOptions): Promise<{ problems: string[] }> {
	const log = options.log ?? ((s: string) => console.log(s));
	const why = await databaseAnswers(options.url);
	const name = new URL(options.url).pathname.slice(1);
	if (why) {
		log(`\nSapa dashboard bench: skipped: database ${name}: ${why}.`);
		log(`  Create it first (a few minutes at full scale):\n    DATABASE_URL=${options.url} npm run seed:national`);
		log('  or point BENCH_NATIONAL_URL at a database that npm run seed:national filled.');
		return { problems: [] };
	}
	const handle = openPostgres(options.url, { poolMax: 4, applicationName: 'sapa-bench' });
	const db = handle.db;
	const problems: string[] = [];
	try {
		const meta = await sql<{ value: { scale: number; counts: Record<string, number> } }>`SELECT value FROM app_meta WHERE key = ${MARKER}`.execute(db);
		const counts = meta.rows[0]!.value.counts;
		log(`\nSapa dashboard bench on ${name}: scale ${meta.rows[0]!.value.scale}, ${Number(counts.organizations).toLocaleString('en')} organizations, `
			+ `${Number(counts.measurements).toLocaleString('en')} measurements, ${Number(counts.complianceCells ?? 0).toLocaleString('en')} compliance cells`);

		const pick = async (where: RawBuilder<unknown>) =>
			(await sql<{ id: number; code: string }>`SELECT o.id, o.code FROM organization o WHERE ${where} LIMIT 1`.execute(db)).rows[0];
		const country = await pick(sql`o.code = ${ROOT_CODE}`);
		// The largest region and its largest city department, by organizations today.
		const region = await pick(sql`o.kind = 'region_department' AND o.parent_id = ${country?.id ?? 0}
			ORDER BY (SELECT count(*) FROM organization c JOIN organization l ON l.parent_id = c.id WHERE c.parent_id = o.id) DESC, o.code`);
		const city = await pick(sql`o.kind = 'city_department' AND o.parent_id = ${region?.id ?? 0} AND o.code LIKE '%-C%'
			ORDER BY (SELECT count(*) FROM organization l WHERE l.parent_id = o.id) DESC, o.code`);
		if (!country || !region || !city) throw new Error('the national data set has no country root, region or city department');
		const scopes = [{ label: 'country', ...country }, { label: 'region', ...region }, { label: 'city', ...city }];
		log(`  scopes: country ${country.code} (id ${country.id}), region ${region.code} (id ${region.id}), city ${city.code} (id ${city.id})`);

		const years = (await sql<{ year: number }>`SELECT DISTINCT year FROM compliance_year ORDER BY year`.execute(db)).rows.map((r) => Number(r.year));
		const year = years.at(-1) ?? new Date().getFullYear() - 1;
		const asOfYear = new Date().getFullYear();
		const noFilters = { kind: null, serviceId: null, group: null } as const;
		const rows: Row[] = [];
		const n = options.runs;
		const rawN = options.rawRuns;

		// Once, whatever the scope.
		for (const [what, work] of [
			['refresh (nothing dirty)', () => refreshCompliance(db)],
			['indicator catalogue', () => findIndicatorCatalogue(db)],
			['service catalogue', () => findServiceCatalogue(db)],
			['scope tops (admin: all)', () => findScopeTops(db, 'all')]
		] as Array<[string, () => Promise<unknown>]>) {
			const t = await timed(n, work);
			rows.push({ scope: 'any', what, p50: t.p50, p95: t.p95, rows: Array.isArray(t.result) ? t.result.length : null });
		}

		for (const scope of scopes) {
			log(`  timing ${scope.label} ${scope.code}…`);
			const ref = await timed(n, () => findOrganizationRef(db, scope.id));
			rows.push({ scope: scope.label, what: 'organization', p50: ref.p50, p95: ref.p95, rows: ref.result ? 1 : 0 });

			const measures = await timed(n, () => findSubtreeMeasures(db, scope.id));
			const rawMeasures = await timed(rawN, () => rawSubtreeMeasures(db, scope.id), false);
			const mp = sameSums(measures.result, rawMeasures.result, measureKey, MEASURE_FIELDS);
			problems.push(...mp.slice(0, 5).map((p) => `${scope.label} subtree measures ${p}`));
			rows.push({ scope: scope.label, what: 'subtree measures (years)', p50: measures.p50, p95: measures.p95, rows: measures.result.length, raw: rawMeasures, equal: mp.length ? `NO (${mp.length})` : 'yes' });

			const volumes = await timed(n, () => findSubtreeVolumes(db, scope.id));
			const rawVolumes = await timed(rawN, () => rawSubtreeVolumes(db, scope.id), false);
			const vp = sameSums(volumes.result, rawVolumes.result, volumeKey, VOLUME_FIELDS);
			problems.push(...vp.slice(0, 5).map((p) => `${scope.label} subtree volumes ${p}`));
			rows.push({ scope: scope.label, what: 'subtree volumes (years)', p50: volumes.p50, p95: volumes.p95, rows: volumes.result.length, raw: rawVolumes, equal: vp.length ? `NO (${vp.length})` : 'yes' });

			const children = await timed(n, () => findChildren(db, scope.id, year));
			rows.push({ scope: scope.label, what: 'children', p50: children.p50, p95: children.p95, rows: children.result.length });

			const units = await timed(n, () => findChildMeasures(db, scope.id, year, noFilters));
			const rawUnits = await timed(rawN, () => rawChildMeasures(db, scope.id, year), false);
			const up = sameSums(units.result, rawUnits.result, unitKey, MEASURE_FIELDS);
			problems.push(...up.slice(0, 5).map((p) => `${scope.label} child measures ${p}`));
			rows.push({ scope: scope.label, what: 'child measures (2 years)', p50: units.p50, p95: units.p95, rows: units.result.length, raw: rawUnits, equal: up.length ? `NO (${up.length})` : 'yes' });

			const branches = await timed(n, () => findBranches(db, scope.id, year));
			rows.push({ scope: scope.label, what: 'branches (picker, path)', p50: branches.p50, p95: branches.p95, rows: branches.result.length });

			const req: DashboardRequest = { year: null, organizationId: scope.id, kind: null, serviceId: null, group: null, indicator: null };
			const page = await timed(n, () => loadDashboard(db, 'all', req, asOfYear));
			const dp = dashboardMatchesRaw(page.result, { measures: rawMeasures.result, volumes: rawVolumes.result, children: rawUnits.result });
			problems.push(...dp.slice(0, 5).map((p) => `${scope.label} loadDashboard ${p}`));
			const rawAll = { p50: rawMeasures.p50 + rawVolumes.p50 + rawUnits.p50, p95: rawMeasures.p95 + rawVolumes.p95 + rawUnits.p95 };
			rows.push({ scope: scope.label, what: 'loadDashboard', p50: page.p50, p95: page.p95, rows: null, raw: rawAll, equal: dp.length ? `NO (${dp.length})` : 'yes' });
		}
		printTable(`Dashboard reads for ${year}`, rows, n, rawN, log);
		log('  raw SQL beside loadDashboard: the three raw statements it needs, one after the other.');

		// The page over HTTP.
		const buildDir = path.resolve(options.buildDir);
		if (!fs.existsSync(path.join(buildDir, 'index.js'))) {
			log(`\n  HTTP: skipped: no built app at ${buildDir} (build one with \`npx vite build\`, in a private worktree if others share the tree, and set BENCH_BUILD_DIR).`);
		} else {
			const admin = await db.selectFrom('app_user').select('id').where('email', '=', ADMIN_EMAIL).executeTakeFirst();
			if (!admin) throw new Error(`no ${ADMIN_EMAIL} in the national data set`);
			const { token, session } = await createSession(db, admin.id, new Date(), { userAgent: 'sapa-bench' });
			const app = await startApp(buildDir, options.url, log);
			const http: HttpRow[] = [];
			try {
				for (const scope of scopes) {
					const target = `${app.base}/dashboard?org=${scope.id}`;
					const probe = await fetch(target, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: 'manual' });
					if (probe.status !== 200) {
						problems.push(`HTTP ${scope.label}: GET ${target} answered ${probe.status}`);
						continue;
					}
					await probe.arrayBuffer();
					log(`  HTTP ${scope.label}: ${options.connections} connections for ${options.httpSeconds} s…`);
					http.push({ scope: scope.label, ...(await hammer(target, `${SESSION_COOKIE}=${token}`, options.httpSeconds, options.connections)) });
				}
			} finally {
				await app.stop();
				await invalidateSession(db, session.id);
			}
			log('');
			log(`  GET /dashboard?org=… on the built app (node build, ${options.connections} connections, ${options.httpSeconds} s each; latency of 200 answers)`);
			log(`  ${'scope'.padEnd(10)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'requests'.padStart(9)} ${'non-2xx'.padStart(8)} ${'errors'.padStart(7)} ${'KB/page'.padStart(8)}`);
			for (const h of http) {
				log(`  ${h.scope.padEnd(10)} ${fmt(h.p50).padStart(8)} ${fmt(h.p95).padStart(8)} ${h.rps.toFixed(1).padStart(8)} ${String(h.requests).padStart(9)} ${String(h.non2xx).padStart(8)} ${String(h.errors).padStart(7)} ${h.kb.toFixed(0).padStart(8)}`);
				if (h.non2xx || h.errors) problems.push(`HTTP ${h.scope}: ${h.non2xx} non-2xx answers, ${h.errors} errors`);
			}
		}
		if (problems.length) {
			log(`\n  PROBLEMS (${problems.length}):`);
			for (const p of problems.slice(0, 30)) log(`    ${p}`);
		} else {
			log('\n  Every pre-aggregated sum equals its raw recomputation.');
		}
		return { problems };
	} finally {
		await handle.close();
	}
}

/** `npm run bench`'s dashboard part, configured from the environment. */
export async function benchDashboardFromEnv(): Promise<{ problems: string[] }> {
	const int = (v: string | undefined, fallback: number) => (v && Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
	return benchDashboard({
		url: process.env.BENCH_NATIONAL_URL?.trim() || DEFAULT_NATIONAL_URL,
		runs: int(process.env.BENCH_RUNS, 20),
		rawRuns: int(process.env.BENCH_RAW_RUNS, 1),
		buildDir: process.env.BENCH_BUILD_DIR?.trim() || 'build',
		httpSeconds: int(process.env.BENCH_HTTP_SECONDS, 15),
		connections: int(process.env.BENCH_HTTP_CONNECTIONS, 4)
	});
}
