import type { Kysely, Transaction } from 'kysely';
import { complaintIndicatorCounts } from '../../domain/complaints';
import { percentOf } from '../../domain/compliance';
import {
	acceptSuggestions, applyValue, cellKey, copyPreviousTargets, judgeTarget, lastMeets, parsePercent, suggestTarget, trendOf, TREND_YEARS,
	type BulkCell, type CellFilter, type ParsedPercent, type TargetProblem, type Trend
} from '../../domain/targets';
import { violatedConstraint } from '../db/errors';
import type { Database, OrganizationKind } from '../db/schema';
import { listGridIndicators, listNormativesForYear, type GridIndicator } from '../queries/figures';
import {
	deleteTargets, findTargetSet, insertTargets, listRecentComplaintTallies, listRecentMeasurements, listScopeCells, listServicesByIds,
	listTargetsOf, updateTargets, type ScopeCell, type ServiceTitle, type StoredTarget, type TargetSetRow, type TargetWrite
} from '../queries/targets';
import { withActor, type Actor } from './actor';

/*
 * The target editor of one set: every organization of the scope × service ×
 * indicator with the last reported value, its trend, the normative, the
 * target in force, this set's proposed target and the suggestion; and how a
 * save or a bulk action is judged and written: all cells or none, each
 * typed change only from the version the person saw.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** How far back "the last reported value" may lie. */
export const LOOKBACK_YEARS = 5;
/** The most cells one save may carry. */
export const MAX_CELLS_PER_SAVE = 50_000;

export interface EditorOrganization { id: number; code: string; kind: OrganizationKind; nameKk: string; nameRu: string; nameEn: string | null }

export interface ProposedTarget { value: number; reason: string | null; status: 'draft' | 'approved'; version: number; updatedAt: Date; updatedByName: string | null }

export interface EditorCell {
	organizationId: number;
	serviceId: number;
	indicatorId: number;
	/** The latest reported value before the set's year (within LOOKBACK_YEARS). */
	last: { year: number; value: number } | null;
	trend: Trend | null;
	normative: number | null;
	/** The approved target of the year before: the one in force while this year's are set. */
	currentTarget: { year: number; value: number } | null;
	/** This set's target of the cell. */
	proposed: ProposedTarget | null;
	/** Another set (or no set: a target written outside the workflow) holds the cell's target. */
	heldBy: { setId: number | null; status: 'draft' | 'approved'; value: number } | null;
	editable: boolean;
	suggestion: number | null;
	lastMeetsSuggestion: boolean | null;
	lastMeetsProposed: boolean | null;
	/** The proposed target is worse than the normative (it then carries a reason). */
	flagged: boolean;
}

export interface TargetEditor {
	set: TargetSetRow;
	services: ServiceTitle[];
	organizations: EditorOrganization[];
	indicators: GridIndicator[];
	cells: EditorCell[];
	totals: { cells: number; proposed: number; blank: number; flagged: number; heldElsewhere: number; lastMeetsProposed: number };
}

interface Context {
	set: TargetSetRow;
	scope: ScopeCell[];
	scopeByKey: Map<string, ScopeCell>;
	indicators: GridIndicator[];
	normatives: Map<number, Map<number, number>>;
	stored: Map<string, StoredTarget>;
}

async function loadContext(db: Db, set: TargetSetRow, { forUpdate = false } = {}): Promise<Context> {
	const [scope, indicators, normatives] = await Promise.all([
		listScopeCells(db, { year: set.year, rootId: set.rootId, serviceIds: set.serviceIds }),
		listGridIndicators(db),
		listNormativesForYear(db, set.serviceIds, set.year)
	]);
	const orgIds = [...new Set(scope.map((c) => c.organizationId))];
	const targets = await listTargetsOf(db, set.year, orgIds, set.serviceIds, { forUpdate });
	return {
		set, scope, indicators, normatives,
		scopeByKey: new Map(scope.map((c) => [`${c.organizationId}:${c.serviceId}`, c])),
		stored: new Map(targets.map((t) => [cellKey(t), t]))
	};
}

