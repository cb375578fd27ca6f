import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireGlobalAdmin } from '$lib/server/auth/access';
import { catalogueProblemMessage, fieldMessage, loadServicePage, recordStandard, repealStandard, updateService } from '$lib/server/services/catalogue';
import { dayBefore, fieldCodes, RepealForm, ServiceForm, StandardForm } from '$lib/validation/catalogue';
import { formatDate } from '$lib/ui/format';
import type { Actions, PageServerLoad } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

function serviceId(param: string): number {
	const id = v.safeParse(Id, param);
	if (!id.success) error(404, m.error_not_found());
	return id.output;
}

function strings<K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
	return Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? '')])) as Record<K, string>;
}

function messages(issues: v.BaseIssue<unknown>[]): Record<string, string> {
	return Object.fromEntries(Object.entries(fieldCodes(issues)).map(([k, code]) => [k, fieldMessage(code)]));
}

export const load: PageServerLoad = async ({ locals, params }) => {
	requireGlobalAdmin(locals);
	const page = await loadServicePage(locals.db, serviceId(params.id));
	if (!page) error(404, m.error_not_found());
	return page;
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const access = requireGlobalAdmin(locals);
		const id = serviceId(params.id);
		const form = await request.formData();
		const values = {
			...strings(form, ['titleKk', 'titleRu', 'titleEn', 'titleRuVerified', 'isPaid', 'termDays', 'maxWaitSubmitMin', 'maxWaitReceiveMin', 'legalBasisKk', 'legalBasisRu']),
			channels: form.getAll('channels').map(String)
		};
		const parsed = v.safeParse(ServiceForm, values);
		if (!parsed.success) return fail(400, { which: 'service' as const, values, errors: messages(parsed.issues) });
		const outcome = await updateService(locals.db, access, id, parsed.output);
		if (!outcome.ok) {
			if (outcome.problem === 'not_found') error(404, m.error_not_found());
			return fail(400, { which: 'service' as const, values, errors: {} as Record<string, string>, message: catalogueProblemMessage(outcome.problem) });
		}
		return { which: 'service' as const, done: m.catalogue_saved() };
	},
	standard: async ({ locals, params, request }) => {
		const access = requireGlobalAdmin(locals);
		const id = serviceId(params.id);
		const form = await request.formData();
		const normatives: Record<string, string> = {};
		for (const [key, value] of form) if (key.startsWith('normative.')) normatives[key.slice('normative.'.length)] = String(value);
		const values = { ...strings(form, ['actIssuerKk', 'actIssuerRu', 'actNumber', 'actDate', 'registrationNumber', 'registrationDate', 'validFrom']), normatives };
		const parsed = v.safeParse(StandardForm, values);
		if (!parsed.success) return fail(400, { which: 'standard' as const, values, errors: messages(parsed.issues) });
		const outcome = await recordStandard(locals.db, access, id, parsed.output);
		if (!outcome.ok) {
			if (outcome.problem === 'not_found') error(404, m.error_not_found());
			const errors: Record<string, string> = outcome.problem === 'standard_overlap' ? { validFrom: m.catalogue_problem_overlap_short() } : {};
			return fail(400, { which: 'standard' as const, values, errors, message: catalogueProblemMessage(outcome.problem) });
		}
		return {
			which: 'standard' as const,
			done: outcome.ended === null ? m.catalogue_standard_recorded() : m.catalogue_standard_recorded_ended({ date: formatDate(dayBefore(parsed.output.validFrom), getLocale()) })
		};
	},
	repeal: async ({ locals, params, request }) => {
		const access = requireGlobalAdmin(locals);
		const id = serviceId(params.id);
		const form = await request.formData();
		const values = strings(form, ['standard', 'issuerKk', 'issuerRu', 'number', 'date', 'lastDay']);
		const parsed = v.safeParse(RepealForm, values);
		if (!parsed.success) return fail(400, { which: 'repeal' as const, values, errors: messages(parsed.issues) });
		const outcome = await repealStandard(locals.db, access, id, parsed.output);
		if (!outcome.ok) {
			if (outcome.problem === 'not_found') error(404, m.error_not_found());
			return fail(400, { which: 'repeal' as const, values, errors: {} as Record<string, string>, message: catalogueProblemMessage(outcome.problem) });
		}
		return { which: 'repeal' as const, done: m.catalogue_repealed() };
	}
};
