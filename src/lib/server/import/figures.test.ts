import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as excelNamespace from 'exceljs';
import { describe, expect, it } from 'vitest';
import { headerLabels } from '$lib/ui/figure-import';
import {
	FIGURE_COLUMNS, judgeFigureRows, mapHeader, organizationCodesIn, readFigureTable,
	type FigureLookup, type FigureTable, type ImportProblem, type StoredFigureValue, type StoredVolumeValue
} from './figures';
import { templateRows, templateToCsv, templateToXlsx } from '../export/figures-template';

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name)));
const labels = headerLabels();
const limits = { maxBytes: 1024 * 1024, maxRows: 1000 };
const KEYS = FIGURE_COLUMNS.join(';');

/** SCH-01 provides S01 (open year); SCH-02 provides S01 (year submitted); OTHER-01 is visible but not writable. */
function lookup(over: Partial<FigureLookup> = {}): FigureLookup {
	return {
		year: 2024, asOfYear: 2025, jumpPoints: 20,
		organizations: new Map([['SCH-01', { id: 1, writable: true }], ['SCH-02', { id: 2, writable: true }], ['OTHER-01', { id: 3, writable: false }]]),
		services: new Map([['S01', 10], ['S02', 20]]),
		indicators: new Map([['1.1', { id: 101, computed: false }], ['1.2', { id: 102, computed: false }], ['4.1', { id: 401, computed: true }]]),
		provided: new Set(['1:10', '2:10']),
		lockedOrganizations: new Set([2]),
		figures: new Map<string, StoredFigureValue>(),
		volumes: new Map<string, StoredVolumeValue>(),
		lastYear: new Map(),
		...over
	};
}

async function table(csv: string): Promise<FigureTable> {
	const t = await readFigureTable(new TextEncoder().encode(csv), limits, labels);
	if (!t.ok) throw new Error(`refused: ${JSON.stringify(t.problems)}`);
	return t.table;
}
async function refusal(bytes: Uint8Array, l = limits): Promise<ImportProblem[]> {
	const t = await readFigureTable(bytes, l, labels);
	if (t.ok) throw new Error('the file was accepted');
	return t.problems;
}
/** A file of the given data lines under the machine-key header; judged. */
async function judge(lines: string[], over: Partial<FigureLookup> = {}) {
	return judgeFigureRows(await table([KEYS, ...lines].join('\n')), lookup(over));
}
const row = (cells: Partial<Record<(typeof FIGURE_COLUMNS)[number], string>>) =>
	FIGURE_COLUMNS.map((c) => cells[c] ?? ({ org_code: 'SCH-01', service_code: 'S01', year: '2024', item: '1.1' } as Record<string, string>)[c] ?? '').join(';');
const codes = (j: { problems: ImportProblem[] }) => j.problems.map((p) => [p.row, p.column, p.code]);