async function buildEditor(db: Db, ctx: Context): Promise<TargetEditor> {
	const { set } = ctx;
	const orgIds = [...new Set(ctx.scope.map((c) => c.organizationId))];
	const span = { organizationIds: orgIds, serviceIds: set.serviceIds, fromYear: set.year - LOOKBACK_YEARS, toYear: set.year - 1 };
	const [previous, measured, tallies, services] = await Promise.all([
		listTargetsOf(db, set.year - 1, orgIds, set.serviceIds),
		listRecentMeasurements(db, { ...span, perCell: TREND_YEARS }),
		listRecentComplaintTallies(db, span),
		listServicesByIds(db, set.serviceIds)
	]);
	const previousByKey = new Map(previous.filter((t) => t.status === 'approved').map((t) => [cellKey(t), t.value]));
	const history = new Map<string, Array<{ year: number; value: number }>>();
	const add = (key: string, year: number, value: number | null) => {
		if (value !== null) (history.get(key) ?? history.set(key, []).get(key)!).push({ year, value });
	};
	for (const m of measured) add(cellKey(m), m.year, percentOf(m));
	const computed = ctx.indicators.filter((i) => i.computed);
	for (const t of tallies) {
		for (const ind of computed) {
			const counts = complaintIndicatorCounts(ind.code, t);
			add(cellKey({ ...t, indicatorId: ind.id }), t.year, counts ? percentOf(counts) : null);
		}
	}

	const cells: EditorCell[] = [];
	const totals = { cells: 0, proposed: 0, blank: 0, flagged: 0, heldElsewhere: 0, lastMeetsProposed: 0 };
	for (const sc of ctx.scope) {
		for (const ind of ctx.indicators) {
			const ref = { organizationId: sc.organizationId, serviceId: sc.serviceId, indicatorId: ind.id };
			const key = cellKey(ref);
			const points = (history.get(key) ?? []).sort((a, b) => b.year - a.year).slice(0, TREND_YEARS);
			const last = points[0] ?? null;
			const normative = ctx.normatives.get(sc.serviceId)?.get(ind.id) ?? null;
			const t = ctx.stored.get(key);
			const mine = t && t.setId === set.id ? t : null;
			const held = t && t.setId !== set.id ? t : null;
			const previousValue = previousByKey.get(key);
			const suggestion = suggestTarget(last?.value ?? null, normative, ind.polarity);
			const flagged = mine ? judgeTarget({ value: mine.value, reason: mine.reason }, { normative, polarity: ind.polarity }).worseThanNormative : false;
			const lastMeetsProposed = mine ? lastMeets(last?.value ?? null, mine.value, ind.polarity) : null;
			const editable = set.status === 'draft' && !held;
			cells.push({
				...ref,
				last,
				trend: trendOf(points, ind.polarity),
				normative,
				currentTarget: previousValue === undefined ? null : { year: set.year - 1, value: previousValue },
				proposed: mine && { value: mine.value, reason: mine.reason, status: mine.status, version: mine.version, updatedAt: mine.updatedAt, updatedByName: mine.updatedByName },
				heldBy: held && { setId: held.setId, status: held.status, value: held.value },
				editable,
				suggestion,
				lastMeetsSuggestion: lastMeets(last?.value ?? null, suggestion, ind.polarity),
				lastMeetsProposed,
				flagged
			});
			totals.cells++;
			if (mine) totals.proposed++;
			else if (editable) totals.blank++;
			if (held) totals.heldElsewhere++;
			if (flagged) totals.flagged++;
			if (lastMeetsProposed) totals.lastMeetsProposed++;
		}
	}
	const organizations = new Map<number, EditorOrganization>();
	for (const c of ctx.scope) {
		if (!organizations.has(c.organizationId)) organizations.set(c.organizationId, { id: c.organizationId, code: c.code, kind: c.kind, nameKk: c.nameKk, nameRu: c.nameRu, nameEn: c.nameEn });
	}
	return { set, services, organizations: [...organizations.values()], indicators: ctx.indicators, cells, totals };
}

/** The editor of a set; undefined when there is no such set. */
export async function loadTargetEditor(db: Kysely<Database>, setId: number): Promise<TargetEditor | undefined> {
	const set = await findTargetSet(db, setId);
	if (!set) return undefined;
	return buildEditor(db, await loadContext(db, set));
}

// ---------- saving ----------

