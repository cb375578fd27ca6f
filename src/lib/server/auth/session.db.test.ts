import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../db/testing';
import { hashPassword } from './password';
import { ABSOLUTE_MS, createSession, IDLE_MS, invalidateUserSessions, validateSessionToken } from './session';
import { signIn, signOut, THROTTLE, unlockAccount } from '../services/sign-in';
import { ensureFirstAdmin } from '../services/bootstrap';

const PASSWORD = 'Рудный-сапа-2026';
const t0 = new Date('2026-03-02T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describeDb('sessions and sign-in', (ctx) => {
	let userId: number;
	const email = 'operator@rudny.kz';

	beforeAll(async () => {
		const user = await ctx.db.insertInto('app_user').values({ email, display_name: 'Оператор', password_hash: await hashPassword(PASSWORD) }).returning('id').executeTakeFirstOrThrow();
		userId = user.id;
	});

	it('stores no token: only the id and the SHA-256 of the secret', async () => {
		const { token } = await createSession(ctx.db, userId, t0);
		const [id, secret] = token.split('.');
		expect(id).toHaveLength(24);
		expect(secret).toHaveLength(32);
		const row = await ctx.db.selectFrom('auth_session').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
		const stored = JSON.stringify({ ...row, secret_hash: Buffer.from(row.secret_hash).toString('hex') });
		expect(stored).not.toContain(secret);
		expect(stored).not.toContain(token);
		expect(row.secret_hash).toHaveLength(32);
	});

	it('refuses a forged secret for a real id, and malformed tokens', async () => {
		const { token } = await createSession(ctx.db, userId, t0);
		const [id] = token.split('.');
		expect(await validateSessionToken(ctx.db, `${id}.${'a'.repeat(32)}`, t0)).toBeNull();
		for (const bad of ['', 'x', `${id}`, `${token}.x`, token.toUpperCase()]) expect(await validateSessionToken(ctx.db, bad, t0)).toBeNull();
		expect(await validateSessionToken(ctx.db, token, t0)).not.toBeNull();
	});

	it('slides the idle expiry with use, never past the absolute cap', async () => {
		const { token } = await createSession(ctx.db, userId, t0);
		let now = t0;
		for (let i = 0; i < 20; i++) {
			now = new Date(now.getTime() + IDLE_MS - 60_000);
			const r = await validateSessionToken(ctx.db, token, now);
			if (now.getTime() - t0.getTime() >= ABSOLUTE_MS) {
				expect(r).toBeNull();
				return;
			}
			expect(r, `use ${i}`).not.toBeNull();
			expect(r!.session.expiresAt.getTime()).toBeLessThanOrEqual(t0.getTime() + ABSOLUTE_MS);
		}
		throw new Error('the absolute cap never ended the session');
	});

	it('ends a session left idle past its expiry', async () => {
		const { token } = await createSession(ctx.db, userId, t0);
		expect(await validateSessionToken(ctx.db, token, later(IDLE_MS + 1000))).toBeNull();
	});

	it('refuses a replayed token after sign-out, and after sign-out everywhere', async () => {
		const a = await createSession(ctx.db, userId, t0);
		const b = await createSession(ctx.db, userId, t0);
		await signOut(ctx.db, a.session.id, userId);
		expect(await validateSessionToken(ctx.db, a.token, t0)).toBeNull();
		expect(await validateSessionToken(ctx.db, b.token, t0)).not.toBeNull();
		await invalidateUserSessions(ctx.db, userId);
		expect(await validateSessionToken(ctx.db, b.token, t0)).toBeNull();
	});

	it('a disabled user\'s sessions stop working at once', async () => {
		const { token } = await createSession(ctx.db, userId, t0);
		await ctx.db.updateTable('app_user').set({ is_active: false }).where('id', '=', userId).execute();
		expect(await validateSessionToken(ctx.db, token, t0)).toBeNull();
		await ctx.db.updateTable('app_user').set({ is_active: true }).where('id', '=', userId).execute();
	});

	it('signs in with the right password, a new token each time, and audits it', async () => {
		const a = await signIn(ctx.db, { email: ' Operator@Rudny.kz ', password: PASSWORD, ip: '10.0.0.1' }, t0);
		const b = await signIn(ctx.db, { email, password: PASSWORD, ip: '10.0.0.1' }, t0);
		expect(a.ok && b.ok && a.token !== b.token).toBe(true);
		const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor_user_id']).where('action', '=', 'sign_in').execute();
		expect(audit.length).toBeGreaterThanOrEqual(2);
		expect(audit[0]!.actor_user_id).toBe(userId);
	});

	it('throttles an account: back-off after the free failures, then a lock an admin lifts', async () => {
		const ip = '10.0.0.2';
		let now = later(60_000);
		for (let i = 1; i < THROTTLE.freeFailures; i++) {
			expect(await signIn(ctx.db, { email, password: 'wrong-password', ip }, now)).toEqual({ ok: false, reason: 'bad_credentials' });
		}
		await signIn(ctx.db, { email, password: 'wrong-password', ip }, now);
		const throttled = await signIn(ctx.db, { email, password: PASSWORD, ip }, now);
		expect(throttled).toMatchObject({ ok: false, reason: 'account_throttled' });
		for (let i = THROTTLE.freeFailures; i < THROTTLE.lockAfterFailures; i++) {
			now = new Date(now.getTime() + 20 * 60_000);
			await signIn(ctx.db, { email, password: 'wrong-password', ip }, now);
		}
		now = new Date(now.getTime() + 60 * 60_000);
		expect(await signIn(ctx.db, { email, password: PASSWORD, ip }, now)).toEqual({ ok: false, reason: 'account_locked' });
		await unlockAccount(ctx.db, { userId }, userId);
		expect((await signIn(ctx.db, { email, password: PASSWORD, ip }, now)).ok).toBe(true);
		const failures = await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'sign_in_failed').execute();
		expect(failures.length).toBeGreaterThanOrEqual(THROTTLE.lockAfterFailures);
	});

	it('throttles an address that tries many accounts', async () => {
		const ip = '10.0.0.3';
		const now = later(10 * 24 * 3600_000);
		for (let i = 0; i < THROTTLE.addressMaxFailures; i++) await signIn(ctx.db, { email: `nobody${i}@x.kz`, password: 'whatever-pass', ip }, now);
		expect(await signIn(ctx.db, { email, password: PASSWORD, ip }, now)).toMatchObject({ ok: false, reason: 'address_throttled' });
		expect((await signIn(ctx.db, { email, password: PASSWORD, ip: '10.0.0.4' }, now)).ok).toBe(true);
	});

	it('answers an unknown email exactly like a wrong password', async () => {
		expect(await signIn(ctx.db, { email: 'nobody@nowhere.kz', password: PASSWORD, ip: '10.0.0.5' }, t0)).toEqual({ ok: false, reason: 'bad_credentials' });
	});

	it('creates the first administrator only in an empty database', async () => {
		expect(await ensureFirstAdmin(ctx.db, {})).toBeNull();
	});
});

describeDb('first run', (ctx) => {
	it('creates a global admin with a generated password, shown once and stored hashed', async () => {
		const admin = await ensureFirstAdmin(ctx.db, {});
		expect(admin?.email).toBe('admin@sapa.local');
		expect(admin?.generatedPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
		const grant = await ctx.db.selectFrom('role_grant').selectAll().executeTakeFirstOrThrow();
		expect(grant).toMatchObject({ role: 'admin', organization_id: null });
		expect((await signIn(ctx.db, { email: 'admin@sapa.local', password: admin!.generatedPassword!, ip: '::1' }, t0)).ok).toBe(true);
		expect(await ensureFirstAdmin(ctx.db, {})).toBeNull();
	});
});
