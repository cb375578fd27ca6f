import { beforeAll, expect, it } from 'vitest';
import * as excelNamespace from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { DashboardData } from '../../domain/dashboard-view';
import type { DashboardRequest } from '../../validation/dashboard-query';
import { idOf } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { seedDemo } from '../demo/seed';
import * as m from '../../paraglide/messages';
import { bufferOf } from '../export/table';
import { findSubtreeIds } from '../queries/access';
import { loadDashboard, NotFoundError } from './dashboard';
import { loadComplianceTable, writeComplianceTable } from './dashboard-export';

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

/**
 * The dashboard's compliance tables as files: every row of the XLSX (opened
 * with exceljs) and of the CSV (read with csv-parse) must carry the numbers,
 * status words and Kazakh names that loadDashboard (the engine over the
 * pre-aggregated sums) gives the screen for the same request.
 */

const YEAR = 2024;
const AS_OF = 2026;
const none: DashboardRequest = { year: null, organizationId: null, kind: null, serviceId: null, group: null, indicator: null };
const kk = { locale: 'kk' as const };
const STATUS_KK = { meets_target: m.status_meets_target({}, kk), meets_normative: m.status_meets_normative({}, kk), breach: m.status_breach({}, kk), no_data: m.status_no_data({}, kk) };
const MADE = new Date('2026-11-22T09:00:00Z');

