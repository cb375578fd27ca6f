import { requireGlobalAdmin } from '$lib/server/auth/access';
import { listIndicators } from '$lib/server/services/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireGlobalAdmin(locals);
	return { indicators: await listIndicators(locals.db) };
};
