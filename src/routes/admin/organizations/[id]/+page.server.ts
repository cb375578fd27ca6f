import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access } from '$lib/server/auth/access';
import {
	closeOrganization, loadOrganizationPage, mergeOrganization, moveOrganization, OrganizationError, OrganizationNotFoundError,
	updateOrganization
} from '$lib/server/services/organizations';
import {
	CloseOrganizationForm, fieldErrors, MergeOrganizationForm, MoveOrganizationForm, OrganizationDetailsForm, organizationProblemMessage
} from '$lib/validation/organizations';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
type FormName = 'edit' | 'move' | 'close' | 'merge';

/**
 * The organization the page is about, checked before any form is read. Someone who may not
 * manage the catalogue anywhere gets 403 whatever the id (as on every admin page); an
 * administrator gets 404 for an organization unknown or outside their subtrees.
 */
async function target(event: Pick<RequestEvent, 'locals' | 'params'>): Promise<{ id: number; access: Access }> {
	await requirePermission(event.locals, 'catalogue.manage');
	const id = v.safeParse(Id, event.params.id);
	if (!id.success) error(404, m.error_not_found());
	const access = await requirePermission(event.locals, 'catalogue.manage', id.output);
	return { id: id.output, access };
}

const actorOf = (access: Access) => ({ label: `user:${access.userId}`, userId: access.userId });

async function read<S extends v.GenericSchema>(request: Request, schema: S, fields: readonly string[]) {
	const form = await request.formData();
	const values = Object.fromEntries(fields.map((k) => [k, String(form.get(k) ?? '')]));
	return { values, parsed: v.safeParse(schema, values) };
}

/** Runs one change; a refusal comes back to the form it came from, next to its field. */
async function attempt<T>(form: FormName, values: Record<string, string>, work: () => Promise<T>) {
	try {
		return { ok: true as const, result: await work() };
	} catch (err) {
		if (err instanceof OrganizationError) return { ok: false as const, failure: fail(400, { form, values, errors: { [err.field]: organizationProblemMessage(err.code) } }) };
		if (err instanceof OrganizationNotFoundError) error(404, m.error_not_found());
		throw err;
	}
}

export const load: PageServerLoad = async (event) => {
	const { id, access } = await target(event);
	const page = await loadOrganizationPage(event.locals.db, access, id);
	return { ...page, created: event.url.searchParams.has('created'), thisYear: new Date().getUTCFullYear(), today: new Date().toISOString().slice(0, 10) };
};

export const actions: Actions = {
	edit: async (event) => {
		const { id, access } = await target(event);
		const { values, parsed } = await read(event.request, OrganizationDetailsForm, ['kind', 'nameKk', 'nameRu', 'nameEn', 'bin']);
		if (!parsed.success) return fail(400, { form: 'edit' as FormName, values, errors: fieldErrors(parsed.issues) });
		const r = await attempt('edit', values, () => updateOrganization(event.locals.db, actorOf(access), id, parsed.output));
		return r.ok ? { done: 'updated' as const } : r.failure;
	},
	move: async (event) => {
		const { id, access } = await target(event);
		const { values, parsed } = await read(event.request, MoveOrganizationForm, ['parent', 'fromYear']);
		if (!parsed.success) return fail(400, { form: 'move' as FormName, values, errors: fieldErrors(parsed.issues) });
		await requirePermission(event.locals, 'catalogue.manage', parsed.output.parent);
		const r = await attempt('move', values, () => moveOrganization(event.locals.db, actorOf(access), id, parsed.output.parent, parsed.output.fromYear));
		return r.ok ? { done: 'moved' as const } : r.failure;
	},
	close: async (event) => {
		const { id, access } = await target(event);
		const { values, parsed } = await read(event.request, CloseOrganizationForm, ['closedOn']);
		if (!parsed.success) return fail(400, { form: 'close' as FormName, values, errors: fieldErrors(parsed.issues) });
		const r = await attempt('close', values, () => closeOrganization(event.locals.db, actorOf(access), id, parsed.output.closedOn));
		return r.ok ? { done: 'closed' as const } : r.failure;
	},
	merge: async (event) => {
		const { id, access } = await target(event);
		const { values, parsed } = await read(event.request, MergeOrganizationForm, ['target', 'fromYear']);
		if (!parsed.success) return fail(400, { form: 'merge' as FormName, values, errors: fieldErrors(parsed.issues) });
		await requirePermission(event.locals, 'catalogue.manage', parsed.output.target);
		const r = await attempt('merge', values, () => mergeOrganization(event.locals.db, actorOf(access), id, parsed.output.target, parsed.output.fromYear));
		return r.ok ? { done: 'merged' as const, count: r.result.servicesTaken } : r.failure;
	}
};
