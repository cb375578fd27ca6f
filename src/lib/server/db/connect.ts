import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import lockfile from 'proper-lockfile';
import type { Database } from './schema';

export type Engine = 'postgres' | 'pglite';

export interface DatabaseHandle {
	db: Kysely<Database>;
	engine: Engine;
	/** True when an embedded database was created by this open (initdb ran). */
	created: boolean;
	close(): Promise<void>;
}

// Both engines must hand the app the same JavaScript values: counts as numbers
// (node-pg gives int8 and numeric as strings) and dates as 'YYYY-MM-DD' strings
// (a JS Date at local midnight shifts a day in some time zones).
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const toNumber = (v: string) => Number(v);
const asText = (v: string) => v;

export class DataDirLockedError extends Error {
	constructor(dir: string) {
		super(
			`The data folder ${dir} is already in use by another Sapa process. ` +
				`Stop that process, or set SAPA_DATA_DIR to another folder.`
		);
		this.name = 'DataDirLockedError';
	}
}

export function openPostgres(url: string, opts: { poolMax?: number; connectTimeoutMs?: number } = {}): DatabaseHandle {
	const pool = new pg.Pool({
		connectionString: url,
		max: opts.poolMax ?? 10,
		connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
		idleTimeoutMillis: 30_000,
		types: {
			getTypeParser(oid: number, format?: 'text' | 'binary') {
				if (oid === OID.INT8 || oid === OID.NUMERIC) return toNumber;
				if (oid === OID.DATE) return asText;
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				return (pg.types.getTypeParser as any)(oid, format);
			}
		}
	});
	// An idle client losing its connection emits 'error' on the pool; without a
	// listener Node treats it as unhandled and the whole process dies.
	pool.on('error', (err) => {
		console.error(JSON.stringify({ level: 'error', msg: 'postgres idle client error', err: err.message }));
	});
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return { db, engine: 'postgres', created: false, close: () => db.destroy() };
}

export interface PgliteOptions {
	/** Folder holding the database; null for an in-memory database (tests). */
	dataDir: string | null;
	/** A dumped data directory to start from (tests clone one migrated template). */
	loadDataDir?: Blob;
}

export async function openPglite(opts: PgliteOptions): Promise<DatabaseHandle & { pglite: PGlite }> {
	let release: (() => Promise<void>) | null = null;
	let created = true;
	let pgDir: string | undefined;
	if (opts.dataDir) {
		fs.mkdirSync(opts.dataDir, { recursive: true });
		release = await lockDataDir(opts.dataDir);
		pgDir = path.join(opts.dataDir, 'pgdata');
		created = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
	}
	try {
		const pglite = await PGlite.create({
			dataDir: pgDir,
			loadDataDir: opts.loadDataDir,
			parsers: { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: asText }
		});
		const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
		const close = async () => {
			await db.destroy(); // the dialect closes PGlite, which flushes to disk
			if (release) await release();
		};
		return { db, engine: 'pglite', created: created && !opts.loadDataDir, close, pglite };
	} catch (err) {
		if (release) await release();
		throw err;
	}
}

async function lockDataDir(dir: string): Promise<() => Promise<void>> {
	try {
		// The lock is refreshed every few seconds; one left by a killed process
		// counts as stale after 15 s, so a crash never needs manual clean-up.
		return await lockfile.lock(dir, {
			lockfilePath: path.join(dir, 'sapa.lock'),
			realpath: false,
			stale: 15_000,
			update: 5_000,
			onCompromised: (err) => {
				console.error(JSON.stringify({ level: 'fatal', msg: 'data folder lock lost', err: err.message }));
				process.exit(1);
			}
		});
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dir);
		throw err;
	}
}
