import { describe, expect, it } from 'vitest';
import { makeBin } from '../../domain/bin';
import { neutralizeCell, organizationsToCsv, organizationsToXlsx, type OrganizationExportRow } from '../export/organizations';
import { judgeRows, parentFirstLevels, parseCsv, readOrganizationFile, type ImportLookup } from './organizations';

const enc = (s: string) => new TextEncoder().encode(s);
const empty: ImportLookup = { organizations: [], manageable: 'all' };
const BIN_A = makeBin('12345678901')!;
const BIN_B = makeBin('98765432101')!;

const HEADER = 'code;parent_code;parent_bin;kind;name_kk;name_ru;name_en;bin;active_from';
const TREE = [
	HEADER,
	`DEP;;;city_department;Білім бөлімі;Отдел образования;;${BIN_A};2020-01-01`,
	`KG1;DEP;;kindergarten;«Балапан» бөбекжайы;Ясли-сад «Балапан»;;;`,
	`KG2;;${BIN_A};kindergarten;Ақбота балабақшасы;Детский сад «Акбота»;;${BIN_B};01.09.2021`
].join('\r\n');

describe('organization import: reading', () => {
	it('reads a CSV with a byte-order mark, `;` and Kazakh letters, ignoring blank trailing rows', async () => {
		const { rows, problems } = await readOrganizationFile(enc('\uFEFF' + TREE + '\r\n;;;;;;;;\r\n\r\n'), empty);
		expect(problems).toEqual([]);
		expect(rows.map((r) => r.code)).toEqual(['DEP', 'KG1', 'KG2']);
		expect(rows[1]!.nameKk).toBe('«Балапан» бөбекжайы');
		expect(rows[1]!.parent).toEqual({ kind: 'file', code: 'DEP' });
		expect(rows[2]!.parent).toEqual({ kind: 'file', code: 'DEP' });
		expect(rows[2]!.activeFrom).toBe('2021-09-01');
	});

	it('detects `,` as the separator and keeps quoted commas, quotes and line breaks', () => {
		const rows = parseCsv('code,name_ru\n"A1","Школа ""Ұлан"", №5\nкорпус 2"\n');
		expect(rows).toEqual([{ row: 1, cells: ['code', 'name_ru'] }, { row: 2, cells: ['A1', 'Школа "Ұлан", №5\nкорпус 2'] }]);
	});

	it('reads the same file without a byte-order mark and with `,`', async () => {
		const { rows, problems } = await readOrganizationFile(enc(TREE.replaceAll(';', ',')), empty);
		expect(problems).toEqual([]);
		expect(rows).toHaveLength(3);
	});

	it('refuses text that is not UTF-8 and a file without the header', async () => {
		expect((await readOrganizationFile(new Uint8Array([0x63, 0x6f, 0xff, 0xfe, 0x3b]), empty)).problems[0]!.code).toBe('not_utf8');
		expect((await readOrganizationFile(enc('a;b\n1;2'), empty)).problems[0]!.code).toBe('no_header');
	});

	it('lists every problem by row and column', async () => {
		const file = [
			HEADER,
			`A;;;school;;Школа;;123456789012;2020-13-01`,
			`B;NOPE;;castle;Мектеп;Школа;;;`,
			`A;;;school;Мектеп;Школа;;;`,
			`C;D;;school;Мектеп;Школа;;;`,
			`D;C;;school;Мектеп;Школа;;;`
		].join('\n');
		const { problems } = await readOrganizationFile(enc(file), empty);
		expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
			[2, 'name_kk', 'required'], [2, 'bin', 'bin_invalid'], [2, 'active_from', 'date_invalid'],
			[3, 'parent_code', 'parent_unknown'], [3, 'kind', 'kind_unknown'],
			[4, 'code', 'duplicate_in_file'],
			[5, 'parent_code', 'cycle'], [6, 'parent_code', 'cycle']
		]);
	});

	it('checks against stored organizations: existing code, taken BIN, parent outside scope', () => {
		const lookup: ImportLookup = {
			organizations: [
				{ id: 1, code: 'ROOT', parentId: null, kind: 'region_department', nameKk: 'Басқарма', nameRu: 'Управление', nameEn: null, bin: BIN_A, activeFrom: '2000-01-01' },
				{ id: 2, code: 'MINE', parentId: 1, kind: 'city_department', nameKk: 'Бөлім', nameRu: 'Отдел', nameEn: null, bin: null, activeFrom: '2000-01-01' }
			],
			manageable: new Set([2])
		};
		const table = parseCsv([
			HEADER,
			'MINE;ROOT;;city_department;Бөлім;Отдел;;;', // identical: left alone
			'ROOT;;;region_department;Басқарма;Другое имя;;;',
			`S1;MINE;;school;Мектеп;Школа;;${BIN_A};`,
			`S2;;${BIN_A};school;Мектеп;Школа;;;`,
			'S3;;;school;Мектеп;Школа;;;'
		].join('\n'));
		const { rows, problems } = judgeRows(table, lookup);
		expect(rows.find((r) => r.code === 'MINE')?.status).toBe('unchanged');
		expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
			[3, 'code', 'exists'], [4, 'bin', 'bin_taken'], [5, 'parent_bin', 'parent_outside_scope'], [6, 'parent_code', 'parent_required']
		]);
	});

	it('orders new rows parent-first', async () => {
		const reversed = [HEADER, ...TREE.split('\r\n').slice(1).reverse()].join('\n');
		const { rows } = await readOrganizationFile(enc(reversed), empty);
		expect(parentFirstLevels(rows).map((l) => l.map((r) => r.code).sort())).toEqual([['DEP'], ['KG1', 'KG2']]);
	});
});

