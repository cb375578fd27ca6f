import { beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { describeDb } from '../db/testing';
import { idOf } from '../db/fixtures';
import type { Database } from '../db/schema';
import { seedDemo } from '../demo/seed';
import { buildAnnex } from '../services/annex';
import { rebuildCompliance, refreshCompliance } from './compliance-rollup';

/*
 * The pre-aggregation against its two definitions: each leaf cell is what the
 * engine (buildAnnex → assess) says of that organization, service, indicator
 * and year; each roll-up row is the sum of the cells of the organization's
 * subtree in that year's tree. After any sequence of writes, the incremental
 * refresh must leave exactly what a rebuild from scratch gives.
 */

const MEASURES = [
	'numerator', 'denominator', 'valued', 'assessed', 'meets_normative', 'breaches', 'with_target', 'meets_target',
	'normative_weighted', 'normative_denominator', 'target_weighted', 'target_denominator', 'expected', 'reported'
] as const;
const VOLUMES = ['provider', 'state_corporation', 'egov', 'expected', 'reported'] as const;
const CELL_KEYS = ['organization_id', 'year', 'service_id', 'indicator_id'] as const;
const VOLUME_KEYS = ['organization_id', 'year', 'service_id'] as const;

type Row = Record<string, number | string>;
type Db = Kysely<Database>;

/** Numbers as numbers on both engines; sums of decimals rounded past the float noise. */
function normalise(row: Record<string, unknown>): Row {
	const out: Row = {};
	for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' && k !== 'kind' ? round(Number(v)) : typeof v === 'number' ? round(v) : String(v);
	return out;
}
const round = (n: number) => Math.round(n * 1e6) / 1e6;
const keyOf = (row: Row, keys: readonly string[]) => keys.map((k) => row[k]).join('|');
const sortRows = (rows: Row[], keys: readonly string[]) =>
	[...rows].sort((a, b) => { for (const k of keys) { const d = Number(a[k]) - Number(b[k]) || String(a[k]).localeCompare(String(b[k])); if (d) return d; } return 0; });

async function tableRows(db: Db, table: 'compliance_cell' | 'compliance_rollup' | 'volume_cell' | 'volume_rollup'): Promise<Row[]> {
	const keys = table.startsWith('compliance') ? [...CELL_KEYS, 'kind'] : [...VOLUME_KEYS, 'kind'];
	const rows = await db.selectFrom(table).selectAll().execute();
	return sortRows(rows.map((r) => normalise(r as unknown as Record<string, unknown>)), keys);
}

async function snapshot(db: Db) {
	return {
		cells: await tableRows(db, 'compliance_cell'),
		rollups: await tableRows(db, 'compliance_rollup'),
		volumeCells: await tableRows(db, 'volume_cell'),
		volumeRollups: await tableRows(db, 'volume_rollup')
	};
}

async function dataYears(db: Db): Promise<number[]> {
	const { rows } = await sql<{ year: number }>`
		SELECT year FROM measurement UNION SELECT year FROM service_volume
		UNION SELECT extract(year FROM received_on)::integer FROM complaint ORDER BY 1`.execute(db);
	return rows.map((r) => Number(r.year));
}

/** Organization × service provided, per year with data. */
async function providedUnits(db: Db): Promise<Array<{ organizationId: number; serviceId: number; year: number; kind: string }>> {
	const years = await dataYears(db);
	const provisions = await db.selectFrom('service_provision as p').innerJoin('organization as o', 'o.id', 'p.organization_id')
		.select(['p.organization_id', 'p.service_id', 'p.year_from', 'p.year_to', 'o.kind']).execute();
	return years.flatMap((year) => provisions
		.filter((p) => p.year_from <= year && (p.year_to === null || p.year_to >= year))
		.map((p) => ({ organizationId: p.organization_id, serviceId: p.service_id, year, kind: p.kind })));
}

/** Every leaf cell as the engine gives it (the annex of each organization, service and year). */
async function engineCells(db: Db): Promise<Row[]> {
	const indicatorIds = new Map((await db.selectFrom('indicator').select(['id', 'code']).execute()).map((i) => [i.code, i.id]));
	const out: Row[] = [];
	for (const unit of await providedUnits(db)) {
		const annex = await buildAnnex(db, unit);
		for (const r of annex.rows) {
			const den = r.counts?.denominator ?? 0;
			const assessed = r.assessment.vsNormative === 'meets' || r.assessment.vsNormative === 'breach';
			const withTarget = r.assessment.vsTarget === 'meets' || r.assessment.vsTarget === 'misses';
			const target = r.target?.status === 'approved' ? r.target.value : 0;
			out.push(normalise({
				organization_id: unit.organizationId, year: unit.year, service_id: unit.serviceId, indicator_id: indicatorIds.get(r.code)!, kind: unit.kind,
				numerator: r.counts?.numerator ?? 0, denominator: den,
				valued: r.counts && den > 0 ? 1 : 0,
				assessed: assessed ? 1 : 0,
				meets_normative: r.assessment.vsNormative === 'meets' ? 1 : 0,
				breaches: r.assessment.vsNormative === 'breach' ? 1 : 0,
				with_target: withTarget ? 1 : 0,
				meets_target: r.assessment.vsTarget === 'meets' ? 1 : 0,
				normative_weighted: assessed ? den * r.normative! : 0,
				normative_denominator: assessed ? den : 0,
				target_weighted: withTarget ? den * target : 0,
				target_denominator: withTarget ? den : 0,
				expected: r.computed ? 0 : 1,
				reported: !r.computed && r.counts !== null ? 1 : 0
			}));
		}
	}
	return sortRows(out, [...CELL_KEYS, 'kind']);
}

/** Volume cells straight from service_volume. */
async function expectedVolumeCells(db: Db): Promise<Row[]> {
	const volumes = await db.selectFrom('service_volume').select(['organization_id', 'service_id', 'year', 'channel', 'count']).execute();
	const out: Row[] = [];
	for (const u of await providedUnits(db)) {
		const mine = volumes.filter((v) => v.organization_id === u.organizationId && v.service_id === u.serviceId && v.year === u.year);
		const by = (c: string) => mine.filter((v) => v.channel === c).reduce((s, v) => s + v.count, 0);
		out.push(normalise({
			organization_id: u.organizationId, year: u.year, service_id: u.serviceId, kind: u.kind,
			provider: by('provider'), state_corporation: by('state_corporation'), egov: by('egov'), expected: 3, reported: mine.length
		}));
	}
	return sortRows(out, [...VOLUME_KEYS, 'kind']);
}

/** Σ cells over each subtree (itself included) of the organizations with children that year, by organization_link. */
async function subtreeSums(db: Db, cells: Row[], keys: readonly string[], cols: readonly string[]): Promise<Row[]> {
	const links = await db.selectFrom('organization_link').select(['organization_id', 'parent_id', 'year_from', 'year_to']).execute();
	const trees = new Map<number, { parentOf: Map<number, number | null>; parents: Set<number> }>();
	const treeOf = (year: number) => {
		let t = trees.get(year);
		if (!t) {
			const live = links.filter((l) => l.year_from <= year && (l.year_to === null || l.year_to >= year));
			t = { parentOf: new Map(live.map((l) => [l.organization_id, l.parent_id])), parents: new Set(live.flatMap((l) => (l.parent_id === null ? [] : [l.parent_id]))) };
			trees.set(year, t);
		}
		return t;
	};
	const sums = new Map<string, Row>();
	for (const c of cells) {
		const { parentOf, parents } = treeOf(Number(c.year));
		let at: number | null | undefined = Number(c.organization_id);
		for (let depth = 0; at != null && depth < 64; depth++, at = parentOf.get(at)) {
			if (!parents.has(at)) continue;
			const row: Row = { organization_id: at, year: c.year!, ...Object.fromEntries(keys.slice(2).map((k) => [k, c[k]!])), kind: c.kind! };
			const key = keyOf(row, [...keys, 'kind']);
			const sum = sums.get(key) ?? sums.set(key, { ...row, ...Object.fromEntries(cols.map((k) => [k, 0])) }).get(key)!;
			for (const k of cols) sum[k] = round(Number(sum[k]) + Number(c[k]));
		}
	}
	const kept = [...sums.values()].filter((r) => cols.some((k) => r[k] !== 0));
	return sortRows(kept, [...keys, 'kind']);
}

async function expectMatchesDefinitions(db: Db) {
	const now = await snapshot(db);
	expect(now.cells).toEqual(await engineCells(db));
	expect(now.volumeCells).toEqual(await expectedVolumeCells(db));
	expect(now.rollups).toEqual(await subtreeSums(db, now.cells, CELL_KEYS, MEASURES));
	expect(now.volumeRollups).toEqual(await subtreeSums(db, now.volumeCells, VOLUME_KEYS, VOLUMES));
	return now;
}

describeDb('compliance roll-up', (ctx) => {
	let org: (code: string) => Promise<number>;
	let ind: (code: string) => Promise<number>;

	const reopenYear = (organizationId: number, year: number) =>
		ctx.db.updateTable('reporting_year').set({ status: 'open', last_step: 'reopen', reason: 'тест: пересчёт сводов' })
			.where('organization_id', '=', organizationId).where('year', '=', year).execute();

	beforeAll(async () => {
		org = (code) => idOf(ctx.db, 'organization', code);
		ind = (code) => idOf(ctx.db, 'indicator', code);
		const seeded = await seedDemo(ctx.db);
		expect(seeded.seeded).toBe(true);
	}, 120_000);

	it('builds the demo on the first refresh: every cell is the engine’s, every roll-up its subtree’s sum', async () => {
		const marks = await ctx.db.selectFrom('compliance_dirty').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(marks.n)).toBeGreaterThan(0);
		expect(await refreshCompliance(ctx.db)).toBeGreaterThan(0);
		const years = (await ctx.db.selectFrom('compliance_year').select('year').orderBy('year').execute()).map((r) => r.year);
		expect(years).toEqual(await dataYears(ctx.db));
		const built = await expectMatchesDefinitions(ctx.db);
		expect(built.cells.length).toBeGreaterThan(1000);
		expect(built.rollups.some((r) => Number(r.breaches) > 0)).toBe(true);
		expect(built.rollups.some((r) => Number(r.meets_target) > 0)).toBe(true);
	}, 300_000);

	it('finds nothing to do when nothing changed', async () => {
		expect(await refreshCompliance(ctx.db)).toBe(0);
	});

	it('forgets the mark of a write that was rolled back', async () => {
		const school = await org('RUDNY-SCH-07');
		await expect(ctx.db.transaction().execute(async (trx) => {
			await trx.updateTable('measurement').set((eb) => ({ comment: eb.val('тест') })).where('organization_id', '=', school).where('year', '=', 2025).execute();
			const inside = await trx.selectFrom('compliance_dirty').select(['organization_id', 'year']).execute();
			expect(inside).toEqual([{ organization_id: school, year: 2025 }]);
			throw new Error('roll back');
		})).rejects.toThrow('roll back');
		expect(await ctx.db.selectFrom('compliance_dirty').selectAll().execute()).toEqual([]);
		expect(await refreshCompliance(ctx.db)).toBe(0);
	});

	it('applies the deltas of figures, targets and kinds to every ancestor exactly as a rebuild would', async () => {
		const db = ctx.db;
		const school = await org('RUDNY-SCH-07');
		const kg = await org('RUDNY-KG-03');
		await refreshCompliance(db);

		// A figure edited and one deleted (the school's 2025 year is open).
		const [one, two] = await db.selectFrom('measurement').select(['id', 'denominator']).where('organization_id', '=', school).where('year', '=', 2025)
			.orderBy('id').limit(2).execute();
		await db.updateTable('measurement').set({ numerator: 0 }).where('id', '=', one!.id).execute();
		await db.deleteFrom('measurement').where('id', '=', two!.id).execute();

		// A justified complaint for a service with served volumes: 4.1 and 4.2 move.
		const served = await db.selectFrom('service_volume').select('service_id').where('organization_id', '=', school).where('year', '=', 2025)
			.orderBy('service_id').executeTakeFirstOrThrow();
		await db.insertInto('complaint').values({
			organization_id: school, service_id: served.service_id, received_on: '2025-06-02', due_on: '2025-06-09', answered_on: '2025-06-05',
			justified: true, satisfied: true, summary: 'тест', updated_by: null
		}).execute();
		expect(await refreshCompliance(db)).toBe(1);

		// A served volume added where a channel was missing (its year reopened).
		const { rows: [gap] } = await sql<{ organization_id: number; service_id: number; channel: string }>`
			SELECT p.organization_id, p.service_id, c.channel FROM service_provision p
			CROSS JOIN unnest(ARRAY['provider', 'state_corporation', 'egov']) c(channel)
			WHERE p.year_from <= 2024 AND (p.year_to IS NULL OR p.year_to >= 2024)
				AND NOT EXISTS (SELECT 1 FROM service_volume v WHERE v.organization_id = p.organization_id AND v.service_id = p.service_id AND v.year = 2024 AND v.channel = c.channel)
			ORDER BY 1, 2, 3 LIMIT 1`.execute(db);
		expect(gap).toBeDefined();
		await reopenYear(gap!.organization_id, 2024);
		await db.insertInto('service_volume').values({ organization_id: gap!.organization_id, service_id: gap!.service_id, year: 2024,
			channel: gap!.channel as 'egov', count: 321, updated_by: null }).execute();

		// 2025's target set reopened (its targets become drafts: no targets), one target changed, approved again.
		const set = await db.selectFrom('target_set').select('id').where('year', '=', 2025).executeTakeFirstOrThrow();
		await db.transaction().execute(async (trx) => {
			await trx.updateTable('target_set').set({ status: 'draft', reopened_at: new Date(), reopen_reason: 'тест' }).where('id', '=', set.id).execute();
			await trx.updateTable('target').set({ status: 'draft' }).where('target_set_id', '=', set.id).execute();
		});
		expect(await refreshCompliance(db)).toBeGreaterThan(10);
		const rudny = await org('RUDNY-EDU');
		expect((await tableRows(db, 'compliance_rollup')).filter((r) => r.organization_id === rudny && r.year === 2025 && Number(r.with_target) > 0)).toEqual([]);
		const i11 = await ind('1.1');
		await db.transaction().execute(async (trx) => {
			await trx.updateTable('target').set({ value: 50 }).where('target_set_id', '=', set.id).where('organization_id', '=', school)
				.where('indicator_id', '=', i11).execute();
			await trx.updateTable('target').set({ status: 'approved', approved_at: new Date('2024-12-20T10:00:00Z'), protocol_number: 'Т-1', protocol_date: '2024-12-20' })
				.where('target_set_id', '=', set.id).execute();
			await trx.updateTable('target_set').set({ status: 'approved', approved_at: new Date('2024-12-20T10:00:00Z'), protocol_number: 'Т-1', protocol_date: '2024-12-20' })
				.where('id', '=', set.id).execute();
		});

		// A kindergarten becomes another kind of organization: its cells move between the kinds of every roll-up.
		await db.updateTable('organization').set({ kind: 'other' }).where('id', '=', kg).execute();
		const units = await refreshCompliance(db);
		const years = await dataYears(db);
		expect(units).toBeGreaterThanOrEqual(years.length);
		expect(await ctx.db.selectFrom('compliance_dirty').selectAll().execute()).toEqual([]);

		const incremental = await snapshot(db);
		expect(incremental.cells.some((c) => c.organization_id === kg && c.kind === 'other')).toBe(true);
		expect(incremental.rollups).toEqual(await subtreeSums(db, incremental.cells, CELL_KEYS, MEASURES));
		expect(incremental.volumeRollups).toEqual(await subtreeSums(db, incremental.volumeCells, VOLUME_KEYS, VOLUMES));
		expect(await rebuildCompliance(db)).toEqual(years);
		expect(await snapshot(db)).toEqual(incremental);
	}, 300_000);

	it('costs nothing to add an empty organization under a parent that already has children', async () => {
		await ctx.db.insertInto('organization').values({ code: 'T-ROLLUP-0', kind: 'school', name_kk: 'Сынақ', name_ru: 'Тест', parent_id: await org('RUDNY-EDU') }).execute();
		expect(await ctx.db.selectFrom('compliance_dirty').selectAll().execute()).toEqual([]);
	});

	it('follows the tree, the standards and the years with data, and ends as a rebuild and the engine do', async () => {
		const db = ctx.db;
		const school = await org('RUDNY-SCH-07');
		const lis = await org('LIS-EDU');
		const leaf = await org('RUDNY-SCH-05');
		await refreshCompliance(db);

		// The school moves to Lisakovsk from 2025; a new, empty organization makes a leaf with cells a parent.
		await db.updateTable('organization_link').set({ year_to: 2024 }).where('organization_id', '=', school).where('year_to', 'is', null).execute();
		await db.insertInto('organization_link').values({ organization_id: school, parent_id: lis, year_from: 2025 }).execute();
		await db.insertInto('organization').values({ code: 'T-ROLLUP-1', kind: 'other', name_kk: 'Сынақ', name_ru: 'Тест', parent_id: leaf }).execute();

		// A normative of a standard in force changes.
		const normative = await db.selectFrom('standard_normative as n').innerJoin('standard as s', 's.id', 'n.standard_id')
			.select(['n.standard_id', 'n.indicator_id']).where('s.valid_from', '<=', '2022-12-31').where('n.indicator_id', '=', await ind('3.1'))
			.orderBy('n.standard_id').executeTakeFirstOrThrow();
		await db.updateTable('standard_normative').set({ value: 99.5 }).where('standard_id', '=', normative.standard_id).where('indicator_id', '=', normative.indicator_id).execute();

		// A first figure of a new year: every providing organization owes cells that year.
		const [provided] = await db.selectFrom('service_provision').select('service_id').where('organization_id', '=', school).orderBy('service_id').limit(1).execute();
		await db.insertInto('measurement').values({ organization_id: school, service_id: provided!.service_id, indicator_id: await ind('1.1'), year: 2026,
			numerator: 3, denominator: 4, source: 'form', comment: null, updated_by: null }).execute();

		expect(await refreshCompliance(db)).toBeGreaterThan(0);
		expect(await ctx.db.selectFrom('compliance_dirty').selectAll().execute()).toEqual([]);
		const incremental = await expectMatchesDefinitions(db);
		expect(incremental.cells.filter((c) => c.year === 2026).length).toBeGreaterThan(100);
		expect(incremental.rollups.some((r) => r.organization_id === leaf && r.year === 2019)).toBe(true);
		expect(incremental.rollups.some((r) => r.organization_id === lis && r.year === 2025)).toBe(true);
		expect(incremental.rollups.some((r) => r.organization_id === lis && r.year === 2024)).toBe(false);

		expect(await rebuildCompliance(db)).toEqual(await dataYears(db));
		expect(await snapshot(db)).toEqual(incremental);

		// The new year's only figure removed: the year has no data and no cells.
		await db.deleteFrom('measurement').where('year', '=', 2026).execute();
		expect(await refreshCompliance(db)).toBeGreaterThan(0);
		expect(await db.selectFrom('compliance_cell').select('year').where('year', '=', 2026).limit(1).execute()).toEqual([]);
		expect(await db.selectFrom('compliance_year').select('year').where('year', '=', 2026).execute()).toEqual([]);
		const { cells, rollups } = await snapshot(db);
		expect(cells).toEqual(incremental.cells.filter((c) => c.year !== 2026));
		expect(rollups).toEqual(incremental.rollups.filter((c) => c.year !== 2026));
	}, 600_000);
});
