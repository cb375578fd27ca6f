import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb } from './testing';
import { createOrganization, idOf, provide, refusal } from './fixtures';

/** Each impossible datum is refused by the database itself, whatever code path tries to write it. */
describeDb('database constraints', (ctx) => {
	let org: number, svc: number, ind: number;

	beforeAll(async () => {
		org = await createOrganization(ctx.db);
		svc = await idOf(ctx.db, 'service', 'S19');
		ind = await idOf(ctx.db, 'indicator', '1.1');
		await provide(ctx.db, org, svc, 2020, 2023);
	});

	const measurement = (numerator: number, denominator: number, year = 2021) =>
		ctx.db.insertInto('measurement').values({ organization_id: org, service_id: svc, indicator_id: ind, year, numerator, denominator, source: 'form', comment: null, updated_by: null }).execute();

	it('refuses a numerator greater than its denominator', async () => {
		expect(await refusal(measurement(11, 10))).toBe('measurement_numerator_within_denominator');
	});

	it('refuses negative counts', async () => {
		expect(await refusal(measurement(-1, 10))).toBe('measurement_numerator_nonnegative');
		expect(['measurement_denominator_nonnegative', 'measurement_numerator_within_denominator']).toContain(await refusal(measurement(0, -5)));
	});

	it('derives the percentage from the counts and keeps "no cases" apart from "not reported"', async () => {
		await measurement(1, 1000, 2020);
		const row = await ctx.db.selectFrom('measurement').select(['value']).where('organization_id', '=', org).where('year', '=', 2020).executeTakeFirstOrThrow();
		expect(row.value).toBe(0.1);
		await measurement(0, 0, 2022);
		const none = await ctx.db.selectFrom('measurement').select(['value']).where('organization_id', '=', org).where('year', '=', 2022).executeTakeFirstOrThrow();
		expect(none.value).toBeNull();
	});

	it('refuses a second measurement for the same organization, service, indicator and year', async () => {
		await measurement(5, 10, 2023);
		expect(await refusal(measurement(6, 10, 2023))).toBe('measurement_one_per_year');
	});

	it('refuses a measurement for a service the organization did not provide that year', async () => {
		expect(await refusal(measurement(1, 1, 2019))).toBe('service_provided_that_year');
		expect(await refusal(measurement(1, 1, 2024))).toBe('service_provided_that_year');
		const other = await idOf(ctx.db, 'service', 'S01');
		expect(await refusal(ctx.db.insertInto('measurement').values({ organization_id: org, service_id: other, indicator_id: ind, year: 2021, numerator: 1, denominator: 1, source: 'form', comment: null, updated_by: null }).execute()))
			.toBe('service_provided_that_year');
	});

	it('refuses volumes, targets and complaints outside the provision years too', async () => {
		expect(await refusal(ctx.db.insertInto('service_volume').values({ organization_id: org, service_id: svc, year: 2019, channel: 'egov', count: 3, updated_by: null }).execute())).toBe('service_provided_that_year');
		expect(await refusal(ctx.db.insertInto('target').values({ organization_id: org, service_id: svc, indicator_id: ind, year: 2024, value: 100, reason: null, approved_by: null, approved_at: null, protocol_number: null, protocol_date: null, updated_by: null }).execute())).toBe('service_provided_that_year');
		expect(await refusal(ctx.db.insertInto('complaint').values({ organization_id: org, service_id: svc, received_on: '2024-02-01', due_on: '2024-02-08', answered_on: null, justified: null, satisfied: null, summary: null, updated_by: null }).execute())).toBe('service_provided_that_year');
	});

	it('refuses to narrow a provision from under figures already recorded', async () => {
		expect(await refusal(ctx.db.updateTable('service_provision').set({ year_to: 2021 }).where('organization_id', '=', org).execute())).toBe('service_provision_keeps_figures');
		expect(await refusal(ctx.db.deleteFrom('service_provision').where('organization_id', '=', org).execute())).toBe('service_provision_keeps_figures');
	});

	it('refuses overlapping provisions of the same service', async () => {
		expect(await refusal(provide(ctx.db, org, svc, 2023))).toBe('service_provision_no_overlap');
	});

	it.each([-0.1, 100.5])('refuses a target of %s per cent', async (value) => {
		expect(await refusal(ctx.db.insertInto('target').values({ organization_id: org, service_id: svc, indicator_id: ind, year: 2021, value, reason: null, approved_by: null, approved_at: null, protocol_number: null, protocol_date: null, updated_by: null }).execute())).toBe('target_percent');
	});

	it('refuses an approved target without its protocol', async () => {
		expect(await refusal(ctx.db.insertInto('target').values({ organization_id: org, service_id: svc, indicator_id: ind, year: 2021, value: 100, status: 'approved', reason: null, approved_by: null, approved_at: new Date(), protocol_number: null, protocol_date: null, updated_by: null }).execute())).toBe('target_approval_recorded');
	});

	it('refuses a normative outside 0–100 %', async () => {
		const std = await ctx.db.insertInto('standard').values({ service_id: svc, act_issuer_kk: 'т', act_issuer_ru: 'т', act_number: 'T-1', act_date: '2019-01-01', valid_from: '2040-01-01', valid_to: null, repeal_issuer_kk: null, repeal_issuer_ru: null, repeal_number: null, repeal_date: null }).returning('id').executeTakeFirstOrThrow();
		expect(await refusal(ctx.db.insertInto('standard_normative').values({ standard_id: std.id, indicator_id: ind, value: 101 }).execute())).toBe('standard_normative_percent');
	});

	it('refuses two standards of one service in force at the same time', async () => {
		const values = { service_id: svc, act_issuer_kk: 'т', act_issuer_ru: 'т', act_date: '2019-01-01', valid_to: '2031-12-31', repeal_issuer_kk: null, repeal_issuer_ru: null, repeal_number: null, repeal_date: null };
		await ctx.db.insertInto('standard').values({ ...values, act_number: 'A', valid_from: '2030-01-01' }).execute();
		expect(await refusal(ctx.db.insertInto('standard').values({ ...values, act_number: 'B', valid_from: '2031-06-01' }).execute())).toBe('standard_no_overlap');
	});

	it.each(['12345678901', '1234567890123', '99014000001X', '990140000011'])('refuses the BIN %s', async (bin) => {
		expect(await refusal(createOrganization(ctx.db, { bin }))).toBe('organization_bin_valid');
	});

	it('accepts a BIN with a correct check digit', async () => {
		await expect(createOrganization(ctx.db, { bin: '990140000017' })).resolves.toBeTypeOf('number');
	});

	it('refuses to put an organization under its own descendant', async () => {
		const parent = await createOrganization(ctx.db, { kind: 'city_department' });
		const child = await createOrganization(ctx.db, { parent_id: parent });
		expect(await refusal(ctx.db.updateTable('organization').set({ parent_id: child }).where('id', '=', parent).execute())).toBe('organization_no_cycle');
	});

	it('refuses a complaint answered before it was received', async () => {
		expect(await refusal(ctx.db.insertInto('complaint').values({ organization_id: org, service_id: svc, received_on: '2021-03-10', due_on: '2021-03-17', answered_on: '2021-03-01', justified: true, satisfied: null, summary: null, updated_by: null }).execute())).toBe('complaint_answered_after_received');
	});

	it('records every write in the audit log with the acting user, and the log cannot be changed', async () => {
		await sql`SELECT 1`.execute(ctx.db);
		await ctx.db.transaction().execute(async (trx) => {
			await sql`SELECT set_config('sapa.actor', 'user:7', true), set_config('sapa.actor_id', '7', true)`.execute(trx);
			await trx.updateTable('organization').set({ name_ru: 'Переименованная школа' }).where('id', '=', org).execute();
		});
		const entry = await ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'organization').where('entity_id', '=', String(org)).where('action', '=', 'update').executeTakeFirstOrThrow();
		expect(entry.actor_user_id).toBe(7);
		expect(entry.actor).toBe('user:7');
		expect((entry.before as { name_ru: string }).name_ru).toMatch(/^Тестовая школа/);
		expect((entry.after as { name_ru: string }).name_ru).toBe('Переименованная школа');
		expect(await refusal(ctx.db.updateTable('audit_log').set({ actor: 'someone else' }).where('id', '=', entry.id).execute())).toBe('audit_log_append_only');
		expect(await refusal(ctx.db.deleteFrom('audit_log').where('id', '=', entry.id).execute())).toBe('audit_log_append_only');
	});

	it('never copies a password hash into the audit log', async () => {
		await ctx.db.insertInto('app_user').values({ email: 'a@example.kz', display_name: 'A', password_hash: '$argon2id$secret' }).execute();
		const entry = await ctx.db.selectFrom('audit_log').select('after').where('entity', '=', 'app_user').executeTakeFirstOrThrow();
		expect(JSON.stringify(entry.after)).not.toContain('secret');
	});
});
