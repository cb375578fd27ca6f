import type { Kysely, Transaction } from 'kysely';
import { isValidBin } from '../../domain/bin';
import { isGlobalAdmin, roleAllows } from '../../domain/permissions';
import type { OrganizationField, OrganizationProblem } from '../../validation/organizations';
import { violatedConstraint } from '../db/errors';
import type { Access } from '../auth/access';
import type { Database, OrganizationKind } from '../db/schema';
import { findSubtreeIds } from '../queries/access';
import {
	findOrganizationRow, listLinks, listProvisions, searchOrganizations, type LinkRow, type OrganizationRow, type ProvisionRow
} from '../queries/organization-history';
import { withActor, type Actor } from './actor';

/*
 * Keeping the organization tree true year after year. Past years keep their
 * tree: a move, closure or merger takes effect from a reporting year and only
 * ends the links and provisions that held until then; figures already
 * reported stay with the organization that reported them.
 * The caller checks catalogue.manage on every organization involved.
 */

/** A refusal the form shows next to `field`. */
export class OrganizationError extends Error {
	constructor(readonly code: OrganizationProblem, readonly field: OrganizationField) {
		super(`${field}: ${code}`);
	}
}
export class OrganizationNotFoundError extends Error {}

type Trx = Transaction<Database>;

export interface OrganizationDetails {
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	bin: string | null;
}

export interface NewOrganizationInput extends OrganizationDetails {
	code: string;
	parentId: number | null;
	/** 'YYYY-MM-DD'; its year is the first reporting year. */
	activeFrom: string;
}

const yearOf = (date: string) => Number(date.slice(0, 4));

/** Database refusals that name a field, as problems; anything else is rethrown. */
function mapped(err: unknown, extra: Record<string, [OrganizationProblem, OrganizationField]> = {}): never {
	const table: Record<string, [OrganizationProblem, OrganizationField]> = {
		organization_code_key: ['code_taken', 'code'],
		organization_code_check: ['code_invalid', 'code'],
		organization_bin_key: ['bin_taken', 'bin'],
		organization_bin_valid: ['bin_invalid', 'bin'],
		organization_no_cycle: ['cycle', 'parent'],
		organization_not_own_parent: ['cycle', 'parent'],
		organization_link_not_own_parent: ['cycle', 'parent'],
		...extra
	};
	const hit = table[violatedConstraint(err) ?? ''];
	if (hit) throw new OrganizationError(hit[0], hit[1]);
	throw err;
}

async function guarded<T>(db: Kysely<Database>, actor: Actor, work: (trx: Trx) => Promise<T>, extra?: Record<string, [OrganizationProblem, OrganizationField]>): Promise<T> {
	try {
		return await withActor(db, actor, work);
	} catch (err) {
		if (err instanceof OrganizationError || err instanceof OrganizationNotFoundError) throw err;
		return mapped(err, extra);
	}
}

async function lockOrganization(trx: Trx, id: number) {
	const row = await trx.selectFrom('organization').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
	if (!row) throw new OrganizationNotFoundError(String(id));
	return row;
}

function checkBin(bin: string | null): void {
	if (bin !== null && !isValidBin(bin)) throw new OrganizationError('bin_invalid', 'bin');
}

/** Its first organization_link row is opened by the database (trigger organization_open_link), whoever inserts. */
export async function createOrganization(db: Kysely<Database>, actor: Actor, input: NewOrganizationInput): Promise<{ id: number }> {
	checkBin(input.bin);
	return guarded(db, actor, async (trx) => {
		if (input.parentId !== null) {
			const parent = await trx.selectFrom('organization').select(['active_to']).where('id', '=', input.parentId).executeTakeFirst();
			if (!parent) throw new OrganizationError('parent_required', 'parent');
			if (parent.active_to !== null) throw new OrganizationError('parent_closed', 'parent');
		}
		const row = await trx.insertInto('organization').values({
			code: input.code, kind: input.kind, name_kk: input.nameKk, name_ru: input.nameRu, name_en: input.nameEn,
			bin: input.bin, parent_id: input.parentId, active_from: input.activeFrom
		}).returning('id').executeTakeFirstOrThrow();
		return { id: row.id };
	});
}

export async function updateOrganization(db: Kysely<Database>, actor: Actor, id: number, input: OrganizationDetails): Promise<void> {
	checkBin(input.bin);
	await guarded(db, actor, async (trx) => {
		await lockOrganization(trx, id);
		await trx.updateTable('organization')
			.set({ kind: input.kind, name_kk: input.nameKk, name_ru: input.nameRu, name_en: input.nameEn, bin: input.bin })
			.where('id', '=', id).execute();
	});
}

