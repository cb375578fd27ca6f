import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Migration } from 'kysely';
import { migrationsFromPaths, type MigrationModules } from '../src/lib/server/db/migrate';

/** The command-line twin of migrations.bundled.ts: the same files, read from disk. */
export async function loadMigrations(dir = path.resolve('migrations')): Promise<MigrationModules> {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
	const modules: Record<string, Migration> = {};
	for (const f of files) modules[f] = (await import(pathToFileURL(path.join(dir, f)).href)) as Migration;
	return migrationsFromPaths(modules);
}
