import { buildTree, type TreeNode } from './org-tree';
import type { ReportingStatus, ReportingStep } from './reporting-year';

/*
 * The completeness overview of a subtree's reporting year: where each
 * organization's year stands (not submitted, waiting for approval, approved,
 * or back with a head's reason) and how much of what it owes has been typed.
 * Pure: the rows come from queries/reporting.ts.
 *
 * What an organization owes for a year, per service it provides that year:
 * one value (numerator and denominator) for every indicator reported by hand
 * (not those computed from the complaints register) and one served count for
 * every volume channel. The entry grid counts the same way.
 */

/** How a year reads on the overview: an open year says why it is open. */
export type YearState = 'not_submitted' | 'returned' | 'reopened' | 'submitted' | 'approved';

/** The filter chips: the three statuses a year can be in. */
export const STATUS_FILTERS = ['open', 'submitted', 'approved'] as const satisfies readonly ReportingStatus[];
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export function yearState(status: ReportingStatus | null, lastStep: ReportingStep | null): YearState {
	if (status === 'submitted') return 'submitted';
	if (status === 'approved') return 'approved';
	if (status === 'open' && lastStep === 'return') return 'returned';
	if (status === 'open' && lastStep === 'reopen') return 'reopened';
	return 'not_submitted';
}

export function expectedValues(services: number, reportedIndicators: number, volumeChannels: number): number {
	return services * (reportedIndicators + volumeChannels);
}

export type OrganizationKindCode = 'region_department' | 'city_department' | 'school' | 'kindergarten' | 'supplementary' | 'other';

/** One organization of the subtree in that year, as the query gives it. */
export interface CompletenessSource {
	id: number;
	/** Its parent in that year (organization_link), null at the top. */
	parentId: number | null;
	code: string;
	kind: OrganizationKindCode;
	/** Services it provided that year; 0: nothing to report, not listed. */
	services: number;
	/** Values stored for those services (hand-reported indicators and volume channels). */
	filled: number;
	status: ReportingStatus | null;
	lastStep: ReportingStep | null;
}

export interface CompletenessTotals {
	organizations: number;
	byStatus: Record<StatusFilter, number>;
	filled: number;
	expected: number;
}

/** Counts for the chips and the subtree's progress bar (over every listed organization, whatever the filter). */
export function totals<T extends { status: ReportingStatus | null; filled: number; expected: number }>(rows: readonly T[]): CompletenessTotals {
	const byStatus: Record<StatusFilter, number> = { open: 0, submitted: 0, approved: 0 };
	let filled = 0, expected = 0;
	for (const r of rows) {
		byStatus[r.status ?? 'open']++;
		filled += Math.min(r.filled, r.expected);
		expected += r.expected;
	}
	return { organizations: rows.length, byStatus, filled, expected };
}

/** Share filled, 0–1 (1 when nothing is owed). */
export function completenessRatio(filled: number, expected: number): number {
	return expected === 0 ? 1 : Math.min(1, filled / expected);
}

const KIND_ORDER: readonly OrganizationKindCode[] = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'];
const byKindThenCode = (a: { kind: OrganizationKindCode; code: string }, b: { kind: OrganizationKindCode; code: string }) =>
	KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.code.localeCompare(b.code, 'en', { numeric: true });

/**
 * The organizations that owe figures, in tree order (as the organization tree
 * shows them: departments before schools before kindergartens, codes in
 * numeric order), each with its depth in the subtree. With `waitingFirst`
 * (a head deciding years) the submitted ones come first, still in tree order.
 */
export function orderForOverview<T extends CompletenessSource>(rows: readonly T[], { waitingFirst }: { waitingFirst: boolean }): Array<T & { depth: number }> {
	const out: Array<T & { depth: number }> = [];
	const walk = (nodes: TreeNode<T>[], depth: number) => {
		for (const n of nodes) {
			if (n.org.services > 0) out.push({ ...n.org, depth });
			walk(n.children, depth + 1);
		}
	};
	walk(buildTree(rows, byKindThenCode), 0);
	if (!waitingFirst) return out;
	return [...out.filter((r) => r.status === 'submitted'), ...out.filter((r) => r.status !== 'submitted')];
}
