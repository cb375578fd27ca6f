import { beforeAll, expect, it } from 'vitest';
import { assess, complianceRate, percentOf, type Assessment, type Polarity } from '../../domain/compliance';
import type { IndicatorGroup } from '../../domain/dashboard';
import type { DashboardRequest } from '../../validation/dashboard-query';
import { idOf } from '../db/fixtures';
import type { OrganizationKind } from '../db/schema';
import { describeDb } from '../db/testing';
import { seedDemo } from '../demo/seed';
import { findSubtreeIds } from '../queries/access';
import { withActor } from './actor';
import { buildAnnex } from './annex';
import { loadDashboard, NotFoundError } from './dashboard';

/**
 * The dashboard's sums against the engine: every figure of the demo's Rudny
 * subtree in 2024 is assessed one annex at a time (buildAnnex), summed here by
 * hand, and must match what loadDashboard reads from the pre-aggregated tables.
 */

interface EngineCell {
	org: number;
	kind: OrganizationKind;
	service: number;
	code: string;
	group: IndicatorGroup;
	polarity: Polarity;
	counts: { numerator: number; denominator: number } | null;
	normative: number | null;
	target: number | null;
	assessment: Assessment;
}

const YEAR = 2024;
const AS_OF = 2026;
const none: DashboardRequest = { year: null, organizationId: null, kind: null, serviceId: null, group: null, indicator: null };

