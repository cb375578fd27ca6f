import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access, type AccessLocals } from '$lib/server/auth/access';
import {
	disableUser, enableUser, ForbiddenError, grantRole, loadUserPage, NotFoundError, ONCE_PASSWORD_COOKIE, requireManagedUser,
	resetPassword, revokeGrant, unlockUser, userProblemMessage
} from '$lib/server/services/users';
import { GrantForm, Id, RevokeForm } from '$lib/validation/users';
import type { Actions, PageServerLoad } from './$types';

type GrantErrors = Partial<Record<'role' | 'organization', string>>;

/** The person the page is about: unknown or out of the manager's scope is 404, before any form is read. */
async function target(locals: AccessLocals, access: Access, param: string): Promise<number> {
	const id = v.safeParse(Id, param);
	if (!id.success) error(404, m.error_not_found());
	await guard(() => requireManagedUser(locals.db, access, id.output));
	return id.output;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (err instanceof NotFoundError) error(404, m.error_not_found());
		if (err instanceof ForbiddenError) error(403, m.error_forbidden());
		throw err;
	}
}

export const load: PageServerLoad = async ({ locals, params, cookies, url }) => {
	const access = await requirePermission(locals, 'users.manage');
	const id = await target(locals, access, params.id);
	const page = await guard(() => loadUserPage(locals.db, access, id));
	// Shown once: the cookie set when this user was created is gone after this load.
	const path = `/admin/users/${id}`;
	const generatedPassword = cookies.get(ONCE_PASSWORD_COOKIE) ?? null;
	if (generatedPassword) cookies.delete(ONCE_PASSWORD_COOKIE, { path, secure: url.protocol === 'https:' });
	return { ...page, generatedPassword, created: url.searchParams.has('created') };
};

export const actions: Actions = {
	disable: async ({ locals, params }) => {
		const access = await requirePermission(locals, 'users.manage');
		const id = await target(locals, access, params.id);
		const outcome = await guard(() => disableUser(locals.db, access, id));
		return outcome.ok ? { done: 'disabled' as const } : fail(400, { message: userProblemMessage(outcome.problem) });
	},
	enable: async ({ locals, params }) => {
		const access = await requirePermission(locals, 'users.manage');
		const id = await target(locals, access, params.id);
		await guard(() => enableUser(locals.db, access, id));
		return { done: 'enabled' as const };
	},
	resetPassword: async ({ locals, params }) => {
		const access = await requirePermission(locals, 'users.manage');
		const id = await target(locals, access, params.id);
		const password = await guard(() => resetPassword(locals.db, access, id));
		return { done: 'password_reset' as const, generatedPassword: password };
	},
	unlock: async ({ locals, params }) => {
		const access = await requirePermission(locals, 'users.manage');
		const id = await target(locals, access, params.id);
		await guard(() => unlockUser(locals.db, access, id));
		return { done: 'unlocked' as const };
	},
	grant: async ({ locals, params, request }) => {
		const access = await requirePermission(locals, 'users.manage');
		const id = await target(locals, access, params.id);
		const form = await request.formData();
		const values = { role: String(form.get('role') ?? ''), organization: String(form.get('organization') ?? '') };
		const parsed = v.safeParse(GrantForm, values);
		if (!parsed.success) {
			const nested = v.flatten<typeof GrantForm>(parsed.issues).nested ?? {};
			const errors: GrantErrors = Object.fromEntries(Object.entries(nested).map(([k, codes]) => [k, userProblemMessage(codes![0] as 'role_required')]));
			return fail(400, { values, errors });
		}
		const { role, organization } = parsed.output;
		if (organization !== null) await requirePermission(locals, 'users.manage', organization);
		const outcome = await guard(() => grantRole(locals.db, access, id, { role, organizationId: organization }));
		if (!outcome.ok) {
			const errors: GrantErrors = { role: userProblemMessage(outcome.problem) };
			return fail(400, { values, errors });
		}
		return { done: 'granted' as const };
	},
	revoke: async ({ locals, params, request }) => {
		const access = await requirePermission(locals, 'users.manage');
		const id = await target(locals, access, params.id);
		const form = await request.formData();
		const parsed = v.safeParse(RevokeForm, { grant: String(form.get('grant') ?? ''), organization: String(form.get('organization') ?? '') });
		if (!parsed.success) return fail(400, { message: m.error_bad_request() });
		const { grant, organization } = parsed.output;
		if (organization !== null) await requirePermission(locals, 'users.manage', organization);
		const outcome = await guard(() => revokeGrant(locals.db, access, { userId: id, grantId: grant, organizationId: organization }));
		return outcome.ok ? { done: 'revoked' as const } : fail(400, { message: userProblemMessage(outcome.problem) });
	}
};
