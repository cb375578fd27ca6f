import { describe, expect, it } from 'vitest';
import { buildAnnualReport, isDepartment, percent1, reportFileName, type AnnualReportInput, type ReportService } from './annual-report';
import { EMPTY_MEASURES, headlineCards, leafMeasures, sumMeasures, EMPTY_VOLUMES } from './dashboard';

const svc = (id: number, code: string, channels: ReportService['channels'] = ['egov']): ReportService => ({
	id, code, title: { kk: `${code} kk`, ru: `${code} ru`, en: null }, channels, channelsNote: { kk: null, ru: null }, isPaid: false
});

function input(over: Partial<AnnualReportInput> = {}): AnnualReportInput {
	return {
		year: 2020,
		department: { id: 1, code: 'CITY', kind: 'city_department', name: { kk: 'Бөлім', ru: 'Отдел', en: null } },
		services: [svc(10, 'S01'), svc(11, 'S02'), svc(12, 'S12'), svc(13, 'S13'), svc(14, 'S19')],
		organizationsByKind: [{ kind: 'school', organizations: 2 }, { kind: 'kindergarten', organizations: 3 }],
		provisions: [
			{ own: true, kind: 'city_department', serviceId: 10, organizations: 1 },
			{ own: true, kind: 'city_department', serviceId: 11, organizations: 1 },
			{ own: false, kind: 'school', serviceId: 14, organizations: 2 },
			{ own: false, kind: 'school', serviceId: 13, organizations: 2 },
			{ own: false, kind: 'kindergarten', serviceId: 12, organizations: 3 },
			{ own: false, kind: 'kindergarten', serviceId: 13, organizations: 3 }
		],
		volumes: [
			{ own: true, kind: 'city_department', serviceId: 10, provider: 0, stateCorporation: 5, egov: 10 },
			{ own: true, kind: 'city_department', serviceId: 11, provider: 0, stateCorporation: 0, egov: 300 },
			{ own: false, kind: 'school', serviceId: 14, provider: 100, stateCorporation: 0, egov: 200 },
			{ own: false, kind: 'school', serviceId: 13, provider: 10, stateCorporation: 20, egov: 0 },
			{ own: false, kind: 'kindergarten', serviceId: 12, provider: 50, stateCorporation: 0, egov: 250 },
			{ own: false, kind: 'kindergarten', serviceId: 13, provider: 5, stateCorporation: 10, egov: 0 }
		],
		complaints: [],
		reporting: { due: 6, submitted: 1, approved: 4 },
		targetSets: [],
		indicators: [{ id: 1, code: '1.1', title: { kk: 'a', ru: 'a', en: null }, polarity: 'higher_is_better' }],
		measures: [],
		headline: headlineCards({ measures: EMPTY_MEASURES, volumes: EMPTY_VOLUMES }, null),
		indicatorCells: {},
		...over
	};
}

