/*
 * npm run backup                      a backup of the database in use, into SAPA_BACKUP_DIR (./backups)
 * npm run backup -- --out FILE        ...into FILE
 *
 * PostgreSQL (DATABASE_URL): pg_dump's custom format, online (the app keeps running); the row
 * counts and checksums beside it come from the very snapshot pg_dump reads.
 * Embedded (PGlite, SAPA_DATA_DIR): PGlite's own dump of the data folder (a gzipped tar), taken
 * while Sapa is stopped: the folder belongs to one process at a time.
 * Beside the archive, FILE.json says what it holds; `npm run restore` checks the result against it.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { readConfig } from '../src/lib/server/config';
import {
	appliedMigrations, clientRunner, manifestPath, pgliteRunner, pgToolTarget, runTool, summarizeTables, writeAtomically, type Manifest
} from '../src/lib/server/db/backup';
import { openPglite } from '../src/lib/server/db/connect';
import { lockHolder } from '../src/lib/server/db/folder-lock';

function option(name: string): string | null {
	const i = process.argv.indexOf(name);
	return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

const config = readConfig();
const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
const out = path.resolve(option('--out') ?? path.join(config.backupDir, `sapa-${stamp}.${config.databaseUrl ? 'pgdump' : 'pglite.tar.gz'}`));
fs.mkdirSync(path.dirname(out), { recursive: true });
const started = performance.now();

async function backupPostgres(url: string): Promise<Manifest> {
	// One REPEATABLE READ transaction exports its snapshot; pg_dump reads that same snapshot,
	// so the counts in the manifest are exactly what the archive holds, writes meanwhile or not.
	const client = new pg.Client({ connectionString: url, application_name: 'sapa-backup' });
	await client.connect();
	try {
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
		const snapshot = String((await client.query('SELECT pg_export_snapshot() AS s')).rows[0].s);
		const run = clientRunner(client);
		const manifest: Manifest = {
			format: 'sapa-backup/1', engine: 'postgres', createdAt: new Date().toISOString(),
			migrations: await appliedMigrations(run), tables: await summarizeTables(run)
		};
		const { dbname, env } = pgToolTarget(url);
		const partial = `${out}.partial`;
		await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${dbname}`], env);
		fs.renameSync(partial, out);
		await client.query('COMMIT');
		return manifest;
	} finally {
		await client.end();
	}
}

async function backupPglite(dataDir: string): Promise<Manifest> {
	if (!fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))) throw new Error(`There is no Sapa database in ${dataDir} (SAPA_DATA_DIR).`);
	const holder = lockHolder(dataDir);
	if (holder) {
		throw new Error(
			`Sapa is running on ${dataDir} (process ${holder.pid}, ${holder.purpose}). The embedded database is backed up while ` +
				`Sapa is stopped: stop it (systemctl stop sapa), run npm run backup, start it again. ` +
				`On PostgreSQL (DATABASE_URL) backups are taken while Sapa runs.`
		);
	}
	const handle = await openPglite({ dataDir, purpose: 'backup' });
	try {
		const { pglite } = handle;
		const run = pgliteRunner(pglite);
		await pglite.exec('BEGIN');
		const manifest: Manifest = {
			format: 'sapa-backup/1', engine: 'pglite', createdAt: new Date().toISOString(),
			migrations: await appliedMigrations(run), tables: await summarizeTables(run)
		};
		await pglite.exec('COMMIT');
		await pglite.exec('CHECKPOINT');
		const dump = await pglite.dumpDataDir('gzip');
		writeAtomically(out, new Uint8Array(await dump.arrayBuffer()));
		return manifest;
	} finally {
		await handle.close();
	}
}

try {
	const manifest = config.databaseUrl ? await backupPostgres(config.databaseUrl) : await backupPglite(config.dataDir);
	writeAtomically(manifestPath(out), JSON.stringify(manifest, null, '\t') + '\n');
	const { measurement, target } = manifest.tables;
	console.log(
		`Backup written: ${out} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MiB, ${Math.round(performance.now() - started)} ms)\n` +
			`  ${Object.keys(manifest.tables).length} tables; measurement ${measurement?.rows ?? 0} rows, target ${target?.rows ?? 0} rows; ` +
			`${manifest.migrations.length} migrations\n  contents listed in ${manifestPath(out)}`
	);
} catch (err) {
	console.error(`Backup failed: ${err instanceof Error ? err.message : String(err)}`);
	fs.rmSync(`${out}.partial`, { force: true });
	process.exitCode = 1;
}
