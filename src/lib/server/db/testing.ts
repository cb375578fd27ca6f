import fs from 'node:fs';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Kysely } from 'kysely';
import { openPglite, openPostgres, type DatabaseHandle, type Engine } from './connect';
import type { Database } from './schema';
import { runAdminStatement as admin, withDatabase } from './pg-admin';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function testEngines(): Engine[] {
	return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

let counter = 0;

/** A fresh, migrated database of its own, dropped by the returned close(). */
export async function openTestDatabase(engine: Engine): Promise<DatabaseHandle> {
	if (engine === 'pglite') {
		const tar = fs.readFileSync(inject('pgliteTemplate'));
		return openPglite({ dataDir: null, loadDataDir: new Blob([tar]) });
	}
	const template = inject('postgresTemplate');
	if (!template) throw new Error('TEST_DATABASE_URL is not set');
	const templateName = new URL(template).pathname.slice(1);
	const name = `${templateName.replace(/_tpl$/, '')}_${process.pid}_${++counter}`;
	await admin(template, `CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
	const handle = openPostgres(withDatabase(template, name), { poolMax: 4 });
	return {
		...handle,
		close: async () => {
			await handle.close();
			await admin(template, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		}
	};
}

export interface DbContext {
	readonly db: Kysely<Database>;
	readonly engine: Engine;
}

/**
 * Runs the suite once per engine, each on its own fresh database.
 * Tests inside share that database, so each creates the rows it needs.
 */
export function describeDb(name: string, body: (ctx: DbContext) => void): void {
	for (const engine of testEngines()) {
		describe(`${name} [${engine}]`, () => {
			let handle: DatabaseHandle | undefined;
			const ctx: DbContext = {
				get db() {
					if (!handle) throw new Error('database not open yet');
					return handle.db;
				},
				engine
			};
			beforeAll(async () => {
				handle = await openTestDatabase(engine);
			});
			afterAll(async () => {
				await handle?.close();
			});
			body(ctx);
		});
	}
}
