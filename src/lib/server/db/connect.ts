import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { lockDataDir } from './folder-lock';
import type { Database } from './schema';

export { DataDirLockedError } from './folder-lock';

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

export interface PostgresOptions {
	poolMax?: number;
	connectTimeoutMs?: number;
	/** Server-side statement_timeout; 0 or unset: the server's own setting. */
	statementTimeoutMs?: number;
	/** Server-side idle_in_transaction_session_timeout; 0 or unset: the server's own setting. */
	idleInTransactionTimeoutMs?: number;
	/** Shown in pg_stat_activity; `npm run restore` looks for it to see whether Sapa is still running. */
	applicationName?: string;
}

/** What Sapa's connections call themselves on the server. */
export const APPLICATION_NAME = 'sapa';

export function openPostgres(url: string, opts: PostgresOptions = {}): DatabaseHandle {
	const pool = new pg.Pool({
		connectionString: url,
		max: opts.poolMax ?? 10,
		connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
		idleTimeoutMillis: 30_000,
		application_name: opts.applicationName ?? APPLICATION_NAME,
		...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
		...(opts.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs } : {}),
		// TCP keep-alive: a server that vanished without closing (a failover, a cut link) is noticed.
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
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
		console.error(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'postgres idle connection lost', err: err.message }));
	});
	// A client that is checked out (a request's query or transaction) emits 'error' on itself when
	// the server goes away under it (a restart, a dropped connection); the pool listens only while
	// it is idle. The query in progress fails on its own (the request answers 503); this listener
	// only keeps the event from ending the process. The pool then drops the broken client.
	pool.on('connect', (client) => {
		client.on('error', () => {});
	});
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return { db, engine: 'postgres', created: false, close: () => db.destroy() };
}

export interface PgliteOptions {
	/** Folder holding the database; null for an in-memory database (tests). */
	dataDir: string | null;
	/** A dumped data directory to start from (tests clone one migrated template). */
	loadDataDir?: Blob;
	/** Recorded in the folder's lock, for the message a second process gets. */
	purpose?: string;
}

export async function openPglite(opts: PgliteOptions): Promise<DatabaseHandle & { pglite: PGlite }> {
	let release: (() => void) | null = null;
	let created = true;
	let pgDir: string | undefined;
	if (opts.dataDir) {
		release = lockDataDir(opts.dataDir, opts.purpose ?? 'server');
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
		let closing: Promise<void> | null = null;
		const close = () =>
			(closing ??= (async () => {
				try {
					// Every committed write is already in the WAL on disk (it survives kill -9); a checkpoint
					// writes the pages too, so the next start has nothing to replay.
					if (pgDir) await sql`CHECKPOINT`.execute(db).catch(() => {});
					await db.destroy(); // the dialect closes PGlite, which flushes to disk
				} finally {
					release?.();
				}
			})());
		return { db, engine: 'pglite', created: created && !opts.loadDataDir, close, pglite };
	} catch (err) {
		release?.();
		throw err;
	}
}