describe('accepted file variants (fixtures)', () => {
	const expected = { numerator: 95, denominator: 100 };
	for (const [file, want] of [
		['utf8-bom-semicolon.csv', { ...expected, comment: 'Проверено; без замечаний' }],
		['utf8-comma.csv', { ...expected, comment: 'Проверено, без замечаний' }],
		['cp1251-semicolon.csv', { ...expected, comment: 'Проверено без замечаний' }],
		['decimal-comma.csv', { numerator: 1195, denominator: 1200, comment: null }],
		['kazakh.csv', { ...expected, comment: 'Әкімдікке ғана: қаңтар–желтоқсан, өңір, ұйым, үй, һ, і' }],
		['blank-trailing-rows.csv', { ...expected, comment: null }]
	] as const) {
		it(`reads ${file}: one indicator value, one volume, one blank row skipped`, async () => {
			const t = await readFigureTable(fixture(file), limits, labels);
			expect(t.ok, JSON.stringify(!t.ok && t.problems)).toBe(true);
			if (!t.ok) return;
			const j = judgeFigureRows(t.table, lookup());
			expect(j.problems).toEqual([]);
			expect(j.figures).toEqual([{ row: 2, organizationId: 1, serviceId: 10, indicatorId: 101, status: 'new', ...want }]);
			expect(j.volumes).toMatchObject([{ organizationId: 1, serviceId: 10, channel: 'egov', count: file === 'decimal-comma.csv' ? 2040 : 40, status: 'new' }]);
			expect(j.counts).toEqual({ rows: 3, fresh: 2, changed: 0, unchanged: 0, blank: 1 });
		});
	}

	it('keeps the spreadsheet row numbers across blank lines (blank-trailing-rows.csv)', async () => {
		const t = await readFigureTable(fixture('blank-trailing-rows.csv'), limits, labels);
		expect(t.ok && t.table.rows.map((r) => r.row)).toEqual([2, 4, 6]);
	});

	it('reads an XLSX made by exceljs, numbers as numbers, Kazakh text intact', async () => {
		const wb = new ExcelJS.Workbook();
		const sheet = wb.addWorksheet('Деректер');
		sheet.addRow([...FIGURE_COLUMNS]);
		sheet.addRow(['SCH-01', 'Қостанай облысы әкімдігі', 'S01', '', 2024, '1.1', '', 95, 100, null, 'ұйым үшін ғана']);
		sheet.addRow(['SCH-01', '', 'S01', '', 2024, 'V:provider', '', null, null, 12, null]);
		sheet.addRow([]);
		sheet.addRow(['SCH-01', '', 'S01', '', 2024, 1.2, '', { formula: '40+5', result: 45 }, 50, null, null]);
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
		const t = await readFigureTable(bytes, limits, labels);
		expect(t.ok).toBe(true);
		if (!t.ok) return;
		const j = judgeFigureRows(t.table, lookup());
		expect(j.problems).toEqual([]);
		expect(j.figures.map((f) => [f.row, f.indicatorId, f.numerator, f.denominator, f.comment])).toEqual([[2, 101, 95, 100, 'ұйым үшін ғана'], [5, 102, 45, 50, null]]);
		expect(j.volumes.map((v) => [v.row, v.channel, v.count])).toEqual([[3, 'provider', 12]]);
	});

	it('round-trips the template (CSV and XLSX): headers in any language, prefilled values unchanged', async () => {
		const source = {
			organizations: [{ id: 1, code: 'SCH-01', nameKk: '№ 1 мектеп', nameRu: 'Школа № 1', nameEn: null }, { id: 3, code: 'OTHER-01', nameKk: 'Басқа', nameRu: '=Другая', nameEn: null }],
			services: [{ id: 10, code: 'S01', titleKk: 'Қабылдау', titleRu: 'Приём', titleEn: null }],
			indicators: [{ id: 101, code: '1.1', titleKk: 'Уақытылылық', titleRu: 'Своевременность', titleEn: null }, { id: 102, code: '1.2', titleKk: 'Кезек', titleRu: 'Очередь', titleEn: null }],
			provisions: [{ organizationId: 1, serviceId: 10 }],
			figures: new Map([['1:10:101', { numerator: 9, denominator: 10, comment: '-минус; "кавычки"' }]]),
			volumes: new Map([['1:10:egov', { count: 7, comment: null }]])
		};
		const rows = templateRows(source, 1, 2024, {
			organization: (o) => o.nameRu, service: (s) => s.titleRu, indicator: (i) => i.titleRu, channel: (c) => c, noServices: 'нет услуг'
		});
		expect(rows.map((r) => [r.orgCode, r.serviceCode, r.item])).toEqual([
			['SCH-01', 'S01', '1.1'], ['SCH-01', 'S01', '1.2'], ['SCH-01', 'S01', 'V:provider'], ['SCH-01', 'S01', 'V:state_corporation'], ['SCH-01', 'S01', 'V:egov'],
			['OTHER-01', '', '']
		]);
		const stored = lookup({
			figures: new Map([['1:10:101', { numerator: 9, denominator: 10, comment: '-минус; "кавычки"', stale: false }]]),
			volumes: new Map([['1:10:egov', { count: 7, comment: null, stale: false }]])
		});
		for (const locale of ['ru', 'kk', 'en'] as const) {
			const titles = Object.fromEntries(FIGURE_COLUMNS.map((c, i) => [c, labels[c][['ru', 'kk', 'en'].indexOf(locale)] ?? String(i)])) as Record<(typeof FIGURE_COLUMNS)[number], string>;
			for (const bytes of [templateToCsv(rows, titles), await templateToXlsx(rows, titles, 'Деректер 2024')]) {
				const t = await readFigureTable(bytes, limits, labels);
				expect(t.ok, `${locale}: ${JSON.stringify(!t.ok && t.problems)}`).toBe(true);
				if (!t.ok) continue;
				const j = judgeFigureRows(t.table, stored);
				expect(j.problems).toEqual([]);
				expect(j.counts).toEqual({ rows: 6, fresh: 0, changed: 0, unchanged: 2, blank: 4 });
			}
		}
	});
});

