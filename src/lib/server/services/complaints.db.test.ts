import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { insertUser } from '../queries/users';
import { addComplaint, closeComplaint, editComplaint, loadRegister, removeComplaint, type Place } from './complaints';

const YEAR = 2025;
const TODAY = '2025-06-10';

describeDb('the complaints register', (ctx) => {
	let operator: { userId: number; label: string };
	let other: { userId: number; label: string };
	let service: number;
	let notProvided: number;

	beforeAll(async () => {
		const db = ctx.db;
		const mk = async (name: string, slug: string) => {
			const userId = await insertUser(db, { email: `${slug}.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: name, passwordHash: 'x' });
			return { userId, label: `user:${userId}` };
		};
		operator = await mk('Оператор Первый', 'c-op1');
		other = await mk('Оператор Второй', 'c-op2');
		service = await idOf(db, 'service', 'S01');
		notProvided = await idOf(db, 'service', 'S02');
		// A standard for the service with the seed annex's normatives for 4.1 and 4.2 (both 0).
		const std = await db.insertInto('standard').values({
			service_id: service, act_issuer_kk: 'Әкімдік', act_issuer_ru: 'Акимат', act_number: 'T-1', act_date: '2020-01-01', valid_from: '2020-01-01'
		}).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('standard_normative').values([
			{ standard_id: std.id, indicator_id: await idOf(db, 'indicator', '4.1'), value: 0 },
			{ standard_id: std.id, indicator_id: await idOf(db, 'indicator', '4.2'), value: 100 }
		]).execute();
	});

	async function school(): Promise<Place> {
		const org = await createOrganization(ctx.db);
		await provide(ctx.db, org, service, 2020);
		return { organizationId: org, year: YEAR, today: TODAY };
	}
	const form = (over: Record<string, string> = {}) => ({
		service: String(service), receivedOn: '2025-03-03', summary: 'Долго не выдавали справку', justified: 'pending',
		dueOn: '', answeredOn: '', satisfied: '', ...over
	});
	const rows = (org: number) => ctx.db.selectFrom('complaint').selectAll().where('organization_id', '=', org).orderBy('id').execute();
	const audit = (id: number) => ctx.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'before', 'after'])
		.where('entity', '=', 'complaint').where('entity_id', '=', String(id)).orderBy('id').execute();

	it('adds, edits, closes and deletes a complaint, each write audited with its actor', async () => {
		const place = await school();
		const added = await addComplaint(ctx.db, operator, place, form());
		expect(added.kind).toBe('done');
		if (added.kind !== 'done') return;
		const [row] = await rows(place.organizationId);
		// A blank term is the default: five working days after a Monday is the next Monday.
		expect(row).toMatchObject({ id: added.id, received_on: '2025-03-03', due_on: '2025-03-10', justified: null, answered_on: null, version: 1, updated_by: operator.userId });

		const edited = await editComplaint(ctx.db, operator, place, { id: added.id, version: 1 }, form({ justified: 'yes', dueOn: '2025-03-12', summary: 'Справку выдали с опозданием' }));
		expect(edited).toEqual({ kind: 'done', id: added.id });
		const closed = await closeComplaint(ctx.db, other, place, { id: added.id, version: 2 }, { justified: 'yes', answeredOn: '12.03.2025', satisfied: 'yes' });
		expect(closed).toEqual({ kind: 'done', id: added.id });
		const page = await loadRegister(ctx.db, place.organizationId, YEAR, TODAY);
		expect(page.complaints).toEqual([expect.objectContaining({
			id: added.id, justified: true, dueOn: '2025-03-12', answeredOn: '2025-03-12', satisfied: true, answeredWithinTerm: true,
			version: 3, updatedByName: 'Оператор Второй', summary: 'Справку выдали с опозданием'
		})]);

		expect(await removeComplaint(ctx.db, operator, place, { id: added.id, version: 3 })).toEqual({ kind: 'done', id: added.id });
		expect(await rows(place.organizationId)).toEqual([]);
		const trail = await audit(added.id);
		expect(trail.map((t) => [t.action, t.actor_user_id])).toEqual([
			['insert', operator.userId], ['update', operator.userId], ['update', other.userId], ['delete', operator.userId]
		]);
		expect(trail[3]!.before).toMatchObject({ answered_on: '2025-03-12', satisfied: true });
	});

	describe('each rule refuses the write, names the field and changes nothing', () => {
		const cases: Array<[string, Record<string, string>, string, string]> = [
			['no service chosen', { service: '' }, 'service', 'service_required'],
			['a service not provided that year', { service: '__other__' }, 'service', 'service_not_provided'],
			['no date received', { receivedOn: '' }, 'receivedOn', 'received_invalid'],
			['a date that does not exist', { receivedOn: '2025-02-30' }, 'receivedOn', 'received_invalid'],
			['received in another year', { receivedOn: '2024-12-30' }, 'receivedOn', 'received_outside_year'],
			['received in the future', { receivedOn: '2025-06-11' }, 'receivedOn', 'received_future'],
			['a summary over 2000 characters', { summary: 'ж'.repeat(2001) }, 'summary', 'summary_too_long'],
			['justified neither yes, no nor not examined', { justified: 'maybe' }, 'justified', 'justified_invalid'],
			['a term that is not a date', { dueOn: 'soon' }, 'dueOn', 'due_invalid'],
			['a term before received', { dueOn: '2025-03-02' }, 'dueOn', 'due_before_received'],
			['a term years away', { dueOn: '2052-03-10' }, 'dueOn', 'due_too_late'],
			['an answer that is not a date', { justified: 'no', answeredOn: '31.02.2025' }, 'answeredOn', 'answered_invalid'],
			['an answer before received', { justified: 'no', answeredOn: '2025-03-01' }, 'answeredOn', 'answered_before_received'],
			['an answer in the future', { justified: 'no', answeredOn: '2025-06-11' }, 'answeredOn', 'answered_future'],
			['an answer to a complaint not examined', { answeredOn: '2025-03-05' }, 'justified', 'examination_required'],
			['satisfied without an answer', { justified: 'yes', satisfied: 'yes' }, 'satisfied', 'satisfied_without_answer'],
			['satisfied neither yes nor no', { satisfied: 'perhaps' }, 'satisfied', 'satisfied_invalid']
		];
		for (const [name, change, field, problem] of cases) {
			it(name, async () => {
				const place = await school();
				const raw = form({ ...change, ...(change.service === '__other__' ? { service: String(notProvided) } : {}) });
				const out = await addComplaint(ctx.db, operator, place, raw);
				expect(out.kind).toBe('invalid');
				if (out.kind !== 'invalid') return;
				expect(out.issues).toContainEqual({ field, problem });
				expect(await rows(place.organizationId)).toEqual([]);
			});
		}
		it('closing needs the examination’s outcome, the answer date and whether it satisfied', async () => {
			const place = await school();
			const added = await addComplaint(ctx.db, operator, place, form());
			if (added.kind !== 'done') throw new Error('not added');
			const out = await closeComplaint(ctx.db, operator, place, { id: added.id, version: 1 }, { justified: 'pending', answeredOn: '', satisfied: '' });
			expect(out).toEqual({ kind: 'invalid', issues: [
				{ field: 'justified', problem: 'examination_required' },
				{ field: 'answeredOn', problem: 'answered_required' },
				{ field: 'satisfied', problem: 'satisfied_required' }
			] });
			const late = await closeComplaint(ctx.db, operator, place, { id: added.id, version: 1 }, { justified: 'no', answeredOn: '2025-03-01', satisfied: 'no' });
			expect(late).toEqual({ kind: 'invalid', issues: [{ field: 'answeredOn', problem: 'answered_before_received' }] });
			expect((await rows(place.organizationId))[0]).toMatchObject({ version: 1, answered_on: null });
		});
	});

	it('a complaint for a service not provided that year is refused by the database too', async () => {
		const place = await school();
		const { refusal } = await import('../db/fixtures');
		expect(await refusal(ctx.db.insertInto('complaint').values({
			organization_id: place.organizationId, service_id: notProvided, received_on: '2025-03-03', due_on: '2025-03-10'
		}).execute())).toBe('service_provided_that_year');
	});

	it('two edits from the same version: one wins, the other is told both values and who changed it', async () => {
		const place = await school();
		const added = await addComplaint(ctx.db, operator, place, form());
		if (added.kind !== 'done') throw new Error('not added');
		const [first, second] = await Promise.all([
			editComplaint(ctx.db, operator, place, { id: added.id, version: 1 }, form({ justified: 'yes' })),
			editComplaint(ctx.db, other, place, { id: added.id, version: 1 }, form({ justified: 'no', summary: 'Моя версия' }))
		]);
		const outcomes = [first, second];
		expect(outcomes.filter((o) => o.kind === 'done')).toHaveLength(1);
		const lost = outcomes.find((o) => o.kind === 'conflict');
		expect(lost?.kind).toBe('conflict');
		if (lost?.kind !== 'conflict') return;
		const winner = first.kind === 'done' ? { justified: true, by: 'Оператор Первый' } : { justified: false, by: 'Оператор Второй' };
		expect(lost.theirs).toMatchObject({ id: added.id, version: 2, justified: winner.justified, updatedByName: winner.by });
		expect(lost.theirs?.updatedAt).toBeInstanceOf(Date);
		expect(lost.yours).toMatchObject({ justified: !winner.justified });
		expect(await rows(place.organizationId)).toEqual([expect.objectContaining({ version: 2, justified: winner.justified })]);

		// Closing or deleting from the old version is a conflict too; nothing changes.
		const stale = await closeComplaint(ctx.db, operator, place, { id: added.id, version: 1 }, { justified: 'yes', answeredOn: '2025-03-04', satisfied: 'yes' });
		expect(stale).toMatchObject({ kind: 'conflict', theirs: { version: 2 }, yours: { answeredOn: '2025-03-04' } });
		expect(await removeComplaint(ctx.db, operator, place, { id: added.id, version: 1 })).toMatchObject({ kind: 'conflict', theirs: { version: 2 }, yours: null });
		// Saving again from their version, knowingly, replaces their values.
		expect(await editComplaint(ctx.db, operator, place, { id: added.id, version: 2 }, form({ justified: 'no' }))).toEqual({ kind: 'done', id: added.id });
		// Once deleted, an edit is told the complaint is gone; a second delete that it is already done.
		expect(await removeComplaint(ctx.db, other, place, { id: added.id, version: 3 })).toEqual({ kind: 'done', id: added.id });
		expect(await editComplaint(ctx.db, operator, place, { id: added.id, version: 3 }, form())).toMatchObject({ kind: 'conflict', theirs: null });
		expect(await removeComplaint(ctx.db, operator, place, { id: added.id, version: 3 })).toEqual({ kind: 'refused', reason: 'not_found' });
	});

	it('a complaint of another organization or year is not found through this one', async () => {
		const place = await school();
		const elsewhere = await school();
		const added = await addComplaint(ctx.db, operator, elsewhere, form());
		if (added.kind !== 'done') throw new Error('not added');
		expect(await editComplaint(ctx.db, operator, place, { id: added.id, version: 1 }, form({ justified: 'yes' }))).toMatchObject({ kind: 'conflict', theirs: null });
		expect(await removeComplaint(ctx.db, operator, { ...elsewhere, year: 2024 }, { id: added.id, version: 1 })).toEqual({ kind: 'refused', reason: 'not_found' });
		expect(await rows(elsewhere.organizationId)).toEqual([expect.objectContaining({ version: 1, justified: null })]);
	});

	it('a submitted or approved year refuses add, edit, close and delete', async () => {
		const place = await school();
		const added = await addComplaint(ctx.db, operator, place, form());
		if (added.kind !== 'done') throw new Error('not added');
		for (const status of ['submitted', 'approved'] as const) {
			await ctx.db.insertInto('reporting_year').values({
				organization_id: place.organizationId, year: YEAR, status, last_step: status === 'submitted' ? 'submit' : 'approve'
			}).onConflict((oc) => oc.columns(['organization_id', 'year']).doUpdateSet({ status, last_step: status === 'submitted' ? 'submit' : 'approve' })).execute();
			const ref = { id: added.id, version: 1 };
			const locked = { kind: 'refused', reason: 'year_locked' };
			expect(await addComplaint(ctx.db, operator, place, form())).toEqual(locked);
			expect(await editComplaint(ctx.db, operator, place, ref, form({ justified: 'yes' }))).toEqual(locked);
			expect(await closeComplaint(ctx.db, operator, place, ref, { justified: 'yes', answeredOn: '2025-03-04', satisfied: 'yes' })).toEqual(locked);
			expect(await removeComplaint(ctx.db, operator, place, ref)).toEqual(locked);
			const page = await loadRegister(ctx.db, place.organizationId, YEAR, TODAY);
			expect(page.open).toBe(false);
			expect(page.reportingYear?.status).toBe(status);
		}
		expect(await rows(place.organizationId)).toEqual([expect.objectContaining({ version: 1, justified: null })]);
	});

	it('computes 4.1 and 4.2 from the register and the served volumes, with the standard’s normative and the verdict', async () => {
		const place = await school();
		const org = place.organizationId;
		await ctx.db.insertInto('service_volume').values([
			{ organization_id: org, service_id: service, year: YEAR, channel: 'provider', count: 600 },
			{ organization_id: org, service_id: service, year: YEAR, channel: 'egov', count: 400 }
		]).execute();
		const add = (over: Record<string, string>) => addComplaint(ctx.db, operator, place, form(over));
		// Justified, answered in term and satisfied: counts for 4.2.
		await add({ justified: 'yes', receivedOn: '2025-03-03', answeredOn: '2025-03-07', satisfied: 'yes' });
		// Justified, satisfied but late (term 03-10, answered 03-11).
		await add({ justified: 'yes', receivedOn: '2025-03-03', answeredOn: '2025-03-11', satisfied: 'yes' });
		// Not justified; not yet examined: neither counts.
		await add({ justified: 'no', receivedOn: '2025-04-01', answeredOn: '2025-04-02', satisfied: 'no' });
		await add({ justified: 'pending', receivedOn: '2025-06-05' }); // term 06-12
		// Received the year before: belongs to 2024, not to this year.
		await ctx.db.insertInto('complaint').values({ organization_id: org, service_id: service, received_on: '2024-12-30', due_on: '2025-01-06', justified: true }).execute();

		const page = await loadRegister(ctx.db, org, YEAR, TODAY);
		expect(page.complaints).toHaveLength(4);
		const [s] = page.services;
		expect(s!.served).toBe(1000);
		expect(s!.counts).toEqual({ total: 4, justified: 2, pending: 1, unanswered: 1, overdue: 0 });
		expect(s!.justifiedSatisfiedInTerm).toBe(1);
		const [i41, i42] = s!.indicators;
		expect(i41).toMatchObject({ code: '4.1', counts: { numerator: 2, denominator: 1000 }, value: 0.2, normative: 0, assessment: { status: 'breach' } });
		expect(i42).toMatchObject({ code: '4.2', counts: { numerator: 1, denominator: 2 }, value: 50, normative: 100 });
		// Past its term and still unanswered: overdue.
		const later = await loadRegister(ctx.db, org, YEAR, '2025-06-20');
		expect(later.services[0]!.counts.overdue).toBe(1);
		// Filtered by service: only that service's complaints.
		expect((await loadRegister(ctx.db, org, YEAR, TODAY, notProvided)).complaints).toEqual([]);
	});

	it('without reported volumes 4.1 has no data, and the year to come is not open', async () => {
		const place = await school();
		const page = await loadRegister(ctx.db, place.organizationId, YEAR, TODAY);
		expect(page.services[0]!.served).toBeNull();
		expect(page.services[0]!.indicators[0]).toMatchObject({ code: '4.1', counts: null, value: null, assessment: { status: 'no_data' } });
		expect(page.open).toBe(true);
		expect((await loadRegister(ctx.db, place.organizationId, 2026, TODAY)).open).toBe(false);
	});
});
