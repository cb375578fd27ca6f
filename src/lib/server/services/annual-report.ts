import type { Kysely } from 'kysely';
import { buildAnnualReport, isDepartment, type AnnualReport } from '../../domain/annual-report';
import { ORGANIZATION_KINDS } from '../../domain/dashboard';
import type { OrganizationRef } from '../../domain/dashboard-view';
import type { Database } from '../db/schema';
import {
	findReportComplaints, findReportMeasures, findReportOrganizationKinds, findReportProvisions, findReportReporting,
	findReportServices, findReportTargetSets, findReportVolumes
} from '../queries/annual-report';
import { findOrganizationRef, findScopeTops } from '../queries/dashboard';
import { listOrganizations } from '../queries/organizations';
import { loadDashboard, NotFoundError } from './dashboard';

/*
 * The annual report on public services of a department for a year: the
 * department resolved from the address (or the person's own), the year from
 * the years with figures (the latest by default), the compliance summary from
 * the dashboard's service (same numbers as /dashboard), everything else read
 * from the year's records; shaped by domain/annual-report.ts.
 */

export { NotFoundError };

type Scope = 'all' | ReadonlySet<number>;

export interface AnnualReportRequest {
	organizationId: number | null;
	year: number | null;
}

export interface AnnualReportPage {
	/** The organization asked for (or the person's default); null when the person sees no department at all. */
	organization: OrganizationRef | null;
	/** 'not_department': the organization is not an education department, so no report is made for it. */
	problem: 'no_department' | 'not_department' | null;
	/** The departments the person may report on (the picker). */
	departments: OrganizationRef[];
	years: number[];
	year: number | null;
	report: AnnualReport | null;
}

const kindRank = (k: OrganizationRef['kind']) => ORGANIZATION_KINDS.indexOf(k);
const treeOrder = (a: OrganizationRef, b: OrganizationRef) => kindRank(a.kind) - kindRank(b.kind) || a.code.localeCompare(b.code, 'en', { numeric: true });

/** Departments visible to the person, regions first. */
async function visibleDepartments(db: Kysely<Database>, scope: Scope): Promise<OrganizationRef[]> {
	const rows = await listOrganizations(db, scope);
	return rows
		.filter((o) => isDepartment(o.kind))
		.map((o) => ({ id: o.id, code: o.code, kind: o.kind, name: { kk: o.nameKk, ru: o.nameRu, en: o.nameEn } }))
		.sort(treeOrder);
}

/** The person's department: the top of their scope when it is one (one with figures first), else the first department they see. */
async function defaultDepartment(db: Kysely<Database>, scope: Scope, departments: OrganizationRef[]): Promise<OrganizationRef | null> {
	const tops = (await findScopeTops(db, scope)).filter((t) => isDepartment(t.kind));
	tops.sort((a, b) => Number(b.hasData) - Number(a.hasData) || treeOrder(a, b) || a.id - b.id);
	return tops[0] ?? departments[0] ?? null;
}

export async function loadAnnualReport(db: Kysely<Database>, scope: Scope, req: AnnualReportRequest, asOfYear: number): Promise<AnnualReportPage> {
	const departments = await visibleDepartments(db, scope);
	const organization = req.organizationId === null ? await defaultDepartment(db, scope, departments) : await findOrganizationRef(db, req.organizationId);
	const empty = { departments, years: [], year: req.year, report: null };
	if (!organization) {
		if (req.organizationId !== null) throw new NotFoundError('organization');
		return { organization: null, problem: 'no_department', ...empty };
	}
	if (scope !== 'all' && !scope.has(organization.id)) throw new NotFoundError('organization');
	if (!isDepartment(organization.kind)) return { organization, problem: 'not_department', ...empty };

	// The dashboard's service resolves the year (the latest with figures by default), brings the
	// pre-aggregated sums up to date and gives the compliance summary the dashboard shows.
	const dashboard = await loadDashboard(db, scope, { organizationId: organization.id, year: req.year, kind: null, serviceId: null, group: null, indicator: null }, asOfYear);
	const year = dashboard.filters.year;
	const rootId = organization.id;
	const [provisions, organizationsByKind, volumes, complaints, reporting, targetSets, measures] = await Promise.all([
		findReportProvisions(db, rootId, year),
		findReportOrganizationKinds(db, rootId, year),
		findReportVolumes(db, rootId, year),
		findReportComplaints(db, rootId, year),
		findReportReporting(db, rootId, year),
		findReportTargetSets(db, rootId, year),
		findReportMeasures(db, rootId, year)
	]);
	const serviceIds = new Set([...provisions, ...volumes, ...complaints, ...measures].map((x) => x.serviceId));
	const services = await findReportServices(db, [...serviceIds]);
	const report = buildAnnualReport({
		year,
		department: { id: organization.id, code: organization.code, kind: organization.kind, name: organization.name },
		services,
		organizationsByKind,
		provisions,
		volumes,
		complaints,
		reporting,
		targetSets,
		indicators: dashboard.options.indicators.map((i) => ({ id: i.id, code: i.code, title: i.title, polarity: i.polarity })),
		measures,
		headline: dashboard.headline,
		indicatorCells: dashboard.scorecard.total.cells
	});
	return { organization, problem: null, departments, years: [...dashboard.options.years].reverse(), year, report };
}
