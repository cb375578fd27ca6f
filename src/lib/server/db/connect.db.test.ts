import { expect, it } from 'vitest';
import { describeDb } from './testing';
import { withActor } from '../services/actor';

/**
 * PGlite has one connection. A dialect that does not serialize it lets a
 * concurrent request's statements run inside another request's open
 * transaction: they would see its uncommitted rows and vanish with its
 * rollback. These must hold on both engines.
 */
describeDb('concurrent requests', (ctx) => {
	it('a statement issued while another transaction is open does not run inside it', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let inserted!: () => void;
		const didInsert = new Promise<void>((r) => (inserted = r));

		const tx = withActor(ctx.db, { label: 'test' }, async (trx) => {
			await trx.insertInto('app_meta').values({ key: 'uncommitted', value: JSON.stringify(1) }).execute();
			inserted();
			await held;
			throw new Error('roll back');
		}).catch((e: Error) => e.message);

		await didInsert;
		const outside = ctx.db.selectFrom('app_meta').select('key').where('key', '=', 'uncommitted').execute();
		// Give the outside read every chance to sneak into the open transaction before it ends.
		await new Promise((r) => setTimeout(r, 50));
		release();
		expect(await tx).toBe('roll back');
		expect(await outside).toEqual([]);
		expect(await ctx.db.selectFrom('app_meta').select('key').where('key', '=', 'uncommitted').execute()).toEqual([]);
	});

	it('two transactions writing at once both commit, each whole', async () => {
		const write = (key: string) =>
			withActor(ctx.db, { label: 'test' }, async (trx) => {
				await trx.insertInto('app_meta').values({ key: `${key}-a`, value: JSON.stringify(1) }).execute();
				await new Promise((r) => setTimeout(r, 10));
				await trx.insertInto('app_meta').values({ key: `${key}-b`, value: JSON.stringify(2) }).execute();
			});
		await Promise.all([write('one'), write('two'), write('three')]);
		const keys = (await ctx.db.selectFrom('app_meta').select('key').where('key', 'like', '%-_').orderBy('key').execute()).map((r) => r.key);
		expect(keys).toEqual(['one-a', 'one-b', 'three-a', 'three-b', 'two-a', 'two-b']);
	});
});
