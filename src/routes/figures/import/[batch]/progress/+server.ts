import { json } from '@sveltejs/kit';
import { importProgress } from '$lib/server/services/figures-import';
import { batchFor } from '../batch.server';
import type { RequestHandler } from './$types';

/** GET: where the batch's commit is (phase, rows done of total), polled by its page while it runs. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { batch } = await batchFor(locals, params.batch, 'read');
	return json({ status: batch.status, progress: importProgress(batch.id) }, { headers: { 'cache-control': 'no-store' } });
};
