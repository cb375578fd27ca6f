import { beforeAll, expect, it } from 'vitest';
import * as excelNamespace from 'exceljs';
import { parse } from 'csv-parse/sync';
import { regionalStandard } from '../../../../migrations/data/catalogue-v1';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { bufferOf } from '../export/table';
import { buildAnnex } from './annex';
import { loadAnnexExport, NotFoundError, writeAnnexExport } from './annex-export';

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

/**
 * The annex export of the seed standard's values (seed 003, restated in
 * migrations/data/catalogue-v1.ts) must reproduce the standard's table: the
 * five group headings, the twelve indicators in order with their official
 * titles, and columns 2–4 (normative, target next year, current) with the
 * same numbers. The current values are entered as counts: 99 % as 198 of
 * 200, 0,1 % as one justified complaint in 1,000 served.
 */

const counts: Record<string, [number, number]> = {
	'1.1': [1000, 1000], '1.2': [200, 200], '2.1': [200, 200], '2.2': [1000, 1000], '3.1': [198, 200],
	'3.2': [990, 1000], '3.3': [0, 1], '4.3': [200, 200], '4.4': [200, 200], '5.1': [200, 200]
};
const CODES = ['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '4.4', '5.1'];
const YEAR = 2024;
const MADE = new Date('2026-11-22T09:00:00Z');

/** Seed 003's table, column by column: [title's code, normative, target next year, current]. */
const seedTable = CODES.map((c) => [c, regionalStandard.normatives[c], regionalStandard.annexTargets[c], regionalStandard.annexCurrent[c]] as const);

describeDb('the annex table export', (ctx) => {
	let org: number, second: number, parent: number, svc: number;
	const titles = new Map<string, { kk: string; ru: string }>();
	const groups: Array<{ number: number; kk: string; ru: string }> = [];

	async function enter(o: number, values: Record<string, [number, number]>, served: number, justified: Array<{ satisfied: boolean }>) {
		const db = ctx.db;
		const ids = new Map((await db.selectFrom('indicator').select(['id', 'code']).execute()).map((i) => [i.code, i.id]));
		await provide(db, o, svc, 2023);
		await db.insertInto('measurement').values(Object.entries(values).map(([c, [numerator, denominator]]) => ({
			organization_id: o, service_id: svc, indicator_id: ids.get(c)!, year: YEAR, numerator, denominator, source: 'form' as const, comment: null, updated_by: null
		}))).execute();
		await db.insertInto('target').values(CODES.map((c) => ({
			organization_id: o, service_id: svc, indicator_id: ids.get(c)!, year: YEAR + 1, value: regionalStandard.annexTargets[c]!, status: 'approved' as const,
			reason: null, approved_by: null, approved_at: new Date('2024-12-20T10:00:00Z'), protocol_number: '7', protocol_date: '2024-12-20', updated_by: null
		}))).execute();
		await db.insertInto('service_volume').values({ organization_id: o, service_id: svc, year: YEAR, channel: 'provider', count: served, updated_by: null }).execute();
		for (const j of justified) {
			await db.insertInto('complaint').values({
				organization_id: o, service_id: svc, received_on: '2024-03-01', due_on: '2024-03-08', answered_on: '2024-03-12', justified: true, satisfied: j.satisfied, summary: null, updated_by: null
			}).execute();
		}
	}

	beforeAll(async () => {
		const db = ctx.db;
		parent = await createOrganization(db, { kind: 'city_department' });
		org = await createOrganization(db, { parent_id: parent });
		second = await createOrganization(db, { parent_id: parent });
		svc = await idOf(db, 'service', 'S18');
		const std = await db.insertInto('standard').values({
			service_id: svc, act_issuer_kk: 'Сынақ', act_issuer_ru: 'Тест', act_number: '58', act_date: '2008-01-28', valid_from: '2023-01-01',
			valid_to: null, repeal_issuer_kk: null, repeal_issuer_ru: null, repeal_number: null, repeal_date: null
		}).returning('id').executeTakeFirstOrThrow();
		const ids = new Map((await db.selectFrom('indicator').select(['id', 'code']).execute()).map((i) => [i.code, i.id]));
		await db.insertInto('standard_normative').values(CODES.map((c) => ({ standard_id: std.id, indicator_id: ids.get(c)!, value: regionalStandard.normatives[c]! }))).execute();
		// The seed's organization: 4.1 = 1 justified in 1,000 served (0,1), 4.2 = none of it satisfied in term (0).
		await enter(org, counts, 1000, [{ satisfied: false }]);
		// A second school for the roll-up: everything at 100 % of 100, no complaints.
		await enter(second, Object.fromEntries(Object.keys(counts).map((c) => [c, [c === '3.3' ? 0 : 100, 100]])), 3000, []);
		for (const r of await db.selectFrom('indicator').innerJoin('indicator_group as g', 'g.code', 'indicator.group_code')
			.select(['indicator.code', 'indicator.title_kk', 'indicator.title_ru', 'g.number', 'g.title_kk as gkk', 'g.title_ru as gru']).orderBy('indicator.sort_order').execute()) {
			titles.set(r.code, { kk: r.title_kk, ru: r.title_ru });
			if (!groups.some((g) => g.number === r.number)) groups.push({ number: r.number, kk: r.gkk, ru: r.gru });
		}
	}, 120_000);

	/** The rows the seed's table has, in one language: group headings and indicators in order, [title, normative, target next, current]. */
	function expected(lang: 'kk' | 'ru') {
		const rows: Array<[string, number | null, number | null, number | null]> = [];
		let group = 0;
		for (const [code, normative, target, current] of seedTable) {
			const n = Number(code.split('.')[0]);
			if (n !== group) {
				group = n;
				rows.push([`${n}. ${groups[n - 1]![lang]}`, null, null, null]);
			}
			rows.push([`${code}. ${titles.get(code)![lang]}`, normative ?? null, target ?? null, current ?? null]);
		}
		return rows;
	}

	it('for one organization and service: the annex screen\'s rows, as seed 003 has them', async () => {
		const x = await loadAnnexExport(ctx.db, 'all', { organizationId: org, serviceId: svc, year: YEAR, subtree: false });
		const annex = await buildAnnex(ctx.db, { organizationId: org, serviceId: svc, year: YEAR });
		const indicators = x.rows.filter((r) => r.kind === 'indicator');
		expect(indicators.map((r) => [r.code, r.value, r.normative, r.assessment.status])).toEqual(annex.rows.map((r) => [r.code, r.value, r.normative, r.assessment.status]));
		expect(x.rows.filter((r) => r.kind === 'group')).toHaveLength(5);
	});

	it('XLSX in Kazakh and CSV in Russian reproduce seed 003\'s table: same rows, same numbers', async () => {
		const x = await loadAnnexExport(ctx.db, 'all', { organizationId: org, serviceId: svc, year: YEAR, subtree: false });
		const xlsx = await bufferOf((out) => writeAnnexExport(out, x, 'kk', 'xlsx', ';', 'kk', MADE, ''));
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(xlsx as unknown as ArrayBuffer);
		const sheet = book.worksheets[0]!;
		expect((sheet.getRow(1).values as unknown[]).slice(1, 5)).toEqual([
			'Сапа және қол жетімділік көрсеткіштері', 'Көрсеткіштің нормативтік мәні', 'Келесі жылы көрсеткіштің нысаналы мәні', 'Есепті жылы көрсеткіштің ағымдағы мәні'
		]);
		const got: unknown[][] = [];
		sheet.eachRow((row, n) => n > 1 && got.push([1, 2, 3, 4].map((c) => row.getCell(c).value)));
		// Under the header, the columns' numbers as the standard prints them; then its table.
		expect(got[0]).toEqual(['1', 2, 3, 4]);
		expect(got.slice(1)).toEqual(expected('kk'));
		expect(got.find((r) => String(r[0]).startsWith('4.1.'))!.slice(1)).toEqual([0, 0, 0.1]);

		for (const [delimiter, point] of [[';', ','], [',', '.']] as const) {
			const csv = await bufferOf((out) => writeAnnexExport(out, x, 'ru', 'csv', delimiter, 'ru', MADE, ''));
			const [header, ...rows] = parse(csv, { bom: true, delimiter }) as string[][];
			expect(header!.slice(0, 4)).toEqual([
				'Показатели качества и доступности', 'Нормативное значение показателя', 'Целевое значение показателя в последующем году', 'Текущее значение показателя в отчетном году'
			]);
			const num = (s: string) => (s === '' ? null : Number(s.replace(point, '.')));
			expect(rows[0]!.slice(0, 4)).toEqual(['1', '2', '3', '4']);
			expect(rows.slice(1).map((r) => [r[0], num(r[1]!), num(r[2]!), num(r[3]!)])).toEqual(expected('ru'));
			expect(rows.find((r) => r[0]!.startsWith('4.1.'))![3]).toBe(`0${point}1`);
		}
	});

	it('both languages side by side, Kazakh first', async () => {
		const x = await loadAnnexExport(ctx.db, 'all', { organizationId: org, serviceId: svc, year: YEAR, subtree: false });
		const csv = await bufferOf((out) => writeAnnexExport(out, x, 'both', 'csv', ';', 'ru', MADE, ''));
		const [header, ...rows] = parse(csv, { bom: true, delimiter: ';' }) as string[][];
		expect(header!.slice(0, 3)).toEqual(['Сапа және қол жетімділік көрсеткіштері', 'Показатели качества и доступности', 'Көрсеткіштің нормативтік мәні / Нормативное значение показателя']);
		expect(rows.slice(1).map((r) => r[0])).toEqual(expected('kk').map((r) => r[0]));
		expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[4]])).toEqual(expected('ru').map(([t, ...n]) => [t, ...n.map((v) => (v === null ? '' : String(v).replace('.', ',')))]));
	});

	it('rolls up a subtree: Σ numerators / Σ denominators, references weighted by cases, next year\'s target shared', async () => {
		const x = await loadAnnexExport(ctx.db, 'all', { organizationId: parent, serviceId: null, year: YEAR, subtree: true });
		expect(x.parts).toBe(2);
		const by = Object.fromEntries(x.rows.filter((r) => r.kind === 'indicator').map((r) => [r.code, r]));
		// 3.1: (198 + 100) / (200 + 100); normative 99 for both parts.
		expect(by['3.1']!.counts).toEqual({ numerator: 298, denominator: 300 });
		expect(by['3.1']!.value).toBeCloseTo((298 / 300) * 100, 10);
		expect(by['3.1']!.normative).toBe(99);
		expect(by['3.1']!.nextTarget).toBe(100);
		// 4.1: 1 justified complaint in 1,000 + 3,000 served.
		expect(by['4.1']!.counts).toEqual({ numerator: 1, denominator: 4000 });
		expect(by['4.1']!.assessment.status).toBe('breach');
	});

	it('keeps to the scope', async () => {
		await expect(loadAnnexExport(ctx.db, new Set([second]), { organizationId: org, serviceId: svc, year: YEAR, subtree: false })).rejects.toBeInstanceOf(NotFoundError);
		// A subtree export keeps to the part of it the person may see.
		const own = await loadAnnexExport(ctx.db, new Set([parent, second]), { organizationId: parent, serviceId: null, year: YEAR, subtree: true });
		expect(own.parts).toBe(1);
	});
});
