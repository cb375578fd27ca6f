import { error, fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { can } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access } from '$lib/server/auth/access';
import { findAncestry } from '$lib/server/queries/access';
import { findOrganization } from '$lib/server/queries/organizations';
import {
	approveTargetSet, bulkTargets, getTargetSet, loadTargetEditor, reopenTargetSet, saveTargets
} from '$lib/server/services/targets';
import type { OrganizationKind } from '$lib/server/db/schema';
import {
	ApproveTargetSetForm, BulkTargetForm, ReopenTargetSetForm, readTargetForm, toBulkOperation
} from '$lib/validation/targets';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const KINDS = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'] as const;

/** The set the page is about: 403 for who may not do the action anywhere, then 404 (no such set, or out of scope), then 403. */
async function setFor(event: Pick<RequestEvent, 'locals' | 'params'>, action: 'read' | 'targets.draft' | 'targets.approve') {
	if (action !== 'read') await requirePermission(event.locals, action);
	const id = v.safeParse(Id, event.params.id);
	if (!id.success) error(404, m.error_not_found());
	const set = await getTargetSet(event.locals.db, id.output);
	if (!set) error(404, m.error_not_found());
	await requirePermission(event.locals, 'read', set.rootId);
	const access = await requirePermission(event.locals, action, set.rootId);
	return { set, access };
}

const actorOf = (access: Access) => ({ label: `user:${access.userId}`, userId: access.userId });
const today = () => new Date().toISOString().slice(0, 10);
const numberParam = (s: string | null) => (s && /^\d{1,9}$/.test(s) ? Number(s) : null);

