import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { requirePermission } from '$lib/server/auth/access';
import { createUser, loadGrantChoices, ONCE_PASSWORD_COOKIE, userProblemMessage } from '$lib/server/services/users';
import { NewUserForm } from '$lib/validation/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const access = await requirePermission(locals, 'users.manage');
	return { choices: await loadGrantChoices(locals.db, access) };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		const access = await requirePermission(locals, 'users.manage');
		const form = await request.formData();
		const field = (name: string) => String(form.get(name) ?? '');
		const values = { email: field('email'), displayName: field('displayName'), role: field('role'), organization: field('organization') };
		const parsed = v.safeParse(NewUserForm, { ...values, password: field('password') });
		if (!parsed.success) {
			const nested = v.flatten<typeof NewUserForm>(parsed.issues).nested ?? {};
			const errors = Object.fromEntries(Object.entries(nested).map(([k, codes]) => [k, userProblemMessage(codes![0] as Parameters<typeof userProblemMessage>[0])]));
			return fail(400, { values, errors });
		}
		const input = parsed.output;
		if (input.organization !== null) await requirePermission(locals, 'users.manage', input.organization);
		const result = await createUser(locals.db, access, { ...input, organizationId: input.organization });
		if (!result.ok) {
			const errors = Object.fromEntries(Object.entries(result.errors).map(([k, code]) => [k, userProblemMessage(code)]));
			return fail(400, { values, errors });
		}
		if (result.generatedPassword) {
			cookies.set(ONCE_PASSWORD_COOKIE, result.generatedPassword, {
				path: `/admin/users/${result.userId}`, httpOnly: true, sameSite: 'strict', secure: url.protocol === 'https:', maxAge: 300
			});
		}
		redirect(303, `/admin/users/${result.userId}?created`);
	}
};
