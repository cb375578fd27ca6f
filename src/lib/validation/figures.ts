import * as v from 'valibot';
import {
	COMMENT_MAX, judgeFigure, judgeVolume, parseCount,
	type FigureContext, type FigureProblem, type FigureWarning, type JudgedFigure
} from '../domain/figures';
import type { VolumeChannel } from '../server/db/schema';
import * as m from '../paraglide/messages';

/*
 * The one schema a figure passes through, whether typed into the entry grid
 * or read from a spreadsheet row: text (or a spreadsheet number) in, parsed
 * counts and a trimmed comment out; then the domain judges the pair in its
 * context (provided that year, year open, last year's value).
 */

export const VOLUME_CHANNELS: readonly VolumeChannel[] = ['provider', 'state_corporation', 'egov'];

const Count = v.pipe(v.optional(v.nullable(v.union([v.string(), v.number()]))), v.transform((x) => parseCount(x ?? null)));
const Comment = v.pipe(
	v.optional(v.nullable(v.string()), null),
	v.transform((s) => (s ?? '').trim()),
	v.transform((s) => (s === '' ? null : s))
);
/** The version the person saw (0: there was no value); absent in imports. */
const Version = v.pipe(v.optional(v.string(), ''), v.transform((s) => (/^\d{1,9}$/.test(s) ? Number(s) : null)));

export const FigureInput = v.object({ numerator: Count, denominator: Count, comment: Comment, version: Version });
export const VolumeInput = v.object({ count: Count, comment: Comment, version: Version });
export type FigureInputOutput = v.InferOutput<typeof FigureInput>;
export type VolumeInputOutput = v.InferOutput<typeof VolumeInput>;

/** Reads and judges one indicator value. */
export function readFigure(raw: unknown, ctx: FigureContext): JudgedFigure & { comment: string | null; version: number | null } {
	const input = v.parse(FigureInput, raw);
	const blank = parseCount(null);
	return { ...judgeFigure({ numerator: input.numerator ?? blank, denominator: input.denominator ?? blank, comment: input.comment }, ctx), comment: input.comment, version: input.version };
}

/** Reads and judges one served volume. */
export function readVolume(raw: unknown, ctx: Omit<FigureContext, 'computed' | 'lastYear' | 'jumpPoints'>) {
	const input = v.parse(VolumeInput, raw);
	return { ...judgeVolume({ count: input.count ?? parseCount(null), comment: input.comment }, ctx), comment: input.comment, version: input.version };
}

// ---------- the entry grid's field names ----------

/** Field names of the grid: m.<service>.<indicator>.<n|d|c|v> and vol.<service>.<channel>.<n|c|v>. */
export const fieldName = {
	figure: (serviceId: number, indicatorId: number, part: 'n' | 'd' | 'c' | 'v') => `m.${serviceId}.${indicatorId}.${part}`,
	volume: (serviceId: number, channel: VolumeChannel, part: 'n' | 'c' | 'v') => `vol.${serviceId}.${channel}.${part}`
};

export interface GridFigureRaw { serviceId: number; indicatorId: number; numerator: string; denominator: string; comment: string; version: string }
export interface GridVolumeRaw { serviceId: number; channel: VolumeChannel; count: string; comment: string; version: string }

/** Groups the posted grid fields by cell; unknown field names are ignored. At most `limit` cells. */
export function readGridForm(form: FormData, limit = 5000): { figures: GridFigureRaw[]; volumes: GridVolumeRaw[] } | null {
	const figures = new Map<string, GridFigureRaw>();
	const volumes = new Map<string, GridVolumeRaw>();
	for (const [name, value] of form) {
		if (typeof value !== 'string') continue;
		let match = /^m\.(\d{1,9})\.(\d{1,9})\.([ndcv])$/.exec(name);
		if (match) {
			const key = `${match[1]}.${match[2]}`;
			const cell = figures.get(key) ?? { serviceId: Number(match[1]), indicatorId: Number(match[2]), numerator: '', denominator: '', comment: '', version: '' };
			const part = match[3] as 'n' | 'd' | 'c' | 'v';
			cell[({ n: 'numerator', d: 'denominator', c: 'comment', v: 'version' } as const)[part]] = value;
			figures.set(key, cell);
			continue;
		}
		match = /^vol\.(\d{1,9})\.(provider|state_corporation|egov)\.([ncv])$/.exec(name);
		if (match) {
			const key = `${match[1]}.${match[2]}`;
			const cell = volumes.get(key) ?? { serviceId: Number(match[1]), channel: match[2] as VolumeChannel, count: '', comment: '', version: '' };
			cell[({ n: 'count', c: 'comment', v: 'version' } as const)[match[3] as 'n' | 'c' | 'v']] = value;
			volumes.set(key, cell);
		}
	}
	if (figures.size + volumes.size > limit) return null;
	return { figures: [...figures.values()], volumes: [...volumes.values()] };
}

// ---------- messages ----------

export function figureProblemMessage(problem: FigureProblem): string {
	switch (problem) {
		case 'not_integer': return m.figures_problem_not_integer();
		case 'negative': return m.figures_problem_negative();
		case 'too_large': return m.figures_problem_too_large();
		case 'numerator_above_denominator': return m.figures_problem_numerator_above_denominator();
		case 'half_filled': return m.figures_problem_half_filled();
		case 'comment_too_long': return m.figures_problem_comment_too_long({ max: COMMENT_MAX });
		case 'not_provided': return m.figures_problem_not_provided();
		case 'computed_indicator': return m.figures_problem_computed_indicator();
		case 'year_locked': return m.figures_problem_year_locked();
		case 'year_future': return m.figures_problem_year_future();
	}
}

export function figureWarningMessage(warning: FigureWarning, jumpPoints: number): string {
	switch (warning) {
		case 'jump': return m.figures_warning_jump({ points: jumpPoints });
		case 'small_sample': return m.figures_warning_small_sample();
	}
}