describe('header', () => {
	it('accepts machine keys and titles in ru, kk and en, whatever the case and spacing', () => {
		const header = ['ORG CODE', 'Код услуги', 'жыл', ' Indicator  or channel ', 'numerator', 'Бөлімі'];
		const out = mapHeader(header, labels);
		expect(out.ok && [...out.columns.keys()]).toEqual(['org_code', 'service_code', 'year', 'item', 'numerator', 'denominator']);
	});

	it('refuses an unknown column, naming it (unknown_column)', async () => {
		const problems = await refusal(new TextEncoder().encode(`${KEYS};Примечание\n${row({ numerator: '1', denominator: '2' })};x\n`));
		expect(problems).toEqual([{ row: 1, column: null, code: 'unknown_column', value: 'Примечание' }]);
	});

	it('refuses a missing required column and a half pair (missing_column)', () => {
		const out = mapHeader(['org_code', 'year', 'item', 'numerator'], labels);
		expect(!out.ok && out.problems.map((p) => [p.column, p.code])).toEqual([['service_code', 'missing_column'], ['denominator', 'missing_column']]);
	});

	it('refuses a file without numerator/denominator or count columns (no_value_columns)', () => {
		const out = mapHeader(['org_code', 'service_code', 'year', 'item', 'comment'], labels);
		expect(!out.ok && out.problems.map((p) => p.code)).toEqual(['no_value_columns']);
	});

	it('accepts a volumes-only file (count without numerator/denominator), informational columns left out', async () => {
		const t = await table('org_code;service_code;year;item;count\nSCH-01;S01;2024;V:egov;5\n');
		expect(judgeFigureRows(t, lookup()).volumes).toHaveLength(1);
	});

	it('refuses a repeated column (duplicate_column)', () => {
		const out = mapHeader([...FIGURE_COLUMNS, 'Год'], labels);
		expect(!out.ok && out.problems).toEqual([{ row: 1, column: 'year', code: 'duplicate_column', value: 'Год' }]);
	});

	it('refuses a table with no recognisable header (no_header)', async () => {
		expect((await refusal(new TextEncoder().encode('a;b;c\n1;2;3\n')))[0]!.code).toBe('no_header');
	});
});

