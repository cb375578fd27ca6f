import { beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createOrganization as insertOrganization, idOf, provide } from '../db/fixtures';
import type { Database } from '../db/schema';
import { describeDb } from '../db/testing';
import { findSubtreeIdsInYear, listLinks, rollUpSubtree, searchOrganizations } from '../queries/organization-history';
import {
	closeOrganization, createOrganization, mergeOrganization, moveOrganization, OrganizationError, updateOrganization
} from './organizations';

const actor = { label: 'test:organizations' };
const INDICATOR = '1.1';

async function measure(db: Kysely<Database>, organizationId: number, serviceId: number, year: number, numerator: number, denominator: number) {
	await db.insertInto('measurement').values({
		organization_id: organizationId, service_id: serviceId, indicator_id: await idOf(db, 'indicator', INDICATOR),
		year, numerator, denominator, source: 'form', comment: null, updated_by: null
	}).execute();
}

async function refusedWith(work: Promise<unknown>): Promise<{ code: string; field: string }> {
	try {
		await work;
	} catch (err) {
		if (err instanceof OrganizationError) return { code: err.code, field: err.field };
		throw err;
	}
	throw new Error('accepted but should have been refused');
}

describeDb('keeping the organization tree true over the years', (ctx) => {
	let serviceId: number;
	let otherServiceId: number;
	let deptA: number, deptB: number;

	const rolled = (rootId: number, year: number) => rollUpSubtree(ctx.db, { rootId, year, indicatorCode: INDICATOR });

	beforeAll(async () => {
		const services = await ctx.db.selectFrom('service').select('id').orderBy('id').limit(2).execute();
		serviceId = services[0]!.id;
		otherServiceId = services[1]!.id;
		deptA = await insertOrganization(ctx.db, { parent_id: null, kind: 'city_department' });
		deptB = await insertOrganization(ctx.db, { parent_id: null, kind: 'city_department' });
	});

	it('opens a link for every new organization, however it was inserted', async () => {
		const school = await insertOrganization(ctx.db, { parent_id: deptA, active_from: '2019-09-01' });
		expect((await listLinks(ctx.db, school)).map((l) => [l.parent?.id, l.yearFrom, l.yearTo])).toEqual([[deptA, 2019, null]]);
		expect(await findSubtreeIdsInYear(ctx.db, deptA, 2018)).not.toContain(school);
		expect(await findSubtreeIdsInYear(ctx.db, deptA, 2019)).toContain(school);
	});

	it('moving a school from 2025 keeps the old department’s 2024 roll-up and moves 2025 on to the new one', async () => {
		const school = await insertOrganization(ctx.db, { parent_id: deptA });
		const stays = await insertOrganization(ctx.db, { parent_id: deptA });
		for (const id of [school, stays]) await provide(ctx.db, id, serviceId, 2024);
		await measure(ctx.db, school, serviceId, 2024, 30, 40);
		await measure(ctx.db, school, serviceId, 2025, 10, 10);
		await measure(ctx.db, stays, serviceId, 2024, 10, 10);
		await measure(ctx.db, stays, serviceId, 2025, 5, 10);
		const before2024 = await rolled(deptA, 2024);
		expect(before2024).toEqual({ numerator: 40, denominator: 50, value: 80 });

		await moveOrganization(ctx.db, actor, school, deptB, 2025);

		expect(await rolled(deptA, 2024)).toEqual(before2024);
		expect(await rolled(deptA, 2025)).toEqual({ numerator: 5, denominator: 10, value: 50 });
		expect(await rolled(deptB, 2025)).toEqual({ numerator: 10, denominator: 10, value: 100 });
		expect(await rolled(deptB, 2024)).toEqual({ numerator: 0, denominator: 0, value: null });
		expect(await findSubtreeIdsInYear(ctx.db, deptA, 2026)).not.toContain(school);
		expect((await listLinks(ctx.db, school)).map((l) => [l.parent?.id, l.yearFrom, l.yearTo])).toEqual([[deptA, 2000, 2024], [deptB, 2025, null]]);
		const row = await ctx.db.selectFrom('organization').select('parent_id').where('id', '=', school).executeTakeFirstOrThrow();
		expect(row.parent_id).toBe(deptB);
		// Audited with the link rows.
		const audited = await ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'organization_link').where('actor', '=', actor.label).execute();
		expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['update', 'insert']));
	});

	it('refuses to put an organization under its own descendant', async () => {
		const school = await insertOrganization(ctx.db, { parent_id: deptA });
		expect(await refusedWith(moveOrganization(ctx.db, actor, deptA, school, 2025))).toEqual({ code: 'cycle', field: 'parent' });
		expect(await refusedWith(moveOrganization(ctx.db, actor, school, school, 2025))).toEqual({ code: 'cycle', field: 'parent' });
		expect(await refusedWith(moveOrganization(ctx.db, actor, school, deptA, 2025))).toEqual({ code: 'same_parent', field: 'parent' });
		expect((await listLinks(ctx.db, deptA)).map((l) => [l.parent, l.yearTo])).toEqual([[null, null]]);
	});

	it('closing keeps earlier roll-ups, ends provisions, and refuses while later figures exist', async () => {
		const school = await insertOrganization(ctx.db, { parent_id: deptB });
		await provide(ctx.db, school, otherServiceId, 2023);
		await measure(ctx.db, school, otherServiceId, 2023, 1, 2);
		await measure(ctx.db, school, otherServiceId, 2025, 1, 1);
		const earlier = await rollUpSubtree(ctx.db, { rootId: deptB, year: 2023, indicatorCode: INDICATOR, serviceIds: [otherServiceId] });
		expect(earlier).toEqual({ numerator: 1, denominator: 2, value: 50 });

		expect(await refusedWith(closeOrganization(ctx.db, actor, school, '2024-06-30'))).toEqual({ code: 'figures_after_close', field: 'closedOn' });
		const untouched = await ctx.db.selectFrom('organization').select('active_to').where('id', '=', school).executeTakeFirstOrThrow();
		expect(untouched.active_to).toBeNull();

		await closeOrganization(ctx.db, actor, school, '2025-08-31');
		expect(await rollUpSubtree(ctx.db, { rootId: deptB, year: 2023, indicatorCode: INDICATOR, serviceIds: [otherServiceId] })).toEqual(earlier);
		expect(await findSubtreeIdsInYear(ctx.db, deptB, 2025)).toContain(school);
		expect(await findSubtreeIdsInYear(ctx.db, deptB, 2026)).not.toContain(school);
		const provisions = await ctx.db.selectFrom('service_provision').select(['year_from', 'year_to']).where('organization_id', '=', school).execute();
		expect(provisions).toEqual([{ year_from: 2023, year_to: 2025 }]);
		expect(await refusedWith(closeOrganization(ctx.db, actor, school, '2026-01-01'))).toEqual({ code: 'already_closed', field: 'closedOn' });
		expect(await refusedWith(closeOrganization(ctx.db, actor, deptB, '2026-01-01'))).toMatchObject({ code: 'has_children' });
	});

	it('merging hands future provisions to the target and leaves past figures where they were', async () => {
		const from = await insertOrganization(ctx.db, { parent_id: deptA });
		const into = await insertOrganization(ctx.db, { parent_id: deptA });
		await provide(ctx.db, from, serviceId, 2022);
		await provide(ctx.db, from, otherServiceId, 2022);
		await provide(ctx.db, into, otherServiceId, 2020);
		await measure(ctx.db, from, serviceId, 2024, 3, 4);

		expect(await refusedWith(mergeOrganization(ctx.db, actor, from, from, 2025))).toEqual({ code: 'merge_into_self', field: 'target' });
		expect(await refusedWith(mergeOrganization(ctx.db, actor, from, into, 2024))).toEqual({ code: 'figures_after_merge', field: 'fromYear' });

		expect(await mergeOrganization(ctx.db, actor, from, into, 2025)).toEqual({ servicesTaken: 1 });
		const org = await ctx.db.selectFrom('organization').select(['active_to', 'merged_into_id']).where('id', '=', from).executeTakeFirstOrThrow();
		expect(org).toEqual({ active_to: '2024-12-31', merged_into_id: into });
		const provisions = async (id: number) => (await ctx.db.selectFrom('service_provision').select(['service_id', 'year_from', 'year_to'])
			.where('organization_id', '=', id).orderBy('service_id').orderBy('year_from').execute());
		expect(await provisions(from)).toEqual([
			{ service_id: serviceId, year_from: 2022, year_to: 2024 }, { service_id: otherServiceId, year_from: 2022, year_to: 2024 }
		]);
		expect(await provisions(into)).toEqual([
			{ service_id: serviceId, year_from: 2025, year_to: null }, { service_id: otherServiceId, year_from: 2020, year_to: null }
		]);
		const figures = await ctx.db.selectFrom('measurement').select('organization_id').where('organization_id', 'in', [from, into]).execute();
		expect(figures).toEqual([{ organization_id: from }]);
		expect(await findSubtreeIdsInYear(ctx.db, deptA, 2024)).toContain(from);
		expect(await findSubtreeIdsInYear(ctx.db, deptA, 2025)).not.toContain(from);
		expect(await refusedWith(mergeOrganization(ctx.db, actor, into, from, 2026))).toEqual({ code: 'target_closed', field: 'target' });
	});

	it('creates with a valid BIN only, and finds by name in any case, BIN or code prefix', async () => {
		const base = { kind: 'school' as const, nameKk: 'Жаңа мектеп', nameRu: 'Новая Школа Ромашка', nameEn: 'New school', parentId: deptA, activeFrom: '2026-09-01' };
		expect(await refusedWith(createOrganization(ctx.db, actor, { ...base, code: `NEW-${process.pid}`, bin: '123456789012' }))).toEqual({ code: 'bin_invalid', field: 'bin' });
		const { id } = await createOrganization(ctx.db, actor, { ...base, code: `NEW-${process.pid}`, bin: '990740001304' });
		expect((await listLinks(ctx.db, id)).map((l) => [l.parent?.id, l.yearFrom])).toEqual([[deptA, 2026]]);
		expect(await refusedWith(createOrganization(ctx.db, actor, { ...base, code: `NEW-${process.pid}`, bin: null }))).toEqual({ code: 'code_taken', field: 'code' });
		expect(await refusedWith(updateOrganization(ctx.db, actor, id, { ...base, bin: '990740001305' }))).toEqual({ code: 'bin_invalid', field: 'bin' });

		const found = async (q: string, scope: 'all' | Set<number> = 'all') => (await searchOrganizations(ctx.db, scope, q)).map((o) => o.id);
		expect(await found('ромашка')).toEqual([id]);
		expect(await found('ЖАҢА МЕК')).toContain(id);
		expect(await found('9907400013')).toEqual([id]);
		expect(await found(`new-${process.pid}`)).toEqual([id]);
		expect(await found('Ромашка', new Set([deptB]))).toEqual([]);
		expect(await found('%')).not.toContain(id);
	});
});
