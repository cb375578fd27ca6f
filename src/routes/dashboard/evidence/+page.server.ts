import { error } from '@sveltejs/kit';
import { astanaToday } from '$lib/domain/complaint-rules';
import { can } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { findAncestry } from '$lib/server/queries/access';
import { loadEvidence } from '$lib/server/services/evidence';
import { parseEvidenceQuery } from '$lib/validation/evidence-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	await requirePermission(locals, 'read');
	const query = parseEvidenceQuery(url.searchParams);
	if (!query.ok) error(400, m.error_bad_request());
	const access = await requirePermission(locals, 'read', query.value.organizationId);
	const [evidence, ancestry] = await Promise.all([
		loadEvidence(locals.db, access.visible, query.value),
		findAncestry(locals.db, query.value.organizationId)
	]);
	if (!evidence) error(404, m.error_not_found());
	return {
		evidence,
		// The entry grid's own test: the link is offered only to someone who may change the figure there.
		mayWrite: can(access.grants, 'figures.write', ancestry),
		today: astanaToday(new Date())
	};
};
