import type { OrganizationKindCode } from './completeness';
import type { Polarity } from './compliance';
import { ORGANIZATION_KINDS, rollUpCell, sumMeasures, type HeadlineCard, type Measures, type RolledCell, type Texts } from './dashboard';

/*
 * The annual report on public services in the shape of seed 000 (the Rudny
 * education department's report), pure: from a department's figures of one
 * year to the report's sections and numbers. Language-independent: texts of
 * the catalogue stay in both languages, every sentence is a code with its
 * numbers, and the wording is chosen where the report is rendered.
 */

export type ReportLang = 'kk' | 'ru';
export const REPORT_LANGS = ['kk', 'ru'] as const satisfies readonly ReportLang[];

/** The report is made for an education department (of a region or a city). */
export const DEPARTMENT_KINDS = ['region_department', 'city_department'] as const satisfies readonly OrganizationKindCode[];
export function isDepartment(kind: OrganizationKindCode): boolean {
	return (DEPARTMENT_KINDS as readonly OrganizationKindCode[]).includes(kind);
}

/** How many services the "most demanded" list names (seed 000 names five). */
export const MOST_DEMANDED = 5;

export type ServiceChannel = 'state_corporation' | 'egov' | 'state_body' | 'local_executive_body' | 'education_org';

export interface ReportService {
	id: number;
	code: string;
	title: Texts;
	channels: ServiceChannel[];
	/** The standard's own wording of the ways of delivery, where the catalogue keeps it (seed 000's column). */
	channelsNote: { kk: string | null; ru: string | null };
	isPaid: boolean;
}

/** Who provided a service that year: the department itself (own) or its subordinate organizations of one kind. */
export interface ProvisionInput {
	own: boolean;
	kind: OrganizationKindCode;
	serviceId: number;
	/** Organizations of that group providing the service. */
	organizations: number;
}

/** Served in the year, by delivery channel, of one group and service. */
export interface VolumeInput {
	own: boolean;
	kind: OrganizationKindCode;
	serviceId: number;
	provider: number;
	stateCorporation: number;
	egov: number;
}

/** How the year's complaints ended up. */
export interface ComplaintCounts {
	received: number;
	justified: number;
	unjustified: number;
	/** Not yet examined (justified unknown). */
	pending: number;
	answered: number;
	answeredInTerm: number;
	satisfied: number;
}

/** Complaints received in the year about one service, anywhere in the subtree. */
export interface ComplaintInput extends ComplaintCounts {
	serviceId: number;
}

export interface TargetSetInput {
	status: 'draft' | 'approved';
	protocolNumber: string | null;
	protocolDate: string | null;
}

/** One service × indicator of the subtree in the year (pre-aggregated sums over every kind). */
export interface IndicatorMeasuresInput {
	serviceId: number;
	indicatorId: number;
	measures: Measures;
}

export interface ReportIndicator {
	id: number;
	code: string;
	title: Texts;
	polarity: Polarity;
}

export interface AnnualReportInput {
	year: number;
	department: { id: number; code: string; kind: OrganizationKindCode; name: Texts };
	services: ReportService[];
	/** Subordinate organizations in the subtree that year (the department itself not counted), by kind. */
	organizationsByKind: Array<{ kind: OrganizationKindCode; organizations: number }>;
	provisions: ProvisionInput[];
	volumes: VolumeInput[];
	complaints: ComplaintInput[];
	/** Organizations owing the year's figures (those providing services), and how far their reporting years got. */
	reporting: { due: number; submitted: number; approved: number };
	targetSets: TargetSetInput[];
	indicators: ReportIndicator[];
	/** The year's sums by service and indicator, for the breaches found. */
	measures: IndicatorMeasuresInput[];
	/** The dashboard's headline cards of the subtree and year (loadDashboard). */
	headline: HeadlineCard[];
	/** The dashboard's roll-up of the subtree and year per indicator code (scorecard total). */
	indicatorCells: Record<string, RolledCell>;
}

export interface Served {
	provider: number;
	stateCorporation: number;
	egov: number;
	total: number;
}

export interface ServiceLine {
	service: ReportService;
	/** Organizations of the group providing it. */
	organizations: number;
	served: Served;
}

export interface ProviderGroup {
	kind: OrganizationKindCode;
	/** Subordinate organizations of this kind in the subtree that year. */
	organizations: number;
	services: ServiceLine[];
	served: Served;
}

