// What the operations tests share: the built app started as a child process, plain HTTP
// requests with a session, a load of writes and reads, a private PostgreSQL cluster that may
// be stopped and restarted, and the fixture every write needs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const root = path.resolve(import.meta.dirname, '..', '..');
/** The first administrator every test app creates in its empty database. */
export const ADMIN = { email: 'ops@sapa.test', password: 'Ops-test-passphrase-2026' };
/** This year in Astana, where "today" of the complaints register is. */
export const YEAR = new Date(Date.now() + 5 * 3600_000).getUTCFullYear();

/** @param {string} prefix */
export const tmpDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The promise's value, or null when it takes longer than `ms` (the timer is cleared either way,
 * so it never keeps the test process alive).
 * @template T @param {Promise<T>} promise @param {number} ms @returns {Promise<T | null>}
 */
export async function within(promise, ms) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const timeout = new Promise((r) => (timer = setTimeout(() => r(null), ms)));
	try {
		return /** @type {T | null} */ (await Promise.race([promise, timeout]));
	} finally {
		clearTimeout(timer);
	}
}

/** @returns {Promise<number>} */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer().once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, at: number }} Exit
 * @typedef {{
 *   child: import('node:child_process').ChildProcess, baseUrl: string, output: () => string,
 *   exited: Promise<Exit>, alive: () => boolean, onOutput: (f: (all: string) => void) => void,
 *   stop: (signal?: NodeJS.Signals) => Promise<Exit & { ms: number }>
 * }} App
 */

/**
 * Starts build/index.js on a free port with a database of its own: an embedded folder (dataDir)
 * or DATABASE_URL. Does not wait for it (see startApp).
 * @param {{ dataDir?: string, databaseUrl?: string, env?: NodeJS.ProcessEnv }} opts
 * @returns {Promise<App>}
 */
export async function launchApp({ dataDir, databaseUrl, env = {} }) {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	/** @type {NodeJS.ProcessEnv} */
	const childEnv = {
		...process.env, PORT: String(port), ORIGIN: baseUrl, SAPA_DEMO: 'never', LOG_LEVEL: 'info',
		SAPA_ADMIN_EMAIL: ADMIN.email, SAPA_ADMIN_PASSWORD: ADMIN.password, ...env
	};
	delete childEnv.DATABASE_URL;
	if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;
	if (dataDir) childEnv.SAPA_DATA_DIR = dataDir;
	const child = spawn(process.execPath, ['build/index.js'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	/** @type {Array<(all: string) => void>} */
	const watchers = [];
	const take = (/** @type {Buffer} */ d) => {
		output += d;
		for (const w of watchers) w(output);
	};
	child.stdout?.on('data', take);
	child.stderr?.on('data', take);
	/** @type {Promise<Exit>} */
	const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal, at: performance.now() })));
	const alive = () => child.exitCode === null && child.signalCode === null;
	return {
		child, baseUrl, exited, alive,
		output: () => output,
		onOutput: (f) => watchers.push(f),
		async stop(signal = 'SIGTERM') {
			const t = performance.now();
			if (alive()) child.kill(signal);
			const timer = setTimeout(() => alive() && child.kill('SIGKILL'), 20_000);
			const exit = await exited;
			clearTimeout(timer);
			return { ...exit, ms: Math.round(exit.at - t) };
		}
	};
}

/**
 * Starts the app on a free port and waits until /readyz says ready (or the process ends).
 * @param {{ dataDir?: string, databaseUrl?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} opts
 * @returns {Promise<App>}
 */
