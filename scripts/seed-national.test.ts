import { spawnSync } from 'node:child_process';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DatabaseHandle } from '../src/lib/server/db/connect';
import { runAdminStatement, withDatabase } from '../src/lib/server/db/pg-admin';
import { findChildMeasures, findSubtreeMeasures, findSubtreeVolumes } from '../src/lib/server/queries/dashboard';
import { loadDashboard } from '../src/lib/server/services/dashboard';
import {
	dashboardMatchesRaw, MEASURE_FIELDS, measureKey, rawChildMeasures, rawSubtreeMeasures, rawSubtreeVolumes, sameSums, unitKey, VOLUME_FIELDS, volumeKey
} from './bench-dashboard';
import { NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR, NATIONAL_ROOT_CODE, seedNational, type NationalSummary } from './seed-national';

/*
 * seed:national at scale 0.002 (about 40 schools and kindergartens under the whole tree of
 * regions) into throwaway PostgreSQL databases: the shape of what it writes, that it is
 * deterministic, that it refuses a database that already holds data, and that the dashboard's
 * pre-aggregated sums equal their recomputation from the raw tables.
 */

const server = process.env.TEST_DATABASE_URL?.trim();
if (!server) console.log('scripts/seed-national.test.ts skipped: set TEST_DATABASE_URL (a PostgreSQL server) to seed a throwaway national database.');

const SCALE = 0.002;