/**
 * Ends the organization's links at `lastYear` (the tree from lastYear + 1 on
 * no longer has it there); links starting later are superseded and removed.
 */
async function endLinks(trx: Trx, id: number, lastYear: number): Promise<void> {
	await trx.deleteFrom('organization_link').where('organization_id', '=', id).where('year_from', '>', lastYear).execute();
	await trx.updateTable('organization_link').set({ year_to: lastYear })
		.where('organization_id', '=', id).where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>', lastYear)])).execute();
}

async function refuseOpenChildren(trx: Trx, id: number, lastYear: number, field: OrganizationField): Promise<void> {
	const child = await trx.selectFrom('organization_link as l').innerJoin('organization as o', 'o.id', 'l.organization_id')
		.select('o.id').where('l.parent_id', '=', id).where('o.active_to', 'is', null)
		.where((eb) => eb.or([eb('l.year_to', 'is', null), eb('l.year_to', '>', lastYear)])).executeTakeFirst();
	if (child) throw new OrganizationError('has_children', field);
}

/** Under `newParentId` from `fromYear` on; earlier years keep the old parent. */
export async function moveOrganization(db: Kysely<Database>, actor: Actor, id: number, newParentId: number, fromYear: number): Promise<void> {
	await guarded(db, actor, async (trx) => {
		const org = await lockOrganization(trx, id);
		if (org.active_to !== null) throw new OrganizationError('already_closed', 'parent');
		if (newParentId === id) throw new OrganizationError('cycle', 'parent');
		const parent = await trx.selectFrom('organization').select(['active_to']).where('id', '=', newParentId).executeTakeFirst();
		if (!parent) throw new OrganizationError('parent_required', 'parent');
		if (parent.active_to !== null) throw new OrganizationError('parent_closed', 'parent');
		const links = await trx.selectFrom('organization_link').selectAll().where('organization_id', '=', id).orderBy('year_from').execute();
		const current = links.find((l) => l.year_from <= fromYear && (l.year_to === null || l.year_to >= fromYear));
		if (!current) throw new OrganizationError('year_invalid', 'fromYear');
		const later = links.filter((l) => l.year_from > fromYear);
		if (current.parent_id === newParentId && later.length === 0) throw new OrganizationError('same_parent', 'parent');

		// Today's tree first: its trigger refuses a parent that is a descendant.
		await trx.updateTable('organization').set({ parent_id: newParentId }).where('id', '=', id).execute();
		if (later.length) await trx.deleteFrom('organization_link').where('id', 'in', later.map((l) => l.id)).execute();
		if (current.year_from === fromYear) {
			await trx.updateTable('organization_link').set({ parent_id: newParentId, year_to: null }).where('id', '=', current.id).execute();
		} else {
			await trx.updateTable('organization_link').set({ year_to: fromYear - 1 }).where('id', '=', current.id).execute();
			await trx.insertInto('organization_link').values({ organization_id: id, parent_id: newParentId, year_from: fromYear }).execute();
		}
	});
}

/** Ends provisions at `lastYear`; those starting later are removed. The database refuses if figures would be orphaned. */
async function endProvisions(trx: Trx, id: number, lastYear: number) {
	const open = await trx.selectFrom('service_provision').selectAll().where('organization_id', '=', id)
		.where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>', lastYear)])).execute();
	for (const p of open) {
		if (p.year_from > lastYear) await trx.deleteFrom('service_provision').where('id', '=', p.id).execute();
		else await trx.updateTable('service_provision').set({ year_to: lastYear }).where('id', '=', p.id).execute();
	}
	return open;
}

/** Closed on `closedOn`: that year is its last reporting year. */
export async function closeOrganization(db: Kysely<Database>, actor: Actor, id: number, closedOn: string): Promise<void> {
	await guarded(db, actor, async (trx) => {
		const org = await lockOrganization(trx, id);
		if (org.active_to !== null) throw new OrganizationError('already_closed', 'closedOn');
		if (closedOn < org.active_from) throw new OrganizationError('date_invalid', 'closedOn');
		const lastYear = yearOf(closedOn);
		await refuseOpenChildren(trx, id, lastYear, 'closedOn');
		await trx.updateTable('organization').set({ active_to: closedOn }).where('id', '=', id).execute();
		await endLinks(trx, id, lastYear);
		await endProvisions(trx, id, lastYear);
	}, { service_provision_keeps_figures: ['figures_after_close', 'closedOn'] });
}