describe('whole-file refusals', () => {
	it('refuses a file larger than the limit (file_too_large)', async () => {
		expect((await refusal(new Uint8Array(2000), { maxBytes: 1000, maxRows: 10 }))[0]!.code).toBe('file_too_large');
	});

	it('refuses more data rows than the limit, blank rows not counted (too_many_rows)', async () => {
		const lines = Array.from({ length: 11 }, () => row({ numerator: '1', denominator: '2' }));
		const within = new TextEncoder().encode([KEYS, ...lines.slice(1), '', ';;;;'].join('\n'));
		expect((await readFigureTable(within, { maxBytes: 1e6, maxRows: 10 }, labels)).ok).toBe(true);
		expect((await refusal(new TextEncoder().encode([KEYS, ...lines].join('\n')), { maxBytes: 1e6, maxRows: 10 }))[0]!.code).toBe('too_many_rows');
	});

	it('refuses millions of empty lines without building them (too_many_rows)', async () => {
		const bytes = new TextEncoder().encode(`${KEYS}\n${row({ numerator: '1', denominator: '2' })}\n${'x\n'.repeat(5000)}`);
		expect((await refusal(bytes, { maxBytes: 1e6, maxRows: 100 }))[0]!.code).toBe('too_many_rows');
	});

	it('refuses a file with a header and no data (no_rows), and an empty file', async () => {
		expect((await refusal(new TextEncoder().encode(`${KEYS}\n;;;;\n\n`)))[0]!.code).toBe('no_rows');
		expect((await refusal(new Uint8Array(0)))[0]!.code).toBe('no_rows');
	});

	it('refuses what is not CSV or XLSX: an old .xls, a PDF-like binary (not_spreadsheet)', async () => {
		const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
		expect((await refusal(xls))[0]!.code).toBe('not_spreadsheet');
		expect((await refusal(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x0a, 0x00, 0x01])))[0]!.code).toBe('not_spreadsheet');
	});

	it('refuses a zip that is no workbook, or a broken one (unreadable)', async () => {
		const wb = new ExcelJS.Workbook();
		wb.addWorksheet('s').addRow(['x']);
		const good = new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
		const broken = good.slice(0, good.byteLength - 100);
		expect((await refusal(broken))[0]!.code).toBe('unreadable');
	});

	it('refuses an XLSX zip bomb before exceljs opens it (zip_ratio / zip_too_large)', async () => {
		// One deflated entry of zeros whose declared size is honest but absurd.
		const zeros = new Uint8Array(6 * 1024 * 1024);
		const data = deflateRawSync(zeros);
		const name = Buffer.from('xl/worksheets/sheet1.xml');
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(8, 8); local.writeUInt32LE(data.byteLength, 18); local.writeUInt32LE(zeros.byteLength, 22); local.writeUInt16LE(name.byteLength, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(8, 10); central.writeUInt32LE(data.byteLength, 20); central.writeUInt32LE(zeros.byteLength, 24); central.writeUInt16LE(name.byteLength, 28);
		const dirOffset = 30 + name.byteLength + data.byteLength;
		const end = Buffer.alloc(22);
		end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10); end.writeUInt32LE(46 + name.byteLength, 12); end.writeUInt32LE(dirOffset, 16);
		const bomb = new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
		expect((await refusal(bomb, { maxBytes: 10 * 1024 * 1024, maxRows: 10 }))[0]!.code).toBe('zip_ratio');
		// With a small upload limit the declared 6 MB is over 8 × the limit.
		expect((await refusal(bomb, { maxBytes: 512 * 1024, maxRows: 10 }))[0]!.code).toBe('zip_too_large');
	});
});

