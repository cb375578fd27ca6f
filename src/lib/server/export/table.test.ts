import { describe, expect, it } from 'vitest';
import * as excelNamespace from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Status } from '../../domain/compliance';
import { attachment, bufferOf, writeCsv, writeXlsx, type ExportMeta, type TableSpec } from './table';

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

interface Row { name: string; denominator: number; value: number | null; gap: number | null; status: Status }

const WORDS: Record<Status, string> = { meets_target: 'Мақсатқа жетті', meets_normative: 'Нормативке сай', breach: 'Бұзушылық', no_data: 'Дерек жоқ' };

const spec: TableSpec<Row> = {
	sheet: 'Сәйкестік',
	statusText: (s) => WORDS[s],
	columns: [
		{ header: 'Ұйым', type: 'text', value: (r) => r.name },
		{ header: 'Бөлгіш', type: 'integer', value: (r) => r.denominator },
		{ header: 'Мәні, %', type: 'percent', value: (r) => r.value },
		{ header: 'Айырма, п. п.', type: 'points', value: (r) => r.gap },
		{ header: 'Мәртебе', type: 'status', value: (r) => r.status }
	]
};

const rows: Row[] = [
	{ name: 'Рудный қаласының №7 мектеп-гимназиясы', denominator: 1000, value: 98.3, gap: -1.7, status: 'breach' },
	{ name: '=HYPERLINK("http://evil","x")', denominator: 30, value: 100, gap: 0, status: 'meets_target' },
	{ name: '-1+2', denominator: 0, value: null, gap: null, status: 'no_data' },
	{ name: '@SUM(A1)', denominator: 7, value: 0.1, gap: 0.1, status: 'meets_normative' },
	{ name: '\tTab', denominator: 1, value: 50, gap: null, status: 'breach' },
	{ name: '+7 701', denominator: 1, value: 50, gap: null, status: 'breach' },
	{ name: '\rCR', denominator: 1, value: 50, gap: null, status: 'breach' }
];

const meta: ExportMeta = {
	title: 'Сәйкестік кестесі',
	filters: [['Жыл', '2024'], ['Ұйым', 'Рудный қаласының білім бөлімі']],
	filtersSheet: 'Сүзгілер',
	madeAtLabel: 'Жасалған уақыты',
	madeAt: new Date('2026-11-22T09:05:00Z'),
	madeAtText: '22.11.2026 14:05',
	madeByLabel: 'Жасаған',
	madeBy: 'head.rudny@demo.sapa.kz'
};

describe('the XLSX writer', () => {
	it('writes real numbers, percent formats, status words, a frozen header and a sheet with the filters', async () => {
		const progress: number[] = [];
		const buffer = await bufferOf((out) => writeXlsx(out, spec, rows, meta, (n) => progress.push(n)));
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(buffer as unknown as ArrayBuffer);
		const sheet = book.getWorksheet('Сәйкестік')!;
		expect(sheet.getRow(1).values).toEqual([undefined, 'Ұйым', 'Бөлгіш', 'Мәні, %', 'Айырма, п. п.', 'Мәртебе']);
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		const first = sheet.getRow(2);
		expect(first.getCell(1).value).toBe('Рудный қаласының №7 мектеп-гимназиясы');
		expect(first.getCell(2).value).toBe(1000);
		expect(first.getCell(3).value).toBeCloseTo(0.983, 12);
		expect(first.getCell(3).numFmt).toContain('%');
		expect(first.getCell(4).value).toBe(-1.7);
		expect(first.getCell(5).value).toBe('Бұзушылық');
		expect((first.getCell(5).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFF4CCCC');
		// Formula-looking text comes out as text with a leading apostrophe, never as a formula.
		// (XML reads a carriage return back as a line feed.)
		const names = [3, 4, 5, 6, 7, 8].map((r) => String(sheet.getRow(r).getCell(1).value).replace('\n', '\r'));
		expect(names).toEqual(['\'=HYPERLINK("http://evil","x")', "'-1+2", "'@SUM(A1)", "'\tTab", "'+7 701", "'\rCR"]);
		expect(sheet.getRow(3).getCell(1).type).toBe(ExcelJS.ValueType.String);
		expect(sheet.getRow(4).getCell(3).value).toBeNull();
		expect(sheet.rowCount).toBe(rows.length + 1);
		const about = book.getWorksheet('Сүзгілер')!;
		const aboutRows = about.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
		expect(aboutRows).toEqual([['Сәйкестік кестесі'], ['Жыл', '2024'], ['Ұйым', 'Рудный қаласының білім бөлімі'], ['Жасалған уақыты', '22.11.2026 14:05'], ['Жасаған', 'head.rudny@demo.sapa.kz']]);
		expect(progress.at(-1)).toBe(rows.length);
	});
});

describe('a long XLSX', () => {
	it('streams: bytes leave while rows are still being written, not all at the end', async () => {
		const many = function* () {
			for (let i = 0; i < 60_000; i++) yield { ...rows[0]!, name: `Мектеп №${i}`, denominator: i };
		};
		let received = 0;
		const seen: Array<[number, number]> = [];
		await bufferOf(async (out) => {
			out.on('data', (c: Buffer) => (received += c.length));
			return writeXlsx(out, spec, many(), meta, (n) => seen.push([n, received]));
		});
		const midway = seen.find(([n]) => n === 40_000)![1];
		// 40,000 rows are about 6 MB of sheet XML; at most a megabyte may wait for the zip.
		expect(midway).toBeGreaterThan(200_000);
		expect(seen.at(-1)![0]).toBe(60_000);
	});
});

describe('the CSV writer', () => {
	for (const [delimiter, decimal] of [[';', ','], [',', '.']] as const) {
		it(`writes UTF-8 with a BOM, "${delimiter}" between fields and a decimal "${decimal}"`, async () => {
			const buffer = await bufferOf((out) => writeCsv(out, spec, rows, delimiter));
			expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
			const records = parse(buffer, { bom: true, delimiter, relax_column_count: false }) as string[][];
			expect(records[0]).toEqual(['Ұйым', 'Бөлгіш', 'Мәні, %', 'Айырма, п. п.', 'Мәртебе']);
			expect(records[1]).toEqual(['Рудный қаласының №7 мектеп-гимназиясы', '1000', `98${decimal}3`, `-1${decimal}7`, 'Бұзушылық']);
			expect(records.slice(2).map((r) => r[0])).toEqual(['\'=HYPERLINK("http://evil","x")', "'-1+2", "'@SUM(A1)", "'\tTab", "'+7 701", "'\rCR"]);
			expect(records[3]).toEqual(["'-1+2", '0', '', '', 'Дерек жоқ']);
			expect(buffer.toString('utf8')).toContain('\r\n');
		});
	}
});

describe('attachment', () => {
	it('gives an ASCII name and the real one', () => {
		expect(attachment('Қосымша 2024.xlsx')).toBe(`attachment; filename="_______ 2024.xlsx"; filename*=UTF-8''${encodeURIComponent('Қосымша 2024.xlsx')}`);
	});
});
