import type { AnnualReport, ReportLang, ReportService, ServiceChannel, ServiceLine } from '$lib/domain/annual-report';
import { MOST_DEMANDED, percent1 } from '$lib/domain/annual-report';
import type { OrganizationKindCode } from '$lib/domain/completeness';
import type { HeadlineKey } from '$lib/domain/dashboard';
import * as m from '$lib/paraglide/messages';
import { formatCount, formatDate, formatPercent } from './format';

/*
 * The annual report written out in one official language (kk or ru): the
 * same list of blocks is shown as the page and saved as the DOCX, so the two
 * never differ. Wording follows seed 000 (the Rudny report) where it has one.
 */

export type ReportBlock =
	| { kind: 'title'; text: string }
	| { kind: 'subtitle'; text: string }
	| { kind: 'heading'; text: string }
	/** `fill`: what the system does not record, to be filled in before signing (shown apart, in italics). */
	| { kind: 'paragraph'; text: string; fill?: string }
	| { kind: 'list'; items: string[] }
	/** `id`: which table it is ('channels', 'own', 'group-school', 'complaints', 'breaches', 'headline', 'indicators'), for the page and tests. */
	| { kind: 'table'; id: string; head: string[]; rows: string[][]; foot?: string[]; numeric: boolean[]; widths: number[] };

export interface ReportDocument {
	lang: ReportLang;
	title: string;
	blocks: ReportBlock[];
}

/** Breach rows shown; the rest are counted in a sentence. */
export const BREACH_ROWS = 10;

// Shares of a whole (channels, headline rates) with exactly one decimal, so a column of them lines up:
// '3,0 %', '69,3 %', '100,0 %'. Kazakh writes numbers as Russian does (see ui/format.ts).
const ONE_DECIMAL = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percentOne = (v: number | null) => (v === null ? '—' : `${ONE_DECIMAL.format(v)} %`);

