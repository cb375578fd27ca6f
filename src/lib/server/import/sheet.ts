import { Readable } from 'node:stream';
import * as excelNamespace from 'exceljs';
import { parseCsv } from './organizations';
import { checkZip, isZip, type ZipLimits } from './zip';

/*
 * Bytes of an uploaded spreadsheet into rows of cells: the first sheet of an
 * XLSX (checked for zip bombs before exceljs opens it, then streamed row by
 * row), or a CSV in UTF-8 or Windows-1251 with `;` or `,`. Blank rows are
 * left out; row numbers stay the spreadsheet's own. Whole files that are too
 * big, too long, or not spreadsheets at all are refused here.
 */

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

export type SheetProblem = 'file_too_large' | 'zip_too_large' | 'zip_ratio' | 'zip_entries' | 'not_spreadsheet' | 'unreadable' | 'too_many_rows' | 'no_rows';

export type CellValue = string | number | null;
export interface SheetRow { row: number; cells: CellValue[] }

export interface ReadLimits {
	maxBytes: number;
	maxRows: number;
}

/**
 * An XLSX inflates to several times its size (a 100 000-row sheet: ~34 MB of
 * XML in a 3 MB file), so the unpacked limit is a multiple of the upload
 * limit; real sheets compress 5–20 times, zeros a thousand times.
 */
export function xlsxLimits(maxBytes: number): ZipLimits {
	return { maxUncompressedBytes: 8 * maxBytes, maxEntries: 1000, maxRatio: 100 };
}

export type Progress = (done: number) => void;
export type SheetOutcome = { ok: true; rows: SheetRow[] } | { ok: false; problem: SheetProblem };
const refuse = (problem: SheetProblem): SheetOutcome => ({ ok: false, problem });

export function isBlank(cell: CellValue | undefined): boolean {
	return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** An exceljs cell value as text or number: numbers stay numbers, formulas give their result. */
function cellValue(value: unknown): CellValue {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if (typeof value === 'object') {
		const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
		if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
		if ('result' in v) return cellValue(v.result);
		if (typeof v.text === 'string') return v.text;
		if (typeof v.error === 'string') return v.error;
	}
	return null;
}

async function readXlsx(bytes: Uint8Array, limits: ReadLimits, progress?: Progress): Promise<SheetOutcome> {
	const zip = checkZip(bytes, xlsxLimits(limits.maxBytes));
	if (!zip.ok) return refuse(zip.problem === 'zip_unreadable' ? 'unreadable' : zip.problem);
	if (!zip.entries.some((e) => e.name === 'xl/workbook.xml')) return refuse('unreadable');
	// The streaming reader keeps one row at a time (loading the whole workbook takes ~1.7 GB for 100 000 rows).
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
		sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit'
	});
	const rows: SheetRow[] = [];
	let filled = 0, sheets = 0;
	// Every sheet is read to its end, even those not used: the reader releases its temporary files only then.
	for await (const sheet of reader) {
		const first = sheets++ === 0;
		for await (const row of sheet) {
			if (!first || filled > limits.maxRows + 1) continue;
			const cells = (row.values as unknown[]).slice(1).map(cellValue);
			if (cells.every(isBlank)) continue;
			// The header plus more data rows than allowed: keep nothing more.
			if (++filled > limits.maxRows + 1) continue;
			rows.push({ row: row.number, cells });
			if (progress && filled % 5000 === 0) progress(filled);
		}
	}
	if (filled > limits.maxRows + 1) return refuse('too_many_rows');
	return { ok: true, rows };
}

/** UTF-8 (a byte-order mark is dropped), else Windows-1251, as Excel in ru/kk locales saves "CSV (;)". */
export function decodeText(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('windows-1251').decode(bytes);
	}
}

function looksBinary(bytes: Uint8Array): boolean {
	// Old .xls (OLE2), UTF-16 text and other binaries all carry NUL bytes early on.
	const head = bytes.subarray(0, 4096);
	return head.includes(0);
}

/** Lines that hold nothing but separators, quotes and spaces at the end of a file (Excel leaves thousands). */
function dropBlankTail(text: string): string {
	let end = text.length;
	while (end > 0 && ';,"\t \r\n\u00a0'.includes(text[end - 1]!)) end--;
	// Keep the rest of the last non-blank line (its closing quote, if any).
	const lineEnd = text.indexOf('\n', end);
	return lineEnd < 0 ? text : text.slice(0, lineEnd);
}

function readCsv(bytes: Uint8Array, limits: ReadLimits): SheetOutcome {
	if (looksBinary(bytes)) return refuse('not_spreadsheet');
	const text = dropBlankTail(decodeText(bytes));
	// A memory guard before parsing: a file of millions of empty lines is refused without building them.
	let lines = 0;
	for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
		if (++lines > 2 * limits.maxRows + 1000) return refuse('too_many_rows');
	}
	const rows: SheetRow[] = [];
	for (const r of parseCsv(text)) if (!r.cells.every(isBlank)) rows.push(r);
	if (rows.length > limits.maxRows + 1) return refuse('too_many_rows');
	return { ok: true, rows };
}

/** The non-blank rows of the file's first table, with the spreadsheet's own row numbers. */
export async function readSheet(bytes: Uint8Array, limits: ReadLimits, progress?: Progress): Promise<SheetOutcome> {
	if (bytes.byteLength > limits.maxBytes) return refuse('file_too_large');
	if (bytes.byteLength === 0) return refuse('no_rows');
	if (isZip(bytes)) {
		try {
			return await readXlsx(bytes, limits, progress);
		} catch {
			return refuse('unreadable');
		}
	}
	return readCsv(bytes, limits);
}
