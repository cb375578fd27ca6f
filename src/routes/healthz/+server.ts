import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Liveness: the process is up and answering. Never touches the database, so a process
 * manager does not restart Sapa because PostgreSQL is down (that is /readyz's business).
 */
export const GET: RequestHandler = () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