describeDb('compliance tables from the dashboard', (ctx) => {
	let rudny: number, otherRegion: number, school7: number;
	let rudnyScope: Set<number>;
	let screen: DashboardData;

	beforeAll(async () => {
		const db = ctx.db;
		await seedDemo(db);
		rudny = await idOf(db, 'organization', 'RUDNY-EDU');
		otherRegion = await idOf(db, 'organization', 'ALT-EDU');
		school7 = await idOf(db, 'organization', 'RUDNY-SCH-07');
		// A name a spreadsheet would take for a formula: it must come out as text.
		await db.updateTable('organization').set({ name_kk: '=HYPERLINK("http://evil.example","Мектеп")', name_ru: '-1+2 школа' }).where('id', '=', school7).execute();
		rudnyScope = new Set(await findSubtreeIds(db, [rudny]));
		screen = await loadDashboard(db, rudnyScope, { ...none, organizationId: rudny, year: YEAR }, AS_OF);
	}, 300_000);

	it('year: one row per scorecard row (and the total) × indicator, as the screen has them', async () => {
		const table = await loadComplianceTable(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR }, 'year', AS_OF);
		const units = [...screen.scorecard.rows, screen.scorecard.total];
		expect(table.rows).toHaveLength(units.length * 12);
		expect(units.length).toBeGreaterThan(5);
		table.rows.forEach((r, n) => {
			const unit = units[Math.floor(n / 12)]!;
			const cell = unit.cells[r.indicator.code]!;
			expect(r.unit.code).toBe(unit.code);
			expect({ counts: r.counts, value: r.value, normative: r.normative, target: r.target, status: r.assessment.status })
				.toEqual({ counts: cell.counts, value: cell.value, normative: cell.normative, target: cell.target, status: cell.assessment.status });
		});
	});

	it('XLSX in Kazakh: real numbers under percent formats, status words, neutralised names, the filters sheet', async () => {
		const table = await loadComplianceTable(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR }, 'year', AS_OF);
		const buffer = await bufferOf((out) => writeComplianceTable(out, table, 'xlsx', ';', 'kk', MADE, 'head.rudny@demo.sapa.kz', null));
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(buffer as unknown as ArrayBuffer);
		const sheet = book.worksheets[0]!;
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(sheet.rowCount).toBe(table.rows.length + 1);
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		const col = (name: string) => header.indexOf(name) + 1;
		expect(header).toContain(m.cx_col_value({}, kk));
		let breaches = 0;
		table.rows.forEach((r, n) => {
			const row = sheet.getRow(n + 2);
			// (The total and the department's own services share its code: rows are matched by position.)
			const unit = [...screen.scorecard.rows, screen.scorecard.total][Math.floor(n / 12)]!;
			const cell = unit.cells[r.indicator.code]!;
			expect(row.getCell(1).value).toBe(r.unit.code);
			const value = row.getCell(col(m.cx_col_value({}, kk)));
			if (cell.value === null) expect(value.value).toBeNull();
			else {
				expect(value.value as number).toBeCloseTo(cell.value / 100, 12);
				expect(value.numFmt).toContain('%');
			}
			const normative = row.getCell(col(m.cx_col_normative({}, kk))).value;
			if (cell.normative === null) expect(normative).toBeNull();
			else expect((normative as number) * 100).toBeCloseTo(cell.normative, 9);
			expect(row.getCell(col(m.cx_col_status({}, kk))).value).toBe(cell.assessment.status === 'meets_normative' && cell.assessment.vsTarget === 'no_target' ? m.status_meets_normative_no_target({}, kk) : STATUS_KK[cell.assessment.status]);
			const gap = row.getCell(col(m.cx_col_gap_normative({}, kk))).value;
			expect(gap).toBe(cell.assessment.gapToNormative);
			if (cell.assessment.status === 'breach') breaches++;
		});
		expect(breaches).toBeGreaterThan(0);
		// Kazakh names as written; the formula-looking one neutralised.
		const names = new Set<unknown>();
		sheet.eachRow((row) => names.add(row.getCell(2).value));
		expect(names).toContain('\'=HYPERLINK("http://evil.example","Мектеп")');
		expect([...names].some((n) => typeof n === 'string' && n.includes('Рудный қаласы'))).toBe(true);
		const about = book.worksheets[1]!;
		const facts = about.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
		expect(facts).toContainEqual(['Жыл', String(YEAR)]);
		expect(facts.find((f) => f[0] === m.dx_made_at({}, kk))?.[1]).toMatch(/^22\.11\.2026/);
	});

	it('CSV with ; and with , in Russian: the same numbers, decimal comma or point, neutralised names', async () => {
		const table = await loadComplianceTable(ctx.db, rudnyScope, { ...none, organizationId: rudny, year: YEAR }, 'year', AS_OF);
		for (const [delimiter, point] of [[';', ','], [',', '.']] as const) {
			const buffer = await bufferOf((out) => writeComplianceTable(out, table, 'csv', delimiter, 'ru', MADE, '', null));
			expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
			const records = parse(buffer, { bom: true, delimiter }) as string[][];
			const [header, ...rows] = records;
			expect(rows).toHaveLength(table.rows.length);
			const at = (name: string) => header!.indexOf(name);
			const num = (s: string) => (s === '' ? null : Number(s.replace(point, '.')));
			rows.forEach((rec, n) => {
				const r = table.rows[n]!;
				expect(rec[0]).toBe(r.unit.code);
				expect(num(rec[at('Числитель')]!)).toBe(r.counts?.numerator ?? null);
				expect(num(rec[at('Значение, %')]!)).toBe(r.value);
				expect(num(rec[at('Целевое значение, %')]!)).toBe(r.target);
				expect(num(rec[at('Отклонение от норматива, п. п.')]!)).toBe(r.assessment.gapToNormative);
			});
			expect(rows.some((rec) => rec[1] === "'-1+2 школа")).toBe(true);
		}
	});

	it('years: the organization over every year with data, each year the dashboard total of that year', async () => {
		const table = await loadComplianceTable(ctx.db, rudnyScope, { ...none, organizationId: school7, year: YEAR }, 'years', AS_OF);
		expect(table.years.length).toBeGreaterThan(2);
		expect(table.rows).toHaveLength(table.years.length * 12);
		for (const year of table.years) {
			const d = await loadDashboard(ctx.db, rudnyScope, { ...none, organizationId: school7, year }, AS_OF);
			for (const r of table.rows.filter((x) => x.year === year)) {
				const cell = d.scorecard.total.cells[r.indicator.code]!;
				expect({ value: r.value, status: r.assessment.status, gap: r.assessment.gapToTarget }, `${year} ${r.indicator.code}`)
					.toEqual({ value: cell.value, status: cell.assessment.status, gap: cell.assessment.gapToTarget });
			}
		}
		const buffer = await bufferOf((out) => writeComplianceTable(out, table, 'xlsx', ';', 'ru', MADE, '', null));
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(buffer as unknown as ArrayBuffer);
		const years = new Set<unknown>();
		book.worksheets[0]!.eachRow((row, n) => n > 1 && years.add(row.getCell(1).value));
		expect([...years]).toEqual(table.years);
	});

	it('keeps to the scope: another region is not found', async () => {
		await expect(loadComplianceTable(ctx.db, rudnyScope, { ...none, organizationId: otherRegion, year: YEAR }, 'year', AS_OF)).rejects.toBeInstanceOf(NotFoundError);
	});
});
