// The embedded database (PGlite in a data folder) through what a server goes through: SIGTERM in the
// middle of requests, kill -9 in the middle of a burst of writes, a second process on the same folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
	insertFixture, launchApp, runScript, sigtermDuringBurst, signIn, sleep, startApp, startLoad, tmpDir, within, withPglite, writtenComplaints
} from './helpers.js';

const dataDir = tmpDir('sapa-ops-lite-');
/** @type {import('./helpers.js').App | null} */
let app = null;
/** @type {import('./helpers.js').Fixture} */
let fx = { org: 0, service: 0 };
/** Writes acknowledged by earlier tests, checked again at the end. */
const acknowledged = /** @type {string[]} */ ([]);

before(async () => {
	// A first start creates the database (migrations, the first administrator); the fixture goes in while it is stopped.
	const first = await startApp({ dataDir });
	await first.stop();
	fx = await withPglite(dataDir, insertFixture);
});

after(async () => {
	if (app?.alive()) await app.stop('SIGKILL');
	fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded database (PGlite)', () => {
	test('SIGTERM during a burst of requests: every request in flight completes, PGlite closes, exit in under 5 s', { timeout: 90_000 }, async () => {
		app = await startApp({ dataDir, env: { LOG_LEVEL: 'debug' } });
		const cookie = await signIn(app);
		const result = await sigtermDuringBurst(app, cookie, fx, 'lite-sigterm', 16, 4);
		console.log(`# SIGTERM (PGlite): ${JSON.stringify(result.report)}`);
		assert.ok(result.report.inFlightAtSignal > 0, 'no request was in flight when the signal came: nothing was tested');
		assert.deepEqual(result.failures, [], 'requests in flight failed');
		assert.equal(result.exit.code, 0, `exit code ${result.exit.code} (${result.exit.signal})\n${app.output().slice(-2000)}`);
		assert.ok(result.exit.ms < 5000, `exit took ${result.exit.ms} ms`);
		assert.ok(result.report.stoppedLogged, 'the database was closed');
		assert.ok(!fs.existsSync(`${dataDir}/sapa.lock`), 'the folder lock is released');
		acknowledged.push(...result.acked);
	});

	test('kill -9 during a burst of writes: the app starts again at once and every acknowledged write is there', { timeout: 120_000 }, async () => {
		app = await startApp({ dataDir });
		const cookie = await signIn(app);
		const load = startLoad({ app, cookie, fx, workers: 6, prefix: 'lite-kill', writesOnly: true });
		// Kill once a good number of writes has been acknowledged, with more in flight.
		const deadline = performance.now() + 20_000;
		while (load.results.filter((r) => r.ack).length < 60 && performance.now() < deadline) await sleep(20);
		const killedApp = app;
		killedApp.child.kill('SIGKILL');
		await killedApp.exited;
		const results = await load.stop();
		const acked = results.filter((r) => r.ack).map((r) => /** @type {string} */ (r.summary));
		const cut = results.filter((r) => !r.ack).length;
		assert.ok(acked.length >= 60, `only ${acked.length} writes were acknowledged before the kill`);

		// The lock of the killed process does not stand in the way; PGlite replays its WAL.
		const restartAt = performance.now();
		app = await startApp({ dataDir });
		const restartMs = Math.round(performance.now() - restartAt);
		console.log(`# kill -9: ${acked.length} writes acknowledged, ${cut} cut off; restarted and ready in ${restartMs} ms`);

		// A second Sapa on the same folder is refused, plainly.
		const second = await launchApp({ dataDir });
		const refused = await within(second.exited, 60_000);
		if (!refused) await second.stop('SIGKILL');
		assert.ok(refused && refused.code === 1, 'the second process should have ended with exit code 1');
		assert.match(second.output(), /already in use by another Sapa process \(process \d+, server/);
		assert.ok(app.alive(), 'the first process carries on');

		// The embedded database is backed up while Sapa is stopped: a backup now is refused with how to do it.
		const backup = await runScript('backup.ts', ['--out', `${dataDir}/refused.tar.gz`], { SAPA_DATA_DIR: dataDir });
		assert.equal(backup.code, 1);
		assert.match(backup.output, /Sapa is running on .*stop it/);
		assert.ok(!fs.existsSync(`${dataDir}/refused.tar.gz`));

		const stop = await app.stop();
		assert.equal(stop.code, 0);
		const stored = await withPglite(dataDir, (run) => writtenComplaints(run, 'lite-'));
		const lost = [...acknowledged, ...acked].filter((s) => !stored.summaries.has(s));
		assert.deepEqual(lost, [], `${lost.length} acknowledged writes are missing after kill -9`);
		assert.equal(stored.withoutAudit, 0, 'a complaint without its audit row: something was half-written');
	});
});