describeDb('the compliance dashboard', (ctx) => {
	let rudny: number, region: number, school7: number, otherRegion: number;
	let rudnyScope: Set<number>;
	let cells: EngineCell[];

	/** Every annex row of the organizations' provided services that year, as the engine assesses it. */
	async function engine(orgs: number[], year: number): Promise<EngineCell[]> {
		const db = ctx.db;
		const kinds = new Map((await db.selectFrom('organization').select(['id', 'kind']).execute()).map((o) => [o.id, o.kind]));
		const provisions = await db.selectFrom('service_provision').select(['organization_id', 'service_id'])
			.where('organization_id', 'in', orgs).where('year_from', '<=', year)
			.where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>=', year)])).distinct().execute();
		const out: EngineCell[] = [];
		for (const p of provisions) {
			const annex = await buildAnnex(db, { organizationId: p.organization_id, serviceId: p.service_id, year });
			for (const r of annex.rows) {
				out.push({
					org: p.organization_id, kind: kinds.get(p.organization_id)!, service: p.service_id, code: r.code, group: r.group.code,
					polarity: r.polarity, counts: r.counts, normative: r.normative,
					target: r.target?.status === 'approved' ? r.target.value : null, assessment: r.assessment
				});
			}
		}
		return out;
	}

	/** A roll-up by hand: summed counts, held against the case-weighted mean of the parts' references when every valued part has one. */
	function rolled(parts: EngineCell[], polarity: Polarity) {
		const valued = parts.filter((p) => p.counts && p.counts.denominator > 0);
		const numerator = parts.reduce((s, p) => s + (p.counts?.numerator ?? 0), 0);
		const denominator = parts.reduce((s, p) => s + (p.counts?.denominator ?? 0), 0);
		const weighted = (ref: (p: EngineCell) => number | null) =>
			valued.length === 0 || valued.some((p) => ref(p) === null)
				? null
				: Math.round((valued.reduce((s, p) => s + p.counts!.denominator * ref(p)!, 0) / denominator) * 1e6) / 1e6;
		const normative = weighted((p) => p.normative);
		const target = weighted((p) => p.target);
		const value = denominator === 0 ? null : percentOf({ numerator, denominator });
		return { numerator, denominator, normative, target, status: assess({ value, normative, target, polarity }).status };
	}

	beforeAll(async () => {
		const db = ctx.db;
		await seedDemo(db);
		rudny = await idOf(db, 'organization', 'RUDNY-EDU');
		region = await idOf(db, 'organization', 'KST-EDU');
		school7 = await idOf(db, 'organization', 'RUDNY-SCH-07');
		otherRegion = await idOf(db, 'organization', 'ALT-EDU');
		rudnyScope = new Set(await findSubtreeIds(db, [rudny]));
		cells = await engine([...rudnyScope], YEAR);
	}, 300_000);

	it('reads the headline normative rate of a subtree as the engine assesses its annexes', async () => {
		const d = await loadDashboard(ctx.db, rudnyScope, { ...none, year: YEAR }, AS_OF);
		expect(d.filters).toMatchObject({ year: YEAR, organizationId: rudny, kind: null, serviceId: null, group: null, indicator: '1.1' });
		const rate = complianceRate(cells.map((c) => c.assessment));
		expect(rate.assessed).toBeGreaterThan(100);
		const card = d.headline.find((h) => h.key === 'normative_rate')!;
		expect(card).toMatchObject({ numerator: rate.meetingNormative, denominator: rate.assessed });
		expect(card.value).toBeCloseTo(rate.normativeRate!, 12);
		expect(d.headline.find((h) => h.key === 'breaches')!.value).toBe(rate.breaches);
		expect(d.headline.find((h) => h.key === 'target_rate')).toMatchObject({ numerator: rate.meetingTarget, denominator: rate.withTarget });
		// The total row is the same subtree.
		expect(d.scorecard.total.rate).toEqual(rate);
		expect(d.byYear.find((y) => y.year === YEAR)).toMatchObject({ assessed: rate.assessed, meetingNormative: rate.meetingNormative });
	});

	it('sums a child subtree per indicator as the engine does, and assesses it against the weighted references', async () => {
		const d = await loadDashboard(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR }, AS_OF);
		expect(d.scorecard.rowKind).toBe('organization');
		expect(d.scorecard.indicators).toHaveLength(12);
		const schools = d.scorecard.rows.filter((r) => r.kind === 'organization');
		expect(schools.length).toBe(rudnyScope.size - 1);
		// The city department provides services itself: its own row.
		expect(d.scorecard.rows.filter((r) => r.kind === 'own').map((r) => r.id)).toEqual([rudny]);
		let compared = 0;
		for (const row of d.scorecard.rows) {
			for (const ind of d.scorecard.indicators) {
				const parts = cells.filter((c) => c.org === row.id && c.code === ind.code);
				const want = rolled(parts, ind.polarity);
				const got = row.cells[ind.code]!;
				expect(got.counts ?? { numerator: 0, denominator: 0 }, `${row.code} ${ind.code}`).toEqual({ numerator: want.numerator, denominator: want.denominator });
				expect(got.normative, `${row.code} ${ind.code}`).toBe(want.normative);
				expect(got.target, `${row.code} ${ind.code}`).toBe(want.target);
				expect(got.assessment.status, `${row.code} ${ind.code}`).toBe(want.status);
				compared++;
			}
			expect(row.rate).toEqual(complianceRate(cells.filter((c) => c.org === row.id).map((c) => c.assessment)));
		}
		expect(compared).toBeGreaterThan(400);
	});

	it('rolls a child with children of its own up from the roll-up table (the region above the city)', async () => {
		const d = await loadDashboard(ctx.db, 'all', { ...none, organizationId: region, year: YEAR }, AS_OF);
		const city = d.scorecard.rows.find((r) => r.id === rudny)!;
		expect(city).toMatchObject({ kind: 'organization', hasChildren: true });
		for (const ind of d.scorecard.indicators) {
			const want = rolled(cells.filter((c) => c.code === ind.code), ind.polarity);
			expect(city.cells[ind.code]!.counts, ind.code).toEqual({ numerator: want.numerator, denominator: want.denominator });
			expect(city.cells[ind.code]!.assessment.status, ind.code).toBe(want.status);
		}
		expect(city.rate).toEqual(complianceRate(cells.map((c) => c.assessment)));
		// The picker: organizations with children, never the schools.
		const picked = d.options.organizations.map((o) => o.code);
		expect(picked).toContain('KST-EDU');
		expect(picked).toContain('RUDNY-EDU');
		expect(picked.some((c) => c.startsWith('RUDNY-SCH'))).toBe(false);
		const depth = (code: string) => d.options.organizations.find((o) => o.code === code)?.depth;
		expect([depth('KST-EDU'), depth('RUDNY-EDU'), depth('ALT-EDU')]).toEqual([0, 1, 0]);
	});

	it('changes the numbers by service, kind and group the way the engine says', async () => {
		const s18 = await idOf(ctx.db, 'service', 'S18');
		const cases: Array<[Partial<DashboardRequest>, (c: EngineCell) => boolean]> = [
			[{ serviceId: s18 }, (c) => c.service === s18],
			[{ kind: 'kindergarten' }, (c) => c.kind === 'kindergarten'],
			[{ group: 'quality' }, (c) => c.group === 'quality'],
			[{ kind: 'school', group: 'timeliness' }, (c) => c.kind === 'school' && c.group === 'timeliness']
		];
		const all = complianceRate(cells.map((c) => c.assessment));
		for (const [filter, keep] of cases) {
			const d = await loadDashboard(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR, ...filter }, AS_OF);
			const rate = complianceRate(cells.filter(keep).map((c) => c.assessment));
			expect(rate.assessed, JSON.stringify(filter)).toBeLessThan(all.assessed);
			expect(d.headline.find((h) => h.key === 'normative_rate'), JSON.stringify(filter)).toMatchObject({ numerator: rate.meetingNormative, denominator: rate.assessed });
			expect(d.scorecard.total.rate, JSON.stringify(filter)).toEqual(rate);
		}
		const q = await loadDashboard(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR, group: 'quality' }, AS_OF);
		expect(q.scorecard.indicators.every((i) => i.group === 'quality')).toBe(true);
		expect(q.filters.indicator).toBe(q.scorecard.indicators[0]!.code);
		const k = await loadDashboard(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR, kind: 'kindergarten' }, AS_OF);
		expect(k.scorecard.rows.every((r) => r.code.startsWith('RUDNY-KG-'))).toBe(true);
	});

	it('starts on the top of the scope and the latest year with figures', async () => {
		const { max } = await ctx.db.selectFrom('measurement').select((eb) => eb.fn.max('year').as('max')).executeTakeFirstOrThrow();
		const d = await loadDashboard(ctx.db, rudnyScope, none, AS_OF);
		expect(d.scope.organization.id).toBe(rudny);
		expect(d.scope.path).toEqual([]);
		expect(d.filters.year).toBe(max);
		expect(d.options.years).toContain(YEAR);
		expect(d.trend.points.map((p) => p.year)).toEqual(d.options.years);
		expect(d.channels.find((c) => c.year === YEAR)!.total).toBeGreaterThan(0);
		// A global administrator lands on a region with figures.
		const admin = await loadDashboard(ctx.db, 'all', none, AS_OF);
		expect(admin.scope.organization.id).toBe(region);
		// The breadcrumb of a school seen by the city's head: only the visible ancestors.
		const school = await loadDashboard(ctx.db, rudnyScope, { ...none, organizationId: school7, year: YEAR }, AS_OF);
		expect(school.scope.path.map((p) => p.id)).toEqual([rudny]);
		const fromTop = await loadDashboard(ctx.db, 'all', { ...none, organizationId: school7, year: YEAR }, AS_OF);
		expect(fromTop.scope.path.map((p) => p.id)).toEqual([region, rudny]);
	});

	it('refuses an organization outside the scope as if unknown', async () => {
		const other = new Set(await findSubtreeIds(ctx.db, [otherRegion]));
		await expect(loadDashboard(ctx.db, other, { ...none, organizationId: rudny }, AS_OF)).rejects.toBeInstanceOf(NotFoundError);
		await expect(loadDashboard(ctx.db, 'all', { ...none, organizationId: 2_000_000_000 }, AS_OF)).rejects.toBeInstanceOf(NotFoundError);
		await expect(loadDashboard(ctx.db, rudnyScope, { ...none, serviceId: 2_000_000_000 }, AS_OF)).rejects.toBeInstanceOf(NotFoundError);
		await expect(loadDashboard(ctx.db, rudnyScope, { ...none, indicator: '9.9' }, AS_OF)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('shows a single school by its services', async () => {
		const d = await loadDashboard(ctx.db, new Set([school7]), { ...none, year: YEAR }, AS_OF);
		expect(d.scope.organization.id).toBe(school7);
		expect(d.scope.path).toEqual([]);
		expect(d.scorecard.rowKind).toBe('service');
		expect(d.options.organizations.map((o) => o.id)).toEqual([school7]);
		const own = cells.filter((c) => c.org === school7);
		expect(d.scorecard.rows.map((r) => r.id).sort((a, b) => a! - b!)).toEqual([...new Set(own.map((c) => c.service))].sort((a, b) => a - b));
		for (const row of d.scorecard.rows) {
			expect(row.kind).toBe('service');
			expect(row.rate).toEqual(complianceRate(own.filter((c) => c.service === row.id).map((c) => c.assessment)));
		}
		expect(d.worst.organizations).toEqual([]);
	});

	it('reflects a changed measurement on the next load, with no refresh called', async () => {
		const db = ctx.db;
		const open = await db.selectFrom('measurement as m')
			.leftJoin('reporting_year as y', (j) => j.onRef('y.organization_id', '=', 'm.organization_id').onRef('y.year', '=', 'm.year'))
			.innerJoin('indicator as i', 'i.id', 'm.indicator_id')
			.select(['m.id', 'm.organization_id', 'm.service_id', 'm.year', 'm.numerator', 'm.denominator', 'i.code'])
			.where('m.organization_id', '=', school7).where('y.status', 'is', null).where('m.denominator', '>', 10)
			.orderBy('m.year', 'desc').orderBy('i.sort_order').executeTakeFirstOrThrow();
		const req = { ...none, organizationId: school7, year: open.year, serviceId: open.service_id, indicator: open.code };
		const before = await loadDashboard(db, rudnyScope, req, AS_OF);
		const point = (d: typeof before) => d.trend.points.find((p) => p.year === open.year)!.counts;
		expect(point(before)).toEqual({ numerator: open.numerator, denominator: open.denominator });
		const numerator = open.numerator === 0 ? 1 : open.numerator - 1;
		await withActor(db, { label: 'test' }, (trx) => trx.updateTable('measurement').set({ numerator }).where('id', '=', open.id).execute());
		const after = await loadDashboard(db, rudnyScope, req, AS_OF);
		expect(point(after)).toEqual({ numerator, denominator: open.denominator });
		const city = await loadDashboard(db, rudnyScope, { ...req, organizationId: rudny }, AS_OF);
		const row = city.scorecard.rows.find((r) => r.id === school7)!;
		expect(row.cells[open.code]!.counts).toEqual({ numerator, denominator: open.denominator });
	});
});
