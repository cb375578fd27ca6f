import { indicatorGroups, indicators as catalogueIndicators, services as catalogueServices } from '../../../../migrations/data/catalogue-v1';
import {
	EMPTY_MEASURES, electronicShare, headlineCards, leafMeasures, rank, rateOf, rollUpCell, servedTotal, sumMeasures, yearRates,
	type Measures, type Volumes
} from '$lib/domain/dashboard';
import type { ChannelYear, DashboardData, IndicatorInfo, OrganizationRef, ScorecardRow, TrendPoint } from '$lib/domain/dashboard-view';
import { createRng } from '$lib/domain/random';

/*
 * A realistic DashboardData for component tests and for looking at the page
 * before the service exists: the Rudny department with its own services and
 * eight subordinate organizations, five years, built from leaf counts by the
 * domain's own roll-up so every rate, status and verdict is one the engine
 * would give. It keeps the awkward cases in view: a year before any standard
 * (no normative: null rates), small samples, a 0 of 0 cell, an organization
 * with no figures, a lower-is-better indicator.
 */

export const FIXTURE_YEARS = [2021, 2022, 2023, 2024, 2025] as const;
export const FIXTURE_YEAR = 2025;

/** Normatives of the fixture's standard (in force from 2022: 2021 has none). */
const NORMATIVES: Record<string, number> = {
	'1.1': 95, '1.2': 90, '2.1': 90, '2.2': 95, '3.1': 90, '3.2': 90, '3.3': 100, '4.1': 0.5, '4.2': 95, '4.3': 85, '4.4': 85, '5.1': 95
};
/** Approved targets (from 2024), a little above the normative. */
const TARGETS: Record<string, number> = { '1.1': 97, '1.2': 93, '2.1': 93, '2.2': 97, '3.1': 92, '5.1': 97, '4.1': 0.3 };

export const fixtureIndicators: IndicatorInfo[] = catalogueIndicators.map((i, n) => ({
	id: n + 1,
	code: i.code,
	group: i.group,
	title: { kk: i.titleKk, ru: i.titleRu, en: i.titleEn },
	polarity: i.polarity,
	computed: i.code === '4.1' || i.code === '4.2',
	numerator: { kk: i.numeratorKk, ru: i.numeratorRu, en: i.numeratorEn },
	denominator: { kk: i.denominatorKk, ru: i.denominatorRu, en: i.denominatorEn }
}));

const region: OrganizationRef = {
	id: 1, code: 'KST-EDU', kind: 'region_department',
	name: { kk: 'Қостанай облыстық Білім департаменті', ru: 'Департамент образования Костанайской области', en: 'Education Department of Kostanay Region' }
};
const rudny: OrganizationRef = {
	id: 2, code: 'RUDNY-EDU', kind: 'city_department',
	name: { kk: '«Рудный қаласының білім бөлімі» мемлекеттік мекемесі', ru: 'ГУ «Отдел образования города Рудного»', en: 'State institution "Rudny City Education Department"' }
};
const school = (id: number, n: number): OrganizationRef => ({
	id, code: `RUDNY-SCH-${String(n).padStart(2, '0')}`, kind: 'school',
	name: { kk: `№ ${n} жалпы орта білім беретін мектеп (демо)`, ru: `Средняя школа № ${n} (демо)`, en: `Secondary school No. ${n} (demo)` }
});
const kindergarten = (id: number, n: number): OrganizationRef => ({
	id, code: `RUDNY-KG-${String(n).padStart(2, '0')}`, kind: 'kindergarten',
	name: { kk: `№ ${n} бөбекжай-бақша (демо)`, ru: `Ясли-сад № ${n} (демо)`, en: `Kindergarten No. ${n} (demo)` }
});
const children: OrganizationRef[] = [
	school(10, 3), school(11, 7), school(12, 12), kindergarten(20, 5), kindergarten(21, 9),
	{ id: 30, code: 'RUDNY-SUP-02', kind: 'supplementary', name: { kk: 'Рудный қаласы әкімдігінің «Балалар көркемсурет мектебі» КМҚК', ru: 'КГКП «Детская художественная школа» акимата города Рудного', en: 'Children’s Art School (municipal state enterprise of the Rudny city akimat)' } },
	{ id: 31, code: 'RUDNY-SUP-03', kind: 'supplementary', name: { kk: 'Рудный қаласы әкімдігінің «Балалар мен жастарды дамыту және шығармашылық сарайы» КМҚК', ru: 'КГКП «Дворец развития и творчества детей и юношества» акимата города Рудного', en: 'Palace of Development and Creativity of Children and Youth (municipal state enterprise of the Rudny city akimat)' } },
	school(13, 22)
];
/** The last child reported nothing at all: a row of "no data". */
const SILENT = 13;

