import { parse } from 'csv-parse/sync';
import * as excelNamespace from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { seedDemo } from '../demo/seed';
import { bufferOf } from '../export/table';
import { findSubtreeIds } from '../queries/access';
import { buildAnnex, type AnnexRow } from './annex';
import { NotFoundError, planCellsExport, statusText, writeCellsExport, type CellsExportPlan } from './cells-export';
import type { CellsExportRequest } from '../../validation/cells-export-query';

/*
 * The file against the engine: every row of the XLSX (read back with exceljs) and of the CSV
 * (csv-parse) is the annex the engine builds for that organization, service and year, indicator
 * by indicator: counts, value, normative, target, status and gaps; names as stored, Kazakh
 * letters intact, formula-looking text neutralised; as many rows as the page announced.
 */

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;
const MADE = new Date('2026-11-22T09:00:00Z');
const FORMULA_NAME = '=HYPERLINK("http://x","Мектеп")';

describeDb('cells export', (ctx) => {
	let rudny: number;
	let scope: Set<number>;
	const annexes = new Map<string, Promise<Map<string, AnnexRow>>>();
	let orgs: Map<string, { id: number; kk: string; ru: string }>;
	let services: Map<string, number>;

	beforeAll(async () => {
		const db = ctx.db;
		await seedDemo(db);
		rudny = await idOf(db, 'organization', 'RUDNY-EDU');
		// A school whose name a spreadsheet would run as a formula.
		const odd = await createOrganization(db, { parent_id: rudny, active_from: '2024-01-01', name_kk: FORMULA_NAME, name_ru: FORMULA_NAME });
		const s01 = await idOf(db, 'service', 'S01');
		await provide(db, odd, s01, 2024);
		await db.insertInto('measurement').values({ organization_id: odd, service_id: s01, indicator_id: await idOf(db, 'indicator', '1.1'), year: 2024,
			numerator: 1, denominator: 3, source: 'form', comment: null, updated_by: null }).execute();
		scope = new Set(await findSubtreeIds(db, [rudny]));
		orgs = new Map((await db.selectFrom('organization').select(['id', 'code', 'name_kk', 'name_ru']).execute()).map((o) => [o.code, { id: o.id, kk: o.name_kk, ru: o.name_ru }]));
		services = new Map((await db.selectFrom('service').select(['id', 'code']).execute()).map((s) => [s.code, s.id]));
	}, 300_000);

	const request = (over: Partial<CellsExportRequest>): CellsExportRequest => ({
		organizationId: rudny, year: 2024, kind: null, serviceId: null, group: null, format: 'xlsx', separator: 'semicolon', ...over
	});

	/** The engine's annex of one organization, service and year, by indicator code. */
	function annexOf(orgCode: string, serviceCode: string, year: number) {
		const key = `${orgCode}/${serviceCode}/${year}`;
		let a = annexes.get(key);
		if (!a) {
			a = buildAnnex(ctx.db, { organizationId: orgs.get(orgCode)!.id, serviceId: services.get(serviceCode)!, year })
				.then((annex) => new Map(annex.rows.map((r) => [r.code, r])));
			annexes.set(key, a);
		}
		return a;
	}

	interface Parsed {
		orgCode: string; orgName: string; serviceCode: string; indicatorCode: string; year: number;
		numerator: number | null; denominator: number | null; value: number | null; normative: number | null; target: number | null;
		status: string; gapN: number | null; gapT: number | null;
	}

	/** Every file row equals the engine's annex row; numbers to the last digit the file keeps. */
	async function expectEngine(rows: Parsed[], lang: 'kk' | 'ru') {
		const close = (got: number | null, want: number | null) => {
			if (want === null) expect(got).toBeNull();
			else expect(got).toBeCloseTo(want, 9);
		};
		let valued = 0;
		for (const r of rows) {
			const a = (await annexOf(r.orgCode, r.serviceCode, r.year)).get(r.indicatorCode);
			expect(a, `${r.orgCode} ${r.serviceCode} ${r.year} ${r.indicatorCode}`).toBeDefined();
			const org = orgs.get(r.orgCode)!;
			expect(r.orgName).toBe(org[lang].startsWith('=') ? `'${org[lang]}` : org[lang]);
			expect(r.status).toBe(statusText(a!.assessment.status, lang));
			close(r.value, a!.value);
			close(r.gapN, a!.assessment.gapToNormative);
			close(r.gapT, a!.assessment.gapToTarget);
			if (a!.counts && a!.counts.denominator > 0) {
				valued++;
				expect([r.numerator, r.denominator]).toEqual([a!.counts.numerator, a!.counts.denominator]);
				close(r.normative, a!.normative);
				close(r.target, a!.target?.status === 'approved' ? a!.target.value : null);
			} else {
				// Nothing to hold against: a cell without a value has no reference (rollUpCell).
				expect([r.value, r.normative, r.target]).toEqual([null, null, null]);
			}
		}
		expect(valued).toBeGreaterThan(rows.length / 3);
	}

	async function plan(over: Partial<CellsExportRequest>, s: 'all' | ReadonlySet<number> = scope): Promise<CellsExportPlan> {
		return planCellsExport(ctx.db, s, request(over));
	}

	it('writes an XLSX whose every row is the engine’s cell, in Kazakh, across batch borders', async () => {
		const p = await plan({ format: 'xlsx' });
		expect(p.count).toBeGreaterThan(300);
		const progress: number[] = [];
		const bytes = await bufferOf((out) => writeCellsExport(out, ctx.db, p, 'kk', MADE, 'Сынақшы', (n) => progress.push(n), 37));
		expect(progress.at(-1)).toBe(p.count);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(bytes as unknown as ArrayBuffer);
		const sheet = book.worksheets[0]!;
		expect(sheet.name).toBe('Көрсеткіштер мәндері');
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		expect(header).toContain('Нормативтік мәні, %');
		const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
		const rows: Parsed[] = [];
		sheet.eachRow((row, i) => {
			if (i === 1) return;
			const v = (row.values as unknown[]).slice(1);
			rows.push({
				orgCode: String(v[0]), orgName: String(v[1]), serviceCode: String(v[3]), indicatorCode: String(v[5]), year: Number(v[7]),
				numerator: num(v[8]), denominator: num(v[9]),
				// Percent cells hold the fraction.
				value: v[10] == null ? null : Number(v[10]) * 100, normative: v[11] == null ? null : Number(v[11]) * 100, target: v[12] == null ? null : Number(v[12]) * 100,
				status: String(v[13]), gapN: num(v[14]), gapT: num(v[15])
			});
		});
		expect(rows).toHaveLength(p.count);
		expect(new Set(rows.map((r) => `${r.orgCode}/${r.serviceCode}/${r.year}/${r.indicatorCode}`)).size).toBe(p.count);
		expect(rows.every((r) => r.year === 2024)).toBe(true);
		expect(rows.some((r) => r.orgName === `'${FORMULA_NAME}`)).toBe(true);
		expect(rows.some((r) => /[әғқңөұүһі]/.test(r.orgName))).toBe(true);
		await expectEngine(rows, 'kk');
		// The filters sheet says what the file holds.
		const about = book.worksheets[1]!;
		const text = about.getSheetValues().flat().filter((x) => typeof x === 'string').join(' | ');
		expect(text).toContain('RUDNY-EDU');
		expect(text).toContain('2024');
		expect(text).toContain('Сынақшы');
	}, 300_000);

	it('writes a CSV (;, decimal comma, BOM) of every year whose rows are the engine’s cells, in Russian', async () => {
		const p = await plan({ format: 'csv', year: null, serviceId: services.get('S01')! });
		const bytes = await bufferOf((out) => writeCellsExport(out, ctx.db, p, 'ru', MADE, 'Тестер', undefined, 29));
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const records = parse(bytes.toString('utf8').slice(1), { delimiter: ';', relax_column_count: false }) as string[][];
		const [header, ...body] = records;
		expect(header).toContain('Значение, %');
		expect(body).toHaveLength(p.count);
		const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s.replace(',', '.')));
		const rows: Parsed[] = body.map((v) => ({
			orgCode: v[0]!, orgName: v[1]!, serviceCode: v[3]!, indicatorCode: v[5]!, year: Number(v[7]),
			numerator: num(v[8]), denominator: num(v[9]), value: num(v[10]), normative: num(v[11]), target: num(v[12]),
			status: v[13]!, gapN: num(v[14]), gapT: num(v[15])
		}));
		expect(new Set(rows.map((r) => r.year)).size).toBeGreaterThan(3);
		expect(rows.every((r) => r.serviceCode === 'S01')).toBe(true);
		expect(rows.some((r) => r.orgName === `'${FORMULA_NAME}`)).toBe(true);
		expect(body.some((v) => /\d,\d/.test(v[10]!))).toBe(true);
		await expectEngine(rows, 'ru');
	}, 600_000);

	it('refuses an organization outside the scope, or an unknown service, as not found', async () => {
		const lis = await idOf(ctx.db, 'organization', 'LIS-EDU');
		await expect(plan({ organizationId: lis })).rejects.toBeInstanceOf(NotFoundError);
		await expect(plan({ serviceId: 999_999 })).rejects.toBeInstanceOf(NotFoundError);
		// No organization named: the person's top one.
		expect((await plan({ organizationId: null })).organization.id).toBe(rudny);
	});
});
