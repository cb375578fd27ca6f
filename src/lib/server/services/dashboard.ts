import type { Kysely } from 'kysely';
import type { OrganizationKindCode } from '../../domain/completeness';
import {
	electronicShare, EMPTY_MEASURES, headlineCards, ORGANIZATION_KINDS, rank, rateOf, rollUpCell, servedTotal,
	sumMeasures, sumVolumes, yearRates, type Measures, type Volumes, type YearSums
} from '../../domain/dashboard';
import type { DashboardData, IndicatorInfo, OrganizationRef, ScorecardRow, TrendPoint } from '../../domain/dashboard-view';
import { buildTree, type TreeNode } from '../../domain/org-tree';
import type { DashboardRequest } from '../../validation/dashboard-query';
import type { Database } from '../db/schema';
import { refreshCompliance } from '../queries/compliance-rollup';
import {
	findBranches, findChildMeasures, findChildren, findIndicatorCatalogue, findOrganizationRef, findScopeTops, findServiceCatalogue,
	findSubtreeMeasures, findSubtreeVolumes, type BranchRow, type MeasureRow, type OrganizationRow
} from '../queries/dashboard';

/*
 * What the compliance dashboard shows for a subtree, a year and the filters:
 * resolved from the address, read from the pre-aggregated sums (brought up to
 * date first, so a figure saved a moment ago is in), and turned into rates
 * and verdicts by domain/dashboard.ts. About nine statements whatever the
 * size of the subtree.
 */

type Scope = 'all' | ReadonlySet<number>;

/** Unknown, or outside the person's scope: the two are told apart to nobody. */
export class NotFoundError extends Error {}

const visible = (scope: Scope, id: number) => scope === 'all' || scope.has(id);
const ref = (o: OrganizationRow): OrganizationRef => ({ id: o.id, code: o.code, kind: o.kind, name: o.name });
const kindRank = (k: OrganizationKindCode) => ORGANIZATION_KINDS.indexOf(k);
const treeOrder = (a: OrganizationRow, b: OrganizationRow) => kindRank(a.kind) - kindRank(b.kind) || a.code.localeCompare(b.code, 'en', { numeric: true });
const byName = new Intl.Collator('ru');

/** The person's top organization: the top of their scope (the first by name, preferring one with figures). */
async function defaultRoot(db: Kysely<Database>, scope: Scope): Promise<OrganizationRow> {
	const tops = await findScopeTops(db, scope);
	tops.sort((a, b) => Number(b.hasData) - Number(a.hasData) || byName.compare(a.name.ru, b.name.ru) || a.id - b.id);
	if (!tops[0]) throw new NotFoundError('organization');
	return tops[0];
}

/** Sums rows into one Measures per key. */
function groupMeasures<R extends Measures>(rows: Iterable<R>, key: (r: R) => number): Map<number, Measures> {
	const out = new Map<number, Measures>();
	for (const r of rows) {
		const k = key(r);
		out.set(k, sumMeasures([out.get(k) ?? EMPTY_MEASURES, r]));
	}
	return out;
}

/** Rows of this year and of the year before, by key. */
function bucket<R extends { year: number }>(rows: readonly R[], key: (r: R) => number, year: number): Map<number, { current: R[]; previous: R[] }> {
	const out = new Map<number, { current: R[]; previous: R[] }>();
	for (const r of rows) {
		if (r.year !== year && r.year !== year - 1) continue;
		const k = key(r);
		let b = out.get(k);
		if (!b) out.set(k, (b = { current: [], previous: [] }));
		(r.year === year ? b.current : b.previous).push(r);
	}
	return out;
}

/** The organizations the person may open as root: visible branches, the root and its path, depth-first. */
function pickerOf(branches: BranchRow[], root: OrganizationRow, path: OrganizationRef[], scope: Scope) {
	const keep = new Set([root.id, ...path.map((p) => p.id)]);
	const rows = branches.filter((b) => keep.has(b.id) || visible(scope, b.id));
	const out: Array<OrganizationRef & { depth: number }> = [];
	const walk = (nodes: TreeNode<BranchRow>[], depth: number) => {
		for (const n of nodes) {
			out.push({ ...ref(n.org), depth });
			walk(n.children, depth + 1);
		}
	};
	walk(buildTree(rows, treeOrder), 0);
	return out;
}

