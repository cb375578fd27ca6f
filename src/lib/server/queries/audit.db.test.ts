import { beforeAll, expect, it } from 'vitest';
import { createOrganization } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { withActor } from '../services/actor';
import { AUDIT_PAGE_SIZE, diffAuditRow, listAudit } from './audit';
import { insertUser } from './users';

describeDb('the audit log', (ctx) => {
	// An entity name of this run's own, so rows written by migrations never interfere.
	const entity = `test_${process.pid}`;
	const actorId = 900_000 + (process.pid % 1000);
	let orgId: number;
	let userId: number;

	beforeAll(async () => {
		const db = ctx.db;
		const rows = Array.from({ length: AUDIT_PAGE_SIZE + 30 }, (_, i) => ({
			at: new Date(Date.UTC(2026, 0, 1 + (i % 30), 12)),
			actor_user_id: i % 2 ? actorId : null,
			actor: i % 2 ? `user:${actorId}` : 'demo-seed',
			action: i % 3 ? ('update' as const) : ('insert' as const),
			entity,
			entity_id: i === 7 ? '12/4/2024/egov' : i === 8 ? '50%_off' : String(1000 + i),
			before: i % 3 ? JSON.stringify({ value: i, updated_at: 'a', comment: 'same' }) : null,
			after: JSON.stringify({ value: i + 1, updated_at: 'b', comment: 'same' })
		}));
		await db.insertInto('audit_log').values(rows).execute();
		userId = await insertUser(db, { email: `auditor.${process.pid}@test.sapa.kz`, displayName: 'Аудитор', passwordHash: 'x' });
		orgId = await withActor(db, { label: `user:${userId}`, userId }, (trx) => createOrganization(trx, { parent_id: null, kind: 'city_department' }));
		await withActor(db, { label: `user:${userId}`, userId }, (trx) => trx.updateTable('organization').set({ name_ru: 'Переименована' }).where('id', '=', orgId).execute());
	});

	it('lists newest first, a page at a time, until the last page', async () => {
		const first = await listAudit(ctx.db, { entity });
		expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
		const ids = first.entries.map((e) => e.id);
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
		expect(first.nextBefore).toBe(ids.at(-1));
		const second = await listAudit(ctx.db, { entity, before: first.nextBefore! });
		expect(second.entries).toHaveLength(30);
		expect(second.nextBefore).toBeNull();
		expect(second.entries[0]!.id).toBeLessThan(ids.at(-1)!);
	});

	it('filters by action, actor and time, each alone and together', async () => {
		const inserts = await listAudit(ctx.db, { entity, action: 'insert' });
		expect(inserts.entries.length).toBe(44);
		expect(inserts.entries.every((e) => e.action === 'insert')).toBe(true);

		const byActor = await listAudit(ctx.db, { entity, actorUserId: actorId });
		expect(byActor.entries.length).toBe(65);
		expect(byActor.entries.every((e) => e.actor === `user:${actorId}`)).toBe(true);

		// 1 to 3 January: 130 rows over 30 days put days 1–10 five times each, so three days hold 15.
		const days = await listAudit(ctx.db, { entity, from: new Date(Date.UTC(2026, 0, 1)), to: new Date(Date.UTC(2026, 0, 4)) });
		expect(days.entries.length).toBe(15);
		expect(days.entries.every((e) => e.at >= new Date(Date.UTC(2026, 0, 1)) && e.at < new Date(Date.UTC(2026, 0, 4)))).toBe(true);

		const together = await listAudit(ctx.db, { entity, action: 'update', actorUserId: actorId, from: new Date(Date.UTC(2026, 0, 1)), to: new Date(Date.UTC(2026, 0, 4)) });
		expect(together.entries.length).toBeGreaterThan(0);
		expect(together.entries.every((e) => e.action === 'update' && e.actorUserId === actorId && e.at < new Date(Date.UTC(2026, 0, 4)))).toBe(true);
	});

	it('finds text anywhere in the entity id, taking % and _ literally', async () => {
		expect((await listAudit(ctx.db, { entity, entityId: '2024/egov' })).entries.map((e) => e.entityId)).toEqual(['12/4/2024/egov']);
		expect((await listAudit(ctx.db, { entity, entityId: '%_' })).entries.map((e) => e.entityId)).toEqual(['50%_off']);
		expect((await listAudit(ctx.db, { entity, entityId: '1005' })).entries.map((e) => e.entityId)).toEqual(['1005']);
		expect((await listAudit(ctx.db, { entity, entityId: 'nothing like it' })).entries).toEqual([]);
	});

	it('names the acting user and shows only the fields that changed', async () => {
		const { entries } = await listAudit(ctx.db, { entity: 'organization', entityId: String(orgId), actorUserId: userId });
		expect(entries.map((e) => e.action)).toEqual(['update', 'insert']);
		expect(entries[0]).toMatchObject({ actorName: 'Аудитор', actor: `user:${userId}`, entityId: String(orgId) });
		expect(entries[0]!.changes).toEqual([{ key: 'name_ru', before: expect.stringMatching(/^Тестовая школа/), after: 'Переименована' }]);
		expect(entries[1]!.changes.map((c) => c.key)).toEqual(expect.arrayContaining(['id', 'code', 'name_ru']));
		expect(entries[1]!.changes.every((c) => c.before === null)).toBe(true);
	});

	it('diffs rows key by key, ignoring updated_at', () => {
		expect(diffAuditRow({ a: 1, b: 'x', updated_at: 'a' }, { a: 2, b: 'x', updated_at: 'b', c: [1] })).toEqual([
			{ key: 'a', before: '1', after: '2' },
			{ key: 'c', before: null, after: '[1]' }
		]);
		expect(diffAuditRow(null, { is_active: false, note: null })).toEqual([{ key: 'is_active', before: null, after: 'false' }]);
		expect(diffAuditRow({ long: 'я'.repeat(500) }, null)[0]!.before).toHaveLength(200);
	});
});
