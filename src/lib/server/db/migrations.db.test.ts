import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb } from './testing';
import { migrateAllDown, migrateToLatest } from './migrate';
import { migrations } from './migrations.bundled';

async function tables(db: Parameters<typeof migrateToLatest>[0]): Promise<string[]> {
	const r = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE 'kysely_%' ORDER BY 1`.execute(db);
	return r.rows.map((x) => x.name);
}

describeDb('migrations', (ctx) => {
	it('run down to nothing and up again, leaving the same tables and the catalogue', async () => {
		const before = await tables(ctx.db);
		expect(before).toEqual(expect.arrayContaining(['organization', 'measurement', 'target', 'service_volume', 'complaint', 'audit_log', 'role_grant', 'auth_session', 'sign_in_attempt']));
		const down = await migrateAllDown(ctx.db, migrations);
		expect(down).toHaveLength(Object.keys(migrations).length);
		expect(await tables(ctx.db)).toEqual([]);
		await migrateToLatest(ctx.db, migrations);
		expect(await tables(ctx.db)).toEqual(before);
		const indicators = await ctx.db.selectFrom('indicator').select(['code', 'polarity']).orderBy('sort_order').execute();
		expect(indicators.map((i) => i.code)).toEqual(['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '4.4', '5.1']);
		expect(indicators.filter((i) => i.polarity === 'lower_is_better').map((i) => i.code)).toEqual(['4.1']);
	});

	it('are a no-op when already applied', async () => {
		expect(await migrateToLatest(ctx.db, migrations)).toEqual([]);
	});
});
