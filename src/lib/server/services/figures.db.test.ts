import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, idOf, provide, refusal } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { insertUser } from '../queries/users';
import type { GridFigureRaw, GridVolumeRaw } from '../../validation/figures';
import { loadGrid, saveGrid, stepYear, type SaveInput } from './figures';

const YEAR = 2025;
const AS_OF = 2026;

describeDb('the entry grid: saving a year of figures', (ctx) => {
	let operator: { userId: number; label: string };
	let other: { userId: number; label: string };
	let head: { userId: number; label: string };
	let service: number;
	let notProvided: number;
	let i11: number, i12: number, i41: number;

	beforeAll(async () => {
		const db = ctx.db;
		const mk = async (name: string, slug: string) => {
			const userId = await insertUser(db, { email: `${slug}.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: name, passwordHash: 'x' });
			return { userId, label: `user:${userId}` };
		};
		operator = await mk('Оператор Первый', 'op1');
		other = await mk('Оператор Второй', 'op2');
		head = await mk('Руководитель', 'head');
		service = await idOf(db, 'service', 'S01');
		notProvided = await idOf(db, 'service', 'S02');
		i11 = await idOf(db, 'indicator', '1.1');
		i12 = await idOf(db, 'indicator', '1.2');
		i41 = await idOf(db, 'indicator', '4.1');
	});

	async function school(): Promise<number> {
		const org = await createOrganization(ctx.db);
		await provide(ctx.db, org, service, 2020);
		return org;
	}
	const fig = (indicatorId: number, numerator: string, denominator: string, version: string | number = 0, comment = ''): GridFigureRaw =>
		({ serviceId: service, indicatorId, numerator, denominator, comment, version: String(version) });
	const vol = (channel: GridVolumeRaw['channel'], count: string, version: string | number = 0): GridVolumeRaw =>
		({ serviceId: service, channel, count, comment: '', version: String(version) });
	const input = (org: number, figures: GridFigureRaw[], volumes: GridVolumeRaw[] = [], year = YEAR): SaveInput =>
		({ organizationId: org, year, asOfYear: AS_OF, jumpPoints: 20, figures, volumes });
	const stored = (org: number) => ctx.db.selectFrom('measurement').selectAll().where('organization_id', '=', org).orderBy('indicator_id').execute();

	it('writes new values and volumes, then shows them in the grid with the percentage and the engine’s status', async () => {
		const org = await school();
		const out = await saveGrid(ctx.db, operator, input(org, [fig(i11, '95', '100'), fig(i12, '', '')], [vol('provider', '1 200'), vol('egov', '300,0')]));
		expect(out).toEqual({ kind: 'saved', changed: 3, warnings: [] });
		const grid = await loadGrid(ctx.db, org, YEAR, AS_OF);
		const cell = grid.services[0]!.cells.find((c) => c.indicatorId === i11)!;
		expect(cell.stored).toMatchObject({ numerator: 95, denominator: 100, version: 1, source: 'form', updatedByName: 'Оператор Первый' });
		expect(cell.value).toBe(95);
		expect(grid.services[0]!.volumes.provider?.count).toBe(1200);
		expect(grid.services[0]!.volumes.egov?.count).toBe(300);
		expect(grid.services[0]!.served).toBe(1500);
		expect(grid.filled).toBe(3);
		const audit = await ctx.db.selectFrom('audit_log').select(['actor', 'action']).where('entity', '=', 'measurement')
			.where('actor_user_id', '=', operator.userId).execute();
		expect(audit.length).toBeGreaterThan(0);
	});

	it('shows the indicators computed from the register as computed: 4.1 from justified complaints and served volumes', async () => {
		const org = await school();
		await saveGrid(ctx.db, operator, input(org, [], [vol('provider', '200')]));
		await ctx.db.insertInto('complaint').values({ organization_id: org, service_id: service, received_on: `${YEAR}-03-01`, due_on: `${YEAR}-03-10`, justified: true }).execute();
		const grid = await loadGrid(ctx.db, org, YEAR, AS_OF);
		const c41 = grid.services[0]!.cells.find((c) => c.indicatorId === i41)!;
		expect(c41.computedCounts).toEqual({ numerator: 1, denominator: 200 });
		expect(c41.value).toBe(0.5);
	});

	describe('each validation rule refuses the whole save and names the cell and field', () => {
		// [name, numerator, denominator, comment, problem, field]
		const cases: Array<[string, string, string, string, string, string | null]> = [
			['numerator above denominator', '11', '10', '', 'numerator_above_denominator', 'numerator'],
			['a negative number', '-1', '10', '', 'negative', 'numerator'],
			['a fraction', '1', '10,5', '', 'not_integer', 'denominator'],
			['text', 'abc', '10', '', 'not_integer', 'numerator'],
			['only one of the pair', '5', '', '', 'half_filled', 'denominator'],
			['a comment with no value', '', '', 'пусто', 'half_filled', 'numerator'],
			['an absurdly large count', '1', '999999999999', '', 'too_large', 'denominator']
		];
		for (const [name, n, d, comment, problem, field] of cases) {
			it(name, async () => {
				const org = await school();
				const out = await saveGrid(ctx.db, operator, input(org, [fig(i12, '1', '2'), fig(i11, n, d, 0, comment)]));
				expect(out.kind).toBe('invalid');
				if (out.kind !== 'invalid') return;
				expect(out.problems).toContainEqual({ cell: { kind: 'figure', serviceId: service, indicatorId: i11 }, field, problem });
				expect(await stored(org)).toEqual([]);
			});
		}
		it('a service the organization does not provide that year', async () => {
			const org = await school();
			const out = await saveGrid(ctx.db, operator, input(org, [{ ...fig(i11, '1', '2'), serviceId: notProvided }]));
			expect(out).toMatchObject({ kind: 'invalid', problems: [{ field: null, problem: 'not_provided' }] });
		});
		it('an indicator computed from the complaints register', async () => {
			const org = await school();
			const out = await saveGrid(ctx.db, operator, input(org, [fig(i41, '1', '2')]));
			expect(out).toMatchObject({ kind: 'invalid', problems: [{ field: null, problem: 'computed_indicator' }] });
		});
		it('a year that has not begun', async () => {
			const org = await school();
			const out = await saveGrid(ctx.db, operator, input(org, [fig(i11, '1', '2')], [], AS_OF + 1));
			expect(out).toEqual({ kind: 'invalid', problems: [{ cell: { kind: 'figure', serviceId: service, indicatorId: i11 }, field: null, problem: 'year_future' }] });
		});
		it('a negative volume', async () => {
			const org = await school();
			const out = await saveGrid(ctx.db, operator, input(org, [], [vol('egov', '-3')]));
			expect(out).toMatchObject({ kind: 'invalid', problems: [{ cell: { kind: 'volume', channel: 'egov' }, field: 'count', problem: 'negative' }] });
		});
	});

	it('warns, without refusing, on a jump against last year and on a small sample', async () => {
		const org = await school();
		expect(await saveGrid(ctx.db, operator, input(org, [fig(i11, '90', '100')], [], YEAR - 1))).toMatchObject({ kind: 'saved' });
		const out = await saveGrid(ctx.db, operator, input(org, [fig(i11, '50', '100'), fig(i12, '9', '10')]));
		expect(out.kind).toBe('saved');
		if (out.kind !== 'saved') return;
		expect(out.warnings).toContainEqual({ cell: { kind: 'figure', serviceId: service, indicatorId: i11 }, warning: 'jump' });
		expect(out.warnings).toContainEqual({ cell: { kind: 'figure', serviceId: service, indicatorId: i12 }, warning: 'small_sample' });
	});

	it('a save over a change made meanwhile is refused and shows both values; the stored value stays', async () => {
		const org = await school();
		await saveGrid(ctx.db, operator, input(org, [fig(i11, '80', '100')]));
		// Both people opened the grid at version 1.
		expect(await saveGrid(ctx.db, other, input(org, [fig(i11, '85', '100', 1)]))).toMatchObject({ kind: 'saved', changed: 1 });
		const late = await saveGrid(ctx.db, operator, input(org, [fig(i11, '90', '100', 1)]));
		expect(late).toMatchObject({
			kind: 'conflict',
			conflicts: [{ cell: { indicatorId: i11 }, theirs: { numerator: 85, denominator: 100, byName: 'Оператор Второй' }, yours: { numerator: 90, denominator: 100 } }]
		});
		expect((await stored(org))[0]).toMatchObject({ numerator: 85, version: 2 });
	});

	it('two concurrent saves of the same value from the same version: exactly one wins, the other is told', async () => {
		const org = await school();
		await saveGrid(ctx.db, operator, input(org, [fig(i11, '70', '100')]));
		const results = await Promise.all([
			saveGrid(ctx.db, operator, input(org, [fig(i11, '71', '100', 1)])),
			saveGrid(ctx.db, other, input(org, [fig(i11, '72', '100', 1)]))
		]);
		expect(results.filter((r) => r.kind === 'saved')).toHaveLength(1);
		expect(results.filter((r) => r.kind === 'conflict')).toHaveLength(1);
		const row = (await stored(org))[0]!;
		expect(row.version).toBe(2);
		expect([71, 72]).toContain(row.numerator);
	});

	it('two concurrent first entries of a value: one is written, the other is a conflict, never an error', async () => {
		const org = await school();
		const results = await Promise.all([
			saveGrid(ctx.db, operator, input(org, [fig(i11, '1', '2')], [vol('provider', '5')])),
			saveGrid(ctx.db, other, input(org, [fig(i11, '1', '3')], [vol('provider', '6')]))
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['conflict', 'saved']);
	});

	it('re-posting the values already stored writes nothing, whatever version the page had', async () => {
		const org = await school();
		await saveGrid(ctx.db, operator, input(org, [fig(i11, '3', '4')]));
		expect(await saveGrid(ctx.db, other, input(org, [fig(i11, '3', '4', 0)]))).toEqual({ kind: 'saved', changed: 0, warnings: [] });
	});

	it('clearing both counts removes the value (audited as a delete)', async () => {
		const org = await school();
		await saveGrid(ctx.db, operator, input(org, [fig(i11, '3', '4')]));
		expect(await saveGrid(ctx.db, operator, input(org, [fig(i11, '', '', 1)]))).toMatchObject({ kind: 'saved', changed: 1 });
		expect(await stored(org)).toEqual([]);
		const del = await ctx.db.selectFrom('audit_log').select('before').where('entity', '=', 'measurement').where('action', '=', 'delete')
			.where('actor_user_id', '=', operator.userId).execute();
		expect(del.some((d) => (d.before as { organization_id: number }).organization_id === org)).toBe(true);
	});

	describe('the reporting year', () => {
		it('submit → approve locks the year: the grid refuses, the database refuses, reopening needs a reason and is audited', async () => {
			const org = await school();
			await saveGrid(ctx.db, operator, input(org, [fig(i11, '3', '4')]));
			expect(await stepYear(ctx.db, operator, { organizationId: org, year: YEAR, step: 'submit', reason: null, expectedVersion: 0, asOfYear: AS_OF })).toEqual({ ok: true });
			expect(await saveGrid(ctx.db, operator, input(org, [fig(i11, '4', '4', 1)]))).toMatchObject({ kind: 'invalid', problems: [{ problem: 'year_locked' }] });
			expect(await stepYear(ctx.db, head, { organizationId: org, year: YEAR, step: 'approve', reason: null, expectedVersion: 1, asOfYear: AS_OF })).toEqual({ ok: true });
			// Past the application, the database itself refuses.
			expect(await refusal(ctx.db.updateTable('measurement').set({ numerator: 1 }).where('organization_id', '=', org).execute())).toBe('reporting_year_locked');
			expect(await refusal(ctx.db.deleteFrom('measurement').where('organization_id', '=', org).execute())).toBe('reporting_year_locked');
			expect(await refusal(ctx.db.insertInto('service_volume').values({ organization_id: org, service_id: service, year: YEAR, channel: 'egov', count: 1 }).execute())).toBe('reporting_year_locked');
			expect(await refusal(ctx.db.insertInto('complaint').values({ organization_id: org, service_id: service, received_on: `${YEAR}-05-05`, due_on: `${YEAR}-05-12` }).execute())).toBe('reporting_year_locked');
			// Other years stay open.
			expect(await saveGrid(ctx.db, operator, input(org, [fig(i11, '1', '1')], [], YEAR - 1))).toMatchObject({ kind: 'saved' });

			expect(await stepYear(ctx.db, head, { organizationId: org, year: YEAR, step: 'reopen', reason: '  ', expectedVersion: 2, asOfYear: AS_OF })).toEqual({ ok: false, problem: 'reason_required' });
			expect(await stepYear(ctx.db, head, { organizationId: org, year: YEAR, step: 'reopen', reason: 'Ошибка в 1.1', expectedVersion: 2, asOfYear: AS_OF })).toEqual({ ok: true });
			const trail = await ctx.db.selectFrom('audit_log').select(['actor_user_id', 'after']).where('entity', '=', 'reporting_year')
				.where('entity_id', '=', `${org}/${YEAR}`).orderBy('id').execute();
			expect(trail.map((t) => (t.after as { last_step: string }).last_step)).toEqual(['submit', 'approve', 'reopen']);
			expect(trail.at(-1)).toMatchObject({ actor_user_id: head.userId, after: { reason: 'Ошибка в 1.1', status: 'open' } });
			expect(await saveGrid(ctx.db, operator, input(org, [fig(i11, '4', '4', 1)]))).toMatchObject({ kind: 'saved', changed: 1 });
		});

		it('steps only from the right status and from the version seen', async () => {
			const org = await school();
			const step = (step: 'submit' | 'approve' | 'return' | 'reopen', expectedVersion: number, reason: string | null = null) =>
				stepYear(ctx.db, head, { organizationId: org, year: YEAR, step, reason, expectedVersion, asOfYear: AS_OF });
			expect(await step('approve', 0)).toEqual({ ok: false, problem: 'step_not_allowed' });
			expect(await step('reopen', 0, 'x')).toEqual({ ok: false, problem: 'step_not_allowed' });
			expect(await step('submit', 0)).toEqual({ ok: true });
			expect(await step('submit', 0)).toEqual({ ok: false, problem: 'stale' });
			expect(await step('return', 1)).toEqual({ ok: false, problem: 'reason_required' });
			expect(await step('return', 1, 'Нет данных по 2.1')).toEqual({ ok: true });
			expect(await stepYear(ctx.db, head, { organizationId: org, year: AS_OF + 1, step: 'submit', reason: null, expectedVersion: 0, asOfYear: AS_OF }))
				.toEqual({ ok: false, problem: 'year_future' });
			const grid = await loadGrid(ctx.db, org, YEAR, AS_OF);
			expect(grid.reportingYear).toMatchObject({ status: 'open', lastStep: 'return', reason: 'Нет данных по 2.1', version: 2 });
			expect(grid.open).toBe(true);
		});
	});
});
