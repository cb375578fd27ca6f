import JSZip from 'jszip';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { reportFacts } from '../../../../migrations/data/catalogue-v1';
import { renderAnnualReport } from '../../ui/annual-report-document';
import { formatCount } from '../../ui/format';
import { idOf } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { seedDemo } from '../demo/seed';
import { annualReportDocx } from '../export/annual-report-docx';
import { findSubtreeIds } from '../queries/access';
import { loadAnnualReport, NotFoundError } from './annual-report';
import { loadDashboard } from './dashboard';

/**
 * The annual report over the demo data: its numbers against direct SQL over
 * the raw tables and against the dashboard, and the published facts of seed
 * 000 (Rudny, 2020 by channel; 2021's most demanded services; no complaints
 * in 2020–2021) reproduced to the unit.
 */

const AS_OF = 2026;

describeDb('the annual report on public services', (ctx) => {
	let rudny: number, region: number, school7: number, otherRegion: number;
	let rudnyScope: Set<number>;

	beforeAll(async () => {
		const db = ctx.db;
		await seedDemo(db);
		rudny = await idOf(db, 'organization', 'RUDNY-EDU');
		region = await idOf(db, 'organization', 'KST-EDU');
		school7 = await idOf(db, 'organization', 'RUDNY-SCH-07');
		otherRegion = await idOf(db, 'organization', 'ALT-EDU');
		rudnyScope = new Set(await findSubtreeIds(db, [rudny]));
	}, 300_000);

	/** Served counts by channel over the organizations, straight from service_volume. */
	async function served(orgs: Iterable<number>, year: number) {
		const r = await sql<{ channel: string; n: number }>`
			SELECT channel, sum(count)::integer AS n FROM service_volume
			WHERE year = ${year} AND organization_id = ANY(${`{${[...orgs].join(',')}}`}::integer[]) GROUP BY channel`.execute(ctx.db);
		const by = Object.fromEntries(r.rows.map((x) => [x.channel, Number(x.n)]));
		return { provider: by.provider ?? 0, stateCorporation: by.state_corporation ?? 0, egov: by.egov ?? 0 };
	}

	it('reproduces seed 000 for Rudny 2020: 8,926 services, 2,475 by the provider, 269 via the State Corporation, 6,182 electronically', async () => {
		const page = await loadAnnualReport(ctx.db, rudnyScope, { organizationId: rudny, year: 2020 }, AS_OF);
		const r = page.report!;
		const f = reportFacts.year2020;
		expect(r.totals).toEqual({ total: f.total, provider: f.provider, stateCorporation: f.stateCorporation, egov: f.electronic });
		// The same as the raw volumes of the subtree and as the dashboard's channels.
		const raw = await served(rudnyScope, 2020);
		expect({ provider: r.totals.provider, stateCorporation: r.totals.stateCorporation, egov: r.totals.egov }).toEqual(raw);
		const d = await loadDashboard(ctx.db, rudnyScope, { organizationId: rudny, year: 2020, kind: null, serviceId: null, group: null, indicator: null }, AS_OF);
		expect(d.channels.find((c) => c.year === 2020)).toMatchObject({ total: f.total, provider: f.provider, stateCorporation: f.stateCorporation, egov: f.electronic });
		// Who provides what: the department's own 11 services, then schools, kindergartens, supplementary organizations.
		expect(r.own.services.map((l) => l.service.code)).toEqual(['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10', 'S11']);
		expect(r.groups.map((g) => [g.kind, g.organizations, g.services.length])).toEqual([
			['school', reportFacts.schools, 8], ['kindergarten', reportFacts.kindergartens, 2], ['supplementary', reportFacts.supplementary, 2]
		]);
		expect(r.serviceKinds).toBe(21);
		expect(r.groups.flatMap((g) => g.services).every((l) => !l.service.isPaid)).toBe(true);
		expect(r.own.served.total + r.groups.reduce((s, g) => s + g.served.total, 0)).toBe(f.total);
		// Seed 000's own channel wording for the department's services (kk).
		expect(r.own.services[3]!.service.channelsNote.kk).toBe('Мемлекеттік корпорация, облыстардың ЖАО, «электрондық үкіметтің» веб-порталы');
		expect(r.complaints.verdict).toBe('none');
	});

	it('lists 2021\'s most demanded services as seed 000 does, with its counts', async () => {
		const r = (await loadAnnualReport(ctx.db, rudnyScope, { organizationId: rudny, year: 2021 }, AS_OF)).report!;
		const want = [...reportFacts.mostDemanded2021].sort((a, b) => b.count - a.count).map((d) => [d.serviceCode, d.count]);
		expect(r.mostDemanded.map((d) => [d.service.code, d.served])).toEqual(want);
		expect(r.complaints).toMatchObject({ verdict: 'none', received: 0 });
	});

	it('counts the year\'s complaints of the subtree as the register holds them', async () => {
		for (const year of [2022, 2023, 2025]) {
			const r = (await loadAnnualReport(ctx.db, rudnyScope, { organizationId: rudny, year }, AS_OF)).report!;
			const raw = await sql<{ n: number; justified: number; in_term: number; pending: number }>`
				SELECT count(*)::integer AS n, count(*) FILTER (WHERE justified)::integer AS justified,
					count(*) FILTER (WHERE answered_within_term)::integer AS in_term, count(*) FILTER (WHERE justified IS NULL)::integer AS pending
				FROM complaint WHERE extract(year FROM received_on) = ${year}
					AND organization_id = ANY(${`{${[...rudnyScope].join(',')}}`}::integer[])`.execute(ctx.db);
			const x = raw.rows[0]!;
			expect(x.n).toBeGreaterThan(0);
			expect(r.complaints).toMatchObject({ verdict: 'received', received: x.n, justified: x.justified, answeredInTerm: x.in_term, pending: x.pending });
		}
	});

	it('gives the dashboard\'s compliance summary and the engine\'s breaches for the year', async () => {
		const year = 2024;
		const r = (await loadAnnualReport(ctx.db, rudnyScope, { organizationId: rudny, year }, AS_OF)).report!;
		const d = await loadDashboard(ctx.db, rudnyScope, { organizationId: rudny, year, kind: null, serviceId: null, group: null, indicator: null }, AS_OF);
		expect(r.compliance.headline).toEqual(d.headline);
		expect(r.compliance.indicators.map((i) => i.cell)).toEqual(d.scorecard.indicators.map((i) => d.scorecard.total.cells[i.code]));
		const normative = d.headline.find((h) => h.key === 'normative_rate')!;
		expect(r.control).toMatchObject({ assessed: normative.denominator, meetingNormative: normative.numerator, breaches: d.headline.find((h) => h.key === 'breaches')!.value });
		expect(r.control.breaches).toBe(r.control.breachLines.reduce((s, b) => s + b.breaches, 0));
		// Reporting years owed: every organization of the subtree provides services in the demo.
		expect(r.control.reporting.due).toBe(rudnyScope.size);
		expect(r.control.approvedProtocols.length).toBeGreaterThan(0);
	});

	it('opens on the person\'s department and the latest year with figures; refuses other kinds and other subtrees', async () => {
		const page = await loadAnnualReport(ctx.db, rudnyScope, { organizationId: null, year: null }, AS_OF);
		expect(page).toMatchObject({ problem: null, organization: { id: rudny }, year: 2025 });
		expect(page.years[0]).toBe(2025);
		expect(page.departments.map((x) => x.code)).toEqual(['RUDNY-EDU']);
		const regionPage = await loadAnnualReport(ctx.db, 'all', { organizationId: region, year: 2020 }, AS_OF);
		// The region's subtree holds Rudny's figures (and Lisakovsk's, which has none).
		expect(regionPage.report!.totals.total).toBe(reportFacts.year2020.total);
		expect(regionPage.report!.groups.map((g) => g.kind)).toEqual(['city_department', 'school', 'kindergarten', 'supplementary']);
		expect((await loadAnnualReport(ctx.db, rudnyScope, { organizationId: school7, year: null }, AS_OF)).problem).toBe('not_department');
		expect((await loadAnnualReport(ctx.db, new Set([school7]), { organizationId: null, year: null }, AS_OF))).toMatchObject({ problem: 'no_department', report: null });
		await expect(loadAnnualReport(ctx.db, rudnyScope, { organizationId: otherRegion, year: null }, AS_OF)).rejects.toBeInstanceOf(NotFoundError);
		await expect(loadAnnualReport(ctx.db, rudnyScope, { organizationId: region, year: null }, AS_OF)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('writes the Rudny 2020 report as a DOCX in Kazakh and in Russian, with the seed\'s sentence and numbers', async () => {
		const r = (await loadAnnualReport(ctx.db, rudnyScope, { organizationId: rudny, year: 2020 }, AS_OF)).report!;
		const f = reportFacts.year2020;
		const n = (v: number) => formatCount(v, 'ru');
		const text = async (lang: 'kk' | 'ru') => {
			const zip = await JSZip.loadAsync(await annualReportDocx(renderAnnualReport(r, lang)));
			const xml = await zip.file('word/document.xml')!.async('string');
			return xml.replace(/<[^>]+>/g, '');
		};
		const kk = await text('kk');
		expect(kk).toContain(`2020 жылы көрсетілген мемлекеттік қызметтер саны ${n(f.total)} құрады, оның ішінде көрсетілетін қызметті беруші арқылы – ${n(f.provider)}, Мемлекеттік корпорация арқылы – ${n(f.stateCorporation)}, электрондық түрде – ${n(f.electronic)}.`);
		expect(kk).toContain('шағымдар жоқ.');
		expect(kk).toContain('«Рудный қаласының білім бөлімі» мемлекеттік мекемесі');
		const ru = await text('ru');
		expect(ru).toContain(`В 2020 году количество оказанных государственных услуг составило ${n(f.total)}, в том числе через услугодателя – ${n(f.provider)}, через Государственную корпорацию – ${n(f.stateCorporation)}, в электронном виде – ${n(f.electronic)}.`);
		expect(ru).toContain('жалоб нет.');
		expect(ru).toContain('ГУ «Отдел образования города Рудного»');
	});
});
