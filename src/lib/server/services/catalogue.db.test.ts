import { beforeAll, expect, it } from 'vitest';
import * as v from 'valibot';
import { createOrganization, idOf, provide, refusal } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { findStandardForYear } from '../queries/standards';
import { insertUser } from '../queries/users';
import { Percent, type StandardInput } from '../../validation/catalogue';
import { buildAnnex } from './annex';
import { recordStandard, repealStandard, updateIndicator } from './catalogue';
import { findIndicator } from '../queries/catalogue';

let serial = 0;

describeDb('the catalogue: standards over time and indicator decisions', (ctx) => {
	let admin: { userId: number };
	let service: number;
	let org: number;
	let indicatorIds: Record<string, number>;

	/** A standard whose normatives are 100 except those given (by indicator code). */
	function standard(validFrom: string, overrides: Record<string, number> = {}, number = `№ ${++serial}`): StandardInput {
		const normatives: Record<string, number> = {};
		for (const [code, id] of Object.entries(indicatorIds)) normatives[String(id)] = overrides[code] ?? (code.startsWith('4.1') || code === '4.2' || code === '3.3' ? 0 : 100);
		return {
			actIssuerKk: 'Қостанай облысының әкімдігі', actIssuerRu: 'Акимат Костанайской области', actNumber: number, actDate: validFrom,
			registrationNumber: null, registrationDate: null, validFrom, normatives
		};
	}
	const repeal = (id: number, date: string) => ({ standard: id, issuerKk: 'Әкімдік', issuerRu: 'Акимат', number: `R-${++serial}`, date, lastDay: null });

	beforeAll(async () => {
		const db = ctx.db;
		admin = { userId: await insertUser(db, { email: `cat.${process.pid}@test.sapa.kz`, displayName: 'Каталог Админ', passwordHash: 'x' }) };
		const row = await db.insertInto('service').values({ code: `T-SVC-${process.pid}`, title_kk: 'Сынақ қызметі', title_ru: 'Тестовая услуга' }).returning('id').executeTakeFirstOrThrow();
		service = row.id;
		org = await createOrganization(db);
		await provide(db, org, service, 2018);
		const rows = await db.selectFrom('indicator').select(['id', 'code']).execute();
		indicatorIds = Object.fromEntries(rows.map((r) => [r.code, r.id]));
	});

	it("keeps a repealed standard's normatives for the years it was in force and applies the new one's to later years", async () => {
		const first = await recordStandard(ctx.db, admin, service, standard('2019-01-01', { '3.1': 95 }));
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		expect(await repealStandard(ctx.db, admin, service, repeal(first.id, '2021-01-01'))).toEqual({ ok: true });
		const second = await recordStandard(ctx.db, admin, service, standard('2021-01-01', { '3.1': 99 }));
		expect(second).toMatchObject({ ok: true, ended: null });

		expect((await findStandardForYear(ctx.db, service, 2020))?.valid_to).toBe('2020-12-31');
		const normativeOf31 = async (year: number) => (await buildAnnex(ctx.db, { organizationId: org, serviceId: service, year })).rows.find((r) => r.code === '3.1')?.normative;
		expect(await normativeOf31(2019)).toBe(95);
		expect(await normativeOf31(2020)).toBe(95);
		expect(await normativeOf31(2021)).toBe(99);
		expect(await normativeOf31(2018)).toBeNull();
		const annex2020 = await buildAnnex(ctx.db, { organizationId: org, serviceId: service, year: 2020 });
		expect(annex2020.standard).toMatchObject({ validTo: '2020-12-31', repealDate: '2021-01-01' });
	});

	it('ends the open-ended standard the day before a new one takes effect', async () => {
		const open = await findStandardForYear(ctx.db, service, 2022);
		expect(open?.valid_to).toBeNull();
		const third = await recordStandard(ctx.db, admin, service, standard('2023-06-01', { '3.1': 98 }));
		expect(third).toMatchObject({ ok: true, ended: open!.id });
		const ended = await ctx.db.selectFrom('standard').select(['valid_to', 'repeal_number']).where('id', '=', open!.id).executeTakeFirstOrThrow();
		expect(ended).toEqual({ valid_to: '2023-05-31', repeal_number: null });
		// A year two standards share is judged by the later one.
		expect((await findStandardForYear(ctx.db, service, 2023))?.valid_from).toBe('2023-06-01');
		expect((await findStandardForYear(ctx.db, service, 2022))?.id).toBe(open!.id);
	});

	it('refuses a standard whose dates overlap another, with a clear problem and nothing written', async () => {
		const before = await ctx.db.selectFrom('standard').select(['id', 'valid_to']).where('service_id', '=', service).orderBy('id').execute();
		const outcome = await recordStandard(ctx.db, admin, service, standard('2022-01-01'));
		expect(outcome).toEqual({ ok: false, problem: 'standard_overlap' });
		const after = await ctx.db.selectFrom('standard').select(['id', 'valid_to']).where('service_id', '=', service).orderBy('id').execute();
		expect(after).toEqual(before);
	});

	it('refuses a normative outside 0–100, in the form and in the database', async () => {
		expect(v.safeParse(Percent, '120').success).toBe(false);
		expect(v.safeParse(Percent, '-1').success).toBe(false);
		expect(v.safeParse(Percent, '99,5')).toMatchObject({ success: true, output: 99.5 });
		const other = await ctx.db.insertInto('service').values({ code: `T-SVC2-${process.pid}`, title_kk: 'Екінші', title_ru: 'Вторая' }).returning('id').executeTakeFirstOrThrow();
		expect(await recordStandard(ctx.db, admin, other.id, standard('2020-01-01', { '1.1': 120 }))).toEqual({ ok: false, problem: 'normative_range' });
		expect(await ctx.db.selectFrom('standard').select('id').where('service_id', '=', other.id).execute()).toEqual([]);
	});

	it("changes 4.1's polarity after figures exist only with a decision, audited with the acting user", async () => {
		const id = await idOf(ctx.db, 'indicator', '4.1');
		await ctx.db.insertInto('measurement').values({ organization_id: org, service_id: service, indicator_id: id, year: 2021, numerator: 1, denominator: 1000, source: 'form', comment: null, updated_by: null }).execute();
		const current = (await findIndicator(ctx.db, id))!;
		expect(current.polarity).toBe('lower_is_better');
		const { id: _id, code: _code, groupNumber: _n, groupTitleKk: _a, groupTitleRu: _b, groupTitleEn: _c, source: _s, ...texts } = current;
		const input = { ...texts, polarity: 'higher_is_better' as const, reason: null };

		expect(await updateIndicator(ctx.db, admin, id, input)).toEqual({ ok: false, problem: 'needs_decision', fields: ['polarity'] });
		// The database holds the same line for any other code path.
		expect(await refusal(ctx.db.updateTable('indicator').set({ polarity: 'higher_is_better' }).where('id', '=', id).execute())).toBe('indicator_change_needs_decision');
		expect((await findIndicator(ctx.db, id))!.polarity).toBe('lower_is_better');

		const done = await updateIndicator(ctx.db, admin, id, { ...input, reason: 'Решение рабочей группы, протокол № 3' });
		expect(done).toEqual({ ok: true, decisions: ['polarity'] });
		expect((await findIndicator(ctx.db, id))!.polarity).toBe('higher_is_better');
		const decision = await ctx.db.selectFrom('indicator_decision').selectAll().where('indicator_id', '=', id).executeTakeFirstOrThrow();
		expect(decision).toMatchObject({ field: 'polarity', old_value: 'lower_is_better', new_value: 'higher_is_better', decided_by: admin.userId });
		const audit = await ctx.db.selectFrom('audit_log').select(['actor_user_id', 'actor', 'action']).where('entity', '=', 'indicator_decision').where('entity_id', '=', String(decision.id)).execute();
		expect(audit).toEqual([{ actor_user_id: admin.userId, actor: `user:${admin.userId}`, action: 'insert' }]);

		// Texts alone change freely, figures or not.
		expect(await updateIndicator(ctx.db, admin, id, { ...input, titleEn: 'Justified complaints (edited)' })).toEqual({ ok: true, decisions: [] });
	});

	it('changes the polarity of an indicator without figures freely, with no decision', async () => {
		const id = await idOf(ctx.db, 'indicator', '5.1');
		const { id: _id, code: _code, groupNumber: _n, groupTitleKk: _a, groupTitleRu: _b, groupTitleEn: _c, source: _s, ...texts } = (await findIndicator(ctx.db, id))!;
		expect(await updateIndicator(ctx.db, admin, id, { ...texts, polarity: 'lower_is_better', reason: null })).toEqual({ ok: true, decisions: [] });
		expect(await updateIndicator(ctx.db, admin, id, { ...texts, polarity: 'higher_is_better', reason: null })).toEqual({ ok: true, decisions: [] });
		expect(await ctx.db.selectFrom('indicator_decision').select('id').where('indicator_id', '=', id).execute()).toEqual([]);
	});
});
