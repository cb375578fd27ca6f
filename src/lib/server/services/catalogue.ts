import type { Kysely } from 'kysely';
import * as m from '../../paraglide/messages';
import { dayBefore, type FieldCode, type IndicatorInput, type RepealInput, type ServiceInput, type StandardInput } from '../../validation/catalogue';
import type { Access } from '../auth/access';
import { violatedConstraint } from '../db/errors';
import type { Database } from '../db/schema';
import * as q from '../queries/catalogue';
import { withActor, type Actor } from './actor';

/*
 * Changes to the shared catalogue. Callers have already checked that the
 * person is a global administrator (requireGlobalAdmin); every write runs in
 * one audited transaction.
 */

type Db = Kysely<Database>;

export type CatalogueProblem =
	| 'not_found' | 'standard_overlap' | 'standard_range' | 'normative_range' | 'normatives_incomplete'
	| 'already_repealed' | 'needs_decision' | 'value_invalid';

export type DecisionField = 'polarity' | 'unit';

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; problem: CatalogueProblem; fields?: DecisionField[] };

const actorOf = (a: Pick<Access, 'userId'>): Actor => ({ label: `user:${a.userId}`, userId: a.userId });

/** Rules the database enforces, as problems the forms can explain. */
const byConstraint: Record<string, CatalogueProblem> = {
	standard_no_overlap: 'standard_overlap',
	standard_valid_range: 'standard_range',
	standard_normative_percent: 'normative_range',
	indicator_change_needs_decision: 'needs_decision'
};

async function refusedAs<R>(work: () => Promise<R>): Promise<R | { ok: false; problem: CatalogueProblem }> {
	try {
		return await work();
	} catch (err) {
		const name = violatedConstraint(err);
		const problem = name ? byConstraint[name] : undefined;
		if (problem) return { ok: false, problem };
		if (name) return { ok: false, problem: 'value_invalid' };
		throw err;
	}
}

export function catalogueProblemMessage(problem: CatalogueProblem): string {
	const text: Record<CatalogueProblem, () => string> = {
		not_found: m.error_not_found,
		standard_overlap: m.catalogue_problem_standard_overlap,
		standard_range: m.catalogue_problem_standard_range,
		normative_range: m.catalogue_problem_normative_range,
		normatives_incomplete: m.catalogue_problem_normatives_incomplete,
		already_repealed: m.catalogue_problem_already_repealed,
		needs_decision: m.catalogue_problem_needs_decision,
		value_invalid: m.catalogue_problem_value_invalid
	};
	return text[problem]();
}

export function fieldMessage(code: FieldCode | string): string {
	const text: Record<FieldCode, () => string> = {
		required: m.catalogue_field_required,
		too_long: m.catalogue_field_too_long,
		date_invalid: m.catalogue_field_date_invalid,
		positive_whole: m.catalogue_field_positive_whole,
		percent_invalid: m.catalogue_field_percent_invalid,
		percent_range: m.catalogue_problem_normative_range,
		percent_decimals: m.catalogue_field_percent_decimals,
		choice_invalid: m.catalogue_field_choice_invalid
	};
	return (text[code as FieldCode] ?? m.catalogue_problem_value_invalid)();
}

// ---------- services ----------

export interface ServiceListItem extends q.ServiceRecord {
	current: q.StandardRecord | null;
}

export async function listServices(db: Db, today: string): Promise<ServiceListItem[]> {
	const [services, inForce] = await Promise.all([q.listServices(db), q.listStandardsInForce(db, today)]);
	const byService = new Map(inForce.map((s) => [s.serviceId, s]));
	return services.map((s) => ({ ...s, current: byService.get(s.id) ?? null }));
}

export interface StandardWithNormatives extends q.StandardRecord {
	normatives: Record<number, number>;
}

export interface ServicePage {
	service: q.ServiceRecord;
	standards: StandardWithNormatives[];
	indicators: Array<Pick<q.IndicatorRecord, 'id' | 'code' | 'titleKk' | 'titleRu' | 'titleEn' | 'polarity'>>;
}

export async function loadServicePage(db: Db, id: number): Promise<ServicePage | null> {
	const service = await q.findService(db, id);
	if (!service) return null;
	const [standards, indicators] = await Promise.all([q.listStandards(db, id), q.listIndicators(db)]);
	const normatives = await q.listNormatives(db, standards.map((s) => s.id));
	return {
		service,
		standards: standards.map((s) => ({ ...s, normatives: Object.fromEntries(normatives.get(s.id) ?? []) })),
		indicators: indicators.map(({ id, code, titleKk, titleRu, titleEn, polarity }) => ({ id, code, titleKk, titleRu, titleEn, polarity }))
	};
}

