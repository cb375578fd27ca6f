import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Role } from '../../domain/permissions';
import { loadAccess, type Access } from '../auth/access';
import { verifyPassword } from '../auth/password';
import { createSession, validateSessionToken } from '../auth/session';
import { createOrganization } from '../db/fixtures';
import type { Database } from '../db/schema';
import { describeDb } from '../db/testing';
import { findUser, insertGrant, insertUser } from '../queries/users';
import {
	createUser, disableUser, enableUser, ForbiddenError, grantRole, listManagedUsers, loadUserPage, NotFoundError, resetPassword,
	revokeGrant, unlockUser
} from './users';

let serial = 0;

/** A user with the given grants, written straight to the tables (as a seed would). */
async function person(db: Kysely<Database>, grants: Array<[Role, number | null]>): Promise<number> {
	serial += 1;
	const id = await insertUser(db, { email: `u${serial}.${process.pid}@test.sapa.kz`, displayName: `Тест ${serial}`, passwordHash: 'x' });
	for (const [role, organizationId] of grants) await insertGrant(db, { userId: id, organizationId, role, grantedBy: id });
	return id;
}

async function grantIdOf(db: Kysely<Database>, userId: number, role: Role) {
	const g = await db.selectFrom('role_grant').select(['id', 'organization_id']).where('user_id', '=', userId).where('role', '=', role).executeTakeFirstOrThrow();
	return { grantId: g.id, organizationId: g.organization_id, userId };
}

