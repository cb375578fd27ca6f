import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

export type MigrationModules = Record<string, Migration>;

/**
 * Migrations come in as modules rather than a folder path: the built app
 * bundles them (migrations.bundled.ts), the CLI imports them from disk.
 * Kysely's Migrator takes a lock table, so instances starting together
 * apply each migration exactly once.
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
