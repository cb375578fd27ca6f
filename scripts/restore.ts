/*
 * npm run restore -- FILE [--force]
 *
 * Puts a backup made by `npm run backup` back, into the database this configuration names:
 *   a pg_dump archive   -> DATABASE_URL (an empty database; --force replaces what is in it)
 *   a PGlite archive    -> SAPA_DATA_DIR (a folder without a database; --force keeps the old
 *                          one aside as pgdata.replaced-<time>), or, with DATABASE_URL set,
 *                          onto PostgreSQL: the move of an embedded installation to a server.
 * Sapa must be stopped (every instance). The restore is all or nothing, and its row counts and
 * checksums are compared with the backup's manifest (FILE.json) before it reports success.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { readConfig } from '../src/lib/server/config';
import {
	archiveKind, clientRunner, copyPgliteToPostgres, otherSapaSessions, pgliteRunner, pgToolTarget, publicTables, readManifest,
	runTool, summarizeTables, summaryDifferences, type TableSummary
} from '../src/lib/server/db/backup';
import { openPglite, openPostgres } from '../src/lib/server/db/connect';
import { lockDataDir } from '../src/lib/server/db/folder-lock';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { loadMigrations } from './load-migrations';

const args = process.argv.slice(2);
const force = args.includes('--force');
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
	console.error('Usage: npm run restore -- FILE [--force]   (FILE: a backup made by npm run backup)');
	process.exit(2);
}
const archive = path.resolve(file);
const config = readConfig();
const started = performance.now();

class Refusal extends Error {}

/** Compares what is there now with what the backup says it holds; throws on any difference. */
function verify(want: Record<string, TableSummary> | null, have: Record<string, TableSummary>, against: string): string {
	if (!want) return `no manifest (${path.basename(archive)}.json) to check against; ${Object.keys(have).length} tables restored`;
	const diff = summaryDifferences(want, have);
	if (diff.length) throw new Error(`the restored database differs from ${against}:\n  ${diff.join('\n  ')}`);
	return `${Object.keys(have).length} tables, row counts and checksums match ${against}`;
}

async function connectTarget(url: string): Promise<pg.Client> {
	const client = new pg.Client({ connectionString: url, application_name: 'sapa-restore' });
	await client.connect();
	const running = await otherSapaSessions(client);
	if (running > 0 && !force) {
		await client.end();
		throw new Refusal(`Sapa is still connected to this database (${running} connections): stop every instance first (or add --force).`);
	}
	return client;
}

/** Empties the target's public schema when --force allows; refuses a database that holds tables otherwise. */
async function clearTarget(client: pg.Client): Promise<string> {
	const tables = await publicTables(clientRunner(client));
	if (tables.length === 0) return '';
	if (!force) throw new Refusal(`The database already holds ${tables.length} tables. Restore into an empty database (createdb), or add --force to replace everything in it.`);
	return 'SET client_min_messages = warning;\nDROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n';
}

async function restorePgDump(url: string) {
	const manifest = readManifest(archive);
	const client = await connectTarget(url);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-restore-'));
	try {
		const preamble = await clearTarget(client);
		// pg_restore writes the SQL to a file first: psql then runs it, with the clearing above, as
		// one transaction; a damaged archive fails here, before anything is touched.
		const script = path.join(work, 'restore.sql');
		const { dbname, env } = pgToolTarget(url);
		await runTool('pg_restore', ['--no-owner', '--no-privileges', `--file=${script}`, archive], env);
		fs.writeFileSync(path.join(work, 'preamble.sql'), preamble);
		await runTool('psql', ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', '--output=/dev/null',
			`--file=${path.join(work, 'preamble.sql')}`, `--file=${script}`, `--dbname=${dbname}`], env);
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
		const have = await summarizeTables(clientRunner(client));
		await client.query('COMMIT');
		return verify(manifest?.tables ?? null, have, 'the backup');
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
		await client.end();
	}
}

async function loadArchive(): Promise<Blob> {
	return new Blob([fs.readFileSync(archive)]);
}

