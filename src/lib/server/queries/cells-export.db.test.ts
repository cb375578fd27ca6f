import { beforeAll, expect, it } from 'vitest';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { seedDemo } from '../demo/seed';
import { findSubtreeIds } from './access';
import { countCells, findMembers, streamCells, type CellFilters, type Scope } from './cells-export';
import { refreshCompliance } from './compliance-rollup';

/*
 * The cells of a subtree, read in batches: against a reference computed here from the raw
 * tables (every stored cell; each year's tree walked from organization_link; the scope), the
 * generator must give every cell exactly once, in key order, whatever the batch size.
 */

const NONE: CellFilters = { kind: null, serviceId: null, group: null };

describeDb('cells export query', (ctx) => {
	let region: number, rudny: number, lis: number, school7: number, mover: number, s01: number;

	beforeAll(async () => {
		const db = ctx.db;
		await seedDemo(db);
		region = await idOf(db, 'organization', 'KST-EDU');
		rudny = await idOf(db, 'organization', 'RUDNY-EDU');
		lis = await idOf(db, 'organization', 'LIS-EDU');
		school7 = await idOf(db, 'organization', 'RUDNY-SCH-07');
		s01 = await idOf(db, 'service', 'S01');
		// A school under Rudny in 2024 that moves to Lisakovsk in 2025: each year's subtree has it where it was that year.
		mover = await createOrganization(db, { parent_id: rudny, active_from: '2023-01-01', name_kk: 'Көшкен мектеп', name_ru: 'Переехавшая школа' });
		await provide(db, mover, s01, 2023);
		const i11 = await idOf(db, 'indicator', '1.1');
		for (const year of [2024, 2025]) {
			await db.insertInto('measurement').values({ organization_id: mover, service_id: s01, indicator_id: i11, year, numerator: 7, denominator: 9, source: 'form', comment: null, updated_by: null }).execute();
		}
		await db.updateTable('organization_link').set({ year_to: 2024 }).where('organization_id', '=', mover).where('year_to', 'is', null).execute();
		await db.insertInto('organization_link').values({ organization_id: mover, parent_id: lis, year_from: 2025 }).execute();
		await refreshCompliance(db);
	}, 300_000);

	/** The reference: every stored cell whose organization is in the root's subtree of the cell's year, in scope, under the filters. */
	async function expectedKeys(root: number, year: number | null, scope: Scope, filters: CellFilters): Promise<string[]> {
		const db = ctx.db;
		const links = await db.selectFrom('organization_link').select(['organization_id', 'parent_id', 'year_from', 'year_to']).execute();
		const groupOf = new Map((await db.selectFrom('indicator').select(['id', 'group_code']).execute()).map((i) => [i.id, i.group_code]));
		const cells = await db.selectFrom('compliance_cell').select(['organization_id', 'year', 'service_id', 'indicator_id', 'kind']).execute();
		const subtree = new Map<number, Set<number>>();
		const subtreeOf = (y: number) => {
			let s = subtree.get(y);
			if (!s) {
				s = new Set([root]);
				const live = links.filter((l) => l.year_from <= y && (l.year_to === null || l.year_to >= y));
				for (let grew = true; grew; ) {
					grew = false;
					for (const l of live) if (l.parent_id !== null && s.has(l.parent_id) && !s.has(l.organization_id)) { s.add(l.organization_id); grew = true; }
				}
				subtree.set(y, s);
			}
			return s;
		};
		return cells
			.filter((c) => (year === null || c.year === year) && subtreeOf(c.year).has(c.organization_id) && (scope === 'all' || scope.has(c.organization_id)))
			.filter((c) => (filters.kind === null || c.kind === filters.kind) && (filters.serviceId === null || c.service_id === filters.serviceId)
				&& (filters.group === null || groupOf.get(c.indicator_id) === filters.group))
			.sort((a, b) => a.organization_id - b.organization_id || a.year - b.year || a.service_id - b.service_id || a.indicator_id - b.indicator_id)
			.map((c) => `${c.organization_id}/${c.year}/${c.service_id}/${c.indicator_id}`);
	}

	async function read(root: number, year: number | null, scope: Scope, filters: CellFilters, batchSize: number) {
		const members = await findMembers(ctx.db, root, year, scope);
		const keys: string[] = [];
		for await (const c of streamCells(ctx.db, members, filters, batchSize)) keys.push(`${c.organizationId}/${c.year}/${c.serviceId}/${c.indicatorId}`);
		return { keys, count: await countCells(ctx.db, members, filters) };
	}

	it('gives every cell of the region, every year, exactly once and in key order across batch borders', async () => {
		const want = await expectedKeys(region, null, 'all', NONE);
		expect(want.length).toBeGreaterThan(2000);
		for (const batchSize of [97, 5000, want.length, want.length + 1]) {
			const { keys, count } = await read(region, null, 'all', NONE, batchSize);
			expect(keys).toEqual(want);
			expect(new Set(keys).size).toBe(keys.length);
			expect(count).toBe(want.length);
		}
	}, 300_000);

	it('reads each year from that year’s tree: a school that moved is under its old parent before, under its new one after', async () => {
		const mine = (keys: string[]) => keys.filter((k) => k.startsWith(`${mover}/`)).map((k) => Number(k.split('/')[1]));
		const atRudny = await read(rudny, null, 'all', NONE, 13);
		const atLis = await read(lis, null, 'all', NONE, 13);
		expect([...new Set(mine(atRudny.keys))]).toEqual([2023, 2024]); // provided since 2023 (a cell without a value), reported 2024
		expect([...new Set(mine(atLis.keys))]).toEqual([2025]);
		expect(atRudny.keys).toEqual(await expectedKeys(rudny, null, 'all', NONE));
		expect(atLis.keys).toEqual(await expectedKeys(lis, null, 'all', NONE));
		// One year only.
		const y2025 = await read(rudny, 2025, 'all', NONE, 13);
		expect(y2025.keys).toEqual(await expectedKeys(rudny, 2025, 'all', NONE));
		expect(y2025.keys.every((k) => k.split('/')[1] === '2025')).toBe(true);
		expect(y2025.keys.length).toBeGreaterThan(0);
	}, 300_000);

	it('keeps to the person’s scope and to the filters', async () => {
		const rudnyScope = new Set(await findSubtreeIds(ctx.db, [rudny]));
		rudnyScope.delete(school7);
		const scoped = await read(region, null, rudnyScope, NONE, 11);
		expect(scoped.keys).toEqual(await expectedKeys(region, null, rudnyScope, NONE));
		expect(scoped.keys.some((k) => k.startsWith(`${school7}/`))).toBe(false);
		expect(scoped.keys.some((k) => k.startsWith(`${lis}/`))).toBe(false);
		expect(scoped.keys.length).toBeGreaterThan(0);

		const filters: CellFilters = { kind: 'school', serviceId: s01, group: 'timeliness' };
		const filtered = await read(region, 2024, 'all', filters, 3);
		expect(filtered.keys).toEqual(await expectedKeys(region, 2024, 'all', filters));
		expect(filtered.keys.length).toBeGreaterThan(0);
		expect(filtered.count).toBe(filtered.keys.length);

		const nothing = await read(region, null, new Set(), NONE, 5);
		expect(nothing).toEqual({ keys: [], count: 0 });
	}, 300_000);
});