export async function startApp(opts) {
	const app = await launchApp(opts);
	const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
	while (Date.now() < deadline) {
		const res = await fetch(`${app.baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
		if (res?.status === 200) return app;
		await res?.arrayBuffer();
		const ended = await within(app.exited, 200);
		if (ended) throw new Error(`the app ended (${ended.signal ?? ended.code}) before it was ready:\n${app.output()}`);
	}
	await app.stop('SIGKILL');
	throw new Error(`the app was not ready in time:\n${app.output()}`);
}

/**
 * The JSON lines the app wrote (plain lines such as "Listening on" left out).
 * @param {string} output
 * @returns {Array<Record<string, any>>}
 */
export function logLines(output) {
	return output.split('\n').filter((l) => l.startsWith('{')).map((l) => {
		try {
			return JSON.parse(l);
		} catch {
			return {};
		}
	});
}

/**
 * One request as a browser form or link makes it; never follows redirects; gives up after 20 s.
 * @param {string} baseUrl
 * @param {'GET' | 'POST'} method
 * @param {string} url
 * @param {{ cookie?: string, form?: Record<string, string>, id?: string }} [opts] id: sent as X-Request-Id
 */
export async function request(baseUrl, method, url, { cookie, form, id } = {}) {
	/** @type {Record<string, string>} */
	const headers = { accept: 'text/html' };
	if (cookie) headers.cookie = cookie;
	if (id) headers['x-request-id'] = id;
	if (method === 'POST') headers.origin = baseUrl;
	return fetch(`${baseUrl}${url}`, {
		method, headers, redirect: 'manual', signal: AbortSignal.timeout(20_000),
		body: method === 'POST' ? new URLSearchParams(form ?? {}) : undefined
	});
}

/** @param {App} app @returns {Promise<string>} the session cookie of the test administrator */
export async function signIn(app) {
	const res = await request(app.baseUrl, 'POST', '/login', { form: { email: ADMIN.email, password: ADMIN.password, next: '/' } });
	await res.arrayBuffer();
	const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => /^sapa_session=./.test(c));
	if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status}`);
	return cookie;
}

// ---------- the fixture: a school providing a service this year, where complaints are written ----------

/** @typedef {(text: string, params?: unknown[]) => Promise<Array<Record<string, any>>>} Run */
/** @typedef {{ org: number, service: number }} Fixture */

/** @param {Run} run @returns {Promise<Fixture>} */
export async function insertFixture(run) {
	const [org] = await run(`INSERT INTO organization (code, kind, name_kk, name_ru) VALUES ('OPS-SCH-1', 'school', 'Ops мектебі', 'Ops школа') RETURNING id`);
	const [svc] = await run(`SELECT min(id)::int AS id FROM service`);
	await run(`INSERT INTO service_provision (organization_id, service_id, year_from) VALUES ($1, $2, 2020)`, [org?.id, svc?.id]);
	return { org: Number(org?.id), service: Number(svc?.id) };
}

/** @param {pg.ClientBase} client @returns {Run} */
export const pgRun = (client) => async (text, params) => (await client.query(text, params)).rows;

/**
 * @param {string} url
 * @param {(run: Run) => Promise<T>} work
 * @template T
 */
export async function withPg(url, work) {
	const client = new pg.Client({ connectionString: url, application_name: 'sapa-ops-test' });
	await client.connect();
	try {
		return await work(pgRun(client));
	} finally {
		await client.end();
	}
}

/**
 * Opens an embedded data folder (the app must be stopped) in this process.
 * @param {string} dataDir
 * @param {(run: Run) => Promise<T>} work
 * @template T
 */
export async function withPglite(dataDir, work) {
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
	try {
		return await work(async (text, params) => (await db.query(text, params)).rows);
	} finally {
		await db.close();
	}
}

/**
 * Adds one complaint through the register's form; acknowledged = 303 back to the register, "added".
 * @param {App} app @param {string} cookie @param {Fixture} fx @param {string} summary (also the request's id)
 */
export async function addComplaint(app, cookie, fx, summary) {
	const res = await request(app.baseUrl, 'POST', `/figures/${fx.org}/${YEAR}/complaints?/add`, {
		cookie, id: summary, form: { service: String(fx.service), receivedOn: `${YEAR}-01-01`, summary, justified: 'pending', dueOn: '', answeredOn: '', satisfied: '' }
	});
	const body = await res.text();
	return { status: res.status, ack: res.status === 303 && /done=added/.test(res.headers.get('location') ?? ''), body };
}

/** @param {App} app @param {string} cookie @param {Fixture} fx @param {string} [id] the request's id */
export async function readRegister(app, cookie, fx, id) {
	const res = await request(app.baseUrl, 'GET', `/figures/${fx.org}/${YEAR}/complaints`, { cookie, id });
	const body = await res.text();
	return { status: res.status, ack: res.status === 200, body };
}

/**
 * What the database holds of the complaints a test wrote: their summaries, and how many lack the
 * audit row written in the same transaction (anything half-written would show there).
 * @param {Run} run @param {string} prefix
 */
export async function writtenComplaints(run, prefix) {
	const rows = await run(`SELECT summary FROM complaint WHERE summary LIKE $1`, [`${prefix}%`]);
	const [orphans] = await run(`SELECT count(*)::int AS n FROM complaint c WHERE c.summary LIKE $1 AND NOT EXISTS (
		SELECT 1 FROM audit_log a WHERE a.entity = 'complaint' AND a.entity_id = c.id::text AND a.action = 'insert')`, [`${prefix}%`]);
	return { summaries: new Set(rows.map((r) => String(r.summary))), withoutAudit: Number(orphans?.n ?? 0) };
}

/**
 * @typedef {{ kind: 'write' | 'read', summary: string | null, status: number, ack: boolean, t0: number, t1: number, error?: string }} Outcome
 */

/**
 * Workers writing complaints and reading the register in turn until stopped. A failed request
 * waits 50 ms before the next, so an outage is not a busy loop.
 * @param {{ app: App, cookie: string, fx: Fixture, workers: number, prefix: string, writesOnly?: boolean }} o
 */
export function startLoad({ app, cookie, fx, workers, prefix, writesOnly = false }) {
	/** @type {Outcome[]} */
	const results = [];
	let running = true;
	let n = 0;
	const worker = async () => {
		while (running) {
			const i = n++;
			const write = writesOnly || i % 2 === 0;
			const summary = write ? `${prefix}-${i}` : null;
			const t0 = performance.now();
			/** @type {Outcome} */
			let outcome;
			try {
				const r = write && summary ? await addComplaint(app, cookie, fx, summary) : await readRegister(app, cookie, fx);
				outcome = { kind: write ? 'write' : 'read', summary, status: r.status, ack: r.ack, t0, t1: performance.now() };
			} catch (err) {
				outcome = { kind: write ? 'write' : 'read', summary, status: 0, ack: false, t0, t1: performance.now(), error: String(err) };
			}
			results.push(outcome);
			if (!outcome.ack) await sleep(50);
		}
	};
	const done = Promise.all(Array.from({ length: workers }, worker));
	return {
		results,
		async stop() {
			running = false;
			await done;
			return results;
		}
	};
}

// ---------- a private PostgreSQL cluster, free to stop and restart ----------

/** @param {string} cmd @param {string[]} args @returns {Promise<string>} */
function run(cmd, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${out}`))));
	});
}

function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (process.env.PG_BIN && fs.existsSync(path.join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
	if (!fs.existsSync(base)) return null;
	const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

/**
 * @typedef {{ url: (db: string) => string, stop: () => Promise<void>, start: () => Promise<void>, destroy: () => Promise<void> }} Cluster
 */

/**
 * Creates and starts a PostgreSQL cluster of its own in a temporary folder (initdb refuses root,
 * so as root it runs as the postgres user). Never the shared server: that one is not ours to stop.
 * @returns {Promise<Cluster | { skip: string }>}
 */
export async function privatePostgres() {
	const bin = postgresBinDir();
	if (!bin) return { skip: 'no PostgreSQL server binaries (initdb, pg_ctl) on this machine (set PG_BIN)' };
	const isRoot = process.getuid?.() === 0;
	/** @type {{ uid: number, gid: number } | null} */
	let owner = null;
	if (isRoot) {
		try {
			owner = { uid: Number((await run('id', ['-u', 'postgres'])).trim()), gid: Number((await run('id', ['-g', 'postgres'])).trim()) };
		} catch {
			return { skip: 'running as root and there is no postgres user to run a private cluster as' };
		}
	}
	const dir = tmpDir('sapa-ops-pg-');
	if (owner) fs.chownSync(dir, owner.uid, owner.gid);
	const as = (/** @type {string} */ cmd, /** @type {string[]} */ args) => (owner ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
	const port = await freePort();
	const data = path.join(dir, 'data');
	const ctl = (/** @type {string[]} */ args) => as(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
	try {
		await as(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
		await ctl(['-l', path.join(dir, 'server.log'), '-o', options, '-w', 'start']);
	} catch (err) {
		fs.rmSync(dir, { recursive: true, force: true });
		return { skip: `a private PostgreSQL cluster cannot be started here: ${String(err).slice(0, 300)}` };
	}
	return {
		url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
		stop: async () => void (await ctl(['-m', 'fast', '-w', 'stop'])),
		start: async () => void (await ctl(['-l', path.join(dir, 'server.log'), '-o', options, '-w', 'start'])),
		destroy: async () => {
			await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => {});
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

/**
 * Runs one of the command-line scripts (scripts/*.ts) the way npm run does, with tsx.
 * @param {string} script @param {string[]} args @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ code: number | null, output: string }>}
 */
export function runScript(script, args, env) {
	const childEnv = { ...process.env, ...env };
	for (const k of ['DATABASE_URL', 'SAPA_DATA_DIR']) if (!(k in env)) delete childEnv[k];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', script), ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code, output }));
	});
}

/**
 * Row counts and checksums of the measurement and target tables, computed here rather than
 * by the code under test: the md5 of every row in id order.
 * @param {Run} run
 */
export async function figureChecksums(run) {
	// Row text shows timestamps in the session's time zone: the same one on every engine.
	await run(`SET TimeZone = 'UTC'`);
	/** @type {Record<string, { rows: number, md5: string }>} */
	const out = {};
	for (const table of ['measurement', 'target']) {
		const [r] = await run(`SELECT count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY t.id), '')) AS sum FROM ${table} t`);
		out[table] = { rows: Number(r?.n), md5: String(r?.sum) };
	}
	return out;
}

/**
 * Sends `n` requests (writes and reads alternately, each with its own X-Request-Id) and sends
 * SIGTERM as soon as at least `inFlight` of them are being handled (the server's debug log says
 * which it received and which it answered) or it has received them all. Every request the server
 * had received by then must complete; those it had not may be refused (it stopped accepting).
 * @param {App} app @param {string} cookie @param {Fixture} fx
 * @param {string} prefix @param {number} n @param {number} [inFlight]
 */
export async function sigtermDuringBurst(app, cookie, fx, prefix, n, inFlight = 5) {
	const mark = app.output().length;
	/** @type {Set<string> | null} */
	let receivedAtSignal = null;
	let inFlightAtSignal = 0;
	let signalledAt = 0;
	const ids = (/** @type {string} */ all, /** @type {string} */ msg) =>
		new Set(logLines(all.slice(mark)).filter((l) => l.msg === msg && String(l.id).startsWith(`${prefix}-`)).map((l) => String(l.id)));
	app.onOutput((all) => {
		if (receivedAtSignal) return;
		const received = ids(all, 'request received');
		const answered = ids(all, 'request');
		const running = [...received].filter((id) => !answered.has(id)).length;
		if (running < Math.min(inFlight, n) && received.size < n) return;
		receivedAtSignal = received;
		inFlightAtSignal = running;
		signalledAt = performance.now();
		app.child.kill('SIGTERM');
	});
	const requests = Array.from({ length: n }, (_, i) => {
		const id = `${prefix}-${i}`;
		return (i % 2 === 0 ? addComplaint(app, cookie, fx, id) : readRegister(app, cookie, fx, id)).then(
			(r) => ({ id, write: i % 2 === 0, status: r.status, ack: r.ack, at: performance.now(), error: '' }),
			(err) => ({ id, write: i % 2 === 0, status: 0, ack: false, at: performance.now(), error: String(err) })
		);
	});
	const outcomes = await Promise.all(requests);
	const exit = await app.exited;
	const received = /** @type {Set<string>} */ (receivedAtSignal ?? new Set());
	const failures = outcomes.filter((o) => received.has(o.id) && !o.ack);
	return {
		acked: outcomes.filter((o) => o.ack && o.write).map((o) => o.id),
		failures,
		exit: { ...exit, ms: Math.round(exit.at - signalledAt) },
		report: {
			requests: n, receivedBeforeSignal: received.size, inFlightAtSignal,
			completedAfterSignal: outcomes.filter((o) => o.at > signalledAt && o.ack).length,
			notReceivedAndRefused: outcomes.filter((o) => !received.has(o.id) && !o.ack).length,
			failedAfterReceipt: failures.length, exitCode: exit.code, exitMs: Math.round(exit.at - signalledAt),
			stoppedLogged: logLines(app.output()).some((l) => l.msg === 'stopped')
		}
	};
}