export function renderAnnualReport(report: AnnualReport, lang: ReportLang): ReportDocument {
	const o = { locale: lang } as const;
	const n = (v: number) => formatCount(v, lang);
	const pct = (v: number | null) => (v === null ? '—' : formatPercent(Math.round(v * 100) / 100, lang));
	const { year } = report;
	const name = report.department.name[lang];
	const title = (s: ReportService) => s.title[lang];
	const channelLabel: Record<ServiceChannel, () => string> = {
		state_corporation: () => m.rep_ch_state_corporation({}, o),
		egov: () => m.rep_ch_egov({}, o),
		state_body: () => m.rep_ch_state_body({}, o),
		local_executive_body: () => m.rep_ch_local_executive_body({}, o),
		education_org: () => m.rep_ch_education_org({}, o)
	};
	const kindsLabel: Record<OrganizationKindCode, () => string> = {
		region_department: () => m.rep_kinds_region_department({}, o),
		city_department: () => m.rep_kinds_city_department({}, o),
		school: () => m.rep_kinds_school({}, o),
		kindergarten: () => m.rep_kinds_kindergarten({}, o),
		supplementary: () => m.rep_kinds_supplementary({}, o),
		other: () => m.rep_kinds_other({}, o)
	};
	const ways = (s: ReportService) => {
		const note = s.channelsNote[lang];
		if (note) return note;
		const text = s.channels.map((c) => channelLabel[c]()).join(', ');
		return text.charAt(0).toUpperCase() + text.slice(1);
	};
	const servicesTable = (id: string, lines: ServiceLine[], withProviders: boolean): ReportBlock => ({
		kind: 'table',
		id,
		head: [
			m.rep_th_no({}, o), m.rep_th_service({}, o), m.rep_th_method({}, o), m.rep_th_paid({}, o),
			...(withProviders ? [m.rep_th_providers({}, o)] : []), m.rep_th_served({}, o)
		],
		rows: lines.map((l, i) => [
			String(i + 1), title(l.service), ways(l.service), l.service.isPaid ? m.rep_paid({}, o) : m.rep_free({}, o),
			...(withProviders ? [n(l.organizations)] : []), n(l.served.total)
		]),
		foot: ['', m.rep_total({}, o), '', '', ...(withProviders ? [''] : []), n(lines.reduce((s, l) => s + l.served.total, 0))],
		numeric: [true, false, false, false, ...(withProviders ? [true] : []), true],
		widths: withProviders ? [5, 33, 21, 14, 12, 15] : [5, 42, 24, 14, 15]
	});

	const t = report.totals;
	const share = (v: number) => (t.total === 0 ? '—' : percentOne(percent1(v / t.total)));
	const blocks: ReportBlock[] = [
		{ kind: 'title', text: m.rep_doc_title({}, o) },
		{ kind: 'subtitle', text: name },
		{ kind: 'subtitle', text: m.rep_doc_year({ year }, o) },
		{ kind: 'heading', text: m.rep_s1({}, o) },
		{ kind: 'paragraph', text: m.rep_s1_provider({}, o) },
		{ kind: 'paragraph', text: m.rep_p_kinds({ name, count: n(report.serviceKinds) }, o) },
		{ kind: 'paragraph', text: m.rep_p_totals({ year, total: n(t.total), provider: n(t.provider), sc: n(t.stateCorporation), egov: n(t.egov) }, o) },
		{
			kind: 'table',
			id: 'channels',
			head: [m.rep_th_channel({}, o), m.rep_th_count({}, o), m.rep_th_share({}, o)],
			rows: [
				[m.rep_via_provider({}, o), n(t.provider), share(t.provider)],
				[m.rep_via_state_corporation({}, o), n(t.stateCorporation), share(t.stateCorporation)],
				[m.rep_via_egov({}, o), n(t.egov), share(t.egov)]
			],
			foot: [m.rep_total({}, o), n(t.total), t.total === 0 ? '—' : percentOne(100)],
			numeric: [false, true, true],
			widths: [60, 20, 20]
		}
	];

	if (report.own.services.length > 0) {
		blocks.push({ kind: 'paragraph', text: m.rep_p_own({ name, count: n(report.own.services.length) }, o) }, servicesTable('own', report.own.services, false));
	} else {
		blocks.push({ kind: 'paragraph', text: m.rep_p_own_none({ name }, o) });
	}
	for (const g of report.groups) {
		const kind = kindsLabel[g.kind]();
		if (g.services.length === 0) {
			blocks.push({ kind: 'paragraph', text: m.rep_p_group_none({ kind, orgs: n(g.organizations), year }, o) });
			continue;
		}
		blocks.push({ kind: 'paragraph', text: m.rep_p_group({ kind, orgs: n(g.organizations), services: n(g.services.length) }, o) }, servicesTable(`group-${g.kind}`, g.services, true));
	}

	if (report.mostDemanded.length > 0) {
		blocks.push(
			{ kind: 'paragraph', text: m.rep_p_demanded({}, o) },
			{ kind: 'list', items: report.mostDemanded.slice(0, MOST_DEMANDED).map((d) => m.rep_demanded_item({ title: title(d.service), year, count: n(d.served) }, o)) }
		);
	} else {
		blocks.push({ kind: 'paragraph', text: m.rep_p_demanded_none({ year }, o) });
	}

	// 2. Work with service recipients: seed 000 writes it as prose the system does not record.
	blocks.push({ kind: 'heading', text: m.rep_s_recipients({}, o) }, { kind: 'paragraph', text: '', fill: m.rep_recipients_fill({}, o) });

	// 3. Control of quality: complaints and internal control from the records; the authorized body's control
	// and public monitoring are not recorded, so they are left to be filled in.
	const c = report.complaints;
	blocks.push(
		{ kind: 'heading', text: m.rep_s2({}, o) },
		{
			kind: 'paragraph',
			text: `${m.rep_complaints_lead({}, o)} ${c.verdict === 'none'
				? m.rep_complaints_none({}, o)
				: m.rep_complaints_some({ year, received: n(c.received), justified: n(c.justified), unjustified: n(c.unjustified), pending: n(c.pending), answered: n(c.answered), inTerm: n(c.answeredInTerm), satisfied: n(c.satisfied) }, o)}`
		}
	);
	if (c.byService.length > 0) {
		blocks.push({
			kind: 'table',
			id: 'complaints',
			head: [m.rep_th_service({}, o), m.rep_th_received({}, o), m.rep_th_justified({}, o), m.rep_th_in_term({}, o), m.rep_th_satisfied({}, o)],
			rows: c.byService.map((x) => [title(x.service), n(x.received), n(x.justified), n(x.answeredInTerm), n(x.satisfied)]),
			foot: [m.rep_total({}, o), n(c.received), n(c.justified), n(c.answeredInTerm), n(c.satisfied)],
			numeric: [false, true, true, true, true],
			widths: [33, 14, 15, 19, 19]
		});
	}
	const k = report.control;
	const verdict = k.verdict === 'all_meet'
		? m.rep_control_all_meet({ year, assessed: n(k.assessed) }, o)
		: k.verdict === 'breaches'
			? m.rep_control_breaches({ year, assessed: n(k.assessed), meeting: n(k.meetingNormative), breaches: n(k.breaches) }, o)
			: m.rep_control_not_assessed({ year }, o);
	blocks.push({ kind: 'paragraph', text: `${m.rep_control_lead({}, o)} ${verdict}` });
	if (k.breachLines.length > 0) {
		blocks.push(
			{ kind: 'paragraph', text: m.rep_breaches_table({}, o) },
			{
				kind: 'table',
				id: 'breaches',
				head: [m.rep_th_service({}, o), m.rep_th_indicator({}, o), m.rep_th_value({}, o), m.rep_th_normative({}, o), m.rep_th_breaches({}, o)],
				rows: k.breachLines.slice(0, BREACH_ROWS).map((b) => [
					title(b.service), `${b.indicator.code} ${b.indicator.title[lang]}`, pct(b.cell.value), pct(b.cell.normative), n(b.breaches)
				]),
				numeric: [false, false, true, true, true],
				widths: [31, 35, 11, 12, 11]
			}
		);
		if (k.breachLines.length > BREACH_ROWS) blocks.push({ kind: 'paragraph', text: m.rep_breaches_more({ count: n(k.breachLines.length - BREACH_ROWS) }, o) });
	}
	const r = k.reporting;
	blocks.push({ kind: 'paragraph', text: m.rep_reporting({ year, due: n(r.due), approved: n(r.approved), submitted: n(r.submitted), open: n(r.open) }, o) });
	blocks.push({
		kind: 'paragraph',
		text: k.approvedProtocols.length > 0
			? m.rep_targets_approved({ year, protocols: k.approvedProtocols.map((p) => m.rep_protocol({ number: p.number, date: formatDate(p.date, lang) }, o)).join('; ') }, o)
			: m.rep_targets_none({ year }, o)
	});
	if (k.draftSets > 0) blocks.push({ kind: 'paragraph', text: m.rep_targets_drafts({ count: n(k.draftSets) }, o) });
	blocks.push(
		{ kind: 'paragraph', text: m.rep_authority_lead({}, o), fill: m.rep_not_recorded({}, o) },
		{ kind: 'paragraph', text: m.rep_monitoring_lead({}, o), fill: m.rep_not_recorded({}, o) }
	);

	// 4. The year's compliance summary, as the dashboard shows it.
	const headlineLabel: Record<HeadlineKey, () => string> = {
		normative_rate: () => m.rep_h_normative_rate({}, o),
		target_rate: () => m.rep_h_target_rate({}, o),
		breaches: () => m.rep_h_breaches({}, o),
		completeness: () => m.rep_h_completeness({}, o),
		electronic_share: () => m.rep_h_electronic_share({}, o)
	};
	const cardValue = (v: number | null, key: HeadlineKey) => (v === null ? '—' : key === 'breaches' ? n(v) : percentOne(percent1(v)));
	blocks.push(
		{ kind: 'heading', text: m.rep_s3({}, o) },
		{
			kind: 'table',
			id: 'headline',
			head: [m.rep_th_measure({}, o), m.rep_th_year({ year }, o), m.rep_th_year({ year: year - 1 }, o)],
			rows: report.compliance.headline.map((h) => [
				headlineLabel[h.key](),
				h.numerator !== null && h.denominator !== null && h.value !== null
					? m.rep_of({ value: cardValue(h.value, h.key), numerator: n(h.numerator), denominator: n(h.denominator) }, o)
					: cardValue(h.value, h.key),
				cardValue(h.previous, h.key)
			]),
			numeric: [false, true, true],
			widths: [50, 30, 20]
		}
	);
	const status = { meets_target: m.rep_st_meets_target, meets_normative: m.rep_st_meets_normative, breach: m.rep_st_breach, no_data: m.rep_st_no_data };
	if (report.compliance.indicators.length > 0) {
		blocks.push(
			{ kind: 'paragraph', text: m.rep_indicators_lead({}, o) },
			{
				kind: 'table',
				id: 'indicators',
				head: [m.rep_th_no({}, o), m.rep_th_indicator({}, o), m.rep_th_value({}, o), m.rep_th_normative({}, o), m.rep_th_target({}, o), m.rep_th_assessment({}, o)],
				rows: report.compliance.indicators.map(({ indicator, cell }) => [
					indicator.code, indicator.title[lang], pct(cell.value), pct(cell.normative), pct(cell.target), status[cell.assessment.status]({}, o)
				]),
				numeric: [false, false, true, true, true, false],
				widths: [6, 40, 12, 12, 13, 17]
			}
		);
	}
	blocks.push({ kind: 'paragraph', text: m.rep_footer({}, o) });
	return { lang, title: `${m.rep_doc_title({}, o)} — ${name} — ${m.rep_doc_year({ year }, o)}`, blocks };
}