export interface Demanded {
	rank: number;
	service: ReportService;
	served: number;
}

export interface ComplaintSummary extends ComplaintCounts {
	/** 'none': no complaint received in the year (seed 000: «шағымдар жоқ»). */
	verdict: 'none' | 'received';
	byService: Array<{ service: ReportService } & ComplaintCounts>;
}

export interface BreachLine {
	service: ReportService;
	indicator: ReportIndicator;
	cell: RolledCell;
	/** Organization-level values below the normative. */
	breaches: number;
}

export interface InternalControl {
	/** 'all_meet': every value assessed meets the normative; 'breaches': some do not; 'not_assessed': nothing to judge. */
	verdict: 'all_meet' | 'breaches' | 'not_assessed';
	assessed: number;
	meetingNormative: number;
	breaches: number;
	/** The service × indicator pairs with breaches, most breaches first. */
	breachLines: BreachLine[];
	reporting: { due: number; submitted: number; approved: number; open: number };
	/** Target sets governing the year's targets in the subtree: the approved ones' protocols, and how many are still drafts. */
	approvedProtocols: Array<{ number: string; date: string }>;
	draftSets: number;
}

export interface AnnualReport {
	year: number;
	department: AnnualReportInput['department'];
	/** Distinct services provided anywhere in the subtree that year. */
	serviceKinds: number;
	totals: Served;
	own: { services: ServiceLine[]; served: Served };
	groups: ProviderGroup[];
	mostDemanded: Demanded[];
	complaints: ComplaintSummary;
	control: InternalControl;
	compliance: {
		headline: HeadlineCard[];
		indicators: Array<{ indicator: ReportIndicator; cell: RolledCell }>;
	};
}

const EMPTY_SERVED: Served = { provider: 0, stateCorporation: 0, egov: 0, total: 0 };

function addServed(a: Served, v: Pick<VolumeInput, 'provider' | 'stateCorporation' | 'egov'>): Served {
	const provider = a.provider + v.provider;
	const stateCorporation = a.stateCorporation + v.stateCorporation;
	const egov = a.egov + v.egov;
	return { provider, stateCorporation, egov, total: provider + stateCorporation + egov };
}

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, 'en', { numeric: true });
const groupKey = (own: boolean, kind: OrganizationKindCode) => (own ? 'own' : kind);

