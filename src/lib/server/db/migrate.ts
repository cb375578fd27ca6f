import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

export type MigrationModules = Record<string, Migration>;

/**
 * Migrations come in as modules rather than a folder path: the built app
 * bundles them (migrations.bundled.ts), the CLI imports them from disk.
 * On PostgreSQL Kysely's Migrator holds a session advisory lock while it
 * migrates (and runs all pending migrations in one transaction), so
 * instances starting together apply each migration exactly once; the app's
 * whole start-up is serialised too (withStartupLock).
 */
export function createMigrator(db: Kysely<any>, migrations: MigrationModules): Migrator {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(set: MigrationResultSet, what: string): string[] {
	const failed = set.results?.find((r) => r.status === 'Error');
	if (set.error) {
		const cause = set.error instanceof Error ? set.error.message : String(set.error);
		throw new Error(`${what} failed${failed ? ` at ${failed.migrationName}` : ''}: ${cause}`, { cause: set.error });
	}
	return (set.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrateToLatest(db: Kysely<any>, migrations: MigrationModules): Promise<string[]> {
	return unwrap(await createMigrator(db, migrations).migrateToLatest(), 'Migration');
}

export async function migrateDown(db: Kysely<any>, migrations: MigrationModules): Promise<string[]> {
	return unwrap(await createMigrator(db, migrations).migrateDown(), 'Migration down');
}

export async function migrateAllDown(db: Kysely<any>, migrations: MigrationModules): Promise<string[]> {
	const { NO_MIGRATIONS } = await import('kysely');
	return unwrap(await createMigrator(db, migrations).migrateTo(NO_MIGRATIONS), 'Migration down');
}

/** Names from file paths: '/migrations/2026-11-22T01-schema.ts' -> '2026-11-22T01-schema'. */
export function migrationsFromPaths(modules: Record<string, Migration>): MigrationModules {
	const out: MigrationModules = {};
	for (const [p, mod] of Object.entries(modules)) {
		const name = p.replace(/^.*\//, '').replace(/\.[jt]s$/, '');
		out[name] = { up: mod.up, down: mod.down };
	}
	return out;
}

/** Any 64-bit number of our own: the advisory lock that serialises instances' start-up on one PostgreSQL database. */
const STARTUP_LOCK = 7_266_191_905_447_011n;

/**
 * Runs `work` on one connection holding a PostgreSQL session advisory lock, so instances
 * starting together on one database take turns: the first migrates and creates the first
 * administrator, the next ones find it done. On PGlite (one process per folder) it just runs.
 * Start-up statements may take long (a migration over millions of rows), so the connection's
 * statement_timeout is lifted while the lock is held.
 */
export async function withStartupLock<T>(db: Kysely<any>, engine: 'postgres' | 'pglite', work: (db: Kysely<any>) => Promise<T>): Promise<T> {
	if (engine !== 'postgres') return work(db);
	return db.connection().execute(async (conn) => {
		await sql`SET statement_timeout = 0`.execute(conn);
		await sql`SELECT pg_advisory_lock(${sql.lit(STARTUP_LOCK)})`.execute(conn);
		try {
			return await work(conn);
		} finally {
			await sql`SELECT pg_advisory_unlock(${sql.lit(STARTUP_LOCK)})`.execute(conn).catch(() => {});
			await sql`RESET statement_timeout`.execute(conn).catch(() => {});
		}
	});
}

/**
 * The migrations this build knows that the database has not run: empty when the schema is current.
 * Reads Kysely's bookkeeping table only (no lock, no DDL): cheap enough for a readiness probe.
 */
export async function pendingMigrations(db: Kysely<any>, migrations: MigrationModules): Promise<string[]> {
	const table = await sql<{ present: boolean }>`SELECT to_regclass('kysely_migration') IS NOT NULL AS present`.execute(db);
	if (!table.rows[0]?.present) return Object.keys(migrations).sort();
	const done = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
	const have = new Set(done.rows.map((r) => r.name));
	return Object.keys(migrations).filter((n) => !have.has(n)).sort();
}
