import { error, fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { astanaToday, defaultDueOn } from '$lib/domain/complaint-rules';
import { can } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access } from '$lib/server/auth/access';
import { findAncestry } from '$lib/server/queries/access';
import { findComplaint } from '$lib/server/queries/complaints';
import { findOrganization } from '$lib/server/queries/organizations';
import {
	addComplaint, closeComplaint, editComplaint, loadRegister, removeComplaint, type Place, type WriteOutcome
} from '$lib/server/services/complaints';
import { ComplaintRef, COMPLAINT_FIELDS, fieldMessages, formValues } from '$lib/validation/complaints';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const Year = v.pipe(v.string(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(1991), v.maxValue(2100));
type FormName = 'add' | 'edit' | 'close' | 'delete';
const CLOSE_FIELDS = ['justified', 'answeredOn', 'satisfied'] as const;
const DONE = ['added', 'edited', 'closed', 'deleted'] as const;

/**
 * The organization and year the page is about. Someone who may not write figures anywhere gets 403
 * for every write whatever the organization; otherwise read decides scope (404), then the action (403).
 */
async function target(event: Pick<RequestEvent, 'locals' | 'params'>, action: 'read' | 'figures.write' = 'read') {
	if (action !== 'read') await requirePermission(event.locals, action);
	const id = v.safeParse(Id, event.params.org);
	const year = v.safeParse(Year, event.params.year);
	if (!id.success || !year.success) error(404, m.error_not_found());
	await requirePermission(event.locals, 'read', id.output);
	const access = await requirePermission(event.locals, action, id.output);
	const place: Place = { organizationId: id.output, year: year.output, today: astanaToday(new Date()) };
	return { place, access };
}

const actorOf = (access: Access) => ({ label: `user:${access.userId}`, userId: access.userId });
const param = (url: URL, name: string) => { const r = v.safeParse(Id, url.searchParams.get(name) ?? ''); return r.success ? r.output : null; };

export const load: PageServerLoad = async (event) => {
	const { place, access } = await target(event);
	const db = event.locals.db;
	const service = param(event.url, 'service');
	const [organization, ancestry, register] = await Promise.all([
		findOrganization(db, place.organizationId),
		findAncestry(db, place.organizationId),
		loadRegister(db, place.organizationId, place.year, place.today, service)
	]);
	if (!organization) error(404, m.error_not_found());
	// One complaint opened for editing, answering or deleting (?edit=, ?close=, ?delete=): a plain link, so it works without JavaScript.
	const mode = (['edit', 'close', 'delete'] as const).find((k) => param(event.url, k) !== null) ?? null;
	const selected = mode ? await findComplaint(db, place.organizationId, place.year, param(event.url, mode)!) : undefined;
	const receivedOn = place.year === Number(place.today.slice(0, 4)) ? place.today : '';
	const done = DONE.find((d) => d === event.url.searchParams.get('done')) ?? null;
	return {
		organization,
		register,
		year: place.year,
		today: place.today,
		service,
		mayWrite: can(access.grants, 'figures.write', ancestry),
		selected: mode && selected ? { mode, complaint: selected } : null,
		selectedMissing: mode !== null && !selected,
		defaults: { receivedOn, dueOn: receivedOn ? defaultDueOn(receivedOn) : '' },
		done,
		doneId: param(event.url, 'id')
	};
};

/** Back to the register after a write (the filter kept), saying what was done; a reload does not post again. */
function after(event: RequestEvent, done: string, id: number): never {
	const to = new URL(event.url.pathname, event.url);
	const service = event.url.searchParams.get('service');
	if (service) to.searchParams.set('service', service);
	to.searchParams.set('done', done);
	to.searchParams.set('id', String(id));
	redirect(303, `${to.pathname}${to.search}`);
}

/** A write's outcome as the form's answer: the values typed go back with every failure. */
function answer(event: RequestEvent, form: FormName, outcome: WriteOutcome, values: Record<string, string>, year: number, id: number | null) {
	switch (outcome.kind) {
		case 'done': return after(event, ({ add: 'added', edit: 'edited', close: 'closed', delete: 'deleted' } as const)[form], outcome.id);
		case 'invalid': return fail(400, { form, id, values, errors: fieldMessages(outcome.issues, year) });
		case 'refused': return fail(outcome.reason === 'year_locked' ? 400 : 404, {
			form, id, values, message: outcome.reason === 'year_locked' ? m.complaints_year_locked({ year }) : m.complaints_not_found()
		});
		case 'conflict':
			// Their version goes into the form: saving again, knowingly, replaces their values with yours.
			return fail(409, { form, id, values: { ...values, version: String(outcome.theirs?.version ?? '') }, conflict: { theirs: outcome.theirs, yours: outcome.yours } });
	}
}

async function readRef(request: Request, fields: readonly string[]) {
	const form = await request.formData();
	const values = formValues(form, [...fields, 'id', 'version', 'confirm']);
	const ref = v.safeParse(ComplaintRef, { id: values.id, version: values.version });
	return { values, ref: ref.success ? ref.output : null };
}

export const actions: Actions = {
	add: async (event) => {
		const { place, access } = await target(event, 'figures.write');
		const values = formValues(await event.request.formData());
		const outcome = await addComplaint(event.locals.db, actorOf(access), place, values);
		return answer(event, 'add', outcome, values, place.year, null);
	},
	edit: async (event) => {
		const { place, access } = await target(event, 'figures.write');
		const { values, ref } = await readRef(event.request, COMPLAINT_FIELDS);
		if (!ref) return fail(400, { form: 'edit' as FormName, id: null, values, message: m.error_bad_request() });
		const outcome = await editComplaint(event.locals.db, actorOf(access), place, ref, values);
		return answer(event, 'edit', outcome, values, place.year, ref.id);
	},
	close: async (event) => {
		const { place, access } = await target(event, 'figures.write');
		const { values, ref } = await readRef(event.request, CLOSE_FIELDS);
		if (!ref) return fail(400, { form: 'close' as FormName, id: null, values, message: m.error_bad_request() });
		const outcome = await closeComplaint(event.locals.db, actorOf(access), place, ref, values);
		return answer(event, 'close', outcome, values, place.year, ref.id);
	},
	delete: async (event) => {
		const { place, access } = await target(event, 'figures.write');
		const { values, ref } = await readRef(event.request, []);
		if (!ref) return fail(400, { form: 'delete' as FormName, id: null, values, message: m.error_bad_request() });
		if (values.confirm !== 'yes') return fail(400, { form: 'delete' as FormName, id: ref.id, values, message: m.complaints_delete_unconfirmed() });
		const outcome = await removeComplaint(event.locals.db, actorOf(access), place, ref);
		return answer(event, 'delete', outcome, values, place.year, ref.id);
	}
};