/** The report of one department and year. Throws when an input names a service or indicator it was not given. */
export function buildAnnualReport(input: AnnualReportInput): AnnualReport {
	const serviceById = new Map(input.services.map((s) => [s.id, s]));
	const service = (id: number) => {
		const s = serviceById.get(id);
		if (!s) throw new Error(`service ${id} missing from the report's catalogue`);
		return s;
	};
	const indicatorById = new Map(input.indicators.map((i) => [i.id, i]));

	// Served per group × service, and per service over the whole subtree.
	const servedBy = new Map<string, Served>();
	const servedOfService = new Map<number, Served>();
	let totals = EMPTY_SERVED;
	for (const v of input.volumes) {
		const key = `${groupKey(v.own, v.kind)}|${v.serviceId}`;
		servedBy.set(key, addServed(servedBy.get(key) ?? EMPTY_SERVED, v));
		servedOfService.set(v.serviceId, addServed(servedOfService.get(v.serviceId) ?? EMPTY_SERVED, v));
		totals = addServed(totals, v);
	}

	// Lines per group: a service provided by the group, with the group's providers and served counts.
	const lines = new Map<string, Map<number, ServiceLine>>();
	for (const p of input.provisions) {
		const key = groupKey(p.own, p.kind);
		let group = lines.get(key);
		if (!group) lines.set(key, (group = new Map()));
		const line = group.get(p.serviceId);
		if (line) line.organizations += p.organizations;
		else group.set(p.serviceId, { service: service(p.serviceId), organizations: p.organizations, served: servedBy.get(`${key}|${p.serviceId}`) ?? EMPTY_SERVED });
	}
	const sortedLines = (key: string) => [...(lines.get(key)?.values() ?? [])].sort((a, b) => byCode(a.service, b.service));
	const sumLines = (ls: ServiceLine[]) => ls.reduce((acc, l) => addServed(acc, l.served), EMPTY_SERVED);

	const ownLines = sortedLines('own');
	const orgCount = new Map(input.organizationsByKind.map((o) => [o.kind, o.organizations]));
	const groups: ProviderGroup[] = ORGANIZATION_KINDS
		.filter((k) => lines.has(k) || (orgCount.get(k) ?? 0) > 0)
		.map((kind) => {
			const services = sortedLines(kind);
			return { kind, organizations: orgCount.get(kind) ?? 0, services, served: sumLines(services) };
		});

	const provided = new Set(input.provisions.map((p) => p.serviceId));
	const mostDemanded: Demanded[] = [...servedOfService]
		.filter(([, s]) => s.total > 0)
		.map(([id, s]) => ({ service: service(id), served: s.total }))
		.sort((a, b) => b.served - a.served || byCode(a.service, b.service))
		.slice(0, MOST_DEMANDED)
		.map((d, i) => ({ rank: i + 1, ...d }));

	const c = input.complaints.reduce(
		(acc, x) => ({
			received: acc.received + x.received, justified: acc.justified + x.justified, unjustified: acc.unjustified + x.unjustified,
			pending: acc.pending + x.pending, answered: acc.answered + x.answered, answeredInTerm: acc.answeredInTerm + x.answeredInTerm,
			satisfied: acc.satisfied + x.satisfied
		}),
		{ received: 0, justified: 0, unjustified: 0, pending: 0, answered: 0, answeredInTerm: 0, satisfied: 0 }
	);
	const complaints: ComplaintSummary = {
		verdict: c.received === 0 ? 'none' : 'received',
		...c,
		byService: input.complaints
			.filter((x) => x.received > 0)
			.map(({ serviceId, ...rest }) => ({ service: service(serviceId), ...rest }))
			.sort((a, b) => b.received - a.received || byCode(a.service, b.service))
	};

	const year = sumMeasures(input.measures.map((x) => x.measures));
	const breachLines: BreachLine[] = input.measures
		.filter((x) => x.measures.breaches > 0)
		.map((x) => {
			const indicator = indicatorById.get(x.indicatorId);
			if (!indicator) throw new Error(`indicator ${x.indicatorId} missing from the report's catalogue`);
			return { service: service(x.serviceId), indicator, cell: rollUpCell(x.measures, indicator.polarity), breaches: x.measures.breaches };
		})
		.sort((a, b) => b.breaches - a.breaches || byCode(a.service, b.service) || byCode(a.indicator, b.indicator));
	const protocols = new Map<string, { number: string; date: string }>();
	for (const s of input.targetSets) {
		if (s.status === 'approved' && s.protocolNumber && s.protocolDate) protocols.set(`${s.protocolNumber}|${s.protocolDate}`, { number: s.protocolNumber, date: s.protocolDate });
	}
	const r = input.reporting;
	const control: InternalControl = {
		verdict: year.assessed === 0 ? 'not_assessed' : year.breaches > 0 ? 'breaches' : 'all_meet',
		assessed: year.assessed,
		meetingNormative: year.meetsNormative,
		breaches: year.breaches,
		breachLines,
		reporting: { due: r.due, submitted: r.submitted, approved: r.approved, open: Math.max(0, r.due - r.submitted - r.approved) },
		approvedProtocols: [...protocols.values()].sort((a, b) => a.date.localeCompare(b.date) || a.number.localeCompare(b.number)),
		draftSets: input.targetSets.filter((s) => s.status === 'draft').length
	};

	return {
		year: input.year,
		department: input.department,
		serviceKinds: provided.size,
		totals,
		own: { services: ownLines, served: sumLines(ownLines) },
		groups,
		mostDemanded,
		complaints,
		control,
		compliance: {
			headline: input.headline,
			indicators: input.indicators.filter((i) => input.indicatorCells[i.code]).map((i) => ({ indicator: i, cell: input.indicatorCells[i.code]! }))
		}
	};
}

/** A share 0..1 as a percentage rounded to one decimal (the report's numbers); null stays null. */
export function percent1(share: number | null): number | null {
	return share === null ? null : Math.round(share * 1000) / 10;
}

/** "report" file name: sapa-annual-report-RUDNY-EDU-2020-ru.docx. */
export function reportFileName(code: string, year: number, lang: ReportLang): string {
	const safe = code.replace(/[^A-Za-z0-9._-]/g, '_');
	return `sapa-annual-report-${safe}-${year}-${lang}.docx`;
}