const sample: OrganizationExportRow[] = [
	{ code: 'DEP', parentCode: null, parentBin: null, kind: 'city_department', nameKk: 'Білім бөлімі', nameRu: 'Отдел образования', nameEn: 'Education department', bin: BIN_A, activeFrom: '2020-01-01' },
	{ code: 'KG1', parentCode: 'DEP', parentBin: BIN_A, kind: 'kindergarten', nameKk: '=HYPERLINK("x")', nameRu: '-Ясли; "сад"', nameEn: '@me', bin: null, activeFrom: '2000-01-01' }
];

describe('organization export', () => {
	it('neutralises formula-looking cells', () => {
		expect(['=1+1', '+7', '-2', '@SUM', '\tx', '\rx', 'ok', '1-2'].map(neutralizeCell)).toEqual(["'=1+1", "'+7", "'-2", "'@SUM", "'\tx", "'\rx", 'ok', '1-2']);
	});

	it('writes CSV with a byte-order mark and `;`, which reads back to the same tree', async () => {
		const bytes = organizationsToCsv(sample);
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		expect(text).toContain("'=HYPERLINK");
		expect(text.split('\r\n')[0]).toBe(HEADER);
		const { rows, problems } = await readOrganizationFile(bytes, empty);
		expect(problems).toEqual([]);
		expect(rows[1]).toMatchObject({ code: 'KG1', nameKk: '=HYPERLINK("x")', nameRu: '-Ясли; "сад"', nameEn: '@me', parent: { kind: 'file', code: 'DEP' } });
	});

	it('writes XLSX with titles, machine names, frozen header, and reads it back with Kazakh letters', async () => {
		const titles = { code: 'Код', parent_code: 'Код родителя', parent_bin: 'БИН родителя', kind: 'Вид', name_kk: 'Атауы', name_ru: 'Название', name_en: 'Name', bin: 'БИН', active_from: 'С даты' };
		const bytes = await organizationsToXlsx(sample, titles, 'Организации');
		const { default: ExcelJS } = (await import('exceljs')) as unknown as { default: typeof import('exceljs') };
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes.buffer as ArrayBuffer);
		const sheet = wb.worksheets[0]!;
		expect(sheet.getRow(1).getCell(1).value).toBe('Код');
		expect(sheet.getRow(2).getCell(1).value).toBe('code');
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
		expect(sheet.getColumn(5).width).toBeGreaterThan(20);
		expect(sheet.getRow(4).getCell(5).value).toBe('\'=HYPERLINK("x")');
		const { rows, problems } = await readOrganizationFile(bytes, empty);
		expect(problems).toEqual([]);
		expect(rows.map((r) => [r.code, r.nameKk])).toEqual([['DEP', 'Білім бөлімі'], ['KG1', '=HYPERLINK("x")']]);
	});
});
