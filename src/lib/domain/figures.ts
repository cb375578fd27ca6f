/*
 * What a year's figures may be, judged the same way for the entry form and
 * the spreadsheet import. Pure: the caller passes what the database knows
 * (which services the organization provides that year, whether the year is
 * open, last year's value) and the reporting calendar's "now" as `asOfYear`.
 */

import { percentOf, type Counts } from './compliance';
import { isSmallSample } from './sample';

/** The largest count Sapa accepts in one cell: far above any organization's yearly cases, far below int4. */
export const MAX_COUNT = 100_000_000;
export const COMMENT_MAX = 2000;
/** Default for the "jump against last year" warning, in percentage points (SAPA_JUMP_WARNING_POINTS). */
export const DEFAULT_JUMP_POINTS = 20;

export type CountProblem = 'not_integer' | 'negative' | 'too_large';
export type FigureProblem =
	| CountProblem
	| 'numerator_above_denominator'
	| 'half_filled'
	| 'comment_too_long'
	| 'not_provided'
	| 'computed_indicator'
	| 'year_locked'
	| 'year_future';
export type FigureWarning = 'jump' | 'small_sample';

export type ParsedCount = { ok: true; value: number | null } | { ok: false; problem: CountProblem };

/**
 * A count as people type it or spreadsheets hold it: "1234", "1 234" (space or
 * no-break space between thousands), "1234,0" or "1234.00" (a decimal comma or
 * point with only zeros after it). Blank is null. "12,5" is not a count.
 */
export function parseCount(text: string | number | null | undefined): ParsedCount {
	if (text === null || text === undefined) return { ok: true, value: null };
	if (typeof text === 'number') {
		if (!Number.isFinite(text) || !Number.isInteger(text)) return { ok: false, problem: 'not_integer' };
		return text < 0 ? { ok: false, problem: 'negative' } : text > MAX_COUNT ? { ok: false, problem: 'too_large' } : { ok: true, value: text };
	}
	const s = text.normalize('NFKC').replace(/[\s\u00a0\u202f\u2009']/g, '');
	if (s === '') return { ok: true, value: null };
	// A fraction of one or two zeros only: "1,000" or "1.000" could mean a thousand and is refused, never guessed.
	const m = /^([+\-\u2212]?)(\d+)(?:[.,](0{1,2}))?$/.exec(s);
	if (!m) return { ok: false, problem: /^[-\u2212]\d/.test(s) ? 'negative' : 'not_integer' };
	const value = Number(m[2]);
	if (m[1] === '-' || m[1] === '\u2212') return value === 0 ? { ok: true, value: 0 } : { ok: false, problem: 'negative' };
	if (!Number.isSafeInteger(value) || value > MAX_COUNT) return { ok: false, problem: 'too_large' };
	return { ok: true, value };
}

/** Where one value stands before it is written. */
export interface FigureContext {
	/** The organization provides the service in that year. */
	provided: boolean;
	/** The indicator is computed from the complaints register, never typed. */
	computed: boolean;
	/** The reporting year is open for this organization (not submitted, not approved). */
	yearOpen: boolean;
	year: number;
	asOfYear: number;
	/** Last year's counts for the same organization, service and indicator. */
	lastYear: Counts | null;
	/** Warn when the value moves more than this many percentage points against last year. */
	jumpPoints: number;
}

export interface JudgedFigure {
	/** null: both blank (no figure). */
	counts: Counts | null;
	problems: Array<{ field: 'numerator' | 'denominator' | 'comment' | null; problem: FigureProblem }>;
	warnings: FigureWarning[];
}

/** Problems that hold for the whole cell whatever was typed: where it may not be written at all. */
export function placeProblems(ctx: Pick<FigureContext, 'provided' | 'computed' | 'yearOpen' | 'year' | 'asOfYear'>): FigureProblem[] {
	const out: FigureProblem[] = [];
	if (ctx.year > ctx.asOfYear) out.push('year_future');
	else if (!ctx.yearOpen) out.push('year_locked');
	if (!ctx.provided) out.push('not_provided');
	if (ctx.computed) out.push('computed_indicator');
	return out;
}

/** Judges one numerator/denominator pair (already parsed) in its context. */
export function judgeFigure(
	input: { numerator: ParsedCount; denominator: ParsedCount; comment?: string | null },
	ctx: FigureContext
): JudgedFigure {
	const problems: JudgedFigure['problems'] = [];
	const n = input.numerator, d = input.denominator;
	if (!n.ok) problems.push({ field: 'numerator', problem: n.problem });
	if (!d.ok) problems.push({ field: 'denominator', problem: d.problem });
	if ((input.comment?.length ?? 0) > COMMENT_MAX) problems.push({ field: 'comment', problem: 'comment_too_long' });
	let counts: Counts | null = null;
	if (n.ok && d.ok) {
		if ((n.value === null) !== (d.value === null)) {
			problems.push({ field: n.value === null ? 'numerator' : 'denominator', problem: 'half_filled' });
		} else if (n.value !== null && d.value !== null) {
			if (n.value > d.value) problems.push({ field: 'numerator', problem: 'numerator_above_denominator' });
			else counts = { numerator: n.value, denominator: d.value };
		}
	}
	const hasInput = counts !== null || (n.ok && n.value !== null) || (d.ok && d.value !== null);
	if (hasInput) for (const p of placeProblems(ctx)) problems.push({ field: null, problem: p });
	return { counts: problems.length ? null : counts, problems, warnings: counts && problems.length === 0 ? figureWarnings(counts, ctx) : [] };
}

/** Warnings never block a save: they ask the person to look twice. */
export function figureWarnings(counts: Counts, ctx: Pick<FigureContext, 'lastYear' | 'jumpPoints'>): FigureWarning[] {
	const out: FigureWarning[] = [];
	const now = percentOf(counts);
	const before = ctx.lastYear ? percentOf(ctx.lastYear) : null;
	if (now !== null && before !== null && Math.abs(now - before) > ctx.jumpPoints) out.push('jump');
	if (isSmallSample(counts.denominator)) out.push('small_sample');
	return out;
}

/** Judges a served volume (one channel) in its context. */
export function judgeVolume(
	input: { count: ParsedCount; comment?: string | null },
	ctx: Pick<FigureContext, 'provided' | 'yearOpen' | 'year' | 'asOfYear'>
): { count: number | null; problems: Array<{ field: 'count' | 'comment' | null; problem: FigureProblem }> } {
	const problems: Array<{ field: 'count' | 'comment' | null; problem: FigureProblem }> = [];
	if (!input.count.ok) problems.push({ field: 'count', problem: input.count.problem });
	if ((input.comment?.length ?? 0) > COMMENT_MAX) problems.push({ field: 'comment', problem: 'comment_too_long' });
	const value = input.count.ok ? input.count.value : null;
	if (value !== null || !input.count.ok) for (const p of placeProblems({ ...ctx, computed: false })) problems.push({ field: null, problem: p });
	return { count: problems.length ? null : value, problems };
}

/** The percentage shown beside a pair as it is typed; null while it is not a valid pair. */
export function previewPercent(numerator: string, denominator: string): number | null {
	const n = parseCount(numerator), d = parseCount(denominator);
	if (!n.ok || !d.ok || n.value === null || d.value === null || n.value > d.value) return null;
	return percentOf({ numerator: n.value, denominator: d.value });
}
