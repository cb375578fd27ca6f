/*
 * The working group's targets (point 20 of every standard), pure: what a
 * target may be, what to suggest, how a year compares with the one before,
 * the bulk operations of the editor, and the set's lifecycle
 * draft → approved (locked) → reopened (draft again, with a reason).
 * No database, no clock: callers pass what they know and `asOf`.
 */

import { meets, type Polarity } from './compliance';

/** Suggestions are rounded to this many decimals (a tenth of a percentage point). */
export const SUGGESTION_DECIMALS = 1;
/** A target may carry at most this many decimals (the column is numeric(7, 3)). */
export const TARGET_DECIMALS = 3;
export const REASON_MAX = 2000;
export const MEMBERS_MAX = 4000;
export const PROTOCOL_NUMBER_MAX = 100;
/** A change of less than this many percentage points over the trend window reads as steady. */
export const TREND_STEADY_POINTS = 0.1;
/** How many reported years the trend looks at. */
export const TREND_YEARS = 3;

const EPS = 1e-9;

// ---------- reading and judging one target ----------

export type PercentProblem = 'not_number' | 'out_of_range' | 'too_precise';
export type ParsedPercent = { ok: true; value: number | null } | { ok: false; problem: PercentProblem };

/**
 * A percentage as typed or held by a spreadsheet: "99", "99,5", "99.5",
 * "99,5 %". Blank is null. Outside 0–100 is refused, as is more than three
 * decimals. A comma is always a decimal comma: no percentage needs thousands.
 */
export function parsePercent(text: string | number | null | undefined): ParsedPercent {
	if (text === null || text === undefined) return { ok: true, value: null };
	let value: number;
	if (typeof text === 'number') {
		if (!Number.isFinite(text)) return { ok: false, problem: 'not_number' };
		value = text;
	} else {
		const s = text.normalize('NFKC').replace(/[\s\u00a0\u202f\u2009]/g, '').replace(/%$/, '').replace('\u2212', '-');
		if (s === '') return { ok: true, value: null };
		const m = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(s);
		if (!m) return { ok: false, problem: 'not_number' };
		if ((m[3]?.replace(/0+$/, '').length ?? 0) > TARGET_DECIMALS) return { ok: false, problem: 'too_precise' };
		value = Number(`${m[1]}${m[2]}.${m[3] ?? '0'}`);
	}
	if (value < 0 || value > 100) return { ok: false, problem: 'out_of_range' };
	if (Math.abs(round(value, TARGET_DECIMALS) - value) > EPS) return { ok: false, problem: 'too_precise' };
	return { ok: true, value: round(value, TARGET_DECIMALS) };
}

function round(x: number, decimals: number): number {
	const f = 10 ** decimals;
	const r = Math.round(x * f) / f;
	return r === 0 ? 0 : r;
}

/** Worse than the normative in the indicator's direction (a 4.1 target above its normative is worse). */
export function isWorseThanNormative(value: number, normative: number | null, polarity: Polarity): boolean {
	return normative !== null && !meets(value, normative, polarity);
}

export type TargetProblem = PercentProblem | 'reason_required' | 'reason_too_long';

export interface JudgedTarget {
	/** null: no target (blank). */
	value: number | null;
	/** Kept only for a target worse than the normative; otherwise null. */
	reason: string | null;
	problems: Array<{ field: 'value' | 'reason'; problem: TargetProblem }>;
	/** Worse than the normative (then a reason is required): shown flagged. */
	worseThanNormative: boolean;
}

/**
 * The guard on one target: 0–100, and a target worse than the normative
 * needs an explicit reason (the standard fixes the normative; a group may
 * only go below it knowingly). Polarity-aware.
 */
