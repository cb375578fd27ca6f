import type { Kysely } from 'kysely';
import {
	completenessRatio, expectedValues, orderForOverview, totals, yearState,
	type CompletenessTotals, type StatusFilter, type YearState
} from '../../domain/completeness';
import { buildTree, type TreeNode } from '../../domain/org-tree';
import { VOLUME_CHANNELS } from '../../validation/figures';
import type { OverviewRequest } from '../../validation/reporting-query';
import type { Scope } from '../auth/access';
import type { Database } from '../db/schema';
import { findOrganization, listOrganizationsInYear, type OrganizationSummary } from '../queries/organizations';
import { findCompleteness, findFirstProvisionYear, findProvidingIds, type CompletenessRow } from '../queries/reporting';

/*
 * What the completeness overview (/figures) shows: the subtree's reporting
 * year, organization by organization, with the counts for the filter chips
 * and the subtree's progress. The organization and year default to the top
 * of what the person sees and last year (a year's figures are reported in
 * the year after).
 */

export interface OverviewRow extends CompletenessRow {
	depth: number;
	state: YearState;
	expected: number;
	ratio: number;
}

export interface PickerOption {
	id: number;
	depth: number;
	code: string;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
}

export interface Overview {
	year: number;
	years: number[];
	status: StatusFilter | null;
	/** Submitted years listed first (for someone who decides them). */
	waitingFirst: boolean;
	root: OrganizationSummary | null;
	picker: PickerOption[];
	/** One page of the organizations that match the status filter. */
	rows: OverviewRow[];
	matching: number;
	page: number;
	pages: number;
	totals: CompletenessTotals;
	ratio: number;
	/** What one service owes: hand-reported indicators and volume channels (said on the page). */
	perService: { indicators: number; channels: number };
}

/** Rows a page: a region's ~2,000 organizations stay a page a browser and a phone draw at once. */
export const OVERVIEW_PAGE_SIZE = 200;

const KIND_ORDER = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'];
const treeOrder = (a: OrganizationSummary, b: OrganizationSummary) =>
	KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.code.localeCompare(b.code, 'en', { numeric: true });

/** The organizations of that year's visible tree that have organizations under them (a subtree to overview), in tree order. */
function pickerOptions(orgs: OrganizationSummary[], selectedId: number | null): PickerOption[] {
	const out: PickerOption[] = [];
	const walk = (nodes: TreeNode<OrganizationSummary>[], depth: number) => {
		for (const n of nodes) {
			if (n.children.length > 0 || n.org.id === selectedId || depth === 0) {
				out.push({ id: n.org.id, depth, code: n.org.code, nameKk: n.org.nameKk, nameRu: n.org.nameRu, nameEn: n.org.nameEn });
			}
			walk(n.children, depth + 1);
		}
	};
	walk(buildTree(orgs, treeOrder), 0);
	return out;
}

export async function loadOverview(
	db: Kysely<Database>,
	who: { scope: Scope; decidesYears: boolean },
	req: OverviewRequest,
	asOfYear: number
): Promise<Overview> {
	const year = req.year ?? asOfYear - 1;
	const [orgs, first] = await Promise.all([listOrganizationsInYear(db, who.scope, year), findFirstProvisionYear(db)]);
	const years: number[] = [];
	for (let y = Math.max(asOfYear, year); y >= Math.min(first ?? asOfYear - 1, year, asOfYear - 1); y--) years.push(y);

	// The highest organization the person sees that year (for a global admin: the first root with
	// anything to report that year, else the first root).
	const roots = buildTree(orgs, treeOrder);
	let rootId = req.organizationId;
	if (rootId === null && roots.length > 1) {
		const providing = await findProvidingIds(db, year);
		const reports = (n: TreeNode<OrganizationSummary>): boolean => providing.has(n.org.id) || n.children.some(reports);
		rootId = roots.find(reports)?.org.id ?? null;
	}
	rootId ??= roots[0]?.org.id ?? null;
	// An organization asked for by id may not be open that year: still named, with nothing to list.
	const root = rootId === null ? null : (orgs.find((o) => o.id === rootId) ?? (await findOrganization(db, rootId)) ?? null);
	const picker = pickerOptions(orgs, rootId);
	const perService = { indicators: 0, channels: VOLUME_CHANNELS.length };
	if (rootId === null) {
		return { year, years, status: req.status, waitingFirst: who.decidesYears, root, picker, rows: [], matching: 0, page: 1, pages: 1, totals: totals([]), ratio: 1, perService };
	}

	const found = await findCompleteness(db, { rootId, year, scope: who.scope });
	perService.indicators = found[0]?.reportedIndicators ?? 0;
	const all = orderForOverview(found, { waitingFirst: who.decidesYears }).map((r): OverviewRow => {
		const expected = expectedValues(r.services, r.reportedIndicators, VOLUME_CHANNELS.length);
		return { ...r, state: yearState(r.status, r.lastStep), expected, ratio: completenessRatio(r.filled, expected) };
	});
	const sums = totals(all);
	const matching = req.status === null ? all : all.filter((r) => (r.status ?? 'open') === req.status);
	const pages = Math.max(1, Math.ceil(matching.length / OVERVIEW_PAGE_SIZE));
	const page = Math.min(req.page, pages);
	return {
		year, years, status: req.status, waitingFirst: who.decidesYears, root, picker,
		rows: matching.slice((page - 1) * OVERVIEW_PAGE_SIZE, page * OVERVIEW_PAGE_SIZE), matching: matching.length, page, pages,
		totals: sums, ratio: completenessRatio(sums.filled, sums.expected), perService
	};
}