export interface TargetCellRef { organizationId: number; serviceId: number; indicatorId: number }
export type TargetSaveProblem = TargetProblem | 'value_required' | 'not_in_scope' | 'held_by_other_set' | 'set_locked' | 'set_not_found' | 'too_many_cells';
export interface TargetCellProblem { cell: TargetCellRef | null; field: 'value' | 'reason' | null; problem: TargetSaveProblem }
export interface TargetConflict {
	cell: TargetCellRef;
	/** What is stored now (null: someone removed it), by whom and when. */
	theirs: { value: number; reason: string | null; byName: string | null; at: Date; version: number } | null;
	yours: { value: number | null; reason: string | null };
}
export type SaveTargetsOutcome =
	| { kind: 'saved'; changed: number; flagged: number }
	| { kind: 'invalid'; problems: TargetCellProblem[] }
	| { kind: 'conflict'; conflicts: TargetConflict[] };

/** One cell as posted by the editor: the value and reason as typed, and the version the person saw ('0': none). */
export interface TargetCellRaw extends TargetCellRef { value: string; reason: string; version: string }

interface Change { cell: TargetCellRef; value: ParsedPercent; reason: string | null; /** null: a bulk action, applied to what is stored now */ seenVersion: number | null }

async function writeChanges(trx: Transaction<Database>, ctx: Context, changes: readonly Change[], userId: number): Promise<SaveTargetsOutcome> {
	const polarity = new Map(ctx.indicators.map((i) => [i.id, i.polarity]));
	const problems: TargetCellProblem[] = [];
	const conflicts: TargetConflict[] = [];
	const inserts: TargetWrite[] = [], updates: Array<{ id: number; value: number; reason: string | null }> = [], deletes: number[] = [];
	let flagged = 0;
	for (const ch of changes) {
		const { cell } = ch;
		const pol = polarity.get(cell.indicatorId);
		if (!pol || !ctx.scopeByKey.has(`${cell.organizationId}:${cell.serviceId}`)) {
			problems.push({ cell, field: null, problem: 'not_in_scope' });
			continue;
		}
		const judged = judgeTarget({ value: ch.value, reason: ch.reason }, { normative: ctx.normatives.get(cell.serviceId)?.get(cell.indicatorId) ?? null, polarity: pol });
		const t = ctx.stored.get(cellKey(cell)) ?? null;
		const same = judged.problems.length === 0 && (judged.value === null
			? t === null
			: t !== null && Math.abs(t.value - judged.value) < 1e-9 && (t.reason ?? null) === judged.reason);
		if (same) continue;
		if (t && t.setId !== ctx.set.id) {
			problems.push({ cell, field: null, problem: 'held_by_other_set' });
			continue;
		}
		for (const p of judged.problems) problems.push({ cell, field: p.field, problem: p.problem });
		if (judged.problems.length > 0) continue;
		if (ch.seenVersion !== null && ch.seenVersion !== (t?.version ?? 0)) {
			conflicts.push({
				cell,
				theirs: t && { value: t.value, reason: t.reason, byName: t.updatedByName, at: t.updatedAt, version: t.version },
				yours: { value: judged.value, reason: judged.reason }
			});
			continue;
		}
		if (judged.worseThanNormative) flagged++;
		if (judged.value === null) deletes.push(t!.id);
		else if (t) updates.push({ id: t.id, value: judged.value, reason: judged.reason });
		else inserts.push({ ...cell, value: judged.value, reason: judged.reason });
	}
	if (problems.length > 0) return { kind: 'invalid', problems };
	if (conflicts.length > 0) return { kind: 'conflict', conflicts };
	await deleteTargets(trx, deletes);
	await updateTargets(trx, updates, userId);
	await insertTargets(trx, ctx.set.id, ctx.set.year, inserts, userId);
	return { kind: 'saved', changed: deletes.length + updates.length + inserts.length, flagged };
}

const setProblem = (problem: TargetSaveProblem): SaveTargetsOutcome => ({ kind: 'invalid', problems: [{ cell: null, field: null, problem }] });

