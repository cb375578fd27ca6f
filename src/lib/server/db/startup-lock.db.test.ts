import { expect, it } from 'vitest';
import { migrations } from './migrations.bundled';
import { pendingMigrations, withStartupLock } from './migrate';
import { describeDb } from './testing';

describeDb('start-up of several instances', (ctx) => {
	it('a migrated database has no pending migrations; one this build adds shows as pending', async () => {
		expect(await pendingMigrations(ctx.db, migrations)).toEqual([]);
		const newer = { ...migrations, '2099-01-01T00-later': { up: async () => {} } };
		expect(await pendingMigrations(ctx.db, newer)).toEqual(['2099-01-01T00-later']);
	});

	// PostgreSQL only: an embedded folder has one process at a time anyway (its folder lock).
	it.skipIf(ctx.engine === 'pglite')('start-ups under the lock take turns', async () => {
		const events: string[] = [];
		const startUp = (name: string) =>
			withStartupLock(ctx.db, ctx.engine, async () => {
				events.push(`${name} in`);
				await new Promise((r) => setTimeout(r, 100));
				events.push(`${name} out`);
			});
		await Promise.all([startUp('a'), startUp('b')]);
		// Each one's "in" is followed by its own "out": never both inside at once.
		expect(events[0]?.replace(' in', '')).toBe(events[1]?.replace(' out', ''));
		expect(events[2]?.replace(' in', '')).toBe(events[3]?.replace(' out', ''));
	});
});
