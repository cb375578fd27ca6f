import * as v from 'valibot';
import {
	MEMBERS_MAX, PROTOCOL_NUMBER_MAX, REASON_MAX,
	type SetStepProblem, type TargetChange, type TargetEffect, type TrendMeaning
} from '../domain/targets';
import type { BulkTargetOperation, TargetCellRaw, TargetSaveProblem } from '../server/services/target-editor';
import type { CreateSetProblem } from '../server/services/targets';
import * as m from '../paraglide/messages';

/*
 * The target editor's forms. The schemas judge shape only (ids are ids, a
 * kind is a kind); what a value or a protocol may be is judged by the domain
 * (parsePercent, judgeTarget, takeSetStep) inside the services, so a form
 * and any other caller meet the same rules.
 */

const Text = v.pipe(v.optional(v.string(), ''), v.trim());
const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const OptionalId = v.pipe(Text, v.check((s) => s === '' || /^\d{1,9}$/.test(s)), v.transform((s) => (s === '' ? undefined : Number(s))));
// Browsers send a textarea's line breaks as CRLF; counted as typed.
const LongText = v.pipe(v.optional(v.string(), ''), v.transform((s) => s.replace(/\r\n?/g, '\n').trim()));

/** A new set: the year, the scope's root, and its services (the form posts `service` once per ticked box). */
export const CreateTargetSetForm = v.object({
	year: Id,
	root: Id,
	services: v.pipe(v.array(Id), v.maxLength(200))
});

/** Approval: the protocol as typed; the version of the set the person saw. */
export const ApproveTargetSetForm = v.object({
	protocolNumber: Text,
	protocolDate: Text,
	members: LongText,
	version: Id
});

export const ReopenTargetSetForm = v.object({ reason: LongText, version: Id });

export const BULK_KINDS = ['apply_value', 'copy_previous', 'accept_suggestions'] as const;
const ORGANIZATION_KINDS = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'] as const;

export const BulkTargetForm = v.object({
	kind: v.picklist(BULK_KINDS),
	value: Text,
	reason: LongText,
	indicator: OptionalId,
	service: OptionalId,
	organization: OptionalId,
	organizationKind: v.pipe(Text, v.check((s) => s === '' || (ORGANIZATION_KINDS as readonly string[]).includes(s)), v.transform((s) => s || undefined)),
	onlyBlank: v.pipe(Text, v.transform((s) => s === 'on' || s === 'true' || s === '1'))
});

/** The bulk form as the service's operation. */
export function toBulkOperation(f: v.InferOutput<typeof BulkTargetForm>): BulkTargetOperation {
	const filter = { indicatorId: f.indicator, serviceId: f.service, organizationId: f.organization, organizationKind: f.organizationKind };
	if (f.kind === 'apply_value') return { kind: 'apply_value', value: f.value, reason: f.reason || null, filter, onlyBlank: f.onlyBlank };
	return { kind: f.kind, filter, onlyBlank: f.onlyBlank };
}

// ---------- the editor grid's field names ----------

/** Field names of the editor: t.<organization>.<service>.<indicator>.<v|r|n> (value, reason, version seen). */
export const targetFieldName = (organizationId: number, serviceId: number, indicatorId: number, part: 'v' | 'r' | 'n') =>
	`t.${organizationId}.${serviceId}.${indicatorId}.${part}`;

/** Groups the posted editor fields by cell; unknown names are ignored. null when more than `limit` cells. */
export function readTargetForm(form: FormData, limit = 50_000): TargetCellRaw[] | null {
	const cells = new Map<string, TargetCellRaw>();
	for (const [name, value] of form) {
		if (typeof value !== 'string') continue;
		const match = /^t\.(\d{1,9})\.(\d{1,9})\.(\d{1,9})\.([vrn])$/.exec(name);
		if (!match) continue;
		const key = `${match[1]}.${match[2]}.${match[3]}`;
		const cell = cells.get(key) ?? { organizationId: Number(match[1]), serviceId: Number(match[2]), indicatorId: Number(match[3]), value: '', reason: '', version: '' };
		cell[({ v: 'value', r: 'reason', n: 'version' } as const)[match[4] as 'v' | 'r' | 'n']] = value;
		cells.set(key, cell);
		if (cells.size > limit) return null;
	}
	return [...cells.values()];
}

// ---------- messages ----------

export function targetProblemMessage(problem: TargetSaveProblem, maxCells = 50_000): string {
	switch (problem) {
		case 'not_number': return m.targets_problem_not_number();
		case 'out_of_range': return m.targets_problem_out_of_range();
		case 'too_precise': return m.targets_problem_too_precise();
		case 'reason_required': return m.targets_problem_reason_required();
		case 'reason_too_long': return m.targets_problem_reason_too_long({ max: REASON_MAX });
		case 'value_required': return m.targets_problem_value_required();
		case 'not_in_scope': return m.targets_problem_not_in_scope();
		case 'held_by_other_set': return m.targets_problem_held_by_other_set();
		case 'set_locked': return m.targets_problem_set_locked();
		case 'set_not_found': return m.targets_problem_set_not_found();
		case 'too_many_cells': return m.targets_problem_too_many_cells({ max: maxCells });
	}
}

export function setStepProblemMessage(problem: SetStepProblem | 'stale' | 'set_not_found' | 'set_empty' | 'reason_missing'): string {
	switch (problem) {
		case 'step_not_allowed': return m.targets_step_step_not_allowed();
		case 'protocol_number_required': return m.targets_step_protocol_number_required();
		case 'protocol_number_too_long': return m.targets_step_protocol_number_too_long({ max: PROTOCOL_NUMBER_MAX });
		case 'protocol_date_required': return m.targets_step_protocol_date_required();
		case 'protocol_date_invalid': return m.targets_step_protocol_date_invalid();
		case 'protocol_date_future': return m.targets_step_protocol_date_future();
		case 'members_required': return m.targets_step_members_required();
		case 'members_too_long': return m.targets_step_members_too_long({ max: MEMBERS_MAX });
		case 'reason_required': return m.targets_step_reason_required();
		case 'reason_too_long': return m.targets_step_reason_too_long({ max: REASON_MAX });
		case 'stale': return m.targets_step_stale();
		case 'set_not_found': return m.targets_problem_set_not_found();
		case 'set_empty': return m.targets_step_set_empty();
		case 'reason_missing': return m.targets_step_reason_missing();
	}
}

export function createSetProblemMessage(problem: CreateSetProblem): string {
	switch (problem) {
		case 'year_out_of_range': return m.targets_create_year_out_of_range();
		case 'services_required': return m.targets_create_services_required();
		case 'unknown_service': return m.targets_create_unknown_service();
		case 'root_not_found': return m.targets_create_root_not_found();
		case 'no_cells': return m.targets_create_no_cells();
		case 'set_exists': return m.targets_create_set_exists();
	}
}

export const setStatusLabel = (s: 'draft' | 'approved') => (s === 'draft' ? m.targets_status_draft() : m.targets_status_approved());

export function trendLabel(t: TrendMeaning): string {
	return t === 'improving' ? m.targets_trend_improving() : t === 'worsening' ? m.targets_trend_worsening() : m.targets_trend_steady();
}

export function changeLabel(c: TargetChange | TargetEffect): string {
	switch (c) {
		case 'raised': return m.targets_change_raised();
		case 'kept': return m.targets_change_kept();
		case 'lowered': return m.targets_change_lowered();
		case 'tightened': return m.targets_effect_tightened();
		case 'loosened': return m.targets_effect_loosened();
	}
}
