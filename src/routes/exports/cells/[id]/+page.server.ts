import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { jobFor } from './job.server';
import type { PageServerLoad } from './$types';

/** The job's progress; the page reloads (no script) or polls its status (script) until it is done. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const { access, jobs, subject, id } = await jobFor(locals, params.id);
	const status = jobs.status(id, access.userId);
	if (!status) error(404, m.error_not_found());
	return { id, status, format: subject.format, search: subject.search, about: subject.about };
};
