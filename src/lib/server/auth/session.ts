import type { Kysely } from 'kysely';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Database } from '../db/schema';

/*
 * Sessions the Lucia way. The token is "<id>.<secret>": 120 random bits of id
 * and 160 of secret. Only the id and the SHA-256 of the secret are stored, so
 * a copy of the database opens no session; the secret is compared in constant
 * time. Expiry slides with use, up to an absolute cap; a new token at every sign-in.
 */

export const SESSION_COOKIE = 'sapa_session';
export const IDLE_MS = 12 * 60 * 60 * 1000;
export const ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** Extend the idle expiry at most this often, so a busy page does not write on every request. */
const EXTEND_AFTER_MS = 15 * 60 * 1000;

export interface SessionUser {
	id: number;
	email: string;
	displayName: string;
	locale: 'ru' | 'kk' | 'en';
}

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

function randomBase32(bytes: number): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export async function createSession(db: Kysely<Database>, userId: number, now: Date, meta: { ip?: string; userAgent?: string } = {}) {
	const id = randomBase32(15);
	const secret = randomBase32(20);
	const expiresAt = new Date(now.getTime() + IDLE_MS);
	await db.insertInto('auth_session').values({
		id,
		secret_hash: hashSecret(secret),
		user_id: userId,
		created_at: now,
		expires_at: expiresAt,
		absolute_expires_at: new Date(now.getTime() + ABSOLUTE_MS),
		ip: meta.ip ?? null,
		user_agent: meta.userAgent?.slice(0, 300) ?? null
	}).execute();
	return { token: `${id}.${secret}`, session: { id, userId, expiresAt } satisfies Session };
}

/** The session and its user, or null for an unknown, forged, expired or disabled one (which is then deleted). */
export async function validateSessionToken(db: Kysely<Database>, token: string, now: Date): Promise<{ session: Session; user: SessionUser } | null> {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || !/^[a-z0-9]{24}$/.test(id) || !/^[a-z0-9]{32}$/.test(secret)) return null;
	const row = await db
		.selectFrom('auth_session as s')
		.innerJoin('app_user as u', 'u.id', 's.user_id')
		.select(['s.id', 's.secret_hash', 's.user_id', 's.expires_at', 's.absolute_expires_at', 'u.email', 'u.display_name', 'u.locale', 'u.is_active'])
		.where('s.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash))) return null;
	if (!row.is_active || now >= row.expires_at || now >= row.absolute_expires_at) {
		await invalidateSession(db, id);
		return null;
	}
	let expiresAt = row.expires_at;
	if (expiresAt.getTime() - now.getTime() < IDLE_MS - EXTEND_AFTER_MS) {
		expiresAt = new Date(Math.min(now.getTime() + IDLE_MS, row.absolute_expires_at.getTime()));
		await db.updateTable('auth_session').set({ expires_at: expiresAt }).where('id', '=', id).execute();
	}
	return {
		session: { id, userId: row.user_id, expiresAt },
		user: { id: row.user_id, email: row.email, displayName: row.display_name, locale: row.locale }
	};
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.deleteFrom('auth_session').where('id', '=', sessionId).execute();
}

export async function invalidateUserSessions(db: Kysely<Database>, userId: number): Promise<void> {
	await db.deleteFrom('auth_session').where('user_id', '=', userId).execute();
}

/** Cookie options: Secure everywhere but plain-http localhost development. */
export function sessionCookieOptions(url: URL, expiresAt: Date) {
	const local = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: !local, expires: expiresAt };
}