export function judgeTarget(input: { value: ParsedPercent | number | null; reason?: string | null }, ctx: { normative: number | null; polarity: Polarity }): JudgedTarget {
	const parsed = typeof input.value === 'number' || input.value === null ? parsePercent(input.value) : input.value;
	const reasonText = input.reason?.trim() || null;
	const problems: JudgedTarget['problems'] = [];
	if (!parsed.ok) return { value: null, reason: reasonText, problems: [{ field: 'value', problem: parsed.problem }], worseThanNormative: false };
	const value = parsed.value;
	if (value === null) return { value: null, reason: null, problems, worseThanNormative: false };
	const worse = isWorseThanNormative(value, ctx.normative, ctx.polarity);
	if (worse && reasonText === null) problems.push({ field: 'reason', problem: 'reason_required' });
	if (worse && reasonText !== null && reasonText.length > REASON_MAX) problems.push({ field: 'reason', problem: 'reason_too_long' });
	return { value: problems.length ? null : value, reason: worse ? reasonText : null, problems, worseThanNormative: worse };
}

// ---------- suggestions ----------

/**
 * The target to suggest: last reported value, never worse than the normative.
 * Higher is better: max(normative, last rounded down to a tenth); lower is
 * better: min(normative, last rounded up to a tenth). Rounding towards the
 * easier side keeps last year's own value meeting its suggestion. Without a
 * last value, the normative; without either, nothing.
 */
export function suggestTarget(last: number | null, normative: number | null, polarity: Polarity): number | null {
	const f = 10 ** SUGGESTION_DECIMALS;
	const fromLast = last === null ? null
		: polarity === 'higher_is_better' ? Math.floor(last * f + EPS) / f : Math.ceil(last * f - EPS) / f;
	const clamp = (x: number) => Math.min(100, Math.max(0, x));
	if (fromLast === null) return normative;
	if (normative === null) return clamp(fromLast);
	return clamp(polarity === 'higher_is_better' ? Math.max(normative, fromLast) : Math.min(normative, fromLast));
}

/** Would last year's value already meet this target? null when either is unknown. */
export function lastMeets(last: number | null, target: number | null, polarity: Polarity): boolean | null {
	if (last === null || target === null) return null;
	return meets(last, target, polarity);
}

// ---------- trend ----------

export type TrendDirection = 'up' | 'down' | 'flat';
export type TrendMeaning = 'improving' | 'worsening' | 'steady';
export interface Trend { direction: TrendDirection; meaning: TrendMeaning; fromYear: number; toYear: number; change: number }

/**
 * Direction over the last TREND_YEARS reported years (first against last of
 * that window), read in the indicator's direction. null with fewer than two years.
 */
export function trendOf(points: ReadonlyArray<{ year: number; value: number }>, polarity: Polarity): Trend | null {
	const window = [...points].sort((a, b) => a.year - b.year).slice(-TREND_YEARS);
	if (window.length < 2) return null;
	const first = window[0]!, last = window[window.length - 1]!;
	const change = round(last.value - first.value, 6);
	const direction: TrendDirection = Math.abs(change) < TREND_STEADY_POINTS ? 'flat' : change > 0 ? 'up' : 'down';
	const better = polarity === 'higher_is_better' ? 'up' : 'down';
	const meaning: TrendMeaning = direction === 'flat' ? 'steady' : direction === better ? 'improving' : 'worsening';
	return { direction, meaning, fromYear: first.year, toYear: last.year, change };
}

// ---------- comparison with the previous year ----------

export type TargetChange = 'raised' | 'kept' | 'lowered';
export type TargetEffect = 'tightened' | 'kept' | 'loosened';

/** Raised / kept / lowered as numbers; tightened / loosened in the indicator's direction. */
export function compareTarget(previous: number, current: number, polarity: Polarity): { change: TargetChange; effect: TargetEffect } {
	const d = current - previous;
	const change: TargetChange = Math.abs(d) <= EPS ? 'kept' : d > 0 ? 'raised' : 'lowered';
	const effect: TargetEffect = change === 'kept' ? 'kept'
		: (change === 'raised') === (polarity === 'higher_is_better') ? 'tightened' : 'loosened';
	return { change, effect };
}