/**
 * `fromId` stops at the end of fromYear - 1 and `intoId` provides its services
 * from fromYear where it did not already; past figures stay with fromId.
 */
export async function mergeOrganization(db: Kysely<Database>, actor: Actor, fromId: number, intoId: number, fromYear: number): Promise<{ servicesTaken: number }> {
	return guarded(db, actor, async (trx) => {
		if (fromId === intoId) throw new OrganizationError('merge_into_self', 'target');
		const from = await lockOrganization(trx, fromId);
		if (from.active_to !== null) throw new OrganizationError('already_closed', 'target');
		const into = await trx.selectFrom('organization').select(['active_to']).where('id', '=', intoId).executeTakeFirst();
		if (!into) throw new OrganizationError('target_required', 'target');
		if (into.active_to !== null) throw new OrganizationError('target_closed', 'target');
		const lastYear = fromYear - 1;
		const lastDay = `${lastYear}-12-31`;
		if (lastDay < from.active_from) throw new OrganizationError('year_invalid', 'fromYear');
		await refuseOpenChildren(trx, fromId, lastYear, 'target');

		await trx.updateTable('organization').set({ active_to: lastDay, merged_into_id: intoId }).where('id', '=', fromId).execute();
		await endLinks(trx, fromId, lastYear);
		const ended = await endProvisions(trx, fromId, lastYear);
		let servicesTaken = 0;
		for (const serviceId of new Set(ended.map((p) => p.service_id))) {
			const has = await trx.selectFrom('service_provision').select('id').where('organization_id', '=', intoId).where('service_id', '=', serviceId)
				.where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>=', fromYear)])).executeTakeFirst();
			if (has) continue;
			const yearTo = ended.filter((p) => p.service_id === serviceId).some((p) => p.year_to === null)
				? null
				: Math.max(...ended.filter((p) => p.service_id === serviceId).map((p) => p.year_to!));
			await trx.insertInto('service_provision').values({
				organization_id: intoId, service_id: serviceId, year_from: fromYear, year_to: yearTo !== null && yearTo >= fromYear ? yearTo : null
			}).execute();
			servicesTaken += 1;
		}
		return { servicesTaken };
	}, { service_provision_keeps_figures: ['figures_after_merge', 'fromYear'] });
}

// ---------- what the admin pages show ----------

/** Where the person holds catalogue.manage: 'all' for a global admin, else their admin grants' subtrees. */
export async function manageScope(db: Kysely<Database>, access: Access): Promise<'all' | ReadonlySet<number>> {
	if (isGlobalAdmin(access.grants)) return 'all';
	const roots = access.grants.filter((g) => g.organizationId !== null && roleAllows(g.role, 'catalogue.manage')).map((g) => g.organizationId!);
	const ids = new Set(await findSubtreeIds(db, [...new Set(roots)]));
	// Never wider than what the person may see at all.
	return access.visible === 'all' ? ids : new Set([...ids].filter((id) => (access.visible as ReadonlySet<number>).has(id)));
}

export async function listManageable(db: Kysely<Database>, access: Access, q: string): Promise<OrganizationRow[]> {
	return searchOrganizations(db, await manageScope(db, access), q);
}

export type OrganizationChoice = Pick<OrganizationRow, 'id' | 'code' | 'nameKk' | 'nameRu' | 'nameEn'>;

/** Active organizations in the person's manage scope, except `exclude` (itself and its subtree, for a move). */
export async function listChoices(db: Kysely<Database>, access: Access, exclude: readonly number[] = []): Promise<OrganizationChoice[]> {
	const skip = new Set(exclude);
	return (await searchOrganizations(db, await manageScope(db, access), '', { limit: null }))
		.filter((o) => o.status === 'active' && !skip.has(o.id))
		.map(({ id, code, nameKk, nameRu, nameEn }) => ({ id, code, nameKk, nameRu, nameEn }));
}

export interface OrganizationPage {
	organization: OrganizationRow;
	links: LinkRow[];
	provisions: ProvisionRow[];
	parentChoices: OrganizationChoice[];
	targetChoices: OrganizationChoice[];
}

export async function loadOrganizationPage(db: Kysely<Database>, access: Access, id: number): Promise<OrganizationPage> {
	const organization = await findOrganizationRow(db, id);
	if (!organization) throw new OrganizationNotFoundError(String(id));
	const subtree = await findSubtreeIds(db, [id]);
	return {
		organization,
		links: await listLinks(db, id),
		provisions: await listProvisions(db, id),
		parentChoices: await listChoices(db, access, subtree),
		targetChoices: await listChoices(db, access, [id])
	};
}
