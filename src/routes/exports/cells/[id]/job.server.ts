import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type AccessLocals } from '$lib/server/auth/access';
import { exportJobs } from '$lib/server/export/jobs';
import { JOB_ID } from '$lib/validation/cells-export-query';

export interface CellsJobSubject {
	organizationId: number;
	/** The export page's address (to start another). */
	search: string;
	format: 'xlsx' | 'csv';
	/** What the file holds (organization and filters), in the language it is written in. */
	about: string[];
}

/**
 * The job a page or endpoint is about: only its owner sees it (anyone else, an expired or a
 * made-up id: 404 alike), and only while the owner may still read its organization.
 */
export async function jobFor(locals: AccessLocals, param: string) {
	const access = await requirePermission(locals, 'read');
	if (!JOB_ID.test(param)) error(404, m.error_not_found());
	const jobs = exportJobs();
	const subject = jobs.subject(param, access.userId) as CellsJobSubject | null;
	if (!subject) error(404, m.error_not_found());
	await requirePermission(locals, 'read', subject.organizationId);
	return { access, jobs, subject, id: param };
}