describe.skipIf(!server)('seed:national', () => {
	const names = [`sapa_national_test_${process.pid}_a`, `sapa_national_test_${process.pid}_b`];
	const urls = names.map((n) => withDatabase(server!, n));
	let summary: NationalSummary;
	let handle: DatabaseHandle;
	const db = () => handle.db;
	const one = async <T,>(q: RawBuilder<T>) => (await q.execute(db())).rows[0]!;

	beforeAll(async () => {
		summary = await seedNational({ url: urls[0]!, scale: SCALE, reset: true, log: () => {} });
		handle = openPostgres(urls[0]!, { poolMax: 4 });
	}, 600_000);

	afterAll(async () => {
		await handle?.close();
		for (const n of names) await runAdminStatement(server!, `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
	}, 120_000);

	it('builds the country: a root, 17 regions, departments under them, leaves of the real kinds', async () => {
		const kinds = await sql<{ kind: string; n: number }>`SELECT kind, count(*)::int AS n FROM organization GROUP BY kind`.execute(db());
		const byKind = Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n]));
		expect(byKind.region_department).toBe(17);
		expect(byKind.other).toBe(1);
		expect(byKind.city_department).toBeGreaterThanOrEqual(18);
		expect((byKind.school ?? 0) + (byKind.kindergarten ?? 0) + (byKind.supplementary ?? 0)).toBe(summary.counts.leaves);
		const root = await one(sql<{ id: number; parent_id: number | null }>`SELECT id, parent_id FROM organization WHERE code = ${NATIONAL_ROOT_CODE}`);
		expect(root.id).toBe(summary.rootId);
		expect(root.parent_id).toBeNull();
		// The only organization without a parent is the root; Kostanay (the catalogue's) hangs under it.
		expect((await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM organization WHERE parent_id IS NULL`)).n).toBe(1);
		expect((await one(sql<{ p: number }>`SELECT parent_id AS p FROM organization WHERE code = 'KST-EDU'`)).p).toBe(summary.rootId);
		// Every organization has exactly one parent in every year it exists, and it is today's parent_id in the latest year.
		const gaps = await one(sql<{ n: number }>`
			SELECT count(*)::int AS n FROM organization o CROSS JOIN generate_series(${NATIONAL_FIRST_YEAR}::int, ${NATIONAL_LAST_YEAR}::int) y
			WHERE extract(year FROM o.active_from) <= y AND (o.active_to IS NULL OR extract(year FROM o.active_to) >= y)
				AND (SELECT count(*) FROM organization_link l WHERE l.organization_id = o.id AND l.year_from <= y AND (l.year_to IS NULL OR l.year_to >= y)) <> 1`);
		expect(gaps.n).toBe(0);
		// Abai, Jetisu and Ulytau regions were formed in 2022: their departments belonged elsewhere before.
		const moved = await one(sql<{ n: number }>`
			SELECT count(*)::int AS n FROM organization_link l JOIN organization r ON r.id = l.parent_id
			WHERE r.code IN ('VKO-EDU', 'ALM-EDU', 'KAR-EDU') AND l.year_to = 2021`);
		expect(moved.n).toBeGreaterThanOrEqual(3);
	});

	it('writes figures that the database would have accepted one by one', async () => {
		const c = summary.counts;
		for (const [table, key] of [['measurement', 'measurements'], ['service_volume', 'volumes'], ['complaint', 'complaints'], ['target', 'targets'], ['reporting_year', 'reportingYears']] as const) {
			const n = await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`);
			expect(n.n, table).toBe(c[key]);
			expect(n.n, table).toBeGreaterThan(0);
		}
		const broken = await one(sql<Record<string, number>>`SELECT
			(SELECT count(*)::int FROM measurement m WHERE NOT sapa_provides(m.organization_id, m.service_id, m.year)) AS measurement_unprovided,
			(SELECT count(*)::int FROM service_volume v WHERE NOT sapa_provides(v.organization_id, v.service_id, v.year)) AS volume_unprovided,
			(SELECT count(*)::int FROM complaint c WHERE NOT sapa_provides(c.organization_id, c.service_id, extract(year FROM c.received_on)::int)) AS complaint_unprovided,
			(SELECT count(*)::int FROM target t WHERE NOT sapa_provides(t.organization_id, t.service_id, t.year)) AS target_unprovided,
			(SELECT count(*)::int FROM measurement m JOIN indicator i ON i.id = m.indicator_id WHERE i.source <> 'reported') AS typed_computed,
			(SELECT count(*)::int FROM measurement m LEFT JOIN organization o ON o.id = m.organization_id WHERE o.id IS NULL) AS measurement_orphans,
			(SELECT count(*)::int FROM target t LEFT JOIN target_set s ON s.id = t.target_set_id WHERE s.id IS NULL) AS target_without_set,
			(SELECT count(*)::int FROM target t JOIN target_set s ON s.id = t.target_set_id WHERE t.status <> s.status OR t.year <> s.year
				OR NOT t.service_id = ANY (s.service_ids) OR NOT sapa_in_subtree(t.organization_id, s.organization_id, t.year)) AS target_outside_set,
			(SELECT count(*)::int FROM organization_link l LEFT JOIN organization o ON o.id = l.parent_id WHERE l.parent_id IS NOT NULL AND o.id IS NULL) AS link_orphans,
			(SELECT count(*)::int FROM reporting_year WHERE year < ${NATIONAL_LAST_YEAR} AND status <> 'approved') AS past_not_approved,
			(SELECT count(*)::int FROM role_grant g LEFT JOIN app_user u ON u.id = g.user_id WHERE u.id IS NULL) AS grant_orphans,
			(SELECT count(*)::int FROM audit_log WHERE actor NOT LIKE 'migration:%' AND entity <> 'app_meta') AS audit_rows,
			(SELECT count(*)::int FROM compliance_dirty) AS dirty`);
		expect(broken).toEqual({
			measurement_unprovided: 0, volume_unprovided: 0, complaint_unprovided: 0, target_unprovided: 0, typed_computed: 0, measurement_orphans: 0,
			target_without_set: 0, target_outside_set: 0, link_orphans: 0, past_not_approved: 0, grant_orphans: 0, audit_rows: 0, dirty: 0
		});
		// Ten years of data, every one built; approved targets, and next year's sets partly still drafts.
		const years = await sql<{ year: number }>`SELECT year FROM compliance_year ORDER BY year`.execute(db());
		expect(years.rows.map((r) => r.year)).toEqual(summary.years);
		const statuses = await sql<{ status: string }>`SELECT DISTINCT status FROM target WHERE year < ${NATIONAL_LAST_YEAR + 1} ORDER BY 1`.execute(db());
		expect(statuses.rows.map((r) => r.status)).toEqual(['approved']);
	});

	it('refuses a database that already holds data, unless asked to reset', async () => {
		await expect(seedNational({ url: urls[0]!, scale: SCALE, log: () => {} })).rejects.toThrow(/already holds the national data set.*--reset/s);
	});

	it('gives the same data for the same seed', async () => {
		await seedNational({ url: urls[1]!, scale: SCALE, reset: true, log: () => {} });
		const digest = async (url: string) => {
			const h = openPostgres(url, { poolMax: 1 });
			try {
				const r = await sql<{ m: string; t: string; c: string }>`SELECT
					(SELECT md5(string_agg(concat_ws(',', organization_id, service_id, indicator_id, year, numerator, denominator), ';' ORDER BY organization_id, service_id, indicator_id, year)) FROM measurement) AS m,
					(SELECT md5(string_agg(concat_ws(',', organization_id, service_id, indicator_id, year, value, status), ';' ORDER BY organization_id, service_id, indicator_id, year)) FROM target) AS t,
					(SELECT md5(string_agg(concat_ws(',', organization_id, service_id, received_on, justified, answered_on, satisfied), ';' ORDER BY organization_id, service_id, received_on, id)) FROM complaint) AS c`.execute(h.db);
				return r.rows[0];
			} finally {
				await h.close();
			}
		};
		expect(await digest(urls[1]!)).toEqual(await digest(urls[0]!));
	}, 600_000);

	it('keeps dashboard sums equal to their recomputation from the raw tables (country, a region, a city)', async () => {
		const region = await one(sql<{ id: number }>`SELECT id FROM organization WHERE code = 'KST-EDU'`);
		const city = await one(sql<{ id: number }>`SELECT id FROM organization WHERE code = 'RUDNY-EDU'`);
		for (const rootId of [summary.rootId, region.id, city.id]) {
			const measures = await rawSubtreeMeasures(db(), rootId);
			const volumes = await rawSubtreeVolumes(db(), rootId);
			expect(measures.length).toBeGreaterThan(0);
			expect(sameSums(await findSubtreeMeasures(db(), rootId), measures, measureKey, MEASURE_FIELDS)).toEqual([]);
			expect(sameSums(await findSubtreeVolumes(db(), rootId), volumes, volumeKey, VOLUME_FIELDS)).toEqual([]);
			const children = await rawChildMeasures(db(), rootId, NATIONAL_LAST_YEAR);
			expect(sameSums(await findChildMeasures(db(), rootId, NATIONAL_LAST_YEAR, { kind: null, serviceId: null, group: null }), children, unitKey, MEASURE_FIELDS)).toEqual([]);
			const page = await loadDashboard(db(), 'all', { year: null, organizationId: rootId, kind: null, serviceId: null, group: null, indicator: null }, NATIONAL_LAST_YEAR + 1);
			expect(page.filters.year).toBe(NATIONAL_LAST_YEAR);
			expect(page.byYear.map((y) => y.year)).toEqual(summary.years);
			expect(dashboardMatchesRaw(page, { measures, volumes, children })).toEqual([]);
		}
	}, 300_000);

	it('refuses to run without PostgreSQL, saying why', () => {
		const env = { ...process.env };
		delete env.DATABASE_URL;
		const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/seed-national.ts'], { env, encoding: 'utf8' });
		expect(run.status).toBe(2);
		expect(run.stderr).toMatch(/needs PostgreSQL.*PGlite/s);
	}, 60_000);
});
