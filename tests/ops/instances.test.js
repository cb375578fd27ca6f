// Several app instances behind a load balancer, one PostgreSQL: started at the same moment on an
// empty database, they migrate it once, create one first administrator, and all serve.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { launchApp, logLines, root, startApp, withPg } from './helpers.js';

const server = process.env.TEST_DATABASE_URL;

/** @param {string} url @param {string} name */
const withDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

test('two instances started together on one empty PostgreSQL database migrate it once', { timeout: 180_000 }, async (t) => {
	if (!server) return t.skip('TEST_DATABASE_URL is not set');
	const name = `sapa_ops_instances_${process.pid}_${Date.now().toString(36)}`;
	await withPg(server, (run) => run(`CREATE DATABASE "${name}"`));
	const url = withDatabase(server, name);
	/** @type {import('./helpers.js').App[]} */
	const apps = [];
	try {
		// Both processes are spawned before either is waited for: they race for the same migrations.
		const launched = await Promise.all([launchApp({ databaseUrl: url }), launchApp({ databaseUrl: url })]);
		apps.push(...launched);
		const started = performance.now();
		await Promise.all(launched.map(async (app) => {
			const deadline = performance.now() + 150_000;
			while (performance.now() < deadline) {
				const res = await fetch(`${app.baseUrl}/readyz`).catch(() => null);
				if (res?.status === 200) return;
				assert.ok(app.alive(), `an instance ended:\n${app.output()}`);
				await new Promise((r) => setTimeout(r, 200));
			}
			assert.fail(`an instance was not ready in time:\n${app.output()}`);
		}));
		console.log(`# both instances ready in ${Math.round(performance.now() - started)} ms`);

		const files = fs.readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
		const applied = apps.flatMap((app) => logLines(app.output()).filter((l) => l.msg === 'migrations applied'));
		assert.equal(applied.length, 1, `migrations applied by ${applied.length} instances:\n${apps.map((a) => a.output()).join('\n---\n')}`);
		assert.deepEqual(applied[0]?.applied, files);
		const admins = apps.flatMap((app) => logLines(app.output()).filter((l) => l.msg === 'first administrator created'));
		assert.equal(admins.length, 1, 'one first administrator');
		await withPg(url, async (run) => {
			const rows = await run(`SELECT name FROM kysely_migration ORDER BY name`);
			assert.deepEqual(rows.map((r) => r.name), files);
			const [users] = await run(`SELECT count(*)::int AS n FROM app_user`);
			assert.equal(users?.n, 1);
			const [orgs] = await run(`SELECT count(*)::int AS n FROM organization`);
			assert.ok(Number(orgs?.n) > 0, 'the catalogue migration ran');
		});
		// A third instance started later finds nothing to do.
		const third = await startApp({ databaseUrl: url });
		apps.push(third);
		assert.ok(!logLines(third.output()).some((l) => l.msg === 'migrations applied'));
		for (const app of apps) assert.equal((await app.stop()).code, 0);
	} finally {
		for (const app of apps) if (app.alive()) await app.stop('SIGKILL');
		await withPg(server, (run) => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
	}
});
