import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { generatePassword, hashPassword, passwordProblem } from '../auth/password';
import { withActor } from './actor';

export interface FirstAdmin {
	email: string;
	/** Set only when Sapa generated it: shown once, never stored in clear. */
	generatedPassword: string | null;
}

/**
 * With no user at all, creates the first administrator (a global admin
 * grant). The password comes from SAPA_ADMIN_PASSWORD or is generated.
 */
export async function ensureFirstAdmin(db: Kysely<Database>, env: { SAPA_ADMIN_EMAIL?: string; SAPA_ADMIN_PASSWORD?: string }): Promise<FirstAdmin | null> {
	const any = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
	if (any) return null;
	const email = (env.SAPA_ADMIN_EMAIL?.trim() || 'admin@sapa.local').toLowerCase();
	const given = env.SAPA_ADMIN_PASSWORD;
	if (given) {
		const problem = passwordProblem(given, email);
		if (problem) throw new Error(`SAPA_ADMIN_PASSWORD is not acceptable (${problem.replace(/_/g, ' ')}): use 8–128 characters that are not a common password.`);
	}
	const password = given || generatePassword();
	const hash = await hashPassword(password);
	return withActor(db, { label: 'bootstrap' }, async (trx) => {
		// Re-check inside the transaction: two instances starting together create one admin.
		if (await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst()) return null;
		const user = await trx.insertInto('app_user').values({ email, display_name: 'Administrator', password_hash: hash }).returning('id').executeTakeFirstOrThrow();
		await trx.insertInto('role_grant').values({ user_id: user.id, organization_id: null, role: 'admin', granted_by: null }).execute();
		return { email, generatedPassword: given ? null : password };
	});
}
