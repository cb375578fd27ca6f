import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { APPLICATION_NAME, type Engine } from './connect';

/*
 * What `npm run backup` and `npm run restore` share: a manifest that says what a backup holds
 * (row counts and checksums of every table, taken from the same snapshot as the dump), the
 * PostgreSQL client tools' invocation, and the copy of an embedded database onto PostgreSQL.
 */

/** Runs one SQL text and gives its rows (node-pg client, PGlite, anything alike). */
export type RunSql = (text: string) => Promise<Record<string, unknown>[]>;

export const pgliteRunner = (pglite: PGlite): RunSql => async (text) => (await pglite.query<Record<string, unknown>>(text)).rows;
export const clientRunner = (client: pg.ClientBase): RunSql => async (text) => (await client.query(text)).rows as Record<string, unknown>[];

export interface TableSummary {
	rows: number;
	/** Order-independent: the sum of the first 60 bits of each row's md5, as text. */
	checksum: string;
}

export interface Manifest {
	format: 'sapa-backup/1';
	engine: Engine;
	createdAt: string;
	migrations: string[];
	tables: Record<string, TableSummary>;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Row text depends on these settings; both engines are set alike before rows are summed. */
const STABLE_TEXT = [
	`SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),`,
	`set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true)`
].join(' ');

export async function publicTables(run: RunSql): Promise<string[]> {
	const rows = await run(`SELECT table_name AS name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
	return rows.map((r) => String(r.name));
}

/**
 * Row count and checksum of every table in the public schema. Call it inside a transaction
 * (the settings above are transaction-local; REPEATABLE READ makes all tables one snapshot).
 * Memory stays flat however big a table is: the checksum is a sum, not a concatenation.
 */
export async function summarizeTables(run: RunSql): Promise<Record<string, TableSummary>> {
	await run(STABLE_TEXT);
	const out: Record<string, TableSummary> = {};
	for (const table of await publicTables(run)) {
		const [row] = await run(`SELECT count(*)::text AS n,
			coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text AS s FROM ${quoteIdent(table)} t`);
		out[table] = { rows: Number(row?.n ?? 0), checksum: String(row?.s ?? '0') };
	}
	return out;
}

export async function appliedMigrations(run: RunSql): Promise<string[]> {
	const [present] = await run(`SELECT to_regclass('kysely_migration') IS NOT NULL AS p`);
	if (!present?.p) return [];
	return (await run(`SELECT name FROM kysely_migration ORDER BY name`)).map((r) => String(r.name));
}

/** The tables whose count or checksum differ (a table missing on one side counts too). */
export function summaryDifferences(want: Record<string, TableSummary>, have: Record<string, TableSummary>): string[] {
	const names = [...new Set([...Object.keys(want), ...Object.keys(have)])].sort();
	return names.filter((n) => want[n]?.rows !== have[n]?.rows || want[n]?.checksum !== have[n]?.checksum).map((n) =>
		`${n}: ${want[n] ? `${want[n].rows} rows` : 'absent'} in the backup, ${have[n] ? `${have[n].rows} rows` : 'absent'} now` +
		(want[n] && have[n] && want[n].rows === have[n].rows ? ' (same count, different content)' : ''));
}

export function manifestPath(archive: string): string {
	return `${archive}.json`;
}

export function readManifest(archive: string): Manifest | null {
	try {
		return JSON.parse(fs.readFileSync(manifestPath(archive), 'utf8')) as Manifest;
	} catch {
		return null;
	}
}

/** Writes through a temporary name, so a backup interrupted half-way never looks like a whole one. */
export function writeAtomically(file: string, data: string | Uint8Array): void {
	const tmp = `${file}.partial`;
	fs.writeFileSync(tmp, data);
	fs.renameSync(tmp, file);
}

/** What kind of archive a file is, from its first bytes: pg_dump's custom format or PGlite's gzipped tar. */
export function archiveKind(file: string): 'pg_dump' | 'pglite' | null {
	const fd = fs.openSync(file, 'r');
	try {
		const head = Buffer.alloc(5);
		fs.readSync(fd, head, 0, 5, 0);
		if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
		if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
		return null;
	} finally {
		fs.closeSync(fd);
	}
}

// ---------- PostgreSQL client tools ----------

/**
 * The URL without its password (it would show in `ps`), and an environment carrying it
 * as PGPASSWORD for pg_dump, pg_restore and psql.
 */
export function pgToolTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const u = new URL(url);
	const env: NodeJS.ProcessEnv = { ...process.env };
	if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
	u.password = '';
	return { dbname: u.toString(), env };
}

/** Runs a client tool; rejects with its own error output when it fails. */
export function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d) => {
			stderr += d;
			process.stderr.write(d);
		});
		child.on('error', (err) =>
			reject((err as NodeJS.ErrnoException).code === 'ENOENT'
				? new Error(`${command} is not installed: install the PostgreSQL client tools (the same major version as the server or newer).`)
				: err));
		child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
	});
}

/** Sapa's own connections to this database other than ours: instances still running. */
export async function otherSapaSessions(client: pg.ClientBase): Promise<number> {
	const r = await client.query(
		`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
		[APPLICATION_NAME]
	);
	return Number(r.rows[0]?.n ?? 0);
}

// ---------- an embedded database onto PostgreSQL ----------

interface Column {
	name: string;
	identity: boolean;
}

async function copyableColumns(run: RunSql, table: string): Promise<Column[]> {
	const rows = await run(`SELECT column_name AS name, is_identity AS identity FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name = '${table.replaceAll("'", "''")}' AND is_generated = 'NEVER'
		ORDER BY ordinal_position`);
	return rows.map((r) => ({ name: String(r.name), identity: r.identity === 'YES' }));
}

async function foreignKeys(client: pg.ClientBase): Promise<Array<{ table: string; name: string }>> {
	const r = await client.query(`SELECT c.conrelid::regclass::text AS table, c.conname AS name FROM pg_constraint c
		JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'f' AND NOT c.condeferrable`);
	return r.rows as Array<{ table: string; name: string }>;
}

/**
 * Copies every row of a (migrated) embedded database into a PostgreSQL database migrated to the
 * same schema, in one transaction: the rows the migrations put there are replaced, triggers of
 * our own (audit, locks of approved years, touch) stay silent, since the rows are copied as they
 * are, and foreign keys are checked once, after the last row. Identity counters continue where
 * the source's stood. Returns the number of rows per table.
 */
export async function copyPgliteToPostgres(source: PGlite, target: pg.Client): Promise<Record<string, number>> {
	const run = pgliteRunner(source);
	const tables = await publicTables(run);
	const fks = await foreignKeys(target);
	const counts: Record<string, number> = {};
	await target.query('BEGIN');
	try {
		// Checked at commit instead of row by row, so the order of tables and rows does not matter.
		for (const fk of fks) await target.query(`ALTER TABLE ${fk.table} ALTER CONSTRAINT ${quoteIdent(fk.name)} DEFERRABLE INITIALLY DEFERRED`);
		for (const t of tables) await target.query(`ALTER TABLE ${quoteIdent(t)} DISABLE TRIGGER USER`);
		await target.query(`TRUNCATE ${tables.map(quoteIdent).join(', ')}`);
		for (const t of tables) {
			const columns = await copyableColumns(run, t);
			const list = columns.map((c) => quoteIdent(c.name)).join(', ');
			const out = await source.query(`COPY ${quoteIdent(t)} (${list}) TO '/dev/blob'`);
			const bytes = out.blob ? Buffer.from(await out.blob.arrayBuffer()) : Buffer.alloc(0);
			await pipeline(Readable.from([bytes]), target.query(copyFrom(`COPY ${quoteIdent(t)} (${list}) FROM STDIN`)));
			counts[t] = out.affectedRows ?? 0;
			for (const c of columns.filter((c) => c.identity)) {
				const seq = `pg_get_serial_sequence('${quoteIdent(t).replaceAll("'", "''")}', '${c.name.replaceAll("'", "''")}')`;
				const [{ name } = { name: null }] = (await run(`SELECT ${seq} AS name`)) as Array<{ name: string | null }>;
				if (!name) continue;
				const [state] = await run(`SELECT last_value::text AS v, is_called AS called FROM ${name}`);
				await target.query(`SELECT setval(${seq}, $1::bigint, $2)`, [state?.v, state?.called === true]);
			}
		}
		// Every foreign key checked now; then triggers and constraints back as the migrations made them.
		await target.query('SET CONSTRAINTS ALL IMMEDIATE');
		for (const t of tables) await target.query(`ALTER TABLE ${quoteIdent(t)} ENABLE TRIGGER USER`);
		for (const fk of fks) await target.query(`ALTER TABLE ${fk.table} ALTER CONSTRAINT ${quoteIdent(fk.name)} NOT DEFERRABLE`);
		await target.query('COMMIT');
	} catch (err) {
		await target.query('ROLLBACK').catch(() => {});
		throw err;
	}
	return counts;
}
