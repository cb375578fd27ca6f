import { percentOf } from './compliance';
import type { ReportingStatus, ReportingStep } from './reporting-year';

/*
 * A value's history, read from audit rows (the whole row as JSON before and
 * after each change): what the value was and what it became, in the terms
 * the entry grid uses. Pure: the rows come from queries/figure-history.ts.
 */

export type HistoryEntity = 'measurement' | 'service_volume' | 'reporting_year' | 'complaint';
export const HISTORY_ENTITIES: readonly HistoryEntity[] = ['measurement', 'service_volume', 'reporting_year', 'complaint'];

export interface FigureState { numerator: number; denominator: number; percent: number | null; comment: string | null }
export interface VolumeState { count: number; comment: string | null }
export interface YearStepState { status: ReportingStatus; step: ReportingStep; reason: string | null }
export interface ComplaintState {
	receivedOn: string;
	dueOn: string;
	justified: boolean | null;
	answeredOn: string | null;
	satisfied: boolean | null;
}

export type HistoryChange =
	| { kind: 'figure'; before: FigureState | null; after: FigureState | null }
	| { kind: 'volume'; before: VolumeState | null; after: VolumeState | null }
	| { kind: 'year'; before: YearStepState | null; after: YearStepState | null }
	| { kind: 'complaint'; before: ComplaintState | null; after: ComplaintState | null };

type Json = Record<string, unknown>;

function record(value: unknown): Json | null {
	if (typeof value === 'string') {
		try {
			return record(JSON.parse(value));
		} catch {
			return null;
		}
	}
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

function figure(r: Json | null): FigureState | null {
	const numerator = int(r?.numerator);
	const denominator = int(r?.denominator);
	if (numerator === null || denominator === null || numerator < 0 || numerator > denominator) return null;
	return { numerator, denominator, percent: percentOf({ numerator, denominator }), comment: text(r!.comment) };
}

function volume(r: Json | null): VolumeState | null {
	const count = int(r?.count);
	return count === null ? null : { count, comment: text(r!.comment) };
}

const STATUSES: readonly string[] = ['open', 'submitted', 'approved'];
const STEPS: readonly string[] = ['submit', 'return', 'approve', 'reopen'];

function yearStep(r: Json | null): YearStepState | null {
	const status = text(r?.status);
	const step = text(r?.last_step);
	if (!status || !step || !STATUSES.includes(status) || !STEPS.includes(step)) return null;
	return { status: status as ReportingStatus, step: step as ReportingStep, reason: text(r!.reason) };
}

function complaint(r: Json | null): ComplaintState | null {
	const receivedOn = text(r?.received_on);
	const dueOn = text(r?.due_on);
	if (!receivedOn || !dueOn) return null;
	return { receivedOn, dueOn, justified: bool(r!.justified), answeredOn: text(r!.answered_on), satisfied: bool(r!.satisfied) };
}

/** What one audited change did to a value; null for an entity that is not a figure. */
export function readHistoryChange(entity: string, before: unknown, after: unknown): HistoryChange | null {
	const b = record(before);
	const a = record(after);
	switch (entity) {
		case 'measurement':
			return { kind: 'figure', before: figure(b), after: figure(a) };
		case 'service_volume':
			return { kind: 'volume', before: volume(b), after: volume(a) };
		case 'reporting_year':
			return { kind: 'year', before: yearStep(b), after: yearStep(a) };
		case 'complaint':
			return { kind: 'complaint', before: complaint(b), after: complaint(a) };
		default:
			return null;
	}
}

/** Where a stored value came from: typed in the grid, a spreadsheet import, the demo data. */
export type HistorySource = 'form' | 'import' | 'demo';

export function historySource(before: unknown, after: unknown): HistorySource | null {
	const s = text(record(after)?.source) ?? text(record(before)?.source);
	return s === 'form' || s === 'import' || s === 'demo' ? s : null;
}

/**
 * Who wrote, from the label the writer set (see services/actor.ts): a signed-in
 * person ('user:12'), a spreadsheet import ('import:12', batch 12), the demo
 * seed, or some other process named as it is ('system', 'bootstrap', a migration).
 */
export type ActorLabel =
	| { kind: 'user'; userId: number }
	| { kind: 'import'; batchId: number }
	| { kind: 'demo' }
	| { kind: 'other'; label: string };

export function readActorLabel(label: string): ActorLabel {
	const user = /^user:(\d+)$/.exec(label);
	if (user) return { kind: 'user', userId: Number(user[1]) };
	const batch = /^import:(\d+)$/.exec(label);
	if (batch) return { kind: 'import', batchId: Number(batch[1]) };
	if (label === 'demo-seed') return { kind: 'demo' };
	return { kind: 'other', label };
}
