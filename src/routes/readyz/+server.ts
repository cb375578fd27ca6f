import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import { migrations } from '$lib/server/db/migrations.bundled';
import { pendingMigrations } from '$lib/server/db/migrate';
import { isStopping } from '$lib/server/lifecycle';
import { errorFields, log } from '$lib/server/log';
import type { RequestHandler } from './$types';

const headers = { 'cache-control': 'no-store' };
const notReady = (reason: 'stopping' | 'database' | 'migrations') => json({ status: 'unavailable', reason }, { status: 503, headers });

/**
 * Readiness: send this instance requests? Only while it is not stopping, its database answers
 * and has every migration this build knows. The reason is one word; details go to the log only.
 */
export const GET: RequestHandler = async ({ locals }) => {
	if (isStopping()) return notReady('stopping');
	try {
		await sql`SELECT 1`.execute(locals.db);
		const pending = await pendingMigrations(locals.db, migrations);
		if (pending.length) {
			log.warn('not ready: migrations pending', { pending });
			return notReady('migrations');
		}
	} catch (err) {
		log.warn('not ready: database out of reach', { err: errorFields(err) });
		return notReady('database');
	}
	return json({ status: 'ready' }, { headers });
};
