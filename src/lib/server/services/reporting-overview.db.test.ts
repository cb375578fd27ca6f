import { beforeAll, expect, it } from 'vitest';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { withActor } from './actor';
import { loadOverview } from './reporting-overview';

describeDb('the completeness overview page', (ctx) => {
	let root: number, a: number, b: number, c: number;
	const base = { organizationId: null, year: null, status: null, page: 1 } as const;

	beforeAll(async () => {
		const db = ctx.db;
		const s1 = await idOf(db, 'service', 'S01');
		root = await createOrganization(db, { kind: 'city_department', parent_id: null, code: `T-${process.pid}-OV` });
		a = await createOrganization(db, { parent_id: root, code: `T-${process.pid}-OV-1` });
		b = await createOrganization(db, { parent_id: root, code: `T-${process.pid}-OV-2` });
		c = await createOrganization(db, { parent_id: root, code: `T-${process.pid}-OV-3` });
		for (const o of [a, b, c]) await provide(db, o, s1, 2020);
		await withActor(db, { label: 'test' }, (trx) => trx.insertInto('reporting_year').values([
			{ organization_id: b, year: 2025, status: 'approved', last_step: 'approve' },
			{ organization_id: c, year: 2025, status: 'submitted', last_step: 'submit' }
		]).execute());
	});

	it('starts on the top organization the person sees, and last year', async () => {
		const o = await loadOverview(ctx.db, { scope: new Set([root, a, b, c]), decidesYears: false }, base, 2026);
		expect(o.year).toBe(2025);
		expect(o.years[0]).toBe(2026);
		expect(o.years).toContain(2020);
		expect(o.root?.id).toBe(root);
		expect(o.picker.map((p) => p.id)).toEqual([root]);
		expect(o.rows.map((r) => r.id)).toEqual([a, b, c]);
		expect(o.rows.map((r) => r.state)).toEqual(['not_submitted', 'approved', 'submitted']);
		expect(o.totals.byStatus).toEqual({ open: 1, submitted: 1, approved: 1 });
		expect(o.rows[0]).toMatchObject({ expected: o.perService.indicators + 3, filled: 0, ratio: 0 });
	});

	it('with several tops in sight (a global admin), starts on the first with anything to report that year', async () => {
		const empty = await createOrganization(ctx.db, { kind: 'region_department', parent_id: null, code: `T-${process.pid}-0-EMPTY` });
		const o = await loadOverview(ctx.db, { scope: new Set([empty, root, a, b, c]), decidesYears: false }, base, 2026);
		expect(o.root?.id).toBe(root);
		expect(o.picker.map((p) => p.id)).toEqual([empty, root]);
	});

	it('someone who sees one school starts on it', async () => {
		const o = await loadOverview(ctx.db, { scope: new Set([a]), decidesYears: false }, base, 2026);
		expect(o.root?.id).toBe(a);
		expect(o.rows.map((r) => r.id)).toEqual([a]);
	});

	it('lists what waits for approval first for a head, filters by status and keeps the counts of the whole subtree', async () => {
		const scope = new Set([root, a, b, c]);
		const head = await loadOverview(ctx.db, { scope, decidesYears: true }, { ...base, organizationId: root }, 2026);
		expect(head.rows.map((r) => r.id)).toEqual([c, a, b]);
		const approved = await loadOverview(ctx.db, { scope, decidesYears: true }, { ...base, organizationId: root, status: 'approved' }, 2026);
		expect(approved.rows.map((r) => r.id)).toEqual([b]);
		expect(approved.matching).toBe(1);
		expect(approved.totals.organizations).toBe(3);
	});
});
