import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { can, canAnywhere, canDecideYear } from '$lib/domain/permissions';
import { stepsFrom } from '$lib/domain/reporting-year';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access } from '$lib/server/auth/access';
import { appConfig } from '$lib/server/config';
import { findAncestry } from '$lib/server/queries/access';
import { findOrganization } from '$lib/server/queries/organizations';
import { loadGrid, saveGrid, stepYear } from '$lib/server/services/figures';
import { readGridForm } from '$lib/validation/figures';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const Year = v.pipe(v.string(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(1991), v.maxValue(2100));
const StepForm = v.object({
	step: v.picklist(['submit', 'approve', 'return', 'reopen']),
	reason: v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(2000)),
	version: v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number))
});

/** The organization and year the page is about, checked (read) before anything else is read. */
async function target(event: Pick<RequestEvent, 'locals' | 'params'>, action: 'read' | 'figures.write' | 'year.submit' = 'read') {
	const id = v.safeParse(Id, event.params.org);
	const year = v.safeParse(Year, event.params.year);
	// Someone who may not do this anywhere gets 403 whatever the organization (as on every page).
	if (action !== 'read') await requirePermission(event.locals, action);
	if (!id.success || !year.success) error(404, m.error_not_found());
	await requirePermission(event.locals, 'read', id.output);
	const access = await requirePermission(event.locals, action, id.output);
	return { organizationId: id.output, year: year.output, access };
}

const actorOf = (access: Access) => ({ label: `user:${access.userId}`, userId: access.userId });
const asOfYear = () => new Date().getUTCFullYear();

export const load: PageServerLoad = async (event) => {
	const { organizationId, year, access } = await target(event);
	const db = event.locals.db;
	const [organization, ancestry, grid] = await Promise.all([
		findOrganization(db, organizationId),
		findAncestry(db, organizationId),
		loadGrid(db, organizationId, year, asOfYear())
	]);
	if (!organization) error(404, m.error_not_found());
	const mayDecide = canDecideYear(access.grants, ancestry);
	const maySubmit = can(access.grants, 'year.submit', ancestry);
	const steps = year > asOfYear() ? [] : stepsFrom(grid.reportingYear?.status ?? null)
		.filter((s) => (s === 'submit' ? maySubmit : mayDecide));
	return {
		organization,
		grid,
		year,
		asOfYear: asOfYear(),
		jumpPoints: appConfig().jumpWarningPoints,
		mayWrite: can(access.grants, 'figures.write', ancestry),
		steps
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { organizationId, year, access } = await target(event, 'figures.write');
		const form = await event.request.formData();
		const grid = readGridForm(form);
		if (!grid) return fail(413, { action: 'save' as const, message: m.figures_too_many_cells() });
		const values: Record<string, string> = {};
		for (const [k, val] of form) if (typeof val === 'string' && /^(m|vol)\./.test(k)) values[k] = val;
		const outcome = await saveGrid(event.locals.db, actorOf(access), {
			organizationId, year, asOfYear: asOfYear(), jumpPoints: appConfig().jumpWarningPoints, figures: grid.figures, volumes: grid.volumes
		});
		if (outcome.kind === 'invalid') return fail(400, { action: 'save' as const, values, problems: outcome.problems });
		if (outcome.kind === 'conflict') {
			// Their versions go back into the form: saving again, knowingly, replaces their value with yours.
			for (const c of outcome.conflicts) {
				const name = c.cell.kind === 'figure' ? `m.${c.cell.serviceId}.${c.cell.indicatorId}.v` : `vol.${c.cell.serviceId}.${c.cell.channel}.v`;
				values[name] = String(c.theirs?.version ?? 0);
			}
			return fail(409, { action: 'save' as const, values, conflicts: outcome.conflicts });
		}
		return { action: 'save' as const, saved: outcome.changed, warnings: outcome.warnings };
	},

	step: async (event) => {
		const anyone = await requirePermission(event.locals, 'read');
		if (!canAnywhere(anyone.grants, 'year.submit') && !canAnywhere(anyone.grants, 'year.approve')) error(403, m.error_forbidden());
		const { organizationId, year, access } = await target(event);
		// Who may take no step here at all is refused before the form is read.
		const ancestry = await findAncestry(event.locals.db, organizationId);
		const maySubmit = can(access.grants, 'year.submit', ancestry);
		const mayDecide = canDecideYear(access.grants, ancestry);
		if (!maySubmit && !mayDecide) error(403, m.error_forbidden());
		const parsed = v.safeParse(StepForm, Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { action: 'step' as const, message: m.error_bad_request() });
		const { step, reason, version } = parsed.output;
		if (!(step === 'submit' ? maySubmit : mayDecide)) error(403, m.error_forbidden());
		const out = await stepYear(event.locals.db, actorOf(access), { organizationId, year, step, reason: reason || null, expectedVersion: version, asOfYear: asOfYear() });
		if (!out.ok) {
			const message = out.problem === 'reason_required' ? m.figures_step_reason_required()
				: out.problem === 'stale' ? m.figures_step_stale()
				: out.problem === 'year_future' ? m.figures_problem_year_future()
				: m.figures_step_not_allowed();
			return fail(out.problem === 'stale' ? 409 : 400, { action: 'step' as const, step, reason, message });
		}
		return { action: 'step' as const, stepped: step };
	}
};
