import { Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { attachment } from '$lib/server/export/table';
import { jobFor } from '../job.server';
import type { RequestHandler } from './$types';

/** GET: the finished file, as an attachment of its real type (404 until it is done, and after it expired). */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { access, jobs, id } = await jobFor(locals, params.id);
	const file = jobs.file(id, access.userId);
	if (!file) error(404, m.error_not_found());
	return new Response(Readable.toWeb(file.stream) as unknown as ReadableStream<Uint8Array>, {
		headers: {
			'content-type': file.contentType,
			'content-length': String(file.size),
			'content-disposition': attachment(file.name),
			'cache-control': 'private, no-store'
		}
	});
};
