// Backups, both modes: backup → wipe → restore gives the same rows in measurement and target (row
// counts and checksums computed here, not by the scripts), and the move of an embedded installation
// onto PostgreSQL. Data: the demo (figures 2019–2025 with targets), written by the built app.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { figureChecksums, request, runScript, startApp, tmpDir, withPg, withPglite } from './helpers.js';

const work = tmpDir('sapa-ops-backup-');
const dataDir = path.join(work, 'data');
const backups = path.join(work, 'backups');
const server = process.env.TEST_DATABASE_URL;
const dbName = `sapa_ops_backup_${process.pid}_${Date.now().toString(36)}`;
/** @param {string} url @param {string} name */
const withDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
const pgUrl = server ? withDatabase(server, dbName) : '';
const pgTools = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0 && spawnSync('psql', ['--version']).status === 0;
/** @type {Record<string, { rows: number, md5: string }>} */
let original = {};
let pgliteArchive = '';

/** @param {{ code: number | null, output: string }} r */
const archiveOf = (r) => {
	assert.equal(r.code, 0, r.output);
	const file = /Backup written: (\S+)/.exec(r.output)?.[1];
	assert.ok(file && fs.existsSync(file), r.output);
	return file;
};

before(async () => {
	// The demo data goes into a new embedded folder on the first start.
	const app = await startApp({ dataDir, env: { SAPA_DEMO: 'auto' }, timeoutMs: 180_000 });
	assert.equal((await app.stop()).code, 0);
	original = await withPglite(dataDir, figureChecksums);
	assert.ok(original.measurement && original.measurement.rows > 1000 && original.target && original.target.rows > 1000, 'demo figures and targets');
});

after(async () => {
	if (server) await withPg(server, (run) => run(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => {});
	fs.rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
	test('embedded: npm run backup → the folder wiped → npm run restore gives identical figures and targets', { timeout: 120_000 }, async () => {
		pgliteArchive = archiveOf(await runScript('backup.ts', [], { SAPA_DATA_DIR: dataDir, SAPA_BACKUP_DIR: backups }));
		assert.match(pgliteArchive, /\.pglite\.tar\.gz$/);
		fs.rmSync(dataDir, { recursive: true, force: true });
		const restored = await runScript('restore.ts', [pgliteArchive], { SAPA_DATA_DIR: dataDir });
		assert.equal(restored.code, 0, restored.output);
		assert.match(restored.output, /row counts and checksums match the backup/);
		assert.deepEqual(await withPglite(dataDir, figureChecksums), original);
		// Over an existing database only with --force (which keeps the old one aside as pgdata.replaced-…).
		const again = await runScript('restore.ts', [pgliteArchive], { SAPA_DATA_DIR: dataDir });
		assert.equal(again.code, 2);
		assert.match(again.output, /already holds a database\. Add --force/);
	});

	test('moving onto PostgreSQL: the embedded backup restored into an empty database, then the app serves it', { timeout: 120_000 }, async (t) => {
		if (!server) return t.skip('TEST_DATABASE_URL is not set');
		if (!pgliteArchive) return t.skip('no embedded backup (the test before failed)');
		await withPg(server, (run) => run(`CREATE DATABASE "${dbName}"`));
		const moved = await runScript('restore.ts', [pgliteArchive], { DATABASE_URL: pgUrl });
		assert.equal(moved.code, 0, moved.output);
		assert.match(moved.output, /rows copied; \d+ tables, row counts and checksums match the embedded database/);
		assert.deepEqual(await withPg(pgUrl, figureChecksums), original);
		// The moved database is current and usable: the app starts on it without migrating and the demo admin signs in.
		const app = await startApp({ databaseUrl: pgUrl });
		try {
			const res = await request(app.baseUrl, 'POST', '/login', { form: { email: 'admin@demo.sapa.kz', password: 'sapa-demo-2026', next: '/' } });
			assert.equal(res.status, 303);
			const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.startsWith('sapa_session='));
			const annex = await request(app.baseUrl, 'GET', '/annex', { cookie });
			assert.equal(annex.status, 200);
			// Identity counters continued: a new row gets an id above the copied ones (no clash).
			await withPg(pgUrl, async (run) => {
				const [m] = await run(`SELECT max(id)::bigint AS id FROM audit_log`);
				const [next] = await run(`SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::bigint AS id`);
				assert.ok(Number(next?.id) > Number(m?.id));
			});
		} finally {
			await app.stop();
		}
	});

	test('PostgreSQL: npm run backup (pg_dump) → the database dropped and made again → npm run restore gives identical figures and targets', { timeout: 120_000 }, async (t) => {
		if (!server) return t.skip('TEST_DATABASE_URL is not set');
		if (!pgTools) return t.skip('the PostgreSQL client tools (pg_dump, pg_restore, psql) are not installed');
		const exists = await withPg(server, (run) => run(`SELECT 1 FROM pg_database WHERE datname = $1`, [dbName]));
		if (!exists.length) return t.skip('no PostgreSQL database with the demo data (the move test failed)');
		const before = await withPg(pgUrl, figureChecksums);
		const archive = archiveOf(await runScript('backup.ts', [], { DATABASE_URL: pgUrl, SAPA_BACKUP_DIR: backups }));
		assert.match(archive, /\.pgdump$/);
		await withPg(server, (run) => run(`DROP DATABASE "${dbName}" WITH (FORCE)`));
		await withPg(server, (run) => run(`CREATE DATABASE "${dbName}"`));
		const restored = await runScript('restore.ts', [archive], { DATABASE_URL: pgUrl });
		assert.equal(restored.code, 0, restored.output);
		assert.match(restored.output, /row counts and checksums match the backup/);
		assert.deepEqual(await withPg(pgUrl, figureChecksums), before);
		assert.deepEqual(before, original);
		// Into a database that holds data: refused without --force, replaced whole with it.
		const refused = await runScript('restore.ts', [archive], { DATABASE_URL: pgUrl });
		assert.equal(refused.code, 2);
		assert.match(refused.output, /already holds \d+ tables/);
		const forced = await runScript('restore.ts', [archive, '--force'], { DATABASE_URL: pgUrl });
		assert.equal(forced.code, 0, forced.output);
		assert.deepEqual(await withPg(pgUrl, figureChecksums), original);
	});
});
