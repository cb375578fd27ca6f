import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from './connect';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations.bundled';
import { runAdminStatement as admin, withDatabase } from './pg-admin';

/*
 * Migrates one template database per engine for the whole run; each test
 * suite then gets its own copy (a PGlite data-dir clone, or a PostgreSQL
 * CREATE DATABASE ... TEMPLATE), and drops it afterwards.
 */

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		postgresTemplate: string | null;
	}
}

const run = `${process.pid}_${Date.now().toString(36)}`;

export async function setup(project: TestProject) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-test-'));
	const lite = await openPglite({ dataDir: null });
	await migrateToLatest(lite.db, migrations);
	const dump = await lite.pglite.dumpDataDir('none');
	const file = path.join(dir, 'template.tar');
	fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	await lite.close();
	project.provide('pgliteTemplate', file);

	const serverUrl = process.env.TEST_DATABASE_URL;
	let templateName: string | null = null;
	if (serverUrl) {
		templateName = `sapa_test_${run}_tpl`;
		await admin(serverUrl, `CREATE DATABASE "${templateName}"`);
		const handle = openPostgres(withDatabase(serverUrl, templateName), { poolMax: 2 });
		await migrateToLatest(handle.db, migrations);
		await handle.close();
		project.provide('postgresTemplate', withDatabase(serverUrl, templateName));
	} else {
		project.provide('postgresTemplate', null);
	}

	return async () => {
		fs.rmSync(dir, { recursive: true, force: true });
		if (serverUrl && templateName) await admin(serverUrl, `DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
	};
}