/** One leaf cell's measures, assessed by the engine. */
function leaf(numerator: number, denominator: number, normative: number | null, target: number | null, indicator: IndicatorInfo): Measures {
	return leafMeasures({ numerator, denominator, normative, target, polarity: indicator.polarity, computed: indicator.computed });
}

const rng = createRng(20251122);

/** Cases per year for an organization: small for supplementary (small samples), large for the department's own. */
function casesFor(org: OrganizationRef, own: boolean): number {
	if (own) return rng.int(900, 1400);
	if (org.kind === 'supplementary') return rng.int(8, 28);
	if (org.kind === 'kindergarten') return rng.int(60, 160);
	return rng.int(120, 420);
}

/** measures[year][rowKey][indicatorCode] */
type Grid = Map<number, Map<string, Record<string, Measures>>>;

function buildGrid(): Grid {
	const grid: Grid = new Map();
	const units: Array<{ key: string; org: OrganizationRef; own: boolean }> = [
		{ key: 'own', org: rudny, own: true },
		...children.map((org) => ({ key: String(org.id), org, own: false }))
	];
	for (const year of FIXTURE_YEARS) {
		const rows = new Map<string, Record<string, Measures>>();
		// Quality drifts upwards over the years, unevenly across organizations.
		const drift = (year - FIXTURE_YEARS[0]) * 0.012;
		for (const u of units) {
			const cells: Record<string, Measures> = {};
			const skill = 0.86 + ((u.org.id * 37) % 11) / 100 + drift;
			for (const ind of fixtureIndicators) {
				const normative = year >= 2022 ? NORMATIVES[ind.code]! : null;
				const target = year >= 2024 ? (TARGETS[ind.code] ?? null) : null;
				if (u.org.id === SILENT && year >= 2024) {
					cells[ind.code] = { ...EMPTY_MEASURES, expected: ind.computed ? 0 : 1 };
					continue;
				}
				// A survey nobody answered: reported as 0 of 0.
				let den = u.org.id === 31 && ind.code === '1.2' ? 0 : casesFor(u.org, u.own);
				let num: number;
				if (ind.code === '4.1') {
					// Justified complaints over consumers served: a fraction of a per cent.
					num = rng.chance(0.6) ? 0 : rng.int(1, Math.max(1, Math.round(den * 0.012)));
				} else if (ind.code === '4.2') {
					// Over justified complaints: often 0 of 0 (no complaints at all).
					den = rng.chance(0.5) ? 0 : rng.int(1, 4);
					num = den === 0 ? 0 : rng.int(Math.max(0, den - 1), den);
				} else {
					const share = Math.min(1, skill + (rng.next() - 0.5) * 0.08);
					num = Math.min(den, Math.max(0, Math.round(den * share)));
				}
				cells[ind.code] = leaf(num, den, normative, target, ind);
			}
			rows.set(u.key, cells);
		}
		grid.set(year, rows);
	}
	return grid;
}

const grid = buildGrid();

function volumesFor(year: number): Volumes {
	const base = 8926 + (year - 2020) * 310;
	const egovShare = 0.62 + (year - 2021) * 0.035;
	const egov = Math.round(base * egovShare);
	const stateCorporation = Math.round(base * 0.03);
	return { provider: base - egov - stateCorporation, stateCorporation, egov, expected: 9 * 3 * 7, reported: year === FIXTURE_YEAR ? 9 * 3 * 7 - 12 : 9 * 3 * 7 };
}

function yearSums(year: number) {
	const rows = grid.get(year)!;
	return { measures: sumMeasures([...rows.values()].flatMap((cells) => Object.values(cells))), volumes: volumesFor(year) };
}

function rowOf(kind: ScorecardRow['kind'], org: OrganizationRef, cells: Record<string, Measures>, hasChildren = false): ScorecardRow {
	return {
		kind, id: kind === 'total' ? null : org.id, code: org.code, name: org.name, hasChildren,
		rate: rateOf(sumMeasures(Object.values(cells))),
		cells: Object.fromEntries(fixtureIndicators.map((i) => [i.code, rollUpCell(cells[i.code]!, i.polarity)]))
	};
}