/** Runs one write to a set's targets with the set locked; a race on a free cell is looked at again once. */
async function inSet(db: Kysely<Database>, actor: Actor & { userId: number }, setId: number, work: (trx: Transaction<Database>, ctx: Context) => Promise<SaveTargetsOutcome>): Promise<SaveTargetsOutcome> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await withActor(db, actor, async (trx) => {
				const set = await findTargetSet(trx, setId, { forUpdate: true });
				if (!set) return setProblem('set_not_found');
				if (set.status !== 'draft') return setProblem('set_locked');
				return work(trx, await loadContext(trx, set, { forUpdate: true }));
			});
		} catch (err) {
			// Another set took a free cell at the same moment: look again, it is then held by that set.
			if (attempt === 0 && violatedConstraint(err) === 'target_one_per_year') continue;
			if (violatedConstraint(err) === 'target_set_locked') return setProblem('set_locked');
			throw err;
		}
	}
}

const VERSION = /^\d{1,9}$/;

/**
 * Saves the editor as posted: only cells whose value or reason differs from
 * what is stored are written, each only from the version the person saw.
 * One problem or conflict anywhere and nothing is written.
 */
export async function saveTargets(db: Kysely<Database>, actor: Actor & { userId: number }, input: { setId: number; cells: readonly TargetCellRaw[] }): Promise<SaveTargetsOutcome> {
	if (input.cells.length > MAX_CELLS_PER_SAVE) return setProblem('too_many_cells');
	const changes: Change[] = input.cells.map((raw) => ({
		cell: { organizationId: raw.organizationId, serviceId: raw.serviceId, indicatorId: raw.indicatorId },
		value: parsePercent(raw.value),
		reason: raw.reason,
		seenVersion: VERSION.test(raw.version) ? Number(raw.version) : -1
	}));
	return inSet(db, actor, input.setId, (trx, ctx) => writeChanges(trx, ctx, changes, actor.userId));
}

export type BulkTargetOperation =
	| { kind: 'apply_value'; value: string | number; reason?: string | null; filter?: CellFilter; onlyBlank?: boolean }
	| { kind: 'copy_previous'; filter?: CellFilter; onlyBlank?: boolean }
	| { kind: 'accept_suggestions'; filter?: CellFilter; onlyBlank?: boolean };

/**
 * A bulk action over the set's editable cells (optionally filtered by
 * indicator, service, organization kind or organization), applied to what is
 * stored now and judged like typed values: all or nothing.
 */
export async function bulkTargets(db: Kysely<Database>, actor: Actor & { userId: number }, input: { setId: number; op: BulkTargetOperation }): Promise<SaveTargetsOutcome> {
	const { op } = input;
	let applied: number | null = null;
	if (op.kind === 'apply_value') {
		const parsed = parsePercent(op.value);
		if (!parsed.ok) return { kind: 'invalid', problems: [{ cell: null, field: 'value', problem: parsed.problem }] };
		if (parsed.value === null) return { kind: 'invalid', problems: [{ cell: null, field: 'value', problem: 'value_required' }] };
		applied = parsed.value;
	}
	return inSet(db, actor, input.setId, async (trx, ctx) => {
		const editor = await buildEditor(trx, ctx);
		const kinds = new Map(editor.organizations.map((o) => [o.id, o.kind]));
		const cells: BulkCell[] = editor.cells.map((c) => ({
			organizationId: c.organizationId, organizationKind: kinds.get(c.organizationId)!, serviceId: c.serviceId, indicatorId: c.indicatorId,
			editable: c.editable, suggestion: c.suggestion, previousTarget: c.currentTarget?.value ?? null,
			proposed: c.proposed && { value: c.proposed.value, reason: c.proposed.reason }
		}));
		const opts = { filter: op.filter, onlyBlank: op.onlyBlank };
		const picked = op.kind === 'apply_value' ? applyValue(cells, applied!, op.reason?.trim() || null, opts)
			: op.kind === 'copy_previous' ? copyPreviousTargets(cells, opts)
			: acceptSuggestions(cells, opts);
		const changes: Change[] = picked.map((c) => ({
			cell: { organizationId: c.organizationId, serviceId: c.serviceId, indicatorId: c.indicatorId },
			value: { ok: true, value: c.value }, reason: c.reason, seenVersion: null
		}));
		return writeChanges(trx, ctx, changes, actor.userId);
	});
}
