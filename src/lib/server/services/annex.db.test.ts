import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../db/testing';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { buildAnnex } from './annex';
import { loadAnnexPage, NotFoundError } from './annex-page';

/**
 * The seed standard's annex (seed 003), entered as counts for one organization,
 * must come back with the statuses the standard implies: 3.1 at 99 meets its
 * normative 99 but misses its target 100; 4.1 at 0.1 % (1 justified complaint
 * in 1,000 served) breaches its normative 0.
 */
const annexCurrent: Record<string, [number, number]> = {
	'1.1': [1000, 1000], '1.2': [200, 200], '2.1': [200, 200], '2.2': [1000, 1000], '3.1': [198, 200],
	'3.2': [990, 1000], '3.3': [0, 1], '4.3': [200, 200], '4.4': [200, 200], '5.1': [200, 200]
};
const normatives: Record<string, number> = { '1.1': 100, '1.2': 100, '2.1': 100, '2.2': 100, '3.1': 99, '3.2': 99, '3.3': 0, '4.1': 0, '4.2': 0, '4.3': 100, '4.4': 100, '5.1': 100 };
const targets: Record<string, number> = { ...normatives, '3.1': 100 };

describeDb('annex of one organization, service and year', (ctx) => {
	let org: number, svc: number;
	const year = 2024;

	beforeAll(async () => {
		const db = ctx.db;
		org = await createOrganization(db);
		svc = await idOf(db, 'service', 'S18');
		await provide(db, org, svc, 2023);
		const std = await db.insertInto('standard').values({
			service_id: svc, act_issuer_kk: 'Сынақ', act_issuer_ru: 'Тест', act_number: 'T-58', act_date: '2022-12-01', valid_from: '2023-01-01',
			valid_to: null, repeal_issuer_kk: null, repeal_issuer_ru: null, repeal_number: null, repeal_date: null
		}).returning('id').executeTakeFirstOrThrow();
		const ids = new Map((await db.selectFrom('indicator').select(['id', 'code']).execute()).map((i) => [i.code, i.id]));
		await db.insertInto('standard_normative').values(Object.entries(normatives).map(([c, value]) => ({ standard_id: std.id, indicator_id: ids.get(c)!, value }))).execute();
		await db.insertInto('measurement').values(Object.entries(annexCurrent).map(([c, [numerator, denominator]]) => ({
			organization_id: org, service_id: svc, indicator_id: ids.get(c)!, year, numerator, denominator, source: 'form' as const, comment: null, updated_by: null
		}))).execute();
		await db.insertInto('target').values(Object.entries(targets).map(([c, value]) => ({
			organization_id: org, service_id: svc, indicator_id: ids.get(c)!, year, value, status: 'approved' as const, reason: null,
			approved_by: null, approved_at: new Date('2023-12-20T10:00:00Z'), protocol_number: '7', protocol_date: '2023-12-20', updated_by: null
		}))).execute();
		// Next year's targets are still a draft: shown, never counted.
		await db.insertInto('target').values({ organization_id: org, service_id: svc, indicator_id: ids.get('1.1')!, year: year + 1, value: 100, reason: null, approved_by: null, approved_at: null, protocol_number: null, protocol_date: null, updated_by: null }).execute();
		await db.insertInto('service_volume').values([
			{ organization_id: org, service_id: svc, year, channel: 'provider', count: 400, updated_by: null },
			{ organization_id: org, service_id: svc, year, channel: 'egov', count: 600, updated_by: null }
		]).execute();
		await db.insertInto('complaint').values([
			{ organization_id: org, service_id: svc, received_on: '2024-03-01', due_on: '2024-03-08', answered_on: '2024-03-05', justified: true, satisfied: true, summary: null, updated_by: null },
			{ organization_id: org, service_id: svc, received_on: '2024-04-01', due_on: '2024-04-08', answered_on: '2024-04-03', justified: false, satisfied: false, summary: null, updated_by: null }
		]).execute();
	});

	it('gives each row of the seed annex its status', async () => {
		const annex = await buildAnnex(ctx.db, { organizationId: org, serviceId: svc, year });
		const by = Object.fromEntries(annex.rows.map((r) => [r.code, r]));
		expect(annex.rows.map((r) => r.code)).toEqual(['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '4.4', '5.1']);
		expect(by['3.1']).toMatchObject({ value: 99, normative: 99, assessment: { status: 'meets_normative', vsNormative: 'meets', vsTarget: 'misses' } });
		expect(by['4.1']).toMatchObject({ computed: true, counts: { numerator: 1, denominator: 1000 }, assessment: { status: 'breach' } });
		expect(by['4.1']!.value).toBeCloseTo(0.1, 10);
		expect(by['4.2']).toMatchObject({ computed: true, counts: { numerator: 1, denominator: 1 }, value: 100, assessment: { status: 'meets_target' } });
		expect(by['1.1']!.assessment.status).toBe('meets_target');
		expect(by['3.3']!.assessment.status).toBe('meets_target');
		expect(annex.summary).toMatchObject({ assessed: 12, meetingNormative: 11, breaches: 1 });
		expect(annex.targetProtocols).toEqual([{ number: '7', date: '2023-12-20' }]);
		expect(annex.standard).toMatchObject({ actNumber: 'T-58', isDemo: false });
	});

	it('shows next year\'s draft target as a draft, and judges a year without approved targets against the normative alone', async () => {
		const annex = await buildAnnex(ctx.db, { organizationId: org, serviceId: svc, year });
		expect(annex.rows[0]!.nextTarget).toMatchObject({ value: 100, status: 'draft' });
		await ctx.db.updateTable('target').set({ status: 'draft', approved_at: null, protocol_number: null, protocol_date: null }).where('organization_id', '=', org).where('year', '=', year).execute();
		const drafted = await buildAnnex(ctx.db, { organizationId: org, serviceId: svc, year });
		const r31 = drafted.rows.find((r) => r.code === '3.1')!;
		expect(r31.target).toMatchObject({ value: 100, status: 'draft' });
		expect(r31.assessment).toMatchObject({ status: 'meets_normative', vsTarget: 'no_target' });
		expect(drafted.summary.withTarget).toBe(0);
	});

	it('has no data, not zeros, for a year nothing was reported', async () => {
		const annex = await buildAnnex(ctx.db, { organizationId: org, serviceId: svc, year: 2023 });
		expect(annex.rows.every((r) => r.assessment.status === 'no_data')).toBe(true);
	});

	it('page: defaults to the latest reported year and the busiest service, and 404s an unknown organization', async () => {
		const page = await loadAnnexPage(ctx.db, 'all', { organizationId: org, serviceId: null, year: null }, 2026);
		expect(page.year).toBe(2024);
		expect(page.service?.code).toBe('S18');
		expect(page.years).toEqual([2027, 2026, 2025, 2024, 2023]);
		await expect(loadAnnexPage(ctx.db, 'all', { organizationId: 987654, serviceId: null, year: null }, 2026)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('page: shows the tree of the year viewed, so a school moved in 2025 stays under its old department for 2024', async () => {
		const oldDept = await createOrganization(ctx.db, { kind: 'city_department' });
		const newDept = await createOrganization(ctx.db, { kind: 'city_department' });
		const school = await createOrganization(ctx.db, { parent_id: oldDept });
		await ctx.db.updateTable('organization_link').set({ year_to: 2024 }).where('organization_id', '=', school).execute();
		await ctx.db.insertInto('organization_link').values({ organization_id: school, parent_id: newDept, year_from: 2025 }).execute();
		await ctx.db.updateTable('organization').set({ parent_id: newDept }).where('id', '=', school).execute();
		const parentIn = async (year: number) =>
			(await loadAnnexPage(ctx.db, 'all', { organizationId: null, serviceId: null, year }, 2026)).organizations.find((o) => o.id === school)?.parentId;
		expect(await parentIn(2024)).toBe(oldDept);
		expect(await parentIn(2025)).toBe(newDept);
	});

	it('page: lists only the organizations in scope, starts a single-organization person on it, and hides the rest', async () => {
		const own = await loadAnnexPage(ctx.db, new Set([org]), { organizationId: null, serviceId: null, year: null }, 2026);
		expect(own.organizations.map((o) => o.id)).toEqual([org]);
		expect(own.organization?.id).toBe(org);
		const other = await createOrganization(ctx.db);
		await expect(loadAnnexPage(ctx.db, new Set([org]), { organizationId: other, serviceId: null, year: null }, 2026)).rejects.toBeInstanceOf(NotFoundError);
	});
});
