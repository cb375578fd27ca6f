import type { Kysely, Transaction } from 'kysely';
import { complaintIndicatorCounts } from '../../domain/complaints';
import { assess, percentOf, type Assessment, type Counts } from '../../domain/compliance';
import { placeProblems, type FigureProblem, type FigureWarning } from '../../domain/figures';
import { takeStep, type StepProblem } from '../../domain/reporting-year';
import { isSmallSample } from '../../domain/sample';
import { readFigure, readVolume, VOLUME_CHANNELS, type GridFigureRaw, type GridVolumeRaw } from '../../validation/figures';
import { violatedConstraint } from '../db/errors';
import type { Database, ReportingStep, VolumeChannel } from '../db/schema';
import {
	deleteFigure, deleteVolume, findReportingYear, insertFigure, listComplaintTallies, listFigures, listGridIndicators,
	listLastYearCounts, listNormativesForYear, listTargets, listVolumes, updateFigure, upsertVolume, writeReportingYear,
	type GridIndicator, type ReportingYearView, type StoredFigure, type StoredVolume, type TargetView
} from '../queries/figures';
import { listServicesProvided, type ServiceSummary } from '../queries/services';
import { withActor, type Actor } from './actor';

/*
 * The entry grid of one organization's reporting year: what it shows (each
 * provided service × indicator with the stored counts, normative, target,
 * last year and the engine's verdict) and how a save is judged and written:
 * all cells or none, each change only from the version the person saw.
 */

export interface GridCell {
	indicatorId: number;
	stored: Pick<StoredFigure, 'numerator' | 'denominator' | 'comment' | 'version' | 'source' | 'updatedAt' | 'updatedByName'> | null;
	/** For an indicator computed from the complaints register: what the register gives. */
	computedCounts: Counts | null;
	value: number | null;
	normative: number | null;
	target: TargetView | null;
	lastYear: Counts | null;
	lastYearValue: number | null;
	smallSample: boolean;
	assessment: Assessment;
}

export interface GridService {
	service: ServiceSummary;
	cells: GridCell[];
	volumes: Record<VolumeChannel, Pick<StoredVolume, 'count' | 'comment' | 'version' | 'source' | 'updatedAt' | 'updatedByName'> | null>;
	served: number | null;
}

export interface Grid {
	year: number;
	indicators: GridIndicator[];
	services: GridService[];
	reportingYear: ReportingYearView | null;
	/** Open for figures: not submitted, not approved, not a future year. */
	open: boolean;
	filled: number;
	expected: number;
}

const key = (serviceId: number, indicatorId: number) => `${serviceId}:${indicatorId}`;

export async function loadGrid(db: Kysely<Database>, organizationId: number, year: number, asOfYear: number): Promise<Grid> {
	const [services, indicators, figures, volumes, targets, lastYear, tallies, reportingYear] = await Promise.all([
		listServicesProvided(db, organizationId, year),
		listGridIndicators(db),
		listFigures(db, organizationId, year),
		listVolumes(db, organizationId, year),
		listTargets(db, organizationId, year),
		listLastYearCounts(db, organizationId, year),
		listComplaintTallies(db, organizationId, year),
		findReportingYear(db, organizationId, year)
	]);
	const normatives = await listNormativesForYear(db, services.map((s) => s.id), year);
	const stored = new Map(figures.map((f) => [key(f.serviceId, f.indicatorId), f]));
	let filled = 0, expected = 0;
	const grid = services.map((service): GridService => {
		const cells = indicators.map((ind): GridCell => {
			const f = stored.get(key(service.id, ind.id)) ?? null;
			const tally = tallies.get(service.id) ?? { served: null, justified: 0, justifiedSatisfiedInTerm: 0 };
			const computedCounts = ind.computed ? complaintIndicatorCounts(ind.code, tally) : null;
			const counts = ind.computed ? computedCounts : f ? { numerator: f.numerator, denominator: f.denominator } : null;
			const value = counts ? percentOf(counts) : null;
			const target = targets.get(key(service.id, ind.id)) ?? null;
			const normative = normatives.get(service.id)?.get(ind.id) ?? null;
			const last = lastYear.get(key(service.id, ind.id)) ?? null;
			if (!ind.computed) {
				expected++;
				if (f) filled++;
			}
			return {
				indicatorId: ind.id,
				stored: f && { numerator: f.numerator, denominator: f.denominator, comment: f.comment, version: f.version, source: f.source, updatedAt: f.updatedAt, updatedByName: f.updatedByName },
				computedCounts,
				value,
				normative,
				target,
				lastYear: last,
				lastYearValue: last ? percentOf(last) : null,
				smallSample: isSmallSample(counts?.denominator),
				assessment: assess({ value, normative, target: target?.status === 'approved' ? target.value : null, polarity: ind.polarity })
			};
		});
		const mine = volumes.filter((v) => v.serviceId === service.id);
		const byChannel = Object.fromEntries(VOLUME_CHANNELS.map((c) => {
			const v = mine.find((x) => x.channel === c);
			return [c, v ? { count: v.count, comment: v.comment, version: v.version, source: v.source, updatedAt: v.updatedAt, updatedByName: v.updatedByName } : null];
		})) as GridService['volumes'];
		expected += VOLUME_CHANNELS.length;
		filled += mine.length;
		return { service, cells, volumes: byChannel, served: mine.length ? mine.reduce((s, v) => s + v.count, 0) : null };
	});
	return {
		year, indicators, services: grid, reportingYear: reportingYear ?? null,
		open: year <= asOfYear && (reportingYear?.status ?? 'open') === 'open',
		filled, expected
	};
}