export interface ComparisonRow { indicatorId: number; polarity: Polarity; previous: number | null; current: number | null; currentStatus: 'draft' | 'approved' | null }
export interface IndicatorComparison {
	indicatorId: number;
	raised: number; kept: number; lowered: number;
	tightened: number; loosened: number;
	/** A target this year where there was none the year before. */
	added: number;
	/** A target the year before and none this year. */
	dropped: number;
	/** This year's targets still in draft (counted above as well). */
	draft: number;
}

/** Per indicator, in the order indicators first appear. */
export function compareYears(rows: readonly ComparisonRow[]): IndicatorComparison[] {
	const out = new Map<number, IndicatorComparison>();
	for (const r of rows) {
		const c = out.get(r.indicatorId) ?? { indicatorId: r.indicatorId, raised: 0, kept: 0, lowered: 0, tightened: 0, loosened: 0, added: 0, dropped: 0, draft: 0 };
		out.set(r.indicatorId, c);
		if (r.current !== null && r.currentStatus === 'draft') c.draft++;
		if (r.current === null && r.previous === null) continue;
		if (r.current === null) { c.dropped++; continue; }
		if (r.previous === null) { c.added++; continue; }
		const { change, effect } = compareTarget(r.previous, r.current, r.polarity);
		c[change]++;
		if (effect !== 'kept') c[effect]++;
	}
	return [...out.values()];
}

// ---------- the editor's bulk operations ----------

export interface BulkCell {
	organizationId: number;
	organizationKind: string;
	serviceId: number;
	indicatorId: number;
	/** False when the cell cannot be written in this set (held by another set, or the set is approved). */
	editable: boolean;
	suggestion: number | null;
	/** Last year's approved target of the same cell. */
	previousTarget: number | null;
	proposed: { value: number; reason: string | null } | null;
}

export interface CellFilter { indicatorId?: number; serviceId?: number; organizationKind?: string; organizationId?: number }
export interface BulkOptions { filter?: CellFilter; /** Leave cells that already have a proposed target. */ onlyBlank?: boolean }
export interface CellChange { organizationId: number; serviceId: number; indicatorId: number; value: number | null; reason: string | null }

export const cellKey = (c: { organizationId: number; serviceId: number; indicatorId: number }) => `${c.organizationId}:${c.serviceId}:${c.indicatorId}`;

function matches(c: BulkCell, f: CellFilter = {}): boolean {
	return (f.indicatorId === undefined || c.indicatorId === f.indicatorId)
		&& (f.serviceId === undefined || c.serviceId === f.serviceId)
		&& (f.organizationKind === undefined || c.organizationKind === f.organizationKind)
		&& (f.organizationId === undefined || c.organizationId === f.organizationId);
}

function bulk(cells: readonly BulkCell[], opts: BulkOptions, pick: (c: BulkCell) => { value: number; reason: string | null } | undefined): CellChange[] {
	const out: CellChange[] = [];
	for (const c of cells) {
		if (!c.editable || !matches(c, opts.filter) || (opts.onlyBlank && c.proposed)) continue;
		const next = pick(c);
		if (!next) continue;
		if (c.proposed && Math.abs(c.proposed.value - next.value) <= EPS && c.proposed.reason === next.reason) continue;
		out.push({ organizationId: c.organizationId, serviceId: c.serviceId, indicatorId: c.indicatorId, value: next.value, reason: next.reason });
	}
	return out;
}

/**
 * One value for every matching cell: a whole indicator (filter.indicatorId),
 * every organization of a kind (filter.organizationKind), or both. The reason
 * given applies to every cell; without one, a cell keeps the reason it had.
 */
export function applyValue(cells: readonly BulkCell[], value: number, reason: string | null = null, opts: BulkOptions = {}): CellChange[] {
	return bulk(cells, opts, (c) => ({ value, reason: reason ?? c.proposed?.reason ?? null }));
}

