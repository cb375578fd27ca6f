/*
 * The reporting year of one organization: open → submitted → approved, and
 * back to open when a head returns a submitted year or reopens an approved
 * one (both with a reason). Pure.
 */

export type ReportingStatus = 'open' | 'submitted' | 'approved';
export type ReportingStep = 'submit' | 'return' | 'approve' | 'reopen';

const moves: Record<ReportingStep, { from: ReportingStatus; to: ReportingStatus; needsReason: boolean }> = {
	submit: { from: 'open', to: 'submitted', needsReason: false },
	approve: { from: 'submitted', to: 'approved', needsReason: false },
	return: { from: 'submitted', to: 'open', needsReason: true },
	reopen: { from: 'approved', to: 'open', needsReason: true }
};

export type StepProblem = 'step_not_allowed' | 'reason_required';

/** The status after `step`, or why the step cannot be taken. A year never touched is open. */
export function takeStep(current: ReportingStatus | null, step: ReportingStep, reason: string | null): { ok: true; status: ReportingStatus } | { ok: false; problem: StepProblem } {
	const move = moves[step];
	if ((current ?? 'open') !== move.from) return { ok: false, problem: 'step_not_allowed' };
	if (move.needsReason && !reason?.trim()) return { ok: false, problem: 'reason_required' };
	return { ok: true, status: move.to };
}

/** Steps that can follow a status (the caller still checks who may take them). */
export function stepsFrom(current: ReportingStatus | null): ReportingStep[] {
	return (Object.keys(moves) as ReportingStep[]).filter((s) => moves[s].from === (current ?? 'open'));
}

export function stepNeedsReason(step: ReportingStep): boolean {
	return moves[step].needsReason;
}