// ---------- saving ----------

/** Where a problem, warning or conflict is: a figure cell or a volume cell. */
export type CellRef = { kind: 'figure'; serviceId: number; indicatorId: number } | { kind: 'volume'; serviceId: number; channel: VolumeChannel };

export interface CellProblem { cell: CellRef | null; field: 'numerator' | 'denominator' | 'count' | 'comment' | null; problem: FigureProblem }
export interface CellWarning { cell: CellRef; warning: FigureWarning }
export interface Side { numerator?: number | null; denominator?: number | null; count?: number | null; comment: string | null }
export interface CellConflict {
	cell: CellRef;
	/** What is stored now (null: someone removed it), by whom and when. */
	theirs: (Side & { byName: string | null; at: Date; version: number }) | null;
	yours: Side;
}

export type SaveOutcome =
	| { kind: 'saved'; changed: number; warnings: CellWarning[] }
	| { kind: 'invalid'; problems: CellProblem[] }
	| { kind: 'conflict'; conflicts: CellConflict[] };

export interface SaveInput {
	organizationId: number;
	year: number;
	asOfYear: number;
	jumpPoints: number;
	figures: readonly GridFigureRaw[];
	volumes: readonly GridVolumeRaw[];
}

/**
 * Saves the grid as posted: only the cells whose value differs from what is
 * stored are written, and each of those only if the version the person saw is
 * still the stored one. One problem or one conflict anywhere and nothing is
 * written. Runs in one transaction with the year's values locked.
 */
export async function saveGrid(db: Kysely<Database>, actor: Actor & { userId: number }, input: SaveInput): Promise<SaveOutcome> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await withActor(db, actor, (trx) => saveOnce(trx, actor.userId, input));
		} catch (err) {
			// Two first entries of the same value at once: the loser's insert meets the winner's row; look again, as a conflict.
			if (attempt === 0 && ['measurement_one_per_year', 'service_volume_pkey'].includes(violatedConstraint(err) ?? '')) continue;
			if (violatedConstraint(err) === 'reporting_year_locked') {
				return { kind: 'invalid', problems: [{ cell: null, field: null, problem: 'year_locked' }] };
			}
			throw err;
		}
	}
}

