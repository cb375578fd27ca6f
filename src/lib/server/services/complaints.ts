import type { Kysely, Transaction } from 'kysely';
import {
	defaultDueOn, judgeComplaint, type ComplaintIssue, type ComplaintValues
} from '../../domain/complaint-rules';
import { complaintIndicatorCounts } from '../../domain/complaints';
import { assess, percentOf, type Assessment, type Counts } from '../../domain/compliance';
import { isSmallSample } from '../../domain/sample';
import { CloseForm, ComplaintForm, readForm } from '../../validation/complaints';
import { violatedConstraint } from '../db/errors';
import type { Database, PolarityCode } from '../db/schema';
import {
	countComplaints, deleteComplaint, findComplaint, insertComplaint, listComplaints, listRegisterIndicators, updateComplaint,
	type ComplaintCounts, type StoredComplaint
} from '../queries/complaints';
import { findReportingYear, listComplaintTallies, listNormativesForYear, listTargets, type ReportingYearView, type TargetView } from '../queries/figures';
import { listServicesProvided, type ServiceSummary } from '../queries/services';
import { withActor, type Actor } from './actor';

/*
 * The complaints register of one organization's reporting year: what the
 * page shows (per service the served volume, the register's counts and the
 * computed 4.1 / 4.2 with their normative and the engine's verdict; then the
 * complaints) and how a complaint is added, edited, closed or deleted: each
 * write validated, in one transaction with the actor recorded for the audit,
 * and an edit only over the version the person saw.
 */

export interface RegisterIndicator {
	code: string;
	title: { kk: string; ru: string; en: string | null };
	polarity: PolarityCode;
	counts: Counts | null;
	value: number | null;
	normative: number | null;
	target: TargetView | null;
	smallSample: boolean;
	assessment: Assessment;
}

export interface ServiceTally {
	service: ServiceSummary;
	/** Consumers served, all channels; null when no volume was reported. */
	served: number | null;
	counts: ComplaintCounts;
	justifiedSatisfiedInTerm: number;
	indicators: RegisterIndicator[];
}

export interface RegisterPage {
	year: number;
	services: ServiceTally[];
	complaints: StoredComplaint[];
	reportingYear: ReportingYearView | null;
	/** Complaints may be added and changed: the year is open and has begun. */
	open: boolean;
}

const NO_COUNTS: ComplaintCounts = { total: 0, justified: 0, pending: 0, unanswered: 0, overdue: 0 };

export async function loadRegister(
	db: Kysely<Database>, organizationId: number, year: number, today: string, serviceId: number | null = null
): Promise<RegisterPage> {
	const [services, indicators, tallies, counts, targets, complaints, reportingYear] = await Promise.all([
		listServicesProvided(db, organizationId, year),
		listRegisterIndicators(db),
		listComplaintTallies(db, organizationId, year),
		countComplaints(db, organizationId, year, today),
		listTargets(db, organizationId, year),
		listComplaints(db, organizationId, year, serviceId),
		findReportingYear(db, organizationId, year)
	]);
	const normatives = await listNormativesForYear(db, services.map((s) => s.id), year);
	const tallied = services.map((service): ServiceTally => {
		const tally = tallies.get(service.id) ?? { served: null, justified: 0, justifiedSatisfiedInTerm: 0 };
		return {
			service,
			served: tally.served,
			counts: counts.get(service.id) ?? NO_COUNTS,
			justifiedSatisfiedInTerm: tally.justifiedSatisfiedInTerm,
			indicators: indicators.map((ind): RegisterIndicator => {
				const c = complaintIndicatorCounts(ind.code, tally);
				const value = c ? percentOf(c) : null;
				const normative = normatives.get(service.id)?.get(ind.id) ?? null;
				const target = targets.get(`${service.id}:${ind.id}`) ?? null;
				return {
					code: ind.code, title: { kk: ind.titleKk, ru: ind.titleRu, en: ind.titleEn }, polarity: ind.polarity,
					counts: c, value, normative, target, smallSample: isSmallSample(c?.denominator),
					assessment: assess({ value, normative, target: target?.status === 'approved' ? target.value : null, polarity: ind.polarity })
				};
			})
		};
	});
	return {
		year, services: tallied, complaints, reportingYear: reportingYear ?? null,
		open: year <= Number(today.slice(0, 4)) && (reportingYear?.status ?? 'open') === 'open'
	};
}

// ---------- writes ----------

/** What a write did. `conflict`: someone changed (theirs) or deleted (null) the complaint since the person saw it. */
export type WriteOutcome =
	| { kind: 'done'; id: number }
	| { kind: 'invalid'; issues: ComplaintIssue[] }
	| { kind: 'refused'; reason: 'year_locked' | 'not_found' }
	| { kind: 'conflict'; theirs: StoredComplaint | null; yours: ComplaintValues | null };

export interface Place {
	organizationId: number;
	year: number;
	/** Today in Astana (astanaToday(new Date()) in the route). */
	today: string;
}

type Writer = Actor & { userId: number };

/** Database rules that back the checks above; met here only through a race or a forged request. */
const BACKSTOPS: Record<string, ComplaintIssue> = {
	service_provided_that_year: { field: 'service', problem: 'service_not_provided' },
	complaint_due_after_received: { field: 'dueOn', problem: 'due_before_received' },
	complaint_answered_after_received: { field: 'answeredOn', problem: 'answered_before_received' },
	complaint_satisfied_needs_answer: { field: 'satisfied', problem: 'satisfied_without_answer' }
};

