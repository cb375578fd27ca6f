import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { requirePermission } from '$lib/server/auth/access';
import { createOrganization, listChoices, OrganizationError } from '$lib/server/services/organizations';
import { fieldErrors, NewOrganizationForm, organizationProblemMessage } from '$lib/validation/organizations';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['code', 'kind', 'nameKk', 'nameRu', 'nameEn', 'bin', 'parent', 'activeFrom'] as const;

export const load: PageServerLoad = async ({ locals }) => {
	const access = await requirePermission(locals, 'catalogue.manage');
	return { parents: await listChoices(locals.db, access), today: new Date().toISOString().slice(0, 10) };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const access = await requirePermission(locals, 'catalogue.manage');
		const form = await request.formData();
		const values = Object.fromEntries(FIELDS.map((k) => [k, String(form.get(k) ?? '')])) as Record<(typeof FIELDS)[number], string>;
		const parsed = v.safeParse(NewOrganizationForm, values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.issues) });
		const input = parsed.output;
		// The new organization's place in the tree is what the permission is about.
		await requirePermission(locals, 'catalogue.manage', input.parent);
		let id: number;
		try {
			({ id } = await createOrganization(locals.db, { label: `user:${access.userId}`, userId: access.userId }, { ...input, parentId: input.parent }));
		} catch (err) {
			if (err instanceof OrganizationError) return fail(400, { values, errors: { [err.field]: organizationProblemMessage(err.code) } });
			throw err;
		}
		redirect(303, `/admin/organizations/${id}?created`);
	}
};