describe('row rules', () => {
	it('numerator above denominator is a problem on the numerator (numerator_above_denominator)', async () => {
		expect(codes(await judge([row({ numerator: '11', denominator: '10' })]))).toEqual([[2, 'numerator', 'numerator_above_denominator']]);
	});

	it('counts must be whole and not negative (not_integer, negative, too_large)', async () => {
		const j = await judge([row({ numerator: '12,5', denominator: '20' }), row({ item: '1.2', numerator: '-1', denominator: '5' }), row({ item: 'V:egov', count: '1000000000' })]);
		expect(codes(j)).toEqual([[2, 'numerator', 'not_integer'], [3, 'numerator', 'negative'], [4, 'count', 'too_large']]);
	});

	it('"1,000" is refused, never guessed to be a thousand', async () => {
		expect(codes(await judge([row({ numerator: '1,000', denominator: '2000' })]))).toEqual([[2, 'numerator', 'not_integer']]);
	});

	it('a numerator without a denominator, or a comment alone, is half filled', async () => {
		const j = await judge([row({ numerator: '5' }), row({ item: '1.2', comment: 'только комментарий' }), row({ item: 'V:egov', comment: 'без числа' })]);
		expect(codes(j)).toEqual([[2, 'denominator', 'half_filled'], [3, 'numerator', 'half_filled'], [4, 'count', 'required']]);
	});

	it('the service must be provided by that organization that year (not_provided)', async () => {
		expect(codes(await judge([row({ service_code: 'S02', numerator: '1', denominator: '2' })]))).toEqual([[2, 'service_code', 'not_provided']]);
	});

	it('a submitted or approved year refuses the row (year_locked)', async () => {
		expect(codes(await judge([row({ org_code: 'SCH-02', numerator: '1', denominator: '2' })]))).toEqual([[2, 'year', 'year_locked']]);
	});

	it('a future year refuses the row (year_future)', async () => {
		const j = await judge([row({ year: '2026', numerator: '1', denominator: '2' })], { year: 2026, asOfYear: 2025 });
		expect(codes(j)).toEqual([[2, 'year', 'year_future']]);
	});

	it('a year other than the one chosen is refused row by row (year_mismatch)', async () => {
		const j = await judge([row({ year: '2023', numerator: '1', denominator: '2' }), row({ item: '1.2', year: 'два', numerator: '1', denominator: '2' })]);
		expect(j.problems).toEqual([{ row: 2, column: 'year', code: 'year_mismatch', value: '2023' }, { row: 3, column: 'year', code: 'year_mismatch', value: 'два' }]);
	});

	it('identifying cells are required (required)', async () => {
		const j = await judge([row({ org_code: ' ', service_code: '', year: '', item: '', numerator: '1', denominator: '2' })]);
		expect(codes(j)).toEqual([[2, 'org_code', 'required'], [2, 'service_code', 'required'], [2, 'year', 'required'], [2, 'item', 'required']]);
	});

	it('unknown organization, service or item codes are problems (unknown_org, unknown_service, unknown_item)', async () => {
		const j = await judge([row({ org_code: 'NOPE', numerator: '1', denominator: '2' }), row({ service_code: 'S99', numerator: '1', denominator: '2' }), row({ item: '9.9', numerator: '1', denominator: '2' }), row({ item: 'V:fax', count: '3' })]);
		expect(codes(j)).toEqual([[2, 'org_code', 'unknown_org'], [3, 'service_code', 'unknown_service'], [4, 'item', 'unknown_item'], [5, 'item', 'unknown_item']]);
	});

	it('an organization outside the chosen subtree or without figures.write is refused (outside_scope)', async () => {
		expect(codes(await judge([row({ org_code: 'OTHER-01', numerator: '1', denominator: '2' })]))).toEqual([[2, 'org_code', 'outside_scope']]);
	});

	it('codes are matched whatever their case; an indicator code typed with a decimal comma is read', async () => {
		const j = await judge([row({ org_code: 'sch-01', service_code: 's01', item: '1,2', numerator: '1', denominator: '2' }), row({ item: 'v:Egov', count: '3' })]);
		expect(j.problems).toEqual([]);
		expect(j.figures[0]).toMatchObject({ indicatorId: 102 });
	});

	it('indicators computed from the complaints register are not imported (computed_indicator)', async () => {
		expect(codes(await judge([row({ item: '4.1', numerator: '1', denominator: '1000' })]))).toEqual([[2, 'item', 'computed_indicator']]);
	});

	it('a count on an indicator row, or a numerator on a volume row, is a problem on that cell', async () => {
		const j = await judge([row({ numerator: '1', denominator: '2', count: '5' }), row({ item: 'V:egov', numerator: '1', count: '5' })]);
		expect(codes(j)).toEqual([[2, 'count', 'count_on_indicator'], [3, 'numerator', 'ratio_on_volume']]);
	});

	it('the same organization, service and item twice names the first row (duplicate_in_file)', async () => {
		const j = await judge([row({ numerator: '1', denominator: '2' }), row({ item: 'V:egov', count: '1' }), row({ org_code: 'sch-01', numerator: '2', denominator: '2' })]);
		expect(j.problems).toEqual([{ row: 4, column: 'item', code: 'duplicate_in_file', value: '1.1', detail: '2' }]);
	});

	it('a comment longer than the limit is refused (comment_too_long)', async () => {
		expect(codes(await judge([row({ numerator: '1', denominator: '2', comment: 'я'.repeat(2001) })]))).toEqual([[2, 'comment', 'comment_too_long']]);
	});

	it('lists every problem of every row, in row order', async () => {
		const lines = Array.from({ length: 50 }, (_, i) => row({ item: i % 2 ? '1.1' : '1.2', org_code: `SCH-${i}`, numerator: 'x', denominator: '1' }));
		const j = await judge(lines);
		expect(j.problems).toHaveLength(100);
		expect(j.problems.map((p) => p.row)).toEqual([...j.problems.map((p) => p.row)].sort((a, b) => a! - b!));
	});

	it('a value stored after the preview is not overwritten (changed_since_preview)', async () => {
		const j = await judge([row({ numerator: '1', denominator: '2' })], { figures: new Map([['1:10:101', { numerator: 5, denominator: 5, comment: null, stale: true }]]) });
		expect(codes(j)).toEqual([[2, 'numerator', 'changed_since_preview']]);
	});

	it('neutralised formula text loses its apostrophe on the way back', async () => {
		const j = await judge([row({ numerator: '1', denominator: '2', comment: "'=1+2" })]);
		expect(j.figures[0]!.comment).toBe('=1+2');
	});
});