async function saveOnce(trx: Transaction<Database>, userId: number, input: SaveInput): Promise<SaveOutcome> {
	const { organizationId: org, year } = input;
	const status = (await findReportingYear(trx, org, year, { forUpdate: true }))?.status ?? 'open';
	const [services, indicators, figures, volumes, lastYear] = await Promise.all([
		listServicesProvided(trx, org, year),
		listGridIndicators(trx),
		listFigures(trx, org, year, { forUpdate: true }),
		listVolumes(trx, org, year, { forUpdate: true }),
		listLastYearCounts(trx, org, year)
	]);
	const provided = new Set(services.map((s) => s.id));
	const computed = new Map(indicators.map((i) => [i.id, i.computed]));
	const stored = new Map(figures.map((f) => [key(f.serviceId, f.indicatorId), f]));
	const storedVolumes = new Map(volumes.map((v) => [`${v.serviceId}:${v.channel}`, v]));
	const place = (serviceId: number, isComputed: boolean) =>
		placeProblems({ provided: provided.has(serviceId), computed: isComputed, yearOpen: status === 'open', year, asOfYear: input.asOfYear });

	const problems: CellProblem[] = [];
	const warnings: CellWarning[] = [];
	const conflicts: CellConflict[] = [];
	const writes: Array<() => Promise<void>> = [];

	for (const raw of input.figures) {
		const cell: CellRef = { kind: 'figure', serviceId: raw.serviceId, indicatorId: raw.indicatorId };
		if (!computed.has(raw.indicatorId)) continue; // not an indicator: a stale or forged field
		// Where the cell may be written is judged below, only for cells that change.
		const ctx = { provided: true, computed: false, yearOpen: true, year, asOfYear: year, lastYear: lastYear.get(key(raw.serviceId, raw.indicatorId)) ?? null, jumpPoints: input.jumpPoints };
		const judged = readFigure(raw, ctx);
		const before = stored.get(key(raw.serviceId, raw.indicatorId)) ?? null;
		const typedSomething = judged.counts !== null || judged.problems.length > 0;
		if (judged.counts === null && judged.problems.length === 0 && judged.comment !== null) {
			problems.push({ cell, field: 'numerator', problem: 'half_filled' });
			continue;
		}
		const same = judged.problems.length === 0 && (judged.counts
			? before !== null && before.numerator === judged.counts.numerator && before.denominator === judged.counts.denominator && before.comment === judged.comment
			: before === null);
		if (same) continue;
		for (const p of judged.problems) problems.push({ cell, field: p.field, problem: p.problem });
		for (const p of typedSomething || before ? place(raw.serviceId, computed.get(raw.indicatorId)!) : []) problems.push({ cell, field: null, problem: p });
		if (problems.length > 0) continue;
		if ((judged.version ?? -1) !== (before?.version ?? 0)) {
			conflicts.push({
				cell,
				theirs: before && { numerator: before.numerator, denominator: before.denominator, comment: before.comment, byName: before.updatedByName, at: before.updatedAt, version: before.version },
				yours: { numerator: judged.counts?.numerator ?? null, denominator: judged.counts?.denominator ?? null, comment: judged.comment }
			});
			continue;
		}
		for (const w of judged.warnings) warnings.push({ cell, warning: w });
		const counts = judged.counts;
		if (counts === null) writes.push(() => deleteFigure(trx, before!.id));
		else if (before) writes.push(() => updateFigure(trx, before.id, { ...counts, comment: judged.comment, userId }));
		else writes.push(() => insertFigure(trx, { organizationId: org, serviceId: raw.serviceId, indicatorId: raw.indicatorId, year, ...counts, comment: judged.comment, userId }));
	}

	for (const raw of input.volumes) {
		const cell: CellRef = { kind: 'volume', serviceId: raw.serviceId, channel: raw.channel };
		const judged = readVolume(raw, { provided: true, yearOpen: true, year, asOfYear: year });
		const before = storedVolumes.get(`${raw.serviceId}:${raw.channel}`) ?? null;
		if (judged.count === null && judged.problems.length === 0 && judged.comment !== null) {
			problems.push({ cell, field: 'count', problem: 'half_filled' });
			continue;
		}
		const same = judged.problems.length === 0 && (judged.count !== null
			? before !== null && before.count === judged.count && before.comment === judged.comment
			: before === null);
		if (same) continue;
		for (const p of judged.problems) problems.push({ cell, field: p.field, problem: p.problem });
		for (const p of place(raw.serviceId, false)) problems.push({ cell, field: null, problem: p });
		if (problems.length > 0) continue;
		if ((judged.version ?? -1) !== (before?.version ?? 0)) {
			conflicts.push({
				cell,
				theirs: before && { count: before.count, comment: before.comment, byName: before.updatedByName, at: before.updatedAt, version: before.version },
				yours: { count: judged.count, comment: judged.comment }
			});
			continue;
		}
		const where = { organizationId: org, serviceId: raw.serviceId, year, channel: raw.channel };
		const count = judged.count;
		writes.push(count === null ? () => deleteVolume(trx, where) : () => upsertVolume(trx, { ...where, count, comment: judged.comment, userId }));
	}

	if (problems.length > 0) return { kind: 'invalid', problems };
	if (conflicts.length > 0) return { kind: 'conflict', conflicts };
	for (const w of writes) await w();
	return { kind: 'saved', changed: writes.length, warnings };
}

// ---------- the reporting year's steps ----------

export type YearStepOutcome = { ok: true } | { ok: false; problem: StepProblem | 'stale' | 'year_future' };

/**
 * Submit, approve, return or reopen an organization's year, only from the
 * version of the year's state the person saw. Who may take which step is
 * the route's check (year.submit; canDecideYear for the rest).
 */
export async function stepYear(
	db: Kysely<Database>,
	actor: Actor & { userId: number },
	s: { organizationId: number; year: number; step: ReportingStep; reason: string | null; expectedVersion: number; asOfYear: number }
): Promise<YearStepOutcome> {
	if (s.year > s.asOfYear) return { ok: false, problem: 'year_future' };
	return withActor(db, actor, async (trx) => {
		const current = await findReportingYear(trx, s.organizationId, s.year, { forUpdate: true });
		if ((current?.version ?? 0) !== s.expectedVersion) return { ok: false, problem: 'stale' };
		const reason = s.reason?.trim() || null;
		const next = takeStep(current?.status ?? null, s.step, reason);
		if (!next.ok) return next;
		const written = await writeReportingYear(trx, {
			organizationId: s.organizationId, year: s.year, status: next.status, step: s.step,
			reason: s.step === 'return' || s.step === 'reopen' ? reason : null, userId: actor.userId, expectedVersion: s.expectedVersion
		});
		return written ? { ok: true } : { ok: false, problem: 'stale' };
	});
}
