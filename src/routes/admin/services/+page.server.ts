import { requireGlobalAdmin } from '$lib/server/auth/access';
import { listServices } from '$lib/server/services/catalogue';
import { ASTANA_UTC_OFFSET_HOURS } from '$lib/ui/format';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireGlobalAdmin(locals);
	// "In force now" means today in Kazakhstan, not on the server's clock.
	const today = new Date(Date.now() + ASTANA_UTC_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
	return { today, services: await listServices(locals.db, today) };
};
