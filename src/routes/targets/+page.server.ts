import { error, fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { roleAllows } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission, type Access } from '$lib/server/auth/access';
import { findAncestry, findSubtreeIds } from '$lib/server/queries/access';
import { listServices } from '$lib/server/queries/catalogue';
import { findOrganization, listOrganizationsInYear } from '$lib/server/queries/organizations';
import { listScopeCells } from '$lib/server/queries/targets';
import { compareTargetYear, createTargetSet, listSets, loadTargetEditor } from '$lib/server/services/targets';
import { CreateTargetSetForm, createSetProblemMessage } from '$lib/validation/targets';
import type { Actions, PageServerLoad } from './$types';

const Year = v.pipe(v.string(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(1991), v.maxValue(2100));
const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
/** Counting a set's cells means building its editor: done for at most this many sets of a year. */
const COUNTED_SETS = 12;
const DEPARTMENTS = new Set(['region_department', 'city_department']);

const asOfYear = () => new Date().getUTCFullYear();
const actorOf = (access: Access) => ({ label: `user:${access.userId}`, userId: access.userId });

/** Where the person may draft targets: 'all' (a global grant) or the organizations of their drafting subtrees. */
async function draftScope(db: App.Locals['db'], access: Access): Promise<'all' | Set<number>> {
	const grants = access.grants.filter((g) => roleAllows(g.role, 'targets.draft'));
	if (grants.some((g) => g.organizationId === null)) return 'all';
	const roots = grants.map((g) => g.organizationId!).filter((id) => id !== null);
	return new Set(roots.length ? await findSubtreeIds(db, roots) : []);
}

export const load: PageServerLoad = async ({ url, locals }) => {
	const access = await requirePermission(locals, 'read');
	const db = locals.db;
	const yearRaw = url.searchParams.get('year');
	const orgRaw = url.searchParams.get('org');
	const year = yearRaw ? v.safeParse(Year, yearRaw) : null;
	const org = orgRaw ? v.safeParse(Id, orgRaw) : null;
	if ((year && !year.success) || (org && !org.success)) error(400, m.error_bad_request());
	const theYear = year?.success ? year.output : asOfYear() + 1;
	const focusId = org?.success ? org.output : null;
	if (focusId !== null) await requirePermission(locals, 'read', focusId);

	let sets = await listSets(db, access.visible, { year: theYear });
	const focus = focusId === null ? null : (await findOrganization(db, focusId)) ?? null;
	if (focusId !== null) {
		// The sets that reach the organization (rooted above it) and those rooted below it.
		const [ancestry, subtree] = await Promise.all([findAncestry(db, focusId), findSubtreeIds(db, [focusId])]);
		const near = new Set([...ancestry, ...subtree]);
		sets = sets.filter((s) => near.has(s.rootId));
	}
	const services = await listServices(db);
	const serviceById = new Map(services.map((s) => [s.id, s]));
	const rows = await Promise.all(sets.map(async (s, i) => {
		const editor = i < COUNTED_SETS ? await loadTargetEditor(db, s.id) : undefined;
		return {
			id: s.id, year: s.year, status: s.status, root: s.root, rootId: s.rootId,
			services: s.serviceIds.map((id) => serviceById.get(id)?.code ?? String(id)),
			protocolNumber: s.protocolNumber, protocolDate: s.protocolDate, reopenReason: s.status === 'draft' ? s.reopenReason : null,
			targets: s.targets,
			totals: editor ? editor.totals : null
		};
	}));

	// The new-set form: roots are the departments where the person may draft; services default to those provided below.
	const mayDraftScope = await draftScope(db, access);
	const mayDraft = mayDraftScope === 'all' || mayDraftScope.size > 0;
	let roots: Array<{ id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null }> = [];
	let rootId: number | null = null;
	let provided: number[] = [];
	if (mayDraft) {
		const orgs = await listOrganizationsInYear(db, mayDraftScope, theYear);
		roots = orgs.filter((o) => DEPARTMENTS.has(o.kind)).map((o) => ({ id: o.id, code: o.code, nameKk: o.nameKk, nameRu: o.nameRu, nameEn: o.nameEn }));
		rootId = roots.find((r) => r.id === focusId)?.id ?? roots.find((r) => sets.some((s) => s.rootId === r.id))?.id ?? roots[0]?.id ?? null;
		if (rootId !== null) {
			const cells = await listScopeCells(db, { year: theYear, rootId, serviceIds: services.map((s) => s.id) });
			provided = [...new Set(cells.map((c) => c.serviceId))];
		}
	}

	// The comparison with the year before, for the organization in focus (else the first set's root, else the person's own).
	const ownRoot = access.grants.find((g) => g.organizationId !== null)?.organizationId ?? null;
	const compareRootId = focusId ?? sets[0]?.rootId ?? ownRoot;
	const compareRoot = compareRootId === null ? null : compareRootId === focusId ? focus : (await findOrganization(db, compareRootId)) ?? null;
	const comparison = compareRoot
		? await compareTargetYear(db, { year: theYear, rootId: compareRoot.id, serviceIds: services.map((s) => s.id) })
		: [];

	return {
		year: theYear,
		asOfYear: asOfYear(),
		focus,
		sets: rows,
		mayDraft,
		roots,
		rootId,
		provided,
		services: services.map((s) => ({ id: s.id, code: s.code, titleKk: s.titleKk, titleRu: s.titleRu, titleEn: s.titleEn })),
		compareRoot,
		comparison
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { locals, request } = event;
		await requirePermission(locals, 'targets.draft');
		const form = await request.formData();
		const parsed = v.safeParse(CreateTargetSetForm, {
			year: form.get('year') ?? '', root: form.get('root') ?? '', services: form.getAll('service').filter((s) => typeof s === 'string')
		});
		const echo = { year: String(form.get('year') ?? ''), root: String(form.get('root') ?? ''), services: form.getAll('service').map(String) };
		if (!parsed.success) return fail(400, { action: 'create' as const, ...echo, message: m.error_bad_request() });
		const { year, root, services } = parsed.output;
		const access = await requirePermission(locals, 'targets.draft', root);
		const out = await createTargetSet(locals.db, actorOf(access), { year, rootId: root, serviceIds: services, asOfYear: asOfYear() });
		if (!out.ok) return fail(400, { action: 'create' as const, ...echo, message: createSetProblemMessage(out.problem), existingId: out.existingId ?? null });
		redirect(303, `/targets/${out.id}`);
	}
};
