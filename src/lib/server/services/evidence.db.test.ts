import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { idOf } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { seedDemo } from '../demo/seed';
import { findSubtreeIds } from '../queries/access';
import { listComplaints } from '../queries/complaints';
import { insertUser } from '../queries/users';
import { withActor } from './actor';
import { buildAnnex } from './annex';
import { loadEvidence } from './evidence';

/*
 * The evidence behind one number, on the demo data: the cell is the annex's
 * row, the complaints of 4.1 are the register's, an edit shows in the
 * history, and a service not provided has no evidence at all.
 */

describeDb('the evidence behind one figure', (ctx) => {
	let school: number, city: number, region: number, s18: number, s01: number;
	const year = 2024;

	beforeAll(async () => {
		await seedDemo(ctx.db);
		school = await idOf(ctx.db, 'organization', 'RUDNY-SCH-07');
		city = await idOf(ctx.db, 'organization', 'RUDNY-EDU');
		region = await idOf(ctx.db, 'organization', 'KST-EDU');
		s18 = await idOf(ctx.db, 'service', 'S18');
		s01 = await idOf(ctx.db, 'service', 'S01');
	}, 120_000);

	it('gives every indicator of a cell exactly the annex row of that organization, service and year', async () => {
		const annex = await buildAnnex(ctx.db, { organizationId: school, serviceId: s18, year });
		expect(annex.rows.length).toBeGreaterThan(10);
		for (const row of annex.rows) {
			const e = await loadEvidence(ctx.db, 'all', { organizationId: school, serviceId: s18, indicatorCode: row.code, year });
			expect(e, row.code).not.toBeNull();
			expect(e!.cell, row.code).toEqual({
				counts: row.counts, value: row.value, normative: row.normative,
				target: row.target?.status === 'approved' ? row.target.value : null, assessment: row.assessment, smallSample: row.smallSample
			});
			expect(e!.target).toEqual(row.target);
			expect(e!.indicator).toMatchObject({ code: row.code, polarity: row.polarity, computed: row.computed, title: row.title });
			expect(e!.standard).toEqual({ actNumber: annex.standard!.actNumber, actDate: annex.standard!.actDate, actIssuer: annex.standard!.actIssuer });
			// The same cell over the years carries this year's point, equal to the cell.
			const point = e!.years.find((p) => p.year === year);
			expect(point, row.code).toEqual({ year, counts: e!.cell.counts, value: e!.cell.value, normative: e!.cell.normative, target: e!.cell.target, smallSample: e!.cell.smallSample });
		}
	});

	it('names the organization, its service and its place in the tree the person sees', async () => {
		const all = await loadEvidence(ctx.db, 'all', { organizationId: school, serviceId: s18, indicatorCode: '1.1', year });
		expect(all!.organization).toMatchObject({ id: school, code: 'RUDNY-SCH-07', kind: 'school' });
		expect(all!.service).toMatchObject({ id: s18, code: 'S18' });
		expect(all!.path.map((o) => o.code)).toEqual(['KST-EDU', 'RUDNY-EDU']);
		const cityScope = new Set(await findSubtreeIds(ctx.db, [city]));
		const seen = await loadEvidence(ctx.db, cityScope, { organizationId: school, serviceId: s18, indicatorCode: '1.1', year });
		expect(seen!.path.map((o) => o.id)).toEqual([city]);
		expect(all!.years.map((p) => p.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
		expect(all!.measurement).toMatchObject({ source: 'demo', comment: null });
		expect(all!.history).toEqual([expect.objectContaining({ action: 'insert', source: 'demo', actor: null, numerator: all!.cell.counts!.numerator })]);
	});

	it('shows for 4.1 the register rows it is computed from, and the same rows as context for other indicators', async () => {
		// A cell of the demo data with a justified complaint and a served volume to hold it against.
		const hit = await ctx.db.selectFrom('complaint').select(['organization_id', 'service_id', sql<number>`extract(year FROM received_on)::integer`.as('year')])
			.where('justified', '=', true).where('is_demo', '=', true)
			.where(sql<boolean>`EXISTS (SELECT 1 FROM service_volume v WHERE v.organization_id = complaint.organization_id AND v.service_id = complaint.service_id
				AND v.year = extract(year FROM complaint.received_on)::integer AND v.count > 0)`)
			.orderBy('received_on').executeTakeFirstOrThrow();
		const key = { organizationId: hit.organization_id, serviceId: hit.service_id, year: Number(hit.year) };
		const register = await listComplaints(ctx.db, key.organizationId, key.year, key.serviceId);
		expect(register.length).toBeGreaterThan(0);
		const e = await loadEvidence(ctx.db, 'all', { ...key, indicatorCode: '4.1' });
		expect(e!.indicator.computed).toBe(true);
		expect(e!.complaints).toEqual(register.map((c) => ({
			id: c.id, receivedOn: c.receivedOn, dueOn: c.dueOn, answeredOn: c.answeredOn, justified: c.justified, satisfied: c.satisfied,
			inTerm: c.answeredWithinTerm, summary: c.summary
		})));
		expect(e!.cell.counts!.numerator).toBe(register.filter((c) => c.justified).length);
		expect(e!.measurement).toBeNull();
		expect(e!.history).toEqual([]);
		const other = await loadEvidence(ctx.db, 'all', { ...key, indicatorCode: '1.1' });
		expect(other!.complaints.map((c) => c.id)).toEqual(register.map((c) => c.id));
	});

	it('lists an edit of the figure in its history, newest first, with who made it and the comment', async () => {
		const editYear = 2025; // RUDNY-SCH-07's latest year is still open in the demo
		const user = await insertUser(ctx.db, { email: `evidence.${process.pid}@test.sapa.kz`, displayName: 'Проверяющий оператор', passwordHash: 'x' });
		const i11 = await idOf(ctx.db, 'indicator', '1.1');
		const before = await loadEvidence(ctx.db, 'all', { organizationId: school, serviceId: s18, indicatorCode: '1.1', year: editYear });
		const { numerator, denominator } = before!.cell.counts!;
		await withActor(ctx.db, { label: `user:${user}`, userId: user }, (trx) => trx.updateTable('measurement')
			.set({ numerator: numerator - 1, comment: 'один случай пересчитан', source: 'form', updated_by: user, version: sql`version + 1` })
			.where('organization_id', '=', school).where('service_id', '=', s18).where('indicator_id', '=', i11).where('year', '=', editYear)
			.execute());
		const e = await loadEvidence(ctx.db, 'all', { organizationId: school, serviceId: s18, indicatorCode: '1.1', year: editYear });
		expect(e!.history).toHaveLength(2);
		expect(e!.history[0]).toMatchObject({ action: 'update', actor: 'Проверяющий оператор', source: 'form', numerator: numerator - 1, denominator, comment: 'один случай пересчитан' });
		expect(e!.history[1]).toMatchObject({ action: 'insert', source: 'demo', numerator, denominator });
		expect(Date.parse(e!.history[0]!.at)).toBeGreaterThanOrEqual(Date.parse(e!.history[1]!.at));
		expect(e!.measurement).toMatchObject({ comment: 'один случай пересчитан', updatedBy: 'Проверяющий оператор', source: 'form', version: 2 });
		expect(e!.cell.counts).toEqual({ numerator: numerator - 1, denominator });
		// Other figures of the year keep their own history.
		const other = await loadEvidence(ctx.db, 'all', { organizationId: school, serviceId: s18, indicatorCode: '1.2', year: editYear });
		expect(other!.history).toHaveLength(1);
	});

	it('has no evidence for a service not provided, an unknown indicator, service or organization, or one out of scope', async () => {
		const ok = { organizationId: school, serviceId: s18, indicatorCode: '1.1', year };
		expect(await loadEvidence(ctx.db, 'all', { ...ok, serviceId: s01 })).toBeNull();
		expect(await loadEvidence(ctx.db, 'all', { ...ok, year: 2010 })).toBeNull();
		expect(await loadEvidence(ctx.db, 'all', { ...ok, indicatorCode: '9.9' })).toBeNull();
		expect(await loadEvidence(ctx.db, 'all', { ...ok, serviceId: 999_999 })).toBeNull();
		expect(await loadEvidence(ctx.db, 'all', { ...ok, organizationId: 999_999 })).toBeNull();
		// A department provides the city's services, not the schools'.
		expect(await loadEvidence(ctx.db, 'all', { ...ok, organizationId: city })).toBeNull();
		expect(await loadEvidence(ctx.db, 'all', { ...ok, organizationId: region })).toBeNull();
		expect(await loadEvidence(ctx.db, new Set([city]), ok)).toBeNull();
	});
});
