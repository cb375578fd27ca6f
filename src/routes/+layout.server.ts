import { canAnywhere, isGlobalAdmin } from '$lib/domain/permissions';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user ? { displayName: locals.user.displayName, email: locals.user.email } : null,
	// Menu entries only; each page checks permission again on the server.
	menu: {
		users: !!locals.access && canAnywhere(locals.access.grants, 'users.manage'),
		catalogue: !!locals.access && canAnywhere(locals.access.grants, 'catalogue.manage'),
		globalAdmin: !!locals.access && isGlobalAdmin(locals.access.grants)
	}
});