export const load: PageServerLoad = async (event) => {
	const { set, access } = await setFor(event, 'read');
	const db = event.locals.db;
	const [editor, ancestry] = await Promise.all([loadTargetEditor(db, set.id), findAncestry(db, set.rootId)]);
	if (!editor) error(404, m.error_not_found());
	const q = event.url.searchParams;
	// The filter: one service at a time (the first by default), optionally one indicator and one kind of organization.
	// Default: the service with most organizations (for a city: the schools' services), where the group spends its time.
	const perService = new Map<number, number>();
	for (const c of editor.cells) perService.set(c.serviceId, (perService.get(c.serviceId) ?? 0) + 1);
	const busiest = [...editor.services].sort((a, b) => (perService.get(b.id) ?? 0) - (perService.get(a.id) ?? 0))[0]?.id ?? null;
	const serviceId = editor.services.find((s) => s.id === numberParam(q.get('service')))?.id ?? busiest;
	const indicatorId = editor.indicators.find((i) => i.id === numberParam(q.get('indicator')))?.id ?? null;
	const kindRaw = q.get('kind');
	const kind = (KINDS as readonly string[]).includes(kindRaw ?? '') ? (kindRaw as OrganizationKind) : null;
	const kindOf = new Map(editor.organizations.map((o) => [o.id, o.kind]));
	const cells = editor.cells.filter((c) => c.serviceId === serviceId && (indicatorId === null || c.indicatorId === indicatorId)
		&& (kind === null || kindOf.get(c.organizationId) === kind));
	const shownOrgs = new Set(cells.map((c) => c.organizationId));
	const root = editor.organizations.find((o) => o.id === set.rootId) ?? null;
	return {
		set: editor.set,
		root: root ?? (await findOrganization(db, set.rootId)) ?? null,
		services: editor.services,
		indicators: editor.indicators.map((i) => ({ id: i.id, code: i.code, title: i.title, polarity: i.polarity, computed: i.computed })),
		organizations: editor.organizations,
		shownOrganizations: editor.organizations.filter((o) => shownOrgs.has(o.id)),
		kinds: [...new Set(editor.organizations.map((o) => o.kind))],
		cells,
		totals: editor.totals,
		filter: { serviceId, indicatorId, kind },
		mayDraft: can(access.grants, 'targets.draft', ancestry),
		mayApprove: can(access.grants, 'targets.approve', ancestry),
		today: today()
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { set, access } = await setFor(event, 'targets.draft');
		const form = await event.request.formData();
		const cells = readTargetForm(form);
		if (!cells) return fail(413, { action: 'save' as const, message: m.targets_problem_too_many_cells({ max: 50_000 }) });
		const values: Record<string, string> = {};
		for (const [k, val] of form) if (typeof val === 'string' && k.startsWith('t.')) values[k] = val;
		const outcome = await saveTargets(event.locals.db, actorOf(access), { setId: set.id, cells });
		if (outcome.kind === 'invalid') return fail(400, { action: 'save' as const, values, problems: outcome.problems });
		if (outcome.kind === 'conflict') {
			// Their versions go back into the form: saving again, knowingly, replaces their value with yours.
			for (const c of outcome.conflicts) values[`t.${c.cell.organizationId}.${c.cell.serviceId}.${c.cell.indicatorId}.n`] = String(c.theirs?.version ?? 0);
			return fail(409, { action: 'save' as const, values, conflicts: outcome.conflicts });
		}
		return { action: 'save' as const, saved: outcome.changed, flagged: outcome.flagged };
	},

	bulk: async (event) => {
		const { set, access } = await setFor(event, 'targets.draft');
		const raw = Object.fromEntries([...(await event.request.formData())].filter(([, val]) => typeof val === 'string')) as Record<string, string>;
		// "The whole set": the filter of the page shown is not applied.
		if (raw.scope === 'all') for (const k of ['service', 'indicator', 'organizationKind', 'organization']) delete raw[k];
		const parsed = v.safeParse(BulkTargetForm, raw);
		if (!parsed.success) return fail(400, { action: 'bulk' as const, message: m.error_bad_request() });
		const outcome = await bulkTargets(event.locals.db, actorOf(access), { setId: set.id, op: toBulkOperation(parsed.output) });
		if (outcome.kind === 'invalid') return fail(400, { action: 'bulk' as const, kind: parsed.output.kind, problems: outcome.problems });
		if (outcome.kind === 'conflict') return fail(409, { action: 'bulk' as const, message: m.targets_step_stale() });
		return { action: 'bulk' as const, kind: parsed.output.kind, changed: outcome.changed };
	},

	approve: async (event) => {
		const { set, access } = await setFor(event, 'targets.approve');
		const raw = Object.fromEntries(await event.request.formData());
		const parsed = v.safeParse(ApproveTargetSetForm, raw);
		const echo = { protocolNumber: String(raw.protocolNumber ?? ''), protocolDate: String(raw.protocolDate ?? ''), members: String(raw.members ?? '') };
		if (!parsed.success) return fail(400, { action: 'approve' as const, ...echo, message: m.error_bad_request() });
		const out = await approveTargetSet(event.locals.db, actorOf(access), { setId: set.id, expectedVersion: parsed.output.version, ...parsed.output, asOfDate: today() });
		if (!out.ok) return fail(out.problems.some((p) => p.problem === 'stale') ? 409 : 400, { action: 'approve' as const, ...echo, problems: out.problems });
		return { action: 'approve' as const, done: true };
	},

	reopen: async (event) => {
		const { set, access } = await setFor(event, 'targets.approve');
		const raw = Object.fromEntries(await event.request.formData());
		const parsed = v.safeParse(ReopenTargetSetForm, raw);
		const echo = { reason: String(raw.reason ?? '') };
		if (!parsed.success) return fail(400, { action: 'reopen' as const, ...echo, message: m.error_bad_request() });
		const out = await reopenTargetSet(event.locals.db, actorOf(access), { setId: set.id, expectedVersion: parsed.output.version, reason: parsed.output.reason });
		if (!out.ok) return fail(out.problems.some((p) => p.problem === 'stale') ? 409 : 400, { action: 'reopen' as const, ...echo, problems: out.problems });
		return { action: 'reopen' as const, done: true };
	}
};