export async function updateService(db: Db, admin: Pick<Access, 'userId'>, id: number, input: ServiceInput): Promise<Outcome> {
	return refusedAs(() =>
		withActor(db, actorOf(admin), async (trx) => {
			const service = await q.findService(trx, id);
			if (!service) return { ok: false, problem: 'not_found' } as const;
			await q.updateService(trx, id, { ...input, channels: [...new Set(input.channels)] });
			return { ok: true } as const;
		})
	);
}

// ---------- standards ----------

/**
 * A new standard with a normative for every indicator. The service's open-ended
 * standard, when it began earlier, ends the day before the new one takes effect;
 * any other overlap is refused by the database and reported as such.
 */
export async function recordStandard(db: Db, admin: Pick<Access, 'userId'>, serviceId: number, input: StandardInput): Promise<Outcome<{ id: number; ended: number | null }>> {
	return refusedAs(() =>
		withActor(db, actorOf(admin), async (trx) => {
			if (!(await q.findService(trx, serviceId))) return { ok: false, problem: 'not_found' } as const;
			const indicators = await q.listIndicators(trx);
			const normatives = indicators.map((i) => ({ indicatorId: i.id, value: input.normatives[String(i.id)] }));
			if (normatives.some((n) => n.value === undefined)) return { ok: false, problem: 'normatives_incomplete' } as const;
			const open = await q.findOpenStandard(trx, serviceId);
			let ended: number | null = null;
			if (open && open.validFrom < input.validFrom) {
				await q.endStandard(trx, open.id, dayBefore(input.validFrom));
				ended = open.id;
			}
			const id = await q.insertStandard(
				trx,
				{
					serviceId, actIssuerKk: input.actIssuerKk, actIssuerRu: input.actIssuerRu, actNumber: input.actNumber, actDate: input.actDate,
					registrationNumber: input.registrationNumber, registrationDate: input.registrationDate, validFrom: input.validFrom
				},
				normatives as Array<{ indicatorId: number; value: number }>
			);
			return { ok: true, id, ended } as const;
		})
	);
}

/** Records the repealing act; the standard's last day is the day before the repeal date unless given. */
export async function repealStandard(db: Db, admin: Pick<Access, 'userId'>, serviceId: number, input: RepealInput): Promise<Outcome> {
	return refusedAs(() =>
		withActor(db, actorOf(admin), async (trx) => {
			const standard = await q.findStandard(trx, input.standard);
			if (!standard || standard.serviceId !== serviceId) return { ok: false, problem: 'not_found' } as const;
			if (standard.repealNumber !== null) return { ok: false, problem: 'already_repealed' } as const;
			await q.repealStandard(trx, standard.id, {
				issuerKk: input.issuerKk, issuerRu: input.issuerRu, number: input.number, date: input.date,
				lastDay: input.lastDay ?? dayBefore(input.date)
			});
			return { ok: true } as const;
		})
	);
}

// ---------- indicators ----------

export interface IndicatorPage {
	indicator: q.IndicatorRecord;
	measurements: number;
	groups: Awaited<ReturnType<typeof q.listIndicatorGroups>>;
	decisions: Awaited<ReturnType<typeof q.listIndicatorDecisions>>;
}

export async function loadIndicatorPage(db: Db, id: number): Promise<IndicatorPage | null> {
	const indicator = await q.findIndicator(db, id);
	if (!indicator) return null;
	const [measurements, groups, decisions] = await Promise.all([
		q.countIndicatorFigures(db, id, indicator.source), q.listIndicatorGroups(db), q.listIndicatorDecisions(db, id)
	]);
	return { indicator, measurements, groups, decisions };
}

export async function listIndicators(db: Db): Promise<q.IndicatorRecord[]> {
	return q.listIndicators(db);
}

/**
 * Texts and group change freely. Polarity and unit judge every recorded figure,
 * so once figures exist they change only with a stated reason, stored as an
 * indicator_decision in the same transaction (the database checks this too).
 */
export async function updateIndicator(db: Db, admin: Pick<Access, 'userId'>, id: number, input: IndicatorInput): Promise<Outcome<{ decisions: DecisionField[] }>> {
	return refusedAs(() =>
		withActor(db, actorOf(admin), async (trx) => {
			const current = await q.findIndicator(trx, id);
			if (!current) return { ok: false, problem: 'not_found' } as const;
			const changed = (['polarity', 'unit'] as const).filter((f) => current[f] !== input[f]);
			const needsDecision = changed.length > 0 && (await q.countIndicatorFigures(trx, id, current.source)) > 0;
			if (needsDecision && !input.reason) return { ok: false, problem: 'needs_decision', fields: [...changed] } as const;
			if (needsDecision) {
				for (const field of changed) {
					await q.insertIndicatorDecision(trx, { indicatorId: id, decidedBy: admin.userId, field, oldValue: current[field], newValue: input[field], reason: input.reason! });
				}
			}
			const { reason: _reason, ...patch } = input;
			await q.updateIndicator(trx, id, patch);
			return { ok: true, decisions: needsDecision ? [...changed] : [] } as const;
		})
	);
}
