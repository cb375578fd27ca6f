import type { Kysely, Transaction } from 'kysely';
import type { AuditAction, Database, SignInOutcome } from '../db/schema';
import { verifyDecoy, verifyPassword } from '../auth/password';
import { createSession, invalidateSession, invalidateUserSessions } from '../auth/session';
import { log } from '../log';
import { withActor } from './actor';

/** Throttling: free tries, then doubling waits, then a lock only an admin lifts; and a cap per address. */
export const THROTTLE = {
	freeFailures: 5,
	lockAfterFailures: 10,
	maxWaitMinutes: 15,
	addressWindowMinutes: 15,
	addressMaxFailures: 20
} as const;

export type SignInResult =
	| { ok: true; token: string; expiresAt: Date; userId: number }
	| { ok: false; reason: 'bad_credentials' | 'account_throttled' | 'account_locked' | 'address_throttled' | 'disabled'; retryAfterSeconds?: number };

interface Attempt {
	email: string;
	password: string;
	ip: string;
	userAgent?: string;
}

async function record(trx: Transaction<Database>, a: Attempt, userId: number | null, outcome: SignInOutcome, now: Date) {
	await trx.insertInto('sign_in_attempt').values({ email: a.email.slice(0, 320), ip: a.ip, user_id: userId, outcome, at: now }).execute();
	const action: AuditAction = outcome === 'success' ? 'sign_in' : 'sign_in_failed';
	await trx.insertInto('audit_log').values({
		actor_user_id: userId, actor: userId ? `user:${userId}` : 'anonymous', action, entity: 'app_user',
		entity_id: userId ? String(userId) : '', before: null, after: JSON.stringify({ email: a.email.slice(0, 320), ip: a.ip, outcome })
	}).execute();
	if (outcome !== 'success') log.warn('sign-in refused', { email: a.email.slice(0, 320), ip: a.ip, outcome });
}

export async function signIn(db: Kysely<Database>, input: Attempt, now: Date): Promise<SignInResult> {
	const a = { ...input, email: input.email.trim().toLowerCase() };
	const since = new Date(now.getTime() - THROTTLE.addressWindowMinutes * 60_000);
	const fromAddress = await db.selectFrom('sign_in_attempt').select((eb) => eb.fn.countAll<number>().as('n'))
		.where('ip', '=', a.ip).where('at', '>', since).where('outcome', '!=', 'success').executeTakeFirstOrThrow();
	const user = await db.selectFrom('app_user').selectAll().where('email', '=', a.email).executeTakeFirst();

	if (Number(fromAddress.n) >= THROTTLE.addressMaxFailures) {
		await withActor(db, { label: 'anonymous' }, (trx) => record(trx, a, user?.id ?? null, 'address_throttled', now));
		return { ok: false, reason: 'address_throttled', retryAfterSeconds: THROTTLE.addressWindowMinutes * 60 };
	}
	if (!user || !user.password_hash) {
		await verifyDecoy(a.password); // the same work as a real check, so timing does not tell who has an account
		await withActor(db, { label: 'anonymous' }, (trx) => record(trx, a, null, 'bad_credentials', now));
		return { ok: false, reason: 'bad_credentials' };
	}
	const actor = { label: `user:${user.id}`, userId: user.id };
	if (user.locked_at) {
		await withActor(db, actor, (trx) => record(trx, a, user.id, 'account_locked', now));
		return { ok: false, reason: 'account_locked' };
	}
	if (user.throttled_until && user.throttled_until > now) {
		await withActor(db, actor, (trx) => record(trx, a, user.id, 'account_throttled', now));
		return { ok: false, reason: 'account_throttled', retryAfterSeconds: Math.ceil((user.throttled_until.getTime() - now.getTime()) / 1000) };
	}
	const valid = await verifyPassword(user.password_hash, a.password);
	if (!valid) {
		const failures = user.failed_sign_ins + 1;
		const lock = failures >= THROTTLE.lockAfterFailures;
		const waitMinutes = failures >= THROTTLE.freeFailures ? Math.min(2 ** (failures - THROTTLE.freeFailures), THROTTLE.maxWaitMinutes) : 0;
		await withActor(db, actor, async (trx) => {
			await trx.updateTable('app_user').set({
				failed_sign_ins: failures,
				locked_at: lock ? now : null,
				throttled_until: waitMinutes ? new Date(now.getTime() + waitMinutes * 60_000) : null
			}).where('id', '=', user.id).execute();
			await record(trx, a, user.id, 'bad_credentials', now);
		});
		return lock ? { ok: false, reason: 'account_locked' } : { ok: false, reason: 'bad_credentials' };
	}
	if (!user.is_active) {
		await withActor(db, actor, (trx) => record(trx, a, user.id, 'disabled', now));
		return { ok: false, reason: 'disabled' };
	}
	return withActor(db, actor, async (trx) => {
		await trx.updateTable('app_user').set({ failed_sign_ins: 0, throttled_until: null, last_sign_in_at: now }).where('id', '=', user.id).execute();
		const { token, session } = await createSession(trx, user.id, now, { ip: a.ip, userAgent: a.userAgent });
		await record(trx, a, user.id, 'success', now);
		return { ok: true as const, token, expiresAt: session.expiresAt, userId: user.id };
	});
}

async function audit(db: Kysely<Database>, userId: number, action: AuditAction) {
	await withActor(db, { label: `user:${userId}`, userId }, (trx) =>
		trx.insertInto('audit_log').values({ actor_user_id: userId, actor: `user:${userId}`, action, entity: 'app_user', entity_id: String(userId), before: null, after: null }).execute()
	);
}

export async function signOut(db: Kysely<Database>, sessionId: string, userId: number): Promise<void> {
	await invalidateSession(db, sessionId);
	await audit(db, userId, 'sign_out');
}

export async function signOutEverywhere(db: Kysely<Database>, userId: number): Promise<void> {
	await invalidateUserSessions(db, userId);
	await audit(db, userId, 'sign_out_everywhere');
}

/** Lifts a lock and the back-off (an admin's decision, audited as an update). */
export async function unlockAccount(db: Kysely<Database>, actor: { userId: number }, userId: number): Promise<void> {
	await withActor(db, { label: `user:${actor.userId}`, userId: actor.userId }, (trx) =>
		trx.updateTable('app_user').set({ locked_at: null, throttled_until: null, failed_sign_ins: 0 }).where('id', '=', userId).execute()
	);
}
