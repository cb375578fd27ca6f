import { error, json } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { jobFor } from '../job.server';
import type { RequestHandler } from './$types';

/** GET: the job's state and rows written of the total, polled by its page every 500 ms. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { access, jobs, id } = await jobFor(locals, params.id);
	const status = jobs.status(id, access.userId);
	if (!status) error(404, m.error_not_found());
	return json(status, { headers: { 'cache-control': 'private, no-store' } });
};
