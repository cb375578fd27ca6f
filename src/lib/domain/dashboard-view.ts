import type { ComplianceRate, Counts, Polarity } from './compliance';
import type { OrganizationKindCode } from './completeness';
import type { HeadlineCard, IndicatorGroup, Ranked, RolledCell, Texts, YearRate } from './dashboard';
import type { HistorySource } from './figure-history';

/*
 * The shape the dashboard page receives: plain, chart-ready data, built by
 * services/dashboard.ts from the pre-aggregated sums and the engine. Types
 * only, so components and tests can share them without the server.
 */

/** What the URL says; every field optional there, resolved here. */
export interface DashboardFilters {
	year: number;
	/** The subtree's root: one of the organizations the person may see. */
	organizationId: number;
	kind: OrganizationKindCode | null;
	serviceId: number | null;
	group: IndicatorGroup | null;
	/** The indicator of the trend chart (its code, e.g. "1.1"). */
	indicator: string;
}

export interface IndicatorInfo {
	id: number;
	code: string;
	group: IndicatorGroup;
	title: Texts;
	polarity: Polarity;
	/** Computed from the complaints register (4.1, 4.2), never typed. */
	computed: boolean;
	/** The standard's definition: what is counted above and below the line. */
	numerator: Texts;
	denominator: Texts;
}

export interface OrganizationRef {
	id: number;
	code: string;
	kind: OrganizationKindCode;
	name: Texts;
}

export interface ScorecardRow {
	/** organization: a child subtree (click drills into it); own: the scope organization's own services;
	 * service: one service of an organization without children (click filters to it); total: the roll-up row. */
	kind: 'organization' | 'own' | 'service' | 'total';
	/** Organization id (organization, own) or service id (service); null for the total. */
	id: number | null;
	code: string;
	name: Texts;
	/** True when the organization has children of its own that year (drilling goes one level down). */
	hasChildren: boolean;
	rate: ComplianceRate;
	/** Keyed by indicator code; every shown indicator has an entry. */
	cells: Record<string, RolledCell>;
}

export interface TrendPoint {
	year: number;
	counts: Counts | null;
	value: number | null;
	normative: number | null;
	target: number | null;
	smallSample: boolean;
}

export interface ChannelYear {
	year: number;
	provider: number;
	stateCorporation: number;
	egov: number;
	total: number;
	/** 0..1, null when nothing was served. */
	electronicShare: number | null;
}

export interface DashboardData {
	filters: DashboardFilters;
	options: {
		/** Years with any figures in the scope, ascending. */
		years: number[];
		kinds: OrganizationKindCode[];
		services: Array<{ id: number; code: string; title: Texts }>;
		groups: Array<{ code: IndicatorGroup; number: number; title: Texts }>;
		/** Every indicator (the trend picker), in the standard's order. */
		indicators: IndicatorInfo[];
		/** The organizations the person may open as the scope root, depth-first, for the picker. */
		organizations: Array<OrganizationRef & { depth: number }>;
	};
	scope: {
		organization: OrganizationRef;
		/** From the highest visible ancestor down to the scope's parent (the breadcrumb). */
		path: OrganizationRef[];
	};
	headline: HeadlineCard[];
	/** Compliance over every year with data, for the filtered set. */
	byYear: YearRate[];
	scorecard: {
		rowKind: 'organization' | 'service';
		/** The columns: the indicators left by the group filter, in the standard's order. */
		indicators: IndicatorInfo[];
		rows: ScorecardRow[];
		total: ScorecardRow;
	};
	trend: { indicator: IndicatorInfo; points: TrendPoint[] };
	channels: ChannelYear[];
	worst: { organizations: Ranked[]; services: Ranked[] };
	improved: { organizations: Ranked[]; services: Ranked[] };
}

/** One figure behind a number: the end of the drill-down. */
export interface EvidenceData {
	organization: OrganizationRef;
	path: OrganizationRef[];
	service: { id: number; code: string; title: Texts };
	indicator: IndicatorInfo;
	year: number;
	cell: RolledCell;
	/** The standard in force that year (the source of the normative), if any. */
	standard: { actNumber: string; actDate: string; actIssuer: Texts } | null;
	target: { value: number; status: 'draft' | 'approved'; protocolNumber: string | null; protocolDate: string | null } | null;
	measurement: { comment: string | null; source: string; version: number; updatedAt: string; updatedBy: string | null } | null;
	/** Changes to this figure, newest first (from the audit trail). */
	history: Array<{ at: string; actor: string | null; numerator: number | null; denominator: number | null; comment: string | null; action: 'insert' | 'update' | 'delete';
		/** Where the value came from (the grid, a spreadsheet import, the demo data): names the writer when no person did. */
		source: HistorySource | null }>;
	/** The register rows behind 4.1 / 4.2, and for any indicator the year's complaints about this service. */
	complaints: Array<{ id: number; receivedOn: string; dueOn: string; answeredOn: string | null; justified: boolean | null; satisfied: boolean | null; inTerm: boolean | null; summary: string | null }>;
	/** The same cell in the other years, for context. */
	years: TrendPoint[];
}