async function restorePgliteFolder(dataDir: string) {
	const manifest = readManifest(archive);
	const release = lockDataDir(dataDir, 'restore');
	const pgdata = path.join(dataDir, 'pgdata');
	const incoming = path.join(dataDir, 'pgdata.restoring');
	let aside: string | null = null;
	try {
		if (fs.existsSync(pgdata)) {
			if (!force) throw new Refusal(`${dataDir} already holds a database. Add --force to replace it (it is kept as pgdata.replaced-<time> beside).`);
		}
		fs.rmSync(incoming, { recursive: true, force: true });
		// Unpacked beside, checked, then swapped in: the folder never holds half a database.
		const pglite = await PGlite.create({ dataDir: incoming, loadDataDir: await loadArchive() });
		let have: Record<string, TableSummary>;
		try {
			await pglite.exec('BEGIN');
			have = await summarizeTables(pgliteRunner(pglite));
			await pglite.exec('COMMIT');
			await pglite.exec('CHECKPOINT');
		} finally {
			await pglite.close();
		}
		const verdict = verify(manifest?.tables ?? null, have, 'the backup');
		if (fs.existsSync(pgdata)) {
			aside = `${pgdata}.replaced-${new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}`;
			fs.renameSync(pgdata, aside);
		}
		fs.renameSync(incoming, pgdata);
		return verdict + (aside ? `; the database it replaced is kept in ${aside}` : '');
	} catch (err) {
		fs.rmSync(incoming, { recursive: true, force: true });
		throw err;
	} finally {
		release();
	}
}

/** An embedded installation's backup onto PostgreSQL: same migrations on both sides, then every row copied. */
async function movePgliteToPostgres(url: string) {
	const client = await connectTarget(url);
	const migrations = await loadMigrations();
	const source = await openPglite({ dataDir: null, loadDataDir: await loadArchive() });
	let schemaMade = false;
	try {
		const preamble = await clearTarget(client);
		if (preamble) await client.query(preamble);
		// The backup may come from an older Sapa: both sides are brought to this version's schema.
		await migrateToLatest(source.db, migrations);
		const target = openPostgres(url, { poolMax: 1 });
		try {
			schemaMade = true;
			await migrateToLatest(target.db, migrations);
		} finally {
			await target.close();
		}
		const counts = await copyPgliteToPostgres(source.pglite, client);
		const want = await (async () => {
			await source.pglite.exec('BEGIN');
			try {
				return await summarizeTables(pgliteRunner(source.pglite));
			} finally {
				await source.pglite.exec('COMMIT');
			}
		})();
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
		const have = await summarizeTables(clientRunner(client));
		await client.query('COMMIT');
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		return `${total} rows copied; ` + verify(want, have, 'the embedded database');
	} catch (err) {
		// Leave the server database empty, as it was, rather than half-moved.
		if (schemaMade) await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;').catch(() => {});
		throw err;
	} finally {
		await source.close();
		await client.end();
	}
}

try {
	if (!fs.existsSync(archive)) throw new Refusal(`No such file: ${archive}`);
	const kind = archiveKind(archive);
	if (!kind) throw new Refusal(`${archive} is neither a pg_dump archive nor a PGlite backup.`);
	let verdict: string;
	if (kind === 'pg_dump') {
		if (!config.databaseUrl) throw new Refusal('This is a PostgreSQL backup: set DATABASE_URL to the (empty) database to restore it into.');
		verdict = await restorePgDump(config.databaseUrl);
	} else if (config.databaseUrl) {
		verdict = await movePgliteToPostgres(config.databaseUrl);
	} else {
		verdict = await restorePgliteFolder(config.dataDir);
	}
	const where = config.databaseUrl ? 'DATABASE_URL' : config.dataDir;
	console.log(`Restored ${path.basename(archive)} into ${where} in ${Math.round(performance.now() - started)} ms: ${verdict}.`);
} catch (err) {
	console.error(`Restore failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = err instanceof Refusal ? 2 : 1;
}