async function write(db: Kysely<Database>, actor: Writer, place: Place, work: (trx: Transaction<Database>, provided: ReadonlySet<number>) => Promise<WriteOutcome>): Promise<WriteOutcome> {
	try {
		return await withActor(db, actor, async (trx) => {
			// Locked until the transaction ends, so the year cannot be submitted halfway through this write.
			const ry = await findReportingYear(trx, place.organizationId, place.year, { forUpdate: true });
			if (ry && ry.status !== 'open') return { kind: 'refused', reason: 'year_locked' };
			const provided = new Set((await listServicesProvided(trx, place.organizationId, place.year)).map((s) => s.id));
			return work(trx, provided);
		});
	} catch (err) {
		const constraint = violatedConstraint(err);
		if (constraint === 'reporting_year_locked') return { kind: 'refused', reason: 'year_locked' };
		if (constraint && BACKSTOPS[constraint]) return { kind: 'invalid', issues: [BACKSTOPS[constraint]] };
		throw err;
	}
}

/** The form's values, complete (a blank term becomes the default one), or what is wrong with them. */
function readComplaint(raw: unknown, place: Place, provided: ReadonlySet<number>): { ok: true; values: ComplaintValues } | { ok: false; issues: ComplaintIssue[] } {
	const read = readForm(ComplaintForm, raw);
	if (!read.ok) return read;
	const f = read.output;
	const values: ComplaintValues = {
		serviceId: f.service, receivedOn: f.receivedOn, summary: f.summary, justified: f.justified,
		dueOn: f.dueOn ?? defaultDueOn(f.receivedOn), answeredOn: f.answeredOn, satisfied: f.satisfied
	};
	const issues = judgeComplaint(values, { year: place.year, today: place.today, provided });
	return issues.length ? { ok: false, issues } : { ok: true, values };
}

/** Records a new complaint received in the place's year. */
export async function addComplaint(db: Kysely<Database>, actor: Writer, place: Place, raw: unknown): Promise<WriteOutcome> {
	return write(db, actor, place, async (trx, provided) => {
		const read = readComplaint(raw, place, provided);
		if (!read.ok) return { kind: 'invalid', issues: read.issues };
		return { kind: 'done', id: await insertComplaint(trx, place.organizationId, read.values, actor.userId) };
	});
}

/** Why an update or delete over `version` touched nothing: the complaint changed (theirs) or is gone. */
async function conflict(trx: Transaction<Database>, place: Place, id: number, yours: ComplaintValues | null): Promise<WriteOutcome> {
	const theirs = await findComplaint(trx, place.organizationId, place.year, id);
	return { kind: 'conflict', theirs: theirs ?? null, yours };
}

/** Replaces a complaint's values, only over the version the person saw. */
export async function editComplaint(db: Kysely<Database>, actor: Writer, place: Place, ref: { id: number; version: number }, raw: unknown): Promise<WriteOutcome> {
	return write(db, actor, place, async (trx, provided) => {
		const read = readComplaint(raw, place, provided);
		if (!read.ok) return { kind: 'invalid', issues: read.issues };
		const written = await updateComplaint(trx, place.organizationId, place.year, ref.id, ref.version, read.values, actor.userId);
		return written ? { kind: 'done', id: ref.id } : conflict(trx, place, ref.id, read.values);
	});
}

/** Records the answer: the examination's outcome, the date answered and whether the complaint was satisfied. */
export async function closeComplaint(db: Kysely<Database>, actor: Writer, place: Place, ref: { id: number; version: number }, raw: unknown): Promise<WriteOutcome> {
	return write(db, actor, place, async (trx, provided) => {
		const current = await findComplaint(trx, place.organizationId, place.year, ref.id);
		if (!current) return { kind: 'conflict', theirs: null, yours: null };
		const read = readForm(CloseForm, raw);
		if (!read.ok) return { kind: 'invalid', issues: read.issues };
		const values: ComplaintValues = {
			serviceId: current.serviceId, receivedOn: current.receivedOn, summary: current.summary, dueOn: current.dueOn,
			justified: read.output.justified, answeredOn: read.output.answeredOn, satisfied: read.output.satisfied
		};
		if (current.version !== ref.version) return { kind: 'conflict', theirs: current, yours: values };
		const issues = judgeComplaint(values, { year: place.year, today: place.today, provided });
		if (issues.length) return { kind: 'invalid', issues };
		const written = await updateComplaint(trx, place.organizationId, place.year, ref.id, ref.version, values, actor.userId);
		return written ? { kind: 'done', id: ref.id } : conflict(trx, place, ref.id, values);
	});
}

/** Deletes a complaint entered by mistake, only if it is still as the person saw it. */
export async function removeComplaint(db: Kysely<Database>, actor: Writer, place: Place, ref: { id: number; version: number }): Promise<WriteOutcome> {
	return write(db, actor, place, async (trx) => {
		if (await deleteComplaint(trx, place.organizationId, place.year, ref.id, ref.version)) return { kind: 'done', id: ref.id };
		const out = await conflict(trx, place, ref.id, null);
		// Already deleted by someone else: what the person wanted is done; say so rather than show a conflict.
		return out.kind === 'conflict' && out.theirs === null ? { kind: 'refused', reason: 'not_found' } : out;
	});
}