describeDb('managing users', (ctx) => {
	let x: number, x1: number, y1: number;
	let admin: Access, head: Access;
	let inside: number, outside: number, straddling: number, adminInside: number;
	const now = new Date();

	beforeAll(async () => {
		const db = ctx.db;
		x = await createOrganization(db, { parent_id: null, kind: 'city_department' });
		x1 = await createOrganization(db, { parent_id: x });
		const y = await createOrganization(db, { parent_id: null, kind: 'city_department' });
		y1 = await createOrganization(db, { parent_id: y });
		admin = await loadAccess(db, await person(db, [['admin', null]]));
		head = await loadAccess(db, await person(db, [['head', x]]));
		inside = await person(db, [['operator', x1], ['viewer', x]]);
		outside = await person(db, [['operator', y1]]);
		straddling = await person(db, [['operator', x1], ['viewer', y1]]);
		adminInside = await person(db, [['admin', x1]]);
	});

	it('lets the head of an organization see and manage the users of its subtree only', async () => {
		const listed = (await listManagedUsers(ctx.db, head)).map((u) => u.id);
		expect(listed).toEqual(expect.arrayContaining([inside, head.userId, adminInside]));
		expect(listed).not.toContain(outside);
		expect(listed).not.toContain(straddling);
		expect(listed).not.toContain(admin.userId);
		expect((await listManagedUsers(ctx.db, admin)).map((u) => u.id)).toEqual(expect.arrayContaining([inside, outside, straddling, admin.userId]));

		expect((await loadUserPage(ctx.db, head, inside)).mayManageAccount).toBe(true);
		for (const id of [outside, straddling, admin.userId, 999_999]) {
			await expect(loadUserPage(ctx.db, head, id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(disableUser(ctx.db, head, id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(resetPassword(ctx.db, head, id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(unlockUser(ctx.db, head, id)).rejects.toBeInstanceOf(NotFoundError);
			await expect(grantRole(ctx.db, head, id, { role: 'viewer', organizationId: x1 })).rejects.toBeInstanceOf(NotFoundError);
		}
		const elsewhere = await createUser(ctx.db, head, { email: `elsewhere.${process.pid}@test.sapa.kz`, displayName: 'Где-то', password: '', role: 'viewer', organizationId: y1 });
		expect(elsewhere).toEqual({ ok: false, errors: { role: 'role_not_grantable' } });
	});

	it('refuses a head the admin role, and the account of someone holding one', async () => {
		expect(await grantRole(ctx.db, head, inside, { role: 'admin', organizationId: x1 })).toEqual({ ok: false, problem: 'role_not_grantable' });
		expect(await grantRole(ctx.db, head, inside, { role: 'admin', organizationId: null })).toEqual({ ok: false, problem: 'role_not_grantable' });
		const created = await createUser(ctx.db, head, { email: `boss.${process.pid}@test.sapa.kz`, displayName: 'Босс', password: '', role: 'admin', organizationId: x });
		expect(created).toMatchObject({ ok: false, errors: { role: 'role_not_grantable' } });

		const page = await loadUserPage(ctx.db, head, adminInside);
		expect(page).toMatchObject({ mayManageAccount: false, revocable: [] });
		await expect(resetPassword(ctx.db, head, adminInside)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(disableUser(ctx.db, head, adminInside)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(revokeGrant(ctx.db, head, await grantIdOf(ctx.db, adminInside, 'admin'))).rejects.toBeInstanceOf(ForbiddenError);
		// A global admin may do both.
		expect(await grantRole(ctx.db, admin, inside, { role: 'admin', organizationId: x1 })).toEqual({ ok: true });
		expect(await revokeGrant(ctx.db, admin, await grantIdOf(ctx.db, inside, 'admin'))).toEqual({ ok: true });
	});

	it('creates a user with a generated password shown once, or with the one given if acceptable', async () => {
		const weak = await createUser(ctx.db, head, { email: 'not an email', displayName: ' ', password: 'qwerty123', role: 'operator', organizationId: x1 });
		expect(weak).toEqual({ ok: false, errors: { email: 'email_invalid', displayName: 'display_name_invalid', password: 'too_common' } });

		const email = `New.Operator.${process.pid}@Test.Sapa.kz`;
		const made = await createUser(ctx.db, head, { email, displayName: 'Новый оператор', password: '', role: 'operator', organizationId: x1 });
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		expect(made.generatedPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
		const row = await ctx.db.selectFrom('app_user').select(['email', 'password_hash']).where('id', '=', made.userId).executeTakeFirstOrThrow();
		expect(row.email).toBe(email.toLowerCase());
		expect(await verifyPassword(row.password_hash!, made.generatedPassword!)).toBe(true);
		expect((await findUser(ctx.db, made.userId))!.grants).toMatchObject([{ role: 'operator', organization: { id: x1 } }]);

		const again = await createUser(ctx.db, head, { email, displayName: 'Ещё раз', password: 'a long enough phrase', role: 'viewer', organizationId: x1 });
		expect(again).toEqual({ ok: false, errors: { email: 'email_taken' } });
		const given = await createUser(ctx.db, head, { email: `given.${process.pid}@test.sapa.kz`, displayName: 'С паролем', password: 'a long enough phrase', role: 'viewer', organizationId: x1 });
		expect(given).toMatchObject({ ok: true, generatedPassword: null });
	});

	it('ends every session of a disabled user, in the same step', async () => {
		const { token } = await createSession(ctx.db, inside, now);
		expect(await validateSessionToken(ctx.db, token, now)).not.toBeNull();
		expect(await disableUser(ctx.db, head, inside)).toEqual({ ok: true });
		expect(await ctx.db.selectFrom('auth_session').select('id').where('user_id', '=', inside).execute()).toEqual([]);
		expect(await validateSessionToken(ctx.db, token, now)).toBeNull();
		expect((await findUser(ctx.db, inside))!.isActive).toBe(false);
		await enableUser(ctx.db, head, inside);
		expect((await findUser(ctx.db, inside))!.isActive).toBe(true);
		expect(await disableUser(ctx.db, head, head.userId)).toEqual({ ok: false, problem: 'self_disable' });
	});

	it('resets a password to a new working one, ending sessions and lifting the lock', async () => {
		await ctx.db.updateTable('app_user').set({ locked_at: now, failed_sign_ins: 10 }).where('id', '=', inside).execute();
		const { token } = await createSession(ctx.db, inside, now);
		const password = await resetPassword(ctx.db, head, inside);
		const row = await ctx.db.selectFrom('app_user').select(['password_hash', 'locked_at', 'failed_sign_ins']).where('id', '=', inside).executeTakeFirstOrThrow();
		expect(await verifyPassword(row.password_hash!, password)).toBe(true);
		expect(await verifyPassword(row.password_hash!, 'x')).toBe(false);
		expect(row).toMatchObject({ locked_at: null, failed_sign_ins: 0 });
		expect(await validateSessionToken(ctx.db, token, now)).toBeNull();

		await ctx.db.updateTable('app_user').set({ locked_at: now, failed_sign_ins: 10 }).where('id', '=', inside).execute();
		await unlockUser(ctx.db, head, inside);
		expect((await findUser(ctx.db, inside))!.lockedAt).toBeNull();
	});

	it('refuses to remove one\'s own last admin grant, or anyone\'s last grant', async () => {
		expect(await revokeGrant(ctx.db, admin, await grantIdOf(ctx.db, admin.userId, 'admin'))).toEqual({ ok: false, problem: 'own_last_admin' });
		const twice = await loadAccess(ctx.db, await person(ctx.db, [['admin', null], ['admin', x]]));
		const orgGrant = await ctx.db.selectFrom('role_grant').select(['id', 'organization_id']).where('user_id', '=', twice.userId).where('organization_id', '=', x).executeTakeFirstOrThrow();
		expect(await revokeGrant(ctx.db, twice, { userId: twice.userId, grantId: orgGrant.id, organizationId: x })).toEqual({ ok: true });
		expect(await revokeGrant(ctx.db, twice, await grantIdOf(ctx.db, twice.userId, 'admin'))).toEqual({ ok: false, problem: 'own_last_admin' });

		expect(await revokeGrant(ctx.db, head, await grantIdOf(ctx.db, head.userId, 'head'))).toEqual({ ok: false, problem: 'last_grant' });
		// The organization the route checked has to be the grant's own.
		const viewerGrant = await grantIdOf(ctx.db, inside, 'viewer');
		await expect(revokeGrant(ctx.db, head, { ...viewerGrant, organizationId: x1 })).rejects.toBeInstanceOf(NotFoundError);
		expect(await revokeGrant(ctx.db, head, viewerGrant)).toEqual({ ok: true });
		expect(await revokeGrant(ctx.db, head, await grantIdOf(ctx.db, inside, 'operator'))).toEqual({ ok: false, problem: 'last_grant' });
	});

	it('leaves an audit row naming the acting user for every write', async () => {
		const since = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
		const made = await createUser(ctx.db, head, { email: `audited.${process.pid}@test.sapa.kz`, displayName: 'Под аудитом', password: '', role: 'viewer', organizationId: x });
		if (!made.ok) throw new Error('not created');
		const id = made.userId;
		await grantRole(ctx.db, head, id, { role: 'operator', organizationId: x1 });
		await revokeGrant(ctx.db, head, await grantIdOf(ctx.db, id, 'operator'));
		await disableUser(ctx.db, head, id);
		await enableUser(ctx.db, head, id);
		await resetPassword(ctx.db, head, id);
		await unlockUser(ctx.db, head, id);

		const rows = await ctx.db.selectFrom('audit_log').select(['actor_user_id', 'actor', 'action', 'entity', 'after'])
			.where('id', '>', Number(since.id ?? 0)).orderBy('id').execute();
		expect(rows.map((r) => `${r.action} ${r.entity}`)).toEqual([
			'insert app_user', 'insert role_grant', 'insert role_grant', 'delete role_grant',
			'update app_user', 'update app_user', 'update app_user', 'update app_user'
		]);
		expect(rows.every((r) => r.actor_user_id === head.userId && r.actor === `user:${head.userId}`)).toBe(true);
		expect(rows.some((r) => JSON.stringify(r.after).includes('password_hash'))).toBe(false);
	});
});
