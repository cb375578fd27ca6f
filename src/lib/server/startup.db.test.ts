import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { readConfig } from './config';
import { DataDirLockedError, openPglite } from './db/connect';
import { migrations } from './db/migrations.bundled';
import { runAdminStatement, withDatabase } from './db/pg-admin';
import { startSapa } from './startup';

const dirs: string[] = [];
const tmp = () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-start-'));
	dirs.push(d);
	return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('embedded database folder', () => {
	it('refuses a second process on the same data folder, with a clear message, until the first closes', async () => {
		const dir = tmp();
		const first = await openPglite({ dataDir: dir });
		const second = openPglite({ dataDir: dir });
		await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
		await expect(second).rejects.toThrow(/already in use by another Sapa process/);
		await first.close();
		const third = await openPglite({ dataDir: dir });
		expect(third.created).toBe(false);
		await third.close();
	});

	it('first start on a new folder migrates and adds the demo data once; the next start keeps it', async () => {
		const dir = tmp();
		const config = readConfig({ SAPA_DATA_DIR: dir });
		const first = await startSapa(config, migrations);
		const count = async (h: typeof first) => (await h.db.selectFrom('organization').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
		expect(await count(first)).toBe(5 + 22 + 16 + 4);
		await first.close();
		const again = await startSapa(config, migrations);
		expect(await count(again)).toBe(47);
		const seeded = await again.db.selectFrom('app_meta').select('key').where('key', '=', 'demo_seeded').execute();
		expect(seeded).toHaveLength(1);
		await again.close();
	}, 120_000);

	it('SAPA_DEMO=never starts an empty catalogue-only database', async () => {
		const handle = await startSapa(readConfig({ SAPA_DATA_DIR: tmp(), SAPA_DEMO: 'never' }), migrations);
		const orgs = await handle.db.selectFrom('organization').select('code').execute();
		expect(orgs).toHaveLength(5);
		await handle.close();
	}, 60_000);
});

describe.runIf(inject('postgresTemplate'))('PostgreSQL start', () => {
	it('migrates a DATABASE_URL database and never puts demo data in it unasked', async () => {
		const server = inject('postgresTemplate')!;
		const name = `sapa_test_start_${process.pid}`;
		await runAdminStatement(server, `CREATE DATABASE "${name}"`);
		try {
			const handle = await startSapa(readConfig({ DATABASE_URL: withDatabase(server, name) }), migrations);
			expect(handle.engine).toBe('postgres');
			const orgs = await handle.db.selectFrom('organization').select('code').execute();
			expect(orgs).toHaveLength(5);
			await handle.close();
		} finally {
			await runAdminStatement(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		}
	}, 60_000);
});
