import { sql, type Kysely } from 'kysely';
import { compareYears, judgeTarget, takeSetStep, type IndicatorComparison, type SetStepProblem } from '../../domain/targets';
import type { Database } from '../db/schema';
import { listGridIndicators, listNormativesForYear } from '../queries/figures';
import { findOrganization } from '../queries/organizations';
import { findSubtreeIdsInYear } from '../queries/organization-history';
import {
	approveSetTargets, draftSetTargets, findSameScopeSet, findTargetSet, insertTargetSet, listScopeCells, listServicesByIds,
	listSetTargets, listTargetPairs, listTargetSets, markSetApproved, markSetReopened, type TargetSetListRow, type TargetSetRow
} from '../queries/targets';
import { withActor, type Actor } from './actor';

export { loadTargetEditor, saveTargets, bulkTargets } from './target-editor';
export type { TargetEditor, EditorCell, TargetCellRaw, SaveTargetsOutcome, BulkTargetOperation, TargetCellProblem, TargetConflict } from './target-editor';

/*
 * The working group's target sets: created for a year and a scope (a subtree
 * root and some services), approved with the protocol of the group's meeting
 * (which locks them, in the database too), reopened with a reason. Who may
 * do what is the routes' check: 'targets.draft' to create and edit,
 * 'targets.approve' to approve and reopen, both on the set's root (rootId).
 */

/** A set by id (for the routes' permission check on its root); undefined when there is none. */
export async function getTargetSet(db: Kysely<Database>, id: number): Promise<TargetSetRow | undefined> {
	return findTargetSet(db, id);
}

export async function listSets(db: Kysely<Database>, scope: 'all' | ReadonlySet<number>, filter: { year?: number } = {}): Promise<TargetSetListRow[]> {
	return listTargetSets(db, scope, filter);
}

export type CreateSetProblem = 'year_out_of_range' | 'services_required' | 'unknown_service' | 'root_not_found' | 'no_cells' | 'set_exists';
export type CreateSetOutcome = { ok: true; id: number } | { ok: false; problem: CreateSetProblem; existingId?: number };

/**
 * A new draft set for the year, listing every organization of the root's
 * subtree in that year that provides one of the services then. Years up to
 * next year (asOfYear + 1); one set per year, root and services.
 */
export async function createTargetSet(
	db: Kysely<Database>,
	actor: Actor & { userId: number },
	input: { year: number; rootId: number; serviceIds: readonly number[]; asOfYear: number }
): Promise<CreateSetOutcome> {
	const serviceIds = [...new Set(input.serviceIds)];
	if (!Number.isInteger(input.year) || input.year < 1991 || input.year > input.asOfYear + 1) return { ok: false, problem: 'year_out_of_range' };
	if (serviceIds.length === 0) return { ok: false, problem: 'services_required' };
	return withActor(db, actor, async (trx) => {
		// Two people creating the same set at once: the second one finds the first.
		await sql`SELECT pg_advisory_xact_lock(7306, ${input.year}::integer)`.execute(trx);
		if ((await listServicesByIds(trx, serviceIds)).length !== serviceIds.length) return { ok: false, problem: 'unknown_service' };
		if (!(await findOrganization(trx, input.rootId))) return { ok: false, problem: 'root_not_found' };
		const existingId = await findSameScopeSet(trx, input.year, input.rootId, serviceIds);
		if (existingId !== undefined) return { ok: false, problem: 'set_exists', existingId };
		const cells = await listScopeCells(trx, { year: input.year, rootId: input.rootId, serviceIds });
		if (cells.length === 0) return { ok: false, problem: 'no_cells' };
		return { ok: true, id: await insertTargetSet(trx, { year: input.year, rootId: input.rootId, serviceIds, userId: actor.userId }) };
	});
}

export type SetStepOutcome =
	| { ok: true }
	| {
			ok: false;
			problems: Array<{
				field: 'protocolNumber' | 'protocolDate' | 'members' | 'reason' | null;
				problem: SetStepProblem | 'stale' | 'set_not_found' | 'set_empty' | 'reason_missing';
				/** For 'reason_missing': the cell whose target is worse than the normative without a reason. */
				cell?: { organizationId: number; serviceId: number; indicatorId: number };
			}>;
	  };

/**
 * Approves a draft set with the protocol of the group's meeting (number,
 * date not after asOfDate, members), only from the version the person saw:
 * every target of the set becomes approved under that protocol, then the set
 * is locked. A set without targets, or with a target worse than the
 * normative and no reason, is not approved.
 */
