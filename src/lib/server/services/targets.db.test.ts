import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { regionalStandard } from '../../../../migrations/data/catalogue-v1';
import { can, type Grant } from '../../domain/permissions';
import { createOrganization, idOf, provide, refusal } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { createMigrator } from '../db/migrate';
import { migrations } from '../db/migrations.bundled';
import { findAncestry } from '../queries/access';
import { insertUser } from '../queries/users';
import { buildAnnex } from './annex';
import {
	approveTargetSet, bulkTargets, compareTargetSet, createTargetSet, getTargetSet, listSets, loadTargetEditor, reopenTargetSet, saveTargets,
	type EditorCell, type TargetCellRaw, type TargetEditor
} from './targets';

const AS_OF = 2026;
const NEXT = 2027;
const TODAY = '2026-12-15';
const { normatives, annexCurrent } = regionalStandard;
const SCHOOL_SERVICES = ['S13', 'S15', 'S16', 'S17', 'S18', 'S19', 'S20', 'S21'];

describeDb('the working group’s target sets', (ctx) => {
	let wg: { userId: number; label: string };
	let other: { userId: number; label: string };
	let ind: Map<string, number>;
	let s13: number, s15: number, s18: number;
	let dept: number, schools: number[], kindergarten: number;

	const cellOf = (e: TargetEditor, org: number, svc: number, code: string): EditorCell =>
		e.cells.find((c) => c.organizationId === org && c.serviceId === svc && c.indicatorId === ind.get(code))!;
	const raw = (org: number, svc: number, code: string, value: string, version: number | string = 0, reason = ''): TargetCellRaw =>
		({ organizationId: org, serviceId: svc, indicatorId: ind.get(code)!, value, reason, version: String(version) });
	const editor = async (id: number) => (await loadTargetEditor(ctx.db, id))!;
	const newSet = async (year: number, root: number, services: number[]) => {
		const out = await createTargetSet(ctx.db, wg, { year, rootId: root, serviceIds: services, asOfYear: AS_OF });
		if (!out.ok) throw new Error(out.problem);
		return out.id;
	};
	const approval = { protocolNumber: '12', protocolDate: '2026-12-10', members: 'Иванова А. А. (председатель), Сейткали Б. Б., Петров В. В.', asOfDate: TODAY };

	beforeAll(async () => {
		const db = ctx.db;
		const mk = async (name: string) => {
			const userId = await insertUser(db, { email: `wg.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: name, passwordHash: 'x' });
			return { userId, label: `user:${userId}` };
		};
		wg = await mk('Член рабочей группы');
		other = await mk('Другой член группы');
		ind = new Map((await db.selectFrom('indicator').select(['id', 'code']).execute()).map((i) => [i.code, i.id]));
		[s13, s15, s18] = [await idOf(db, 'service', 'S13'), await idOf(db, 'service', 'S15'), await idOf(db, 'service', 'S18')];
		for (const svc of await Promise.all(SCHOOL_SERVICES.map((c) => idOf(db, 'service', c)))) {
			const std = await db.insertInto('standard').values({
				service_id: svc, act_issuer_kk: 'Сынақ', act_issuer_ru: 'Тест', act_number: `T-${svc}`, act_date: '2018-12-01', valid_from: '2019-01-01',
				valid_to: null, repeal_issuer_kk: null, repeal_issuer_ru: null, repeal_number: null, repeal_date: null
			}).returning('id').executeTakeFirstOrThrow();
			await db.insertInto('standard_normative').values(Object.entries(normatives).map(([c, value]) => ({ standard_id: std.id, indicator_id: ind.get(c)!, value }))).execute();
		}
		dept = await createOrganization(db, { kind: 'city_department' });
		schools = [];
		for (let i = 0; i < 3; i++) {
			const s = await createOrganization(db, { parent_id: dept });
			await provide(db, s, s13, 2019);
			await provide(db, s, s15, 2019);
			schools.push(s);
		}
		kindergarten = await createOrganization(db, { parent_id: dept, kind: 'kindergarten' });
		await provide(db, kindergarten, s13, 2019);
		// Last reported values of the first school for S15: the seed annex's current column as counts,
		// 4.1 = 1 justified complaint in 1,000 served, 4.2 = that complaint not satisfied in term.
		const counts: Record<string, [number, number]> = {
			'1.1': [1000, 1000], '1.2': [200, 200], '2.1': [200, 200], '2.2': [1000, 1000], '3.1': [198, 200],
			'3.2': [990, 1000], '3.3': [0, 1], '4.3': [200, 200], '4.4': [200, 200], '5.1': [200, 200]
		};
		await db.insertInto('measurement').values([
			...Object.entries(counts).map(([c, [numerator, denominator]]) => ({ organization_id: schools[0]!, service_id: s15, indicator_id: ind.get(c)!, year: 2025, numerator, denominator, source: 'form' as const, comment: null, updated_by: null })),
			{ organization_id: schools[0]!, service_id: s15, indicator_id: ind.get('1.1')!, year: 2023, numerator: 97, denominator: 100, source: 'form' as const, comment: null, updated_by: null },
			{ organization_id: schools[0]!, service_id: s15, indicator_id: ind.get('1.1')!, year: 2024, numerator: 98, denominator: 100, source: 'form' as const, comment: null, updated_by: null },
			// The second school last reported 3.1 in 2023 (nothing since): still its last value.
			{ organization_id: schools[1]!, service_id: s15, indicator_id: ind.get('3.1')!, year: 2023, numerator: 995, denominator: 1000, source: 'form' as const, comment: null, updated_by: null }
		]).execute();
		await db.insertInto('service_volume').values({ organization_id: schools[0]!, service_id: s15, year: 2025, channel: 'provider', count: 1000, updated_by: null }).execute();
		await db.insertInto('complaint').values({ organization_id: schools[0]!, service_id: s15, received_on: '2025-03-01', due_on: '2025-03-08', answered_on: '2025-03-20', justified: true, satisfied: false, summary: null, updated_by: null }).execute();
	});

	it('creates a set listing every organization of the subtree that provides its services that year, × every indicator', async () => {
		const id = await newSet(NEXT, dept, [s13, s15]);
		const e = await editor(id);
		expect(e.set).toMatchObject({ year: NEXT, rootId: dept, status: 'draft', version: 1, createdByName: 'Член рабочей группы' });
		expect(e.organizations.map((o) => o.id).sort()).toEqual([...schools, kindergarten].sort());
		expect(e.services.map((s) => s.id).sort()).toEqual([s13, s15].sort());
		expect(e.cells).toHaveLength((3 * 2 + 1) * 12);
		expect(e.totals).toMatchObject({ cells: 84, proposed: 0, blank: 84, flagged: 0, heldElsewhere: 0 });
		expect(await createTargetSet(ctx.db, wg, { year: NEXT, rootId: dept, serviceIds: [s15, s13], asOfYear: AS_OF })).toEqual({ ok: false, problem: 'set_exists', existingId: id });
		expect(await createTargetSet(ctx.db, wg, { year: NEXT, rootId: dept, serviceIds: [s18], asOfYear: AS_OF })).toEqual({ ok: false, problem: 'no_cells' });
		expect(await createTargetSet(ctx.db, wg, { year: AS_OF + 2, rootId: dept, serviceIds: [s15], asOfYear: AS_OF })).toEqual({ ok: false, problem: 'year_out_of_range' });
		expect(await createTargetSet(ctx.db, wg, { year: NEXT, rootId: dept, serviceIds: [], asOfYear: AS_OF })).toEqual({ ok: false, problem: 'services_required' });
		expect((await listSets(ctx.db, new Set([dept]), { year: NEXT })).map((s) => s.id)).toEqual([id]);
		expect(await listSets(ctx.db, new Set([schools[0]!]))).toEqual([]);
	});

	it('suggests each target from the last reported value and the normative, on the seed annex values', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		const e = await editor(id);
		const expected: Record<string, [number, boolean]> = {
			'1.1': [100, true], '1.2': [100, true], '2.1': [100, true], '2.2': [100, true], '3.1': [99, true], '3.2': [99, true],
			'3.3': [0, true], '4.1': [0, false], '4.2': [0, true], '4.3': [100, true], '4.4': [100, true], '5.1': [100, true]
		};
		for (const [code, [suggestion, met]] of Object.entries(expected)) {
			const c = cellOf(e, schools[0]!, s15, code);
			expect({ code, last: c.last?.value, normative: c.normative, suggestion: c.suggestion, met: c.lastMeetsSuggestion })
				.toEqual({ code, last: expect.closeTo(annexCurrent[code]!, 9), normative: normatives[code], suggestion, met });
		}
		expect(cellOf(e, schools[0]!, s15, '1.1').trend).toMatchObject({ direction: 'up', meaning: 'improving', fromYear: 2023, toYear: 2025 });
		expect(cellOf(e, schools[0]!, s15, '4.1').last).toEqual({ year: 2025, value: 0.1 });
		// The latest reported year before, not only the year before.
		expect(cellOf(e, schools[1]!, s15, '3.1')).toMatchObject({ last: { year: 2023, value: 99.5 }, suggestion: 99.5, trend: null });
		// Nothing reported: the normative.
		expect(cellOf(e, schools[2]!, s15, '3.1')).toMatchObject({ last: null, suggestion: 99, lastMeetsSuggestion: null });
	});

	it('refuses a target outside 0–100 %, and one worse than the normative without a reason; nothing is written', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		const out = await saveTargets(ctx.db, wg, { setId: id, cells: [
			raw(schools[0]!, s15, '1.1', '100'),
			raw(schools[0]!, s15, '1.2', '100,5'),
			raw(schools[0]!, s15, '3.1', '98'),
			raw(schools[0]!, s15, '2.1', 'много')
		] });
		expect(out).toEqual({ kind: 'invalid', problems: [
			{ cell: expect.objectContaining({ indicatorId: ind.get('1.2') }), field: 'value', problem: 'out_of_range' },
			{ cell: expect.objectContaining({ indicatorId: ind.get('3.1') }), field: 'reason', problem: 'reason_required' },
			{ cell: expect.objectContaining({ indicatorId: ind.get('2.1') }), field: 'value', problem: 'not_number' }
		] });
		expect((await editor(id)).totals.proposed).toBe(0);
		const outside = await saveTargets(ctx.db, wg, { setId: id, cells: [raw(schools[0]!, s18, '1.1', '100')] });
		expect(outside).toEqual({ kind: 'invalid', problems: [{ cell: expect.objectContaining({ serviceId: s18 }), field: null, problem: 'not_in_scope' }] });
	});

	it('4.1 is lower-is-better: a target above its normative 0 needs a reason and is flagged; with one it is saved', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		expect(await saveTargets(ctx.db, wg, { setId: id, cells: [raw(schools[0]!, s15, '4.1', '0,5')] }))
			.toEqual({ kind: 'invalid', problems: [{ cell: expect.objectContaining({ indicatorId: ind.get('4.1') }), field: 'reason', problem: 'reason_required' }] });
		expect(await saveTargets(ctx.db, wg, { setId: id, cells: [raw(schools[0]!, s15, '4.1', '0,5', 0, 'Новая форма подачи: жалобы ожидаются')] }))
			.toEqual({ kind: 'saved', changed: 1, flagged: 1 });
		const c = cellOf(await editor(id), schools[0]!, s15, '4.1');
		expect(c).toMatchObject({ flagged: true, proposed: { value: 0.5, reason: 'Новая форма подачи: жалобы ожидаются', status: 'draft', version: 1 }, lastMeetsProposed: true });
		// Back to the normative: no reason needed, the flag goes.
		expect(await saveTargets(ctx.db, wg, { setId: id, cells: [raw(schools[0]!, s15, '4.1', '0', 1, 'Новая форма подачи: жалобы ожидаются')] }))
			.toEqual({ kind: 'saved', changed: 1, flagged: 0 });
		expect(cellOf(await editor(id), schools[0]!, s15, '4.1')).toMatchObject({ flagged: false, proposed: { value: 0, reason: null, version: 2 }, lastMeetsProposed: false });
	});

	it('two people change the same target: the second gets a conflict with both values, and nothing of theirs is written', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		expect((await saveTargets(ctx.db, wg, { setId: id, cells: [raw(schools[1]!, s15, '3.3', '50')] })).kind).toBe('saved');
		// Both saw version 1.
		expect(await saveTargets(ctx.db, wg, { setId: id, cells: [raw(schools[1]!, s15, '3.3', '60', 1)] })).toMatchObject({ kind: 'saved' });
		const out = await saveTargets(ctx.db, other, { setId: id, cells: [raw(schools[1]!, s15, '1.2', '100'), raw(schools[1]!, s15, '3.3', '70', 1)] });
		expect(out).toEqual({ kind: 'conflict', conflicts: [{
			cell: { organizationId: schools[1]!, serviceId: s15, indicatorId: ind.get('3.3')! },
			theirs: { value: 60, reason: null, byName: 'Член рабочей группы', at: expect.any(Date), version: 2 },
			yours: { value: 70, reason: null }
		}] });
		expect(cellOf(await editor(id), schools[1]!, s15, '1.2').proposed).toBeNull();
		// Posting what is stored is no change, whatever version the form carried.
		expect(await saveTargets(ctx.db, other, { setId: id, cells: [raw(schools[1]!, s15, '3.3', '60,0', 1)] })).toEqual({ kind: 'saved', changed: 0, flagged: 0 });
	});

	it('bulk: accepts the suggestions for every school, applies one value to an indicator, copies last year’s targets', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		const out = await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'accept_suggestions', filter: { organizationKind: 'school' } } });
		expect(out.kind).toBe('saved');
		let e = await editor(id);
		const schoolCells = e.cells.filter((c) => schools.includes(c.organizationId));
		expect(schoolCells.every((c) => c.proposed !== null && c.proposed.value === c.suggestion)).toBe(true);
		expect(e.cells.filter((c) => c.organizationId === kindergarten).every((c) => c.proposed === null)).toBe(true);
		// One value for an indicator of every organization of a kind, with a reason because it is below the normative.
		expect(await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'apply_value', value: '98', filter: { indicatorId: ind.get('3.2')!, organizationKind: 'school' } } }))
			.toMatchObject({ kind: 'invalid', problems: expect.arrayContaining([{ cell: expect.anything(), field: 'reason', problem: 'reason_required' }]) });
		expect(await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'apply_value', value: '98', reason: 'Переход на новую ИС', filter: { indicatorId: ind.get('3.2')!, organizationKind: 'school' } } }))
			.toEqual({ kind: 'saved', changed: 6, flagged: 6 });
		expect(await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'apply_value', value: '101' } }))
			.toEqual({ kind: 'invalid', problems: [{ cell: null, field: 'value', problem: 'out_of_range' }] });
		e = await editor(id);
		expect(e.totals).toMatchObject({ proposed: 72, blank: 12, flagged: 6 });
		// Nothing approved for 2026 yet: nothing to copy.
		expect(await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'copy_previous' } })).toEqual({ kind: 'saved', changed: 0, flagged: 0 });
	});

	it('lifecycle: approve with the protocol (locks, in the database too), reopen only with a reason, all audited', async () => {
		const id = await newSet(AS_OF, dept, [s15]);
		await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'accept_suggestions' } });
		const e = await editor(id);
		expect(await approveTargetSet(ctx.db, wg, { setId: id, expectedVersion: 1, ...approval, protocolNumber: ' ', members: '' })).toEqual({ ok: false, problems: [
			{ field: 'protocolNumber', problem: 'protocol_number_required' }, { field: 'members', problem: 'members_required' }
		] });
		expect(await approveTargetSet(ctx.db, wg, { setId: id, expectedVersion: 1, ...approval, protocolDate: '2026-12-31' })).toEqual({ ok: false, problems: [{ field: 'protocolDate', problem: 'protocol_date_future' }] });
		expect(await approveTargetSet(ctx.db, wg, { setId: id, expectedVersion: 0, ...approval })).toEqual({ ok: false, problems: [{ field: null, problem: 'stale' }] });
		expect(await approveTargetSet(ctx.db, wg, { setId: id, expectedVersion: 1, ...approval })).toEqual({ ok: true });

		const set = (await getTargetSet(ctx.db, id))!;
		expect(set).toMatchObject({ status: 'approved', protocolNumber: '12', protocolDate: '2026-12-10', members: approval.members, approvedByName: 'Член рабочей группы', version: 2 });
		const stored = await ctx.db.selectFrom('target').selectAll().where('target_set_id', '=', id).execute();
		expect(stored).toHaveLength(e.totals.cells);
		expect(stored.every((t) => t.status === 'approved' && t.protocol_number === '12' && t.protocol_date === '2026-12-10' && t.approved_by === wg.userId)).toBe(true);

		// Locked: the service refuses, and so does the database, whatever writes.
		const t = stored[0]!;
		expect(await saveTargets(ctx.db, wg, { setId: id, cells: [raw(t.organization_id, t.service_id, '1.1', '99', t.version)] })).toEqual({ kind: 'invalid', problems: [{ cell: null, field: null, problem: 'set_locked' }] });
		expect(await refusal(ctx.db.updateTable('target').set({ value: 50 }).where('id', '=', t.id).execute())).toBe('target_set_locked');
		expect(await refusal(ctx.db.deleteFrom('target').where('id', '=', t.id).execute())).toBe('target_set_locked');
		expect(await refusal(ctx.db.updateTable('target').set({ target_set_id: null }).where('id', '=', t.id).execute())).toBe('target_set_locked');
		expect(await refusal(ctx.db.updateTable('target_set').set({ members: 'другие' }).where('id', '=', id).execute())).toBe('target_set_locked');
		expect(await refusal(ctx.db.deleteFrom('target_set').where('id', '=', id).execute())).toBe('target_set_locked');
		expect(await refusal(ctx.db.updateTable('target_set').set({ status: 'draft' }).where('id', '=', id).execute())).toBe('target_set_reopen_recorded');
		expect(await refusal(ctx.db.updateTable('target_set').set({ status: 'draft', reopened_at: new Date(), reopen_reason: ' ' }).where('id', '=', id).execute())).toBe('target_set_reopen_reason');
		expect(await refusal(ctx.db.updateTable('target_set').set({ service_ids: [s13] }).where('id', '=', id).execute())).toBe('target_set_scope_fixed');
		expect(await refusal(ctx.db.insertInto('target').values({
			organization_id: kindergarten, service_id: s13, indicator_id: ind.get('1.1')!, year: AS_OF, value: 100, reason: null, approved_by: null,
			approved_at: null, protocol_number: null, protocol_date: null, updated_by: null, target_set_id: id
		}).execute())).toBe('target_set_locked');

		// Reopening needs a reason; then the set and its targets are drafts again, editable.
		expect(await reopenTargetSet(ctx.db, other, { setId: id, expectedVersion: 2, reason: '  ' })).toEqual({ ok: false, problems: [{ field: 'reason', problem: 'reason_required' }] });
		expect(await reopenTargetSet(ctx.db, other, { setId: id, expectedVersion: 2, reason: 'Ошибка в цели школы по 1.2' })).toEqual({ ok: true });
		expect(await getTargetSet(ctx.db, id)).toMatchObject({ status: 'draft', reopenReason: 'Ошибка в цели школы по 1.2', reopenedByName: 'Другой член группы', protocolNumber: null, version: 3 });
		const after = await ctx.db.selectFrom('target').select(['status', 'protocol_number', 'version']).where('id', '=', t.id).executeTakeFirstOrThrow();
		expect(after).toEqual({ status: 'draft', protocol_number: null, version: t.version + 1 });
		expect(await saveTargets(ctx.db, wg, { setId: id, cells: [raw(t.organization_id, t.service_id, '3.3', '50', after.version)] })).toEqual({ kind: 'saved', changed: 1, flagged: 0 });

		const audit = await ctx.db.selectFrom('audit_log').select(['actor', 'action', 'after']).where('entity', '=', 'target_set').where('entity_id', '=', String(id)).orderBy('id').execute();
		expect(audit.map((a) => [a.actor, a.action, (a.after as { status: string }).status])).toEqual([
			[wg.label, 'insert', 'draft'], [wg.label, 'update', 'approved'], [other.label, 'update', 'draft']
		]);
		expect((audit[2]!.after as { reopen_reason: string }).reopen_reason).toBe('Ошибка в цели школы по 1.2');
		// Approve again: the targets of 2026 are now the year before's for the 2027 set.
		expect(await approveTargetSet(ctx.db, wg, { setId: id, expectedVersion: 3, ...approval, protocolNumber: '14' })).toEqual({ ok: true });
	});

	it('the database keeps every target of a set at the set’s status, checked at commit', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		const write = ctx.db.transaction().execute(async (trx) => {
			await trx.updateTable('target').set({ status: 'approved', approved_at: new Date(), protocol_number: '1', protocol_date: '2026-12-01' })
				.where('target_set_id', '=', id).where('organization_id', '=', schools[0]!).execute();
		});
		expect(await refusal(write)).toBe('target_set_status_sync');
		const orphan = ctx.db.transaction().execute(async (trx) => {
			await trx.updateTable('target_set').set({ status: 'approved', approved_at: new Date(), protocol_number: '1', protocol_date: '2026-12-01' }).where('id', '=', id).execute();
		});
		expect(await refusal(orphan)).toBe('target_set_status_sync');
		expect(await refusal(ctx.db.insertInto('target').values({
			organization_id: schools[0]!, service_id: s18, indicator_id: ind.get('1.1')!, year: NEXT, value: 100, reason: null, approved_by: null,
			approved_at: null, protocol_number: null, protocol_date: null, updated_by: null, target_set_id: id
		}).execute())).toBe('service_provided_that_year');
		const elsewhere = await createOrganization(ctx.db);
		await provide(ctx.db, elsewhere, s15, 2019);
		expect(await refusal(ctx.db.insertInto('target').values({
			organization_id: elsewhere, service_id: s15, indicator_id: ind.get('1.1')!, year: NEXT, value: 100, reason: null, approved_by: null,
			approved_at: null, protocol_number: null, protocol_date: null, updated_by: null, target_set_id: id
		}).execute())).toBe('target_set_scope');
	});

	it('shows which targets last year met, the target in force, and copies last year’s approved targets', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		const e = await editor(id);
		const c = cellOf(e, schools[0]!, s15, '1.2');
		expect(c.currentTarget).toEqual({ year: AS_OF, value: 100 });
		const copied = await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'copy_previous', filter: { organizationId: schools[0]!, serviceId: s15 } } });
		expect(copied).toMatchObject({ kind: 'saved' });
		const after = await editor(id);
		const mine = after.cells.filter((x) => x.organizationId === schools[0]! && x.serviceId === s15);
		expect(mine.every((x) => x.proposed?.value === x.currentTarget?.value)).toBe(true);
	});

	it('compares a year with the one before, per indicator: raised, kept, lowered; tightened or loosened', async () => {
		const id = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!.id;
		const e = await editor(id);
		const v = (org: number, code: string) => cellOf(e, org, s15, code).proposed!.version;
		expect((await saveTargets(ctx.db, wg, { setId: id, cells: [
			raw(schools[1]!, s15, '3.1', '100', v(schools[1]!, '3.1')), // 2026: 99 (suggested) → raised, tightened
			raw(schools[2]!, s15, '3.1', '98', v(schools[2]!, '3.1'), 'Смена здания') // 99 → lowered, loosened
		] })).kind).toBe('saved');
		const cmp = (await compareTargetSet(ctx.db, id))!;
		expect(cmp.map((r) => r.code)).toEqual(['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '4.4', '5.1']);
		const r31 = cmp.find((r) => r.code === '3.1')!;
		// The schools' S13 targets are new this year (2026's set covered S15 only); all of 2027 is still a draft.
		expect(r31).toMatchObject({ raised: 1, lowered: 1, kept: 1, tightened: 1, loosened: 1, added: 3, dropped: 0, draft: 6 });
	});

	it('the annex shows an approved set’s targets with its protocol, and a draft set’s as draft, never counted', async () => {
		const annex2026 = await buildAnnex(ctx.db, { organizationId: schools[0]!, serviceId: s15, year: AS_OF });
		const row = annex2026.rows.find((r) => r.code === '1.1')!;
		expect(row.target).toEqual({ value: 100, status: 'approved', protocolNumber: '14', protocolDate: '2026-12-10' });
		expect(row.nextTarget).toMatchObject({ status: 'draft' });
		expect(annex2026.targetProtocols).toEqual([{ number: '14', date: '2026-12-10' }]);
		const annex2027 = await buildAnnex(ctx.db, { organizationId: schools[0]!, serviceId: s15, year: NEXT });
		expect(annex2027.rows.find((r) => r.code === '1.1')!.target).toMatchObject({ status: 'draft' });
		expect(annex2027.targetProtocols).toEqual([]);
	});

	it('only the working group (or an admin) in the set’s scope may approve', async () => {
		const set = (await listSets(ctx.db, new Set([dept]), { year: NEXT }))[0]!;
		const ancestry = await findAncestry(ctx.db, set.rootId);
		const rudny = await idOf(ctx.db, 'organization', 'RUDNY-EDU');
		const sibling = await createOrganization(ctx.db, { kind: 'city_department' });
		const may = (grants: Grant[]) => ({ draft: can(grants, 'targets.draft', ancestry), approve: can(grants, 'targets.approve', ancestry) });
		expect(may([{ role: 'working_group', organizationId: dept }])).toEqual({ draft: true, approve: true });
		expect(may([{ role: 'working_group', organizationId: rudny }])).toEqual({ draft: true, approve: true });
		expect(may([{ role: 'working_group', organizationId: sibling }])).toEqual({ draft: false, approve: false });
		expect(may([{ role: 'working_group', organizationId: schools[0]! }])).toEqual({ draft: false, approve: false });
		expect(may([{ role: 'head', organizationId: dept }])).toEqual({ draft: false, approve: false });
		expect(may([{ role: 'operator', organizationId: dept }])).toEqual({ draft: false, approve: false });
		expect(may([{ role: 'admin', organizationId: null }])).toEqual({ draft: true, approve: true });
	});

	it('bulk over a whole subtree of many schools is a handful of statements', async () => {
		const city = await createOrganization(ctx.db, { kind: 'city_department' });
		const services = await Promise.all(SCHOOL_SERVICES.map((c) => idOf(ctx.db, 'service', c)));
		const orgs = await Promise.all(Array.from({ length: 40 }, () => createOrganization(ctx.db, { parent_id: city })));
		await ctx.db.insertInto('service_provision').values(orgs.flatMap((o) => services.map((s) => ({ organization_id: o, service_id: s, year_from: 2019 })))).execute();
		const id = await newSet(NEXT, city, services);
		let t = performance.now();
		const out = await bulkTargets(ctx.db, wg, { setId: id, op: { kind: 'accept_suggestions', filter: { organizationKind: 'school' } } });
		const bulkMs = performance.now() - t;
		expect(out).toEqual({ kind: 'saved', changed: 40 * 8 * 12, flagged: 0 });
		t = performance.now();
		const e = await editor(id);
		const loadMs = performance.now() - t;
		expect(e.totals).toMatchObject({ cells: 3840, proposed: 3840 });
		t = performance.now();
		expect(await approveTargetSet(ctx.db, wg, { setId: id, expectedVersion: 1, ...approval })).toEqual({ ok: true });
		const approveMs = performance.now() - t;
		console.log(JSON.stringify({ engine: ctx.engine, cells: 3840, bulkMs: Math.round(bulkMs), loadMs: Math.round(loadMs), approveMs: Math.round(approveMs) }));
		expect(bulkMs).toBeLessThan(20_000);
	});
});

describeDb('target sets: the migration puts existing targets into sets', (ctx) => {
	it('one set per year, top-level organization, status and protocol; every target in one', async () => {
		const db = ctx.db;
		expect((await createMigrator(db, migrations).migrateTo('2026-11-22T06-reporting-years')).error).toBeUndefined();
		const svc = await idOf(db, 'service', 'S15');
		const i11 = await idOf(db, 'indicator', '1.1'), i12 = await idOf(db, 'indicator', '1.2');
		const top = await createOrganization(db, { parent_id: null, kind: 'region_department' });
		const city = await createOrganization(db, { parent_id: top, kind: 'city_department' });
		const a = await createOrganization(db, { parent_id: city }), b = await createOrganization(db, { parent_id: city });
		for (const o of [a, b]) await provide(db, o, svc, 2019);
		// Written as SQL: the table has no target_set_id yet.
		await sql`INSERT INTO target (organization_id, service_id, indicator_id, year, value, status, approved_at, protocol_number, protocol_date) VALUES
			(${a}, ${svc}, ${i11}, 2025, 100, 'approved', '2024-12-20T10:00:00Z', '5', '2024-12-20'),
			(${b}, ${svc}, ${i11}, 2025, 99, 'approved', '2024-12-20T10:00:00Z', '5', '2024-12-20'),
			(${a}, ${svc}, ${i12}, 2026, 100, 'draft', NULL, NULL, NULL),
			(${b}, ${svc}, ${i12}, 2026, 100, 'draft', NULL, NULL, NULL)`.execute(db);
		expect((await createMigrator(db, migrations).migrateToLatest()).error).toBeUndefined();
		const sets = await db.selectFrom('target_set').selectAll().where('organization_id', '=', top).orderBy('year').execute();
		expect(sets.map((s) => [s.year, s.status, s.protocol_number, s.service_ids])).toEqual([[2025, 'approved', '5', [svc]], [2026, 'draft', null, [svc]]]);
		const targets = await db.selectFrom('target').select(['year', 'target_set_id']).where('organization_id', 'in', [a, b]).orderBy('year').execute();
		expect(targets.map((t) => t.target_set_id)).toEqual([sets[0]!.id, sets[0]!.id, sets[1]!.id, sets[1]!.id]);
		// The backfilled approved set is locked like any other.
		expect(await refusal(db.updateTable('target').set({ value: 1 }).where('target_set_id', '=', sets[0]!.id).execute())).toBe('target_set_locked');
	});
});
