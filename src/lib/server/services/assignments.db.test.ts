import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { createOrganization, idOf, provide, refusal } from '../db/fixtures';
import type { Database } from '../db/schema';
import { describeDb } from '../db/testing';
import { addProvision, assignInBulk, changeProvisionYears } from './assignments';

const actor = { label: 'test' };

async function provisionCount(db: Kysely<Database>): Promise<number> {
	const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM service_provision`.execute(db);
	return r.rows[0]!.n;
}

describeDb('assignments', (ctx) => {
	async function department() {
		const dep = await createOrganization(ctx.db, { kind: 'city_department' });
		const kg = [
			await createOrganization(ctx.db, { parent_id: dep, kind: 'kindergarten' }),
			await createOrganization(ctx.db, { parent_id: dep, kind: 'kindergarten' })
		];
		const district = await createOrganization(ctx.db, { parent_id: dep, kind: 'other' });
		kg.push(await createOrganization(ctx.db, { parent_id: district, kind: 'kindergarten' }));
		const school = await createOrganization(ctx.db, { parent_id: dep, kind: 'school' });
		return { dep, kg, school };
	}

	it('gives every kindergarten of a department S12 and S13 from 2024, skipping those that already provide', async () => {
		const { dep, kg, school } = await department();
		const [s12, s13] = [await idOf(ctx.db, 'service', 'S12'), await idOf(ctx.db, 'service', 'S13')];
		await provide(ctx.db, kg[0]!, s12, 2020);
		const result = await assignInBulk(ctx.db, actor, { departmentId: dep, kind: 'kindergarten', serviceIds: [s12, s13], yearFrom: 2024, yearTo: null });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.matched).toBe(3);
		expect(result.added).toHaveLength(5);
		expect(result.skipped.map((p) => [p.organizationId, p.serviceId])).toEqual([[kg[0], s12]]);
		const rows = await ctx.db.selectFrom('service_provision').select(['organization_id', 'service_id', 'year_from'])
			.where('organization_id', 'in', [...kg, school]).execute();
		expect(rows).toHaveLength(6);
		expect(rows.some((r) => r.organization_id === school)).toBe(false);
		expect(rows.filter((r) => r.year_from === 2024)).toHaveLength(5);
	});

	it('adds nothing when any one provision is refused', async () => {
		const { dep } = await department();
		const s12 = await idOf(ctx.db, 'service', 'S12');
		const before = await provisionCount(ctx.db);
		// The second service does not exist: its rows fail after the first service's rows were written.
		const result = await assignInBulk(ctx.db, actor, { departmentId: dep, kind: 'kindergarten', serviceIds: [s12, 987654], yearFrom: 2024, yearTo: null });
		expect(result).toEqual({ ok: false, problem: 'unknown' });
		expect(await provisionCount(ctx.db)).toBe(before);
	});

	it('adds one provision, refuses an overlapping one, and ends a provision only above its figures', async () => {
		const org = await createOrganization(ctx.db, { kind: 'kindergarten' });
		const s13 = await idOf(ctx.db, 'service', 'S13');
		expect(await addProvision(ctx.db, actor, { organizationId: org, serviceId: s13, yearFrom: 2022, yearTo: null })).toEqual({ ok: true });
		expect(await addProvision(ctx.db, actor, { organizationId: org, serviceId: s13, yearFrom: 2024, yearTo: 2025 })).toEqual({ ok: false, problem: 'overlap' });
		const p = await ctx.db.selectFrom('service_provision').select('id').where('organization_id', '=', org).executeTakeFirstOrThrow();
		await ctx.db.insertInto('measurement')
			.values({ organization_id: org, service_id: s13, indicator_id: await idOf(ctx.db, 'indicator', '1.1'), year: 2024, numerator: 1, denominator: 2, source: 'form' })
			.execute();
		expect(await changeProvisionYears(ctx.db, actor, p.id, 2022, 2023)).toEqual({ ok: false, problem: 'keeps_figures' });
		expect(await changeProvisionYears(ctx.db, actor, p.id, 2022, 2024)).toEqual({ ok: true });
		const audit = await ctx.db.selectFrom('audit_log').select(['actor', 'action']).where('entity', '=', 'service_provision').where('entity_id', '=', String(p.id)).execute();
		expect(audit.map((a) => [a.actor, a.action])).toEqual([['test', 'insert'], ['test', 'update']]);
	});

	it('refuses a measurement for a service the organization did not provide that year', async () => {
		const org = await createOrganization(ctx.db, { kind: 'kindergarten' });
		const s12 = await idOf(ctx.db, 'service', 'S12');
		await provide(ctx.db, org, s12, 2024);
		const indicator = await idOf(ctx.db, 'indicator', '1.1');
		const write = (year: number) => ctx.db.insertInto('measurement')
			.values({ organization_id: org, service_id: s12, indicator_id: indicator, year, numerator: 1, denominator: 1, source: 'form' })
			.execute();
		expect(await refusal(write(2023))).toBe('service_provided_that_year');
		await expect(write(2024)).resolves.toBeDefined();
	});
});