describe('what a file changes', () => {
	it('tells new, changed, unchanged and blank rows apart', async () => {
		const figures = new Map([['1:10:101', { numerator: 1, denominator: 2, comment: null, stale: false }], ['1:10:102', { numerator: 3, denominator: 4, comment: 'x', stale: false }]]);
		const volumes = new Map([['1:10:egov', { count: 9, comment: null, stale: false }]]);
		const j = await judge([
			row({ numerator: '1', denominator: '2' }), // unchanged
			row({ item: '1.2', numerator: '3', denominator: '4', comment: 'y' }), // changed comment
			row({ item: 'V:egov', count: '10' }), // changed count
			row({ item: 'V:provider', count: '0' }), // new (0 is a value)
			row({ item: 'V:state_corporation' }) // blank
		], { figures, volumes });
		expect(j.counts).toEqual({ rows: 5, fresh: 1, changed: 2, unchanged: 1, blank: 1 });
		expect(j.figures.map((f) => [f.indicatorId, f.status, f.comment])).toEqual([[102, 'changed', 'y']]);
		expect(j.volumes.map((v) => [v.channel, v.status, v.count])).toEqual([['egov', 'changed', 10], ['provider', 'new', 0]]);
	});

	it('without a comment column, stored comments are kept', async () => {
		const t = await table('org_code;service_code;year;item;numerator;denominator\nSCH-01;S01;2024;1.1;1;2\n');
		const j = judgeFigureRows(t, lookup({ figures: new Map([['1:10:101', { numerator: 1, denominator: 3, comment: 'keep', stale: false }]]) }));
		expect(j.figures).toMatchObject([{ numerator: 1, denominator: 2, comment: 'keep', status: 'changed' }]);
	});

	it('warns (without blocking) on a jump against last year and on a small sample', async () => {
		const j = await judge([row({ numerator: '50', denominator: '100' }), row({ item: '1.2', numerator: '9', denominator: '10' })], {
			lastYear: new Map([['1:10:101', { numerator: 95, denominator: 100 }]])
		});
		expect(j.problems).toEqual([]);
		expect(j.warnings.map((w) => [w.row, w.code])).toEqual([[2, 'jump'], [3, 'small_sample']]);
		expect(j.figures).toHaveLength(2);
	});

	it('does not warn about a value left as it is stored', async () => {
		const j = await judge([row({ numerator: '5', denominator: '10' })], { figures: new Map([['1:10:101', { numerator: 5, denominator: 10, comment: null, stale: false }]]) });
		expect(j.warnings).toEqual([]);
		expect(j.counts.unchanged).toBe(1);
	});

	it('names the organization codes the lookup must load, once each', async () => {
		const t = await table([KEYS, row({ numerator: '1', denominator: '2' }), row({ org_code: 'sch-01', item: '1.2' }), row({ org_code: 'OTHER-01' })].join('\n'));
		expect(organizationCodesIn(t).sort()).toEqual(['OTHER-01', 'SCH-01']);
	});
});
