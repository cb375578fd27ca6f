// PostgreSQL going away under a running Sapa: connections dropped, the server stopped and started
// again, while requests keep coming. Then SIGTERM in the middle of a burst. On a private cluster
// of the test's own (the shared server is never stopped).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	YEAR, addComplaint, insertFixture, logLines, privatePostgres, readRegister, sigtermDuringBurst, signIn, sleep, startApp, startLoad, withPg, writtenComplaints
} from './helpers.js';

/** @type {import('./helpers.js').Cluster | null} */
let cluster = null;
/** @type {string | null} */
let skip = null;
/** @type {import('./helpers.js').App | null} */
let app = null;
let cookie = '';
/** @type {import('./helpers.js').Fixture} */
let fx = { org: 0, service: 0 };
let url = '';

before(async () => {
	const made = await privatePostgres();
	if ('skip' in made) {
		skip = made.skip;
		console.log(`# skipping the PostgreSQL fault tests: ${skip}`);
		return;
	}
	cluster = made;
	await withPg(cluster.url('postgres'), (run) => run('CREATE DATABASE sapa'));
	url = cluster.url('sapa');
	// A small pool and short connect timeout: an outage shows quickly, as in production with defaults.
	app = await startApp({ databaseUrl: url, env: { DATABASE_POOL_MAX: '4', DATABASE_CONNECT_TIMEOUT_MS: '2000', LOG_LEVEL: 'debug' } });
	fx = await withPg(url, insertFixture);
	cookie = await signIn(app);
});

after(async () => {
	if (app?.alive()) await app.stop('SIGKILL');
	await cluster?.destroy();
});

/** @param {import('./helpers.js').Outcome[]} results @param {number} from @param {number} [to] */
const between = (results, from, to = Infinity) => results.filter((r) => r.t0 >= from && r.t0 < to);