describe('the annual report', () => {
	it('splits services by who provides them, with channels, and totals every channel', () => {
		const r = buildAnnualReport(input());
		expect(r.serviceKinds).toBe(5);
		expect(r.totals).toEqual({ provider: 165, stateCorporation: 35, egov: 760, total: 960 });
		expect(r.own.services.map((l) => l.service.code)).toEqual(['S01', 'S02']);
		expect(r.own.served.total).toBe(315);
		// Groups in the kinds' order (schools before kindergartens), services by code.
		expect(r.groups.map((g) => [g.kind, g.organizations, g.services.map((l) => l.service.code)])).toEqual([
			['school', 2, ['S13', 'S19']],
			['kindergarten', 3, ['S12', 'S13']]
		]);
		// A service several kinds provide is counted in each kind with its own volume…
		expect(r.groups[0]!.services[0]!.served).toEqual({ provider: 10, stateCorporation: 20, egov: 0, total: 30 });
		expect(r.groups[1]!.services[1]!.served.total).toBe(15);
		// …and the groups' sums make up the totals.
		expect(r.own.served.total + r.groups.reduce((s, g) => s + g.served.total, 0)).toBe(r.totals.total);
	});

	it('ranks the most demanded services over the whole subtree, five at most, ties by code', () => {
		const r = buildAnnualReport(input());
		expect(r.mostDemanded.map((d) => [d.rank, d.service.code, d.served])).toEqual([
			[1, 'S02', 300], [2, 'S12', 300], [3, 'S19', 300], [4, 'S13', 45], [5, 'S01', 15]
		]);
		const none = buildAnnualReport(input({ volumes: [] }));
		expect(none.mostDemanded).toEqual([]);
		expect(none.totals.total).toBe(0);
	});

	it('says "no complaints" when none were received, and counts them when some were', () => {
		expect(buildAnnualReport(input()).complaints).toMatchObject({ verdict: 'none', received: 0 });
		const r = buildAnnualReport(input({
			complaints: [
				{ serviceId: 14, received: 2, justified: 1, unjustified: 1, pending: 0, answered: 2, answeredInTerm: 1, satisfied: 1 },
				{ serviceId: 10, received: 1, justified: 0, unjustified: 0, pending: 1, answered: 0, answeredInTerm: 0, satisfied: 0 }
			]
		}));
		expect(r.complaints).toMatchObject({ verdict: 'received', received: 3, justified: 1, unjustified: 1, pending: 1, answered: 2, answeredInTerm: 1, satisfied: 1 });
		expect(r.complaints.byService.map((x) => x.service.code)).toEqual(['S19', 'S01']);
	});

	it('reads internal control from the engine: all meet, breaches listed most first, or nothing assessed', () => {
		const ok = leafMeasures({ numerator: 100, denominator: 100, normative: 100, target: 100, polarity: 'higher_is_better' });
		const bad = leafMeasures({ numerator: 95, denominator: 100, normative: 100, target: 100, polarity: 'higher_is_better' });
		const allMeet = buildAnnualReport(input({ measures: [{ serviceId: 10, indicatorId: 1, measures: ok }] }));
		expect(allMeet.control).toMatchObject({ verdict: 'all_meet', assessed: 1, meetingNormative: 1, breaches: 0, breachLines: [] });
		const withBreaches = buildAnnualReport(input({
			measures: [
				{ serviceId: 10, indicatorId: 1, measures: sumMeasures([ok, bad]) },
				{ serviceId: 14, indicatorId: 1, measures: sumMeasures([bad, bad]) }
			]
		}));
		expect(withBreaches.control).toMatchObject({ verdict: 'breaches', assessed: 4, meetingNormative: 1, breaches: 3 });
		expect(withBreaches.control.breachLines.map((b) => [b.service.code, b.breaches, b.cell.value])).toEqual([['S19', 2, 95], ['S01', 1, 97.5]]);
		expect(buildAnnualReport(input()).control.verdict).toBe('not_assessed');
	});

	it('counts reporting years still open and keeps each approved protocol once', () => {
		const r = buildAnnualReport(input({
			targetSets: [
				{ status: 'approved', protocolNumber: '7', protocolDate: '2019-12-20' },
				{ status: 'approved', protocolNumber: '7', protocolDate: '2019-12-20' },
				{ status: 'approved', protocolNumber: '3', protocolDate: '2019-11-01' },
				{ status: 'draft', protocolNumber: null, protocolDate: null }
			]
		}));
		expect(r.control.reporting).toEqual({ due: 6, submitted: 1, approved: 4, open: 1 });
		expect(r.control.approvedProtocols).toEqual([{ number: '3', date: '2019-11-01' }, { number: '7', date: '2019-12-20' }]);
		expect(r.control.draftSets).toBe(1);
	});

	it('lists a kind of organization with nothing provided, and refuses a service it was not told about', () => {
		const r = buildAnnualReport(input({ organizationsByKind: [{ kind: 'supplementary', organizations: 3 }], provisions: [], volumes: [] }));
		expect(r.groups).toEqual([{ kind: 'supplementary', organizations: 3, services: [], served: { provider: 0, stateCorporation: 0, egov: 0, total: 0 } }]);
		expect(() => buildAnnualReport(input({ provisions: [{ own: true, kind: 'city_department', serviceId: 99, organizations: 1 }] }))).toThrow(/service 99/);
	});

	it('knows departments, rounds shares and names the file', () => {
		expect(isDepartment('city_department') && isDepartment('region_department')).toBe(true);
		expect(isDepartment('school')).toBe(false);
		expect(percent1(0.69255)).toBe(69.3);
		expect(percent1(null)).toBeNull();
		expect(reportFileName('RUDNY-EDU', 2020, 'ru')).toBe('sapa-annual-report-RUDNY-EDU-2020-ru.docx');
		expect(reportFileName('a b', 2020, 'kk')).toBe('sapa-annual-report-a_b-2020-kk.docx');
	});
});