function scorecardFor(year: number): DashboardData['scorecard'] {
	const rows = grid.get(year)!;
	const total: Record<string, Measures> = {};
	for (const i of fixtureIndicators) total[i.code] = sumMeasures([...rows.values()].map((cells) => cells[i.code]!));
	return {
		rowKind: 'organization',
		indicators: fixtureIndicators,
		rows: [rowOf('own', rudny, rows.get('own')!), ...children.map((c) => rowOf('organization', c, rows.get(String(c.id))!))],
		total: { ...rowOf('total', rudny, total), code: '', id: null }
	};
}

function trendFor(code: string): TrendPoint[] {
	const ind = fixtureIndicators.find((i) => i.code === code)!;
	return FIXTURE_YEARS.map((year) => {
		const cell = rollUpCell(sumMeasures([...grid.get(year)!.values()].map((cells) => cells[code]!)), ind.polarity);
		return { year, counts: cell.counts, value: cell.value, normative: cell.normative, target: cell.target, smallSample: cell.smallSample };
	});
}

const channels: ChannelYear[] = FIXTURE_YEARS.map((year) => {
	const v = volumesFor(year);
	return { year, provider: v.provider, stateCorporation: v.stateCorporation, egov: v.egov, total: servedTotal(v), electronicShare: electronicShare(v) };
});

const orgRanking = rank(
	children.map((c) => ({
		id: c.id, code: c.code, name: c.name,
		current: sumMeasures(Object.values(grid.get(FIXTURE_YEAR)!.get(String(c.id))!)),
		previous: sumMeasures(Object.values(grid.get(FIXTURE_YEAR - 1)!.get(String(c.id))!))
	}))
);

const fixtureServices = catalogueServices.slice(0, 21).map((s, n) => ({ id: 100 + n, code: s.code, title: { kk: s.titleKk, ru: s.titleRu, en: s.titleEn } }));

const serviceRanking = rank(
	fixtureServices.slice(0, 9).map((s, n) => {
		const make = (good: number, assessed: number): Measures => ({ ...EMPTY_MEASURES, assessed, meetsNormative: good, breaches: assessed - good, valued: assessed });
		return { id: s.id, code: s.code, name: s.title, current: make(80 - ((n * 7) % 23), 96), previous: make(78 - ((n * 11) % 19), 96) };
	})
);

export const dashboardFixture: DashboardData = {
	filters: { year: FIXTURE_YEAR, organizationId: rudny.id, kind: null, serviceId: null, group: null, indicator: '1.1' },
	options: {
		years: [...FIXTURE_YEARS],
		kinds: ['city_department', 'school', 'kindergarten', 'supplementary'],
		services: fixtureServices,
		groups: indicatorGroups.map((g) => ({ code: g.code, number: g.number, title: { kk: g.titleKk, ru: g.titleRu, en: g.titleEn } })),
		indicators: fixtureIndicators,
		organizations: [
			{ ...region, depth: 0 },
			{ ...rudny, depth: 1 },
			...children.map((c) => ({ ...c, depth: 2 }))
		]
	},
	scope: { organization: rudny, path: [region] },
	headline: headlineCards(yearSums(FIXTURE_YEAR), yearSums(FIXTURE_YEAR - 1)),
	byYear: yearRates(FIXTURE_YEARS.map((year) => ({ year, ...yearSums(year) }))),
	scorecard: scorecardFor(FIXTURE_YEAR),
	trend: { indicator: fixtureIndicators[0]!, points: trendFor('1.1') },
	channels,
	worst: { organizations: orgRanking.worst, services: serviceRanking.worst },
	improved: { organizations: orgRanking.improved, services: serviceRanking.improved }
};

/** The same scope one level down: a school without children, rows are its services, cells link to the evidence. */
export function serviceScorecardFixture(): DashboardData['scorecard'] {
	const base = scorecardFor(FIXTURE_YEAR);
	return {
		rowKind: 'service',
		indicators: base.indicators,
		rows: base.rows.slice(1, 5).map((r, n) => ({ ...r, kind: 'service', id: fixtureServices[n]!.id, code: fixtureServices[n]!.code, name: fixtureServices[n]!.title })),
		total: base.total
	};
}