describe('PostgreSQL faults', () => {
	test('connections dropped and the server restarted under load: 503s only, the process stays up, service resumes by itself, nothing committed is lost', { timeout: 120_000 }, async (t) => {
		if (skip || !cluster || !app) return t.skip(skip ?? 'no cluster');
		const load = startLoad({ app, cookie, fx, workers: 4, prefix: 'pg-restart' });
		await sleep(1500);

		// 1. Every Sapa connection killed by the server (what a failover or a DBA's pg_terminate_backend does).
		const dropAt = performance.now();
		const dropped = await withPg(cluster.url('postgres'), (run) =>
			run(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'sapa'`));
		await sleep(1500);

		// 2. The server stopped (fast: sessions ended, transactions rolled back) for two seconds, then started.
		const downAt = performance.now();
		await cluster.stop();
		await sleep(2000);
		await cluster.start();
		const backAt = performance.now();
		await sleep(4000);
		const results = await load.stop();

		const failed = results.filter((r) => !r.ack);
		const byStatus = failed.reduce((/** @type {Record<string, number>} */ acc, r) => ((acc[String(r.status)] = (acc[String(r.status)] ?? 0) + 1), acc), {});
		const lastFailure = Math.max(0, ...failed.map((r) => r.t1));
		const firstSuccessAfter = Math.min(...results.filter((r) => r.ack && r.t0 >= backAt).map((r) => r.t1));
		const recovery = {
			requests: results.length, ok: results.length - failed.length, failed: byStatus,
			dropped: dropped[0]?.n,
			'failed after the drop': between(results, dropAt, downAt).filter((r) => !r.ack).length,
			'last failure, ms after the server was back': Math.round(lastFailure - backAt),
			'first success, ms after the server was back': Math.round(firstSuccessAfter - backAt)
		};
		console.log(`# recovery: ${JSON.stringify(recovery)}`);

		assert.ok(app.alive(), `the process ended:\n${app.output().slice(-3000)}`);
		assert.deepEqual(Object.keys(byStatus).filter((s) => s !== '503'), [], `failures other than 503: ${JSON.stringify(byStatus)}\n${failed.filter((r) => r.status !== 503).slice(0, 3).map((r) => r.error ?? r.status).join('\n')}`);
		assert.ok((byStatus['503'] ?? 0) > 0, 'the outage was never felt: the test did not test anything');
		assert.ok(lastFailure - backAt < 3000, `requests still failed ${Math.round(lastFailure - backAt)} ms after the server was back`);
		assert.ok(between(results, backAt + 1000).filter((r) => r.ack).length > 10, 'too few requests succeeded after the restart');

		// The 503 is a clean page in the person's language, with the request's number, and Retry-After.
		const lines = logLines(app.output());
		assert.ok(lines.some((l) => l.msg === 'database unavailable'), 'the outage is in the log');
		assert.ok(!lines.some((l) => l.level === 'error' && l.msg === 'request failed' && /terminat|ECONNREFUSED|connect/i.test(JSON.stringify(l.err))),
			'a database outage was logged as a server error (500) somewhere');

		// Every acknowledged write is there, each with its audit row (written in the same transaction).
		const acked = results.filter((r) => r.kind === 'write' && r.ack).map((r) => /** @type {string} */ (r.summary));
		const stored = await withPg(url, (run) => writtenComplaints(run, 'pg-restart'));
		const lost = acked.filter((s) => !stored.summaries.has(s));
		assert.deepEqual(lost, [], `${lost.length} acknowledged writes are missing`);
		assert.equal(stored.withoutAudit, 0, 'a complaint without its audit row: something was half-written');
		console.log(`# writes: ${acked.length} acknowledged, ${stored.summaries.size} stored (a write cut off after its commit may be stored without an answer)`);
	});

	test('the 503 page while PostgreSQL is down: plain, in Russian by default, Retry-After, no internals', { timeout: 60_000 }, async (t) => {
		if (skip || !cluster || !app) return t.skip(skip ?? 'no cluster');
		await cluster.stop();
		try {
			const page = await readRegister(app, cookie, fx);
			assert.equal(page.status, 503);
			assert.match(page.body, /Сервис временно недоступен/);
			assert.doesNotMatch(page.body, /ECONNREFUSED|pg_|stack|node_modules|127\.0\.0\.1/);
			const id = /Номер запроса: ([A-Za-z0-9._-]+)/.exec(page.body)?.[1];
			assert.ok(id, 'the page gives the request number');
			assert.ok(logLines(app.output()).some((l) => l.msg === 'request' && l.id === id && l.status === 503), 'the same number is in the log');
			const write = await addComplaint(app, cookie, fx, 'pg-down-write');
			assert.equal(write.status, 503);
			// SvelteKit's own requests (an enhanced form, client-side navigation) get JSON it understands.
			const base = `${app.baseUrl}/figures/${fx.org}/${YEAR}/complaints`;
			const action = await fetch(`${base}?/add`, { method: 'POST', headers: { cookie, origin: app.baseUrl, accept: 'application/json', 'x-sveltekit-action': 'true' }, body: new URLSearchParams({ service: '1' }) });
			assert.equal(action.status, 503);
			assert.equal(action.headers.get('retry-after'), '5');
			assert.equal((await action.json()).type, 'error');
			const data = await fetch(`${base}/__data.json`, { headers: { cookie } });
			assert.equal(data.status, 503);
			assert.match((await data.json()).message, /Сапа/);
			const ready = await fetch(`${app.baseUrl}/readyz`);
			assert.equal(ready.status, 503);
			assert.deepEqual(await ready.json(), { status: 'unavailable', reason: 'database' });
			const health = await fetch(`${app.baseUrl}/healthz`);
			assert.equal(health.status, 200, 'the process is up: liveness must not depend on the database');
		} finally {
			await cluster.start();
		}
		const deadline = performance.now() + 10_000;
		let status = 0;
		while (performance.now() < deadline && status !== 200) {
			status = (await fetch(`${app.baseUrl}/readyz`)).status;
			if (status !== 200) await sleep(100);
		}
		assert.equal(status, 200, 'ready again once the server is back');
		const stored = await withPg(url, (run) => writtenComplaints(run, 'pg-down-write'));
		assert.equal(stored.summaries.size, 0, 'a write refused with 503 while the server was down left a row');
	});

	test('SIGTERM during a burst of requests: every request in flight completes, exit in under 5 s', { timeout: 60_000 }, async (t) => {
		if (skip || !cluster || !app) return t.skip(skip ?? 'no cluster');
		const result = await sigtermDuringBurst(app, cookie, fx, 'pg-sigterm', 40);
		console.log(`# SIGTERM (PostgreSQL): ${JSON.stringify(result.report)}`);
		assert.ok(result.report.inFlightAtSignal > 0, 'no request was in flight when the signal came: nothing was tested');
		assert.deepEqual(result.failures, [], 'requests in flight failed');
		assert.equal(result.exit.code, 0, `exit code ${result.exit.code} (${result.exit.signal})`);
		assert.ok(result.exit.ms < 5000, `exit took ${result.exit.ms} ms`);
		const stored = await withPg(url, (run) => writtenComplaints(run, 'pg-sigterm'));
		assert.deepEqual(result.acked.filter((s) => !stored.summaries.has(s)), []);
		// The same database serves again at once: a rolling restart.
		app = await startApp({ databaseUrl: url });
	});
});
