import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requireGlobalAdmin } from '$lib/server/auth/access';
import { catalogueProblemMessage, fieldMessage, loadIndicatorPage, updateIndicator, type DecisionField } from '$lib/server/services/catalogue';
import { fieldCodes, IndicatorForm } from '$lib/validation/catalogue';
import type { Actions, PageServerLoad } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const FIELDS = [
	'groupCode', 'titleKk', 'titleRu', 'titleEn', 'numeratorKk', 'numeratorRu', 'numeratorEn',
	'denominatorKk', 'denominatorRu', 'denominatorEn', 'polarity', 'unit', 'reason'
] as const;

function indicatorId(param: string): number {
	const id = v.safeParse(Id, param);
	if (!id.success) error(404, m.error_not_found());
	return id.output;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	requireGlobalAdmin(locals);
	const page = await loadIndicatorPage(locals.db, indicatorId(params.id));
	if (!page) error(404, m.error_not_found());
	return page;
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const access = requireGlobalAdmin(locals);
		const id = indicatorId(params.id);
		const form = await request.formData();
		const values = Object.fromEntries(FIELDS.map((n) => [n, String(form.get(n) ?? '')])) as Record<(typeof FIELDS)[number], string>;
		const parsed = v.safeParse(IndicatorForm, values);
		if (!parsed.success) {
			const errors = Object.fromEntries(Object.entries(fieldCodes(parsed.issues)).map(([k, code]) => [k, fieldMessage(code)]));
			return fail(400, { values, errors, decision: null as DecisionField[] | null, message: null as string | null });
		}
		const outcome = await updateIndicator(locals.db, access, id, parsed.output);
		if (!outcome.ok) {
			if (outcome.problem === 'not_found') error(404, m.error_not_found());
			// The page then explains why and asks for the reason; what was typed is kept.
			const decision = outcome.problem === 'needs_decision' ? (outcome.fields ?? ['polarity']) : null;
			const errors: Record<string, string> = decision && values.reason.trim() === '' && form.has('reason') ? { reason: m.catalogue_field_required() } : {};
			return fail(400, { values, errors, decision, message: decision ? null : catalogueProblemMessage(outcome.problem) });
		}
		return { done: outcome.decisions.length ? m.catalogue_indicator_saved_decision() : m.catalogue_indicator_saved() };
	}
};