/** Last year's approved target for every matching cell that had one. */
export function copyPreviousTargets(cells: readonly BulkCell[], opts: BulkOptions = {}): CellChange[] {
	return bulk(cells, opts, (c) => (c.previousTarget === null ? undefined : { value: c.previousTarget, reason: c.proposed?.reason ?? null }));
}

/** The suggestion for every matching cell that has one (never worse than the normative, so no reason is needed). */
export function acceptSuggestions(cells: readonly BulkCell[], opts: BulkOptions = {}): CellChange[] {
	return bulk(cells, opts, (c) => (c.suggestion === null ? undefined : { value: c.suggestion, reason: null }));
}

// ---------- the set's lifecycle ----------

export type SetStatus = 'draft' | 'approved';
export type SetStep = 'approve' | 'reopen';
export type SetStepProblem =
	| 'step_not_allowed'
	| 'protocol_number_required' | 'protocol_number_too_long'
	| 'protocol_date_required' | 'protocol_date_invalid' | 'protocol_date_future'
	| 'members_required' | 'members_too_long'
	| 'reason_required' | 'reason_too_long';

export interface ApprovalInput { protocolNumber: string | null; protocolDate: string | null; members: string | null }

export type SetStepResult =
	| { ok: true; status: SetStatus }
	| { ok: false; problems: Array<{ field: 'protocolNumber' | 'protocolDate' | 'members' | 'reason' | null; problem: SetStepProblem }> };

function isIsoDate(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * draft → approved needs the protocol of the group's meeting (number, a real
 * date not after `asOfDate`, the members); approved → draft (reopening) needs
 * a reason. Nothing else moves.
 */
export function takeSetStep(
	current: SetStatus,
	step: SetStep,
	input: { approval?: ApprovalInput; reason?: string | null },
	asOfDate: string
): SetStepResult {
	if ((step === 'approve' && current !== 'draft') || (step === 'reopen' && current !== 'approved')) {
		return { ok: false, problems: [{ field: null, problem: 'step_not_allowed' }] };
	}
	const problems: Extract<SetStepResult, { ok: false }>['problems'] = [];
	if (step === 'reopen') {
		const reason = input.reason?.trim() ?? '';
		if (reason === '') problems.push({ field: 'reason', problem: 'reason_required' });
		else if (reason.length > REASON_MAX) problems.push({ field: 'reason', problem: 'reason_too_long' });
		return problems.length ? { ok: false, problems } : { ok: true, status: 'draft' };
	}
	const a = input.approval ?? { protocolNumber: null, protocolDate: null, members: null };
	const number = a.protocolNumber?.trim() ?? '';
	const date = a.protocolDate?.trim() ?? '';
	const members = a.members?.trim() ?? '';
	if (number === '') problems.push({ field: 'protocolNumber', problem: 'protocol_number_required' });
	else if (number.length > PROTOCOL_NUMBER_MAX) problems.push({ field: 'protocolNumber', problem: 'protocol_number_too_long' });
	if (date === '') problems.push({ field: 'protocolDate', problem: 'protocol_date_required' });
	else if (!isIsoDate(date)) problems.push({ field: 'protocolDate', problem: 'protocol_date_invalid' });
	else if (date > asOfDate) problems.push({ field: 'protocolDate', problem: 'protocol_date_future' });
	if (members === '') problems.push({ field: 'members', problem: 'members_required' });
	else if (members.length > MEMBERS_MAX) problems.push({ field: 'members', problem: 'members_too_long' });
	return problems.length ? { ok: false, problems } : { ok: true, status: 'approved' };
}

/** Steps that can follow a status (the caller still checks 'targets.approve'). */
export function setStepsFrom(current: SetStatus): SetStep[] {
	return current === 'draft' ? ['approve'] : ['reopen'];
}
