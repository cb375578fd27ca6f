import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

export interface Actor {
	/** The signed-in user, when there is one. */
	userId?: number;
	/** Who did it, for the audit log: 'user:12', 'demo-seed', 'import:…'. */
	label: string;
}

/**
 * Every write goes through here: one transaction, with the actor set for the
 * audit triggers (transaction-local, so a pooled connection never leaks it).
 */
export async function withActor<T>(db: Kysely<Database>, actor: Actor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
	return db.transaction().execute(async (trx) => {
		await sql`SELECT set_config('sapa.actor', ${actor.label}, true), set_config('sapa.actor_id', ${actor.userId === undefined ? '' : String(actor.userId)}, true)`.execute(trx);
		return work(trx);
	});
}
