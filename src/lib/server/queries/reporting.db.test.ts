import { beforeAll, expect, it } from 'vitest';
import { expectedValues, orderForOverview, totals } from '../../domain/completeness';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { withActor } from '../services/actor';
import { findSubtreeIdsInYear } from './organization-history';
import { findCompleteness } from './reporting';
import { insertUser } from './users';

const YEAR = 2025;

describeDb('the completeness overview of a subtree’s year', (ctx) => {
	let root: number, a: number, b: number, c: number, k: number, moved: number, branch: number, deep: number;
	let s1: number, s2: number;
	let operator: number, head: number;

	beforeAll(async () => {
		const db = ctx.db;
		const user = (name: string, slug: string) => insertUser(db, { email: `${slug}.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: name, passwordHash: 'x' });
		operator = await user('Оператор', 'op');
		head = await user('Руководитель', 'head');
		s1 = await idOf(db, 'service', 'S01');
		s2 = await idOf(db, 'service', 'S02');
		const i11 = await idOf(db, 'indicator', '1.1');
		const i12 = await idOf(db, 'indicator', '1.2');
		const i41 = await idOf(db, 'indicator', '4.1');

		root = await createOrganization(db, { kind: 'city_department', parent_id: null });
		a = await createOrganization(db, { parent_id: root, code: `T-${process.pid}-A-2` });
		b = await createOrganization(db, { parent_id: root, code: `T-${process.pid}-A-10` });
		c = await createOrganization(db, { parent_id: root, code: `T-${process.pid}-A-03` });
		k = await createOrganization(db, { parent_id: root, kind: 'kindergarten' });
		branch = await createOrganization(db, { parent_id: root, kind: 'city_department', code: `T-${process.pid}-B-01` });
		deep = await createOrganization(db, { parent_id: branch, code: `T-${process.pid}-B-02` });
		moved = await createOrganization(db, { parent_id: root });
		await provide(db, a, s1, 2020);
		await provide(db, a, s2, 2020);
		await provide(db, b, s1, 2020);
		await provide(db, c, s1, 2026); // not yet in 2025
		await provide(db, k, s1, 2020, 2023); // no longer in 2025
		await provide(db, deep, s1, 2020);
		await provide(db, moved, s1, 2020);
		// `moved` left the subtree in 2025: under another parent from that year.
		const elsewhere = await idOf(db, 'organization', 'RUDNY-EDU');
		await withActor(db, { label: 'test' }, async (trx) => {
			await trx.updateTable('organization_link').set({ year_to: 2024 }).where('organization_id', '=', moved).execute();
			await trx.insertInto('organization_link').values({ organization_id: moved, parent_id: elsewhere, year_from: 2025 }).execute();
		});

		await withActor(db, { label: `user:${operator}`, userId: operator }, async (trx) => {
			await trx.insertInto('measurement').values([
				{ organization_id: a, service_id: s1, indicator_id: i11, year: YEAR, numerator: 9, denominator: 10, source: 'form', updated_by: operator },
				{ organization_id: a, service_id: s2, indicator_id: i12, year: YEAR, numerator: 5, denominator: 5, source: 'form', updated_by: operator },
				// computed from the register: owed by nobody, so not counted as filled
				{ organization_id: a, service_id: s1, indicator_id: i41, year: YEAR, numerator: 0, denominator: 5, source: 'form', updated_by: operator },
				// another year: not counted
				{ organization_id: a, service_id: s1, indicator_id: i12, year: YEAR - 1, numerator: 1, denominator: 1, source: 'form', updated_by: operator }
			]).execute();
			await trx.insertInto('service_volume').values([
				{ organization_id: a, service_id: s1, year: YEAR, channel: 'provider', count: 10, source: 'form', updated_by: operator },
				{ organization_id: b, service_id: s1, year: YEAR, channel: 'egov', count: 3, source: 'import', updated_by: operator }
			]).execute();
			await trx.insertInto('reporting_year').values({ organization_id: a, year: YEAR, status: 'submitted', last_step: 'submit', step_by: operator }).execute();
		});
		await withActor(db, { label: `user:${head}`, userId: head }, async (trx) => {
			await trx.insertInto('reporting_year').values([
				{ organization_id: b, year: YEAR, status: 'open', last_step: 'return', reason: 'Проверьте 1.1', step_by: head },
				{ organization_id: deep, year: YEAR, status: 'approved', last_step: 'approve', step_by: head },
				// another year's step does not show in 2025
				{ organization_id: a, year: YEAR - 1, status: 'approved', last_step: 'approve', step_by: head }
			]).execute();
		});
	});

	it('lists the year’s subtree (as findSubtreeIdsInYear walks it), with the parents of that year', async () => {
		const rows = await findCompleteness(ctx.db, { rootId: root, year: YEAR, scope: 'all' });
		expect(rows.map((r) => r.id).sort()).toEqual((await findSubtreeIdsInYear(ctx.db, root, YEAR)).sort());
		expect(rows.map((r) => r.id)).not.toContain(moved);
		expect(rows.find((r) => r.id === deep)?.parentId).toBe(branch);
		expect(rows.find((r) => r.id === root)?.parentId).toBeNull();
		const before = await findCompleteness(ctx.db, { rootId: root, year: YEAR - 1, scope: 'all' });
		expect(before.map((r) => r.id)).toContain(moved);
	});

	it('counts services provided that year and the values stored for hand-reported indicators and volumes', async () => {
		const rows = await findCompleteness(ctx.db, { rootId: root, year: YEAR, scope: 'all' });
		const row = (id: number) => rows.find((r) => r.id === id)!;
		const reported = await ctx.db.selectFrom('indicator').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'reported').executeTakeFirstOrThrow();
		expect(row(a)).toMatchObject({ services: 2, filled: 3, reportedIndicators: Number(reported.n) });
		expect(row(b)).toMatchObject({ services: 1, filled: 1 });
		expect(row(c).services).toBe(0);
		expect(row(k).services).toBe(0);
		expect(row(root).services).toBe(0);
		expect(expectedValues(row(a).services, row(a).reportedIndicators, 3)).toBe(2 * (Number(reported.n) + 3));
	});

	it('gives each year’s status, last step with its reason, who took it, and the latest change', async () => {
		const rows = await findCompleteness(ctx.db, { rootId: root, year: YEAR, scope: 'all' });
		const row = (id: number) => rows.find((r) => r.id === id)!;
		expect(row(a)).toMatchObject({ status: 'submitted', lastStep: 'submit', reason: null, stepByName: 'Оператор', changedByName: 'Оператор', changedSource: 'form' });
		expect(row(a).stepAt).toBeInstanceOf(Date);
		expect(row(a).changedAt).toBeInstanceOf(Date);
		expect(row(b)).toMatchObject({ status: 'open', lastStep: 'return', reason: 'Проверьте 1.1', stepByName: 'Руководитель', changedSource: 'import' });
		expect(row(deep)).toMatchObject({ status: 'approved', lastStep: 'approve', filled: 0, changedAt: null, changedByName: null });
		expect(row(c)).toMatchObject({ status: null, lastStep: null, stepAt: null });
	});

	it('keeps to the person’s scope', async () => {
		const rows = await findCompleteness(ctx.db, { rootId: root, year: YEAR, scope: new Set([branch, deep, b]) });
		expect(rows.map((r) => r.id).sort()).toEqual([b, branch, deep].sort());
		expect(await findCompleteness(ctx.db, { rootId: root, year: YEAR, scope: new Set() })).toEqual([]);
	});

	it('orders the overview by the tree and sums the subtree for the chips and the progress bar', async () => {
		const rows = (await findCompleteness(ctx.db, { rootId: root, year: YEAR, scope: 'all' }))
			.map((r) => ({ ...r, expected: expectedValues(r.services, r.reportedIndicators, 3) }));
		const ordered = orderForOverview(rows, { waitingFirst: false });
		// as the organization tree: the sub-department's school (one level deeper) first, then schools by code in numeric order (2 before 10)
		expect(ordered.map((r) => r.id)).toEqual([deep, a, b]);
		expect(ordered.map((r) => r.depth)).toEqual([2, 1, 1]);
		const forHead = orderForOverview(rows.map((r) => (r.id === b ? { ...r, status: 'submitted' as const } : r)), { waitingFirst: true });
		expect(forHead.map((r) => r.id)).toEqual([a, b, deep]);
		const t = totals(ordered);
		expect(t.byStatus).toEqual({ open: 1, submitted: 1, approved: 1 });
		expect(t.filled).toBe(4);
		expect(t.expected).toBe(ordered.reduce((s, r) => s + r.expected, 0));
	});
});