/** From the highest visible ancestor down to the root's parent, in the year's tree. */
function pathOf(branches: BranchRow[], rootId: number, scope: Scope): OrganizationRef[] {
	const byId = new Map(branches.map((b) => [b.id, b]));
	const path: OrganizationRef[] = [];
	const seen = new Set([rootId]);
	for (let id = byId.get(rootId)?.parentId ?? null; id !== null && !seen.has(id); ) {
		seen.add(id);
		const node = byId.get(id);
		if (!node) break;
		if (visible(scope, id)) path.unshift(ref(node));
		id = node.parentId;
	}
	return path;
}

export async function loadDashboard(db: Kysely<Database>, scope: Scope, req: DashboardRequest, asOfYear: number): Promise<DashboardData> {
	await refreshCompliance(db);
	const [catalogue, services, root] = await Promise.all([
		findIndicatorCatalogue(db),
		findServiceCatalogue(db),
		req.organizationId === null ? defaultRoot(db, scope) : findOrganizationRef(db, req.organizationId)
	]);
	if (!root || !visible(scope, root.id)) throw new NotFoundError('organization');
	if (req.serviceId !== null && !services.some((s) => s.id === req.serviceId)) throw new NotFoundError('service');

	const indicators: IndicatorInfo[] = catalogue.indicators;
	const groupOf = new Map(indicators.map((i) => [i.id, i.group]));
	const shown = indicators.filter((i) => req.group === null || i.group === req.group);
	const trendIndicator = req.indicator === null ? (shown[0] ?? indicators[0]) : indicators.find((i) => i.code === req.indicator);
	if (!trendIndicator) throw new NotFoundError('indicator');

	const [measureRows, volumeRows] = await Promise.all([findSubtreeMeasures(db, root.id), findSubtreeVolumes(db, root.id)]);

	// Years with figures in the subtree (whatever the filters): a value or a 0 of 0 typed, or a volume.
	const activity = new Map<number, number>();
	for (const r of measureRows) activity.set(r.year, (activity.get(r.year) ?? 0) + r.reported + r.valued);
	for (const r of volumeRows) activity.set(r.year, (activity.get(r.year) ?? 0) + r.reported);
	const dataYears = [...activity].filter(([, n]) => n > 0).map(([y]) => y).sort((a, b) => a - b);
	const year = req.year ?? dataYears.filter((y) => y <= asOfYear).at(-1) ?? asOfYear;
	const years = [...new Set([...dataYears, year])].sort((a, b) => a - b);
	const hasPrevious = dataYears.includes(year - 1);

	const filters = { kind: req.kind, serviceId: req.serviceId, group: req.group };
	const [children, unitRows, branches] = await Promise.all([
		findChildren(db, root.id, year),
		findChildMeasures(db, root.id, year, filters),
		findBranches(db, root.id, year)
	]);

	// The filters, applied to the subtree's rows (groups only where the set of indicators is meant).
	const inKindAndService = (r: { kind: OrganizationKindCode; serviceId: number }) =>
		(req.kind === null || r.kind === req.kind) && (req.serviceId === null || r.serviceId === req.serviceId);
	const inGroup = (r: MeasureRow) => req.group === null || groupOf.get(r.indicatorId) === req.group;
	const measures = measureRows.filter((r) => inKindAndService(r));
	const grouped = measures.filter(inGroup);
	const volumes = volumeRows.filter(inKindAndService);

	const measuresIn = (y: number) => sumMeasures(grouped.filter((r) => r.year === y));
	const volumesIn = (y: number): Volumes => sumVolumes(volumes.filter((r) => r.year === y));
	const sumsIn = (y: number): YearSums => ({ measures: measuresIn(y), volumes: volumesIn(y) });

	const cellsOf = (byIndicator: Map<number, Measures>): Pick<ScorecardRow, 'rate' | 'cells'> => {
		const cells: ScorecardRow['cells'] = {};
		for (const i of shown) cells[i.code] = rollUpCell(byIndicator.get(i.id) ?? EMPTY_MEASURES, i.polarity);
		return { rate: rateOf(sumMeasures(shown.map((i) => byIndicator.get(i.id) ?? EMPTY_MEASURES))), cells };
	};

	// Per service at the scope, this year and the year before (the service rows and the service ranking).
	const byService = bucket(grouped, (r) => r.serviceId, year);
	const serviceById = new Map(services.map((s) => [s.id, s]));
	const serviceUnits = [...byService]
		.filter(([, b]) => b.current.length > 0)
		.map(([id, b]) => ({ service: serviceById.get(id)!, ...b }))
		.sort((a, b) => a.service.code.localeCompare(b.service.code, 'en', { numeric: true }))
		.map((u) => ({
			service: u.service,
			byIndicator: groupMeasures(u.current, (r) => r.indicatorId),
			current: sumMeasures(u.current),
			previous: hasPrevious ? sumMeasures(u.previous) : null
		}));

	// Children's subtrees (and the root's own cells) this year and the year before.
	const byUnit = bucket(unitRows, (r) => r.unitId, year);
	const filtered = req.kind !== null || req.serviceId !== null;
	const orgRows: Array<{ row: ScorecardRow; current: Measures; previous: Measures | null }> = [];
	const unitRow = (o: OrganizationRow, kind: 'organization' | 'own', hasChildren: boolean) => {
		const b = byUnit.get(o.id) ?? { current: [], previous: [] };
		const row: ScorecardRow = { kind, id: o.id, code: o.code, name: o.name, hasChildren, ...cellsOf(groupMeasures(b.current, (r) => r.indicatorId)) };
		orgRows.push({ row, current: sumMeasures(b.current), previous: hasPrevious ? sumMeasures(b.previous) : null });
	};
	const withCells = (id: number) => (byUnit.get(id)?.current.length ?? 0) > 0;
	// Without filters every child is listed (missing reporting shows as no data); a kind or a
	// service filter leaves out the children that have nothing of that kind or service.
	for (const c of [...children].sort(treeOrder)) if (!filtered || withCells(c.id)) unitRow(c, 'organization', c.hasChildren);
	if (children.length > 0 && withCells(root.id)) unitRow(root, 'own', false);

	const rowKind = children.length > 0 ? 'organization' : 'service';
	const rows: ScorecardRow[] = rowKind === 'organization'
		? orgRows.map((r) => r.row)
		: serviceUnits.map((u) => ({ kind: 'service', id: u.service.id, code: u.service.code, name: u.service.title, hasChildren: false, ...cellsOf(u.byIndicator) }));
	const total: ScorecardRow = {
		kind: 'total', id: null, code: root.code, name: root.name, hasChildren: children.length > 0,
		...cellsOf(groupMeasures(grouped.filter((r) => r.year === year), (r) => r.indicatorId))
	};

	const trendRows = measures.filter((r) => r.indicatorId === trendIndicator.id);
	const points: TrendPoint[] = years.map((y) => {
		const cell = rollUpCell(sumMeasures(trendRows.filter((r) => r.year === y)), trendIndicator.polarity);
		return { year: y, counts: cell.counts, value: cell.value, normative: cell.normative, target: cell.target, smallSample: cell.smallSample };
	});

	const organizationsRanked = rank(orgRows.map((u) => ({ id: u.row.id!, code: u.row.code, name: u.row.name, current: u.current, previous: u.previous })));
	const servicesRanked = rank(serviceUnits.map((u) => ({ id: u.service.id, code: u.service.code, name: u.service.title, current: u.current, previous: u.previous })));

	const thisYear = measureRows.filter((r) => r.year === year);
	const kinds = new Set<OrganizationKindCode>([...thisYear.map((r) => r.kind), ...(req.kind ? [req.kind] : [])]);
	const provided = new Set([...thisYear.map((r) => r.serviceId), ...(req.serviceId ? [req.serviceId] : [])]);
	const path = pathOf(branches, root.id, scope);

	return {
		filters: { year, organizationId: root.id, kind: req.kind, serviceId: req.serviceId, group: req.group, indicator: trendIndicator.code },
		options: {
			years,
			kinds: ORGANIZATION_KINDS.filter((k) => kinds.has(k)),
			services: services.filter((s) => provided.has(s.id)),
			groups: catalogue.groups,
			indicators,
			organizations: pickerOf(branches, root, path, scope)
		},
		scope: { organization: ref(root), path },
		headline: headlineCards(sumsIn(year), hasPrevious ? sumsIn(year - 1) : null),
		byYear: yearRates(years.map((y) => ({ year: y, ...sumsIn(y) }))),
		scorecard: { rowKind, indicators: shown, rows, total },
		trend: { indicator: trendIndicator, points },
		channels: years.map((y) => {
			const v = volumesIn(y);
			return { year: y, provider: v.provider, stateCorporation: v.stateCorporation, egov: v.egov, total: servedTotal(v), electronicShare: electronicShare(v) };
		}),
		worst: { organizations: organizationsRanked.worst, services: servicesRanked.worst },
		improved: { organizations: organizationsRanked.improved, services: servicesRanked.improved }
	};
}