export async function approveTargetSet(
	db: Kysely<Database>,
	actor: Actor & { userId: number },
	input: { setId: number; expectedVersion: number; protocolNumber: string | null; protocolDate: string | null; members: string | null; asOfDate: string }
): Promise<SetStepOutcome> {
	return withActor(db, actor, async (trx) => {
		const set = await findTargetSet(trx, input.setId, { forUpdate: true });
		if (!set) return { ok: false, problems: [{ field: null, problem: 'set_not_found' }] };
		if (set.version !== input.expectedVersion) return { ok: false, problems: [{ field: null, problem: 'stale' }] };
		const approval = { protocolNumber: input.protocolNumber, protocolDate: input.protocolDate, members: input.members };
		const step = takeSetStep(set.status, 'approve', { approval }, input.asOfDate);
		if (!step.ok) return step;
		const [indicators, normatives] = await Promise.all([listGridIndicators(trx), listNormativesForYear(trx, set.serviceIds, set.year)]);
		const polarity = new Map(indicators.map((i) => [i.id, i.polarity]));
		const targets = await listSetTargets(trx, set.id);
		if (targets.length === 0) return { ok: false, problems: [{ field: null, problem: 'set_empty' }] };
		const unexplained = targets.filter((t) => judgeTarget({ value: t.value, reason: t.reason }, { normative: normatives.get(t.serviceId)?.get(t.indicatorId) ?? null, polarity: polarity.get(t.indicatorId)! }).problems.length > 0);
		if (unexplained.length > 0) {
			return { ok: false, problems: unexplained.map((t) => ({ field: null, problem: 'reason_missing' as const, cell: { organizationId: t.organizationId, serviceId: t.serviceId, indicatorId: t.indicatorId } })) };
		}
		const protocol = { protocolNumber: input.protocolNumber!.trim(), protocolDate: input.protocolDate!.trim() };
		await approveSetTargets(trx, set.id, { userId: actor.userId, ...protocol });
		if (!(await markSetApproved(trx, set.id, { expectedVersion: set.version, userId: actor.userId, ...protocol, members: input.members!.trim() }))) {
			throw new Error(`target set ${set.id} moved while locked`);
		}
		return { ok: true };
	});
}

/** Reopens an approved set with a reason: the set and its targets are drafts again, editable. */
export async function reopenTargetSet(
	db: Kysely<Database>,
	actor: Actor & { userId: number },
	input: { setId: number; expectedVersion: number; reason: string | null }
): Promise<SetStepOutcome> {
	return withActor(db, actor, async (trx) => {
		const set = await findTargetSet(trx, input.setId, { forUpdate: true });
		if (!set) return { ok: false, problems: [{ field: null, problem: 'set_not_found' }] };
		if (set.version !== input.expectedVersion) return { ok: false, problems: [{ field: null, problem: 'stale' }] };
		const step = takeSetStep(set.status, 'reopen', { reason: input.reason }, '9999-12-31');
		if (!step.ok) return step;
		if (!(await markSetReopened(trx, set.id, { expectedVersion: set.version, userId: actor.userId, reason: input.reason!.trim() }))) {
			throw new Error(`target set ${set.id} moved while locked`);
		}
		await draftSetTargets(trx, set.id, actor.userId);
		return { ok: true };
	});
}

export interface IndicatorComparisonRow extends IndicatorComparison { code: string }

/**
 * For a year and a scope: per indicator (catalogue order, every indicator),
 * how many targets were raised, kept or lowered against the year before's
 * approved targets, and whether that tightened or loosened them.
 */
export async function compareTargetYear(db: Kysely<Database>, scope: { year: number; rootId: number; serviceIds: readonly number[] }): Promise<IndicatorComparisonRow[]> {
	const [indicators, orgIds] = await Promise.all([listGridIndicators(db), findSubtreeIdsInYear(db, scope.rootId, scope.year)]);
	const polarity = new Map(indicators.map((i) => [i.id, i.polarity]));
	const pairs = await listTargetPairs(db, scope.year, orgIds, scope.serviceIds);
	const byIndicator = new Map(compareYears(pairs.map((p) => ({ ...p, polarity: polarity.get(p.indicatorId)! }))).map((c) => [c.indicatorId, c]));
	return indicators.map((i) => ({
		code: i.code,
		...(byIndicator.get(i.id) ?? { indicatorId: i.id, raised: 0, kept: 0, lowered: 0, tightened: 0, loosened: 0, added: 0, dropped: 0, draft: 0 })
	}));
}

/** The comparison for a set's own year and scope; undefined when there is no such set. */
export async function compareTargetSet(db: Kysely<Database>, setId: number): Promise<IndicatorComparisonRow[] | undefined> {
	const set = await findTargetSet(db, setId);
	return set && compareTargetYear(db, { year: set.year, rootId: set.rootId, serviceIds: set.serviceIds });
}
