import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { requirePermission } from '$lib/server/auth/access';
import { findProvision, listProvisions, listServiceChoices } from '$lib/server/queries/provisions';
import {
	actorOf, addProvision, assignInBulk, changeProvisionYears, listManageableOrganizations
} from '$lib/server/services/assignments';
import { assignmentProblems, BulkAssignmentForm, ProvisionForm, ProvisionYearsForm } from '$lib/validation/assignments';
import type { Actions, PageServerLoad } from './$types';

const OrgQuery = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

export const load: PageServerLoad = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'catalogue.manage');
	const chosen = v.safeParse(OrgQuery, url.searchParams.get('org') ?? '');
	const organizationId = chosen.success ? chosen.output : null;
	if (organizationId !== null) await requirePermission(locals, 'catalogue.manage', organizationId);
	const [organizations, services] = await Promise.all([listManageableOrganizations(locals.db, access), listServiceChoices(locals.db)]);
	return {
		organizations,
		services,
		organizationId,
		provisions: organizationId === null ? [] : await listProvisions(locals.db, organizationId)
	};
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

export const actions: Actions = {
	add: async ({ request, locals }) => {
		const access = await requirePermission(locals, 'catalogue.manage');
		const form = await request.formData();
		const values = { organization: text(form, 'organization'), service: text(form, 'service'), yearFrom: text(form, 'yearFrom'), yearTo: text(form, 'yearTo') };
		const parsed = v.safeParse(ProvisionForm, values);
		if (!parsed.success) return fail(400, { form: 'add' as const, values, errors: assignmentProblems(parsed.issues) });
		const p = parsed.output;
		await requirePermission(locals, 'catalogue.manage', p.organization);
		const result = await addProvision(locals.db, actorOf(access), { organizationId: p.organization, serviceId: p.service, yearFrom: p.yearFrom, yearTo: p.yearTo });
		if (!result.ok) return fail(400, { form: 'add' as const, values, errors: { service: result.problem } });
		return { form: 'add' as const, done: true };
	},

	change: async ({ request, locals }) => {
		const access = await requirePermission(locals, 'catalogue.manage');
		const form = await request.formData();
		const values = { provision: text(form, 'provision'), yearFrom: text(form, 'yearFrom'), yearTo: text(form, 'yearTo') };
		const parsed = v.safeParse(ProvisionYearsForm, values);
		if (!parsed.success) return fail(400, { form: 'change' as const, values, errors: assignmentProblems(parsed.issues) });
		const provision = await findProvision(locals.db, parsed.output.provision);
		if (!provision) error(404);
		await requirePermission(locals, 'catalogue.manage', provision.organizationId);
		const result = await changeProvisionYears(locals.db, actorOf(access), provision.id, parsed.output.yearFrom, parsed.output.yearTo);
		if (!result.ok) return fail(400, { form: 'change' as const, values, errors: { yearTo: result.problem } });
		return { form: 'change' as const, done: true, provision: provision.id };
	},

	bulk: async ({ request, locals }) => {
		const access = await requirePermission(locals, 'catalogue.manage');
		const form = await request.formData();
		const values = {
			department: text(form, 'department'), kind: text(form, 'kind'), services: form.getAll('services').map(String),
			yearFrom: text(form, 'yearFrom'), yearTo: text(form, 'yearTo')
		};
		const parsed = v.safeParse(BulkAssignmentForm, values);
		if (!parsed.success) return fail(400, { form: 'bulk' as const, values, errors: assignmentProblems(parsed.issues) });
		const b = parsed.output;
		await requirePermission(locals, 'catalogue.manage', b.department);
		const result = await assignInBulk(locals.db, actorOf(access), { departmentId: b.department, kind: b.kind, serviceIds: b.services, yearFrom: b.yearFrom, yearTo: b.yearTo });
		if (!result.ok) return fail(400, { form: 'bulk' as const, values, errors: { services: result.problem } });
		return {
			form: 'bulk' as const, values, done: true, matched: result.matched, added: result.added.length,
			skipped: result.skipped.map((p) => ({ organizationCode: p.organizationCode, serviceId: p.serviceId }))
		};
	}
};
