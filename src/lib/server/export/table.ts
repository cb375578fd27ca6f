import { PassThrough, Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import * as excelNamespace from 'exceljs';
import { stringify } from 'csv-stringify';
import type { Status } from '../../domain/compliance';
import { neutralizeCell } from './organizations';

/*
 * One writer for every table that leaves Sapa (compliance tables, the annex,
 * the 100,000-row cell dump): the same column spec becomes an XLSX sheet or a
 * CSV file. Rows arrive as an (async) iterable and are written as they come,
 * so memory stays bounded however long the table is. Pure: rows and words in,
 * bytes out; the caller picks the rows and translates the words.
 */

// exceljs is CommonJS: under Node's ESM loader only its default export exists.
const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

/**
 * - text: neutralised against formula injection (CWE-1236);
 * - integer: a whole number (counts, years);
 * - number: a plain number as written (the standard's annex writes 99 and 0,1, no % sign);
 * - percent: an indicator value or reference already in per cent (0..100):
 *   XLSX stores the fraction (value / 100) under a percent format, CSV writes the per-cent number;
 * - points: a gap in percentage points (signed);
 * - status: a compliance status code; written as its word (statusText) and, in XLSX, coloured.
 */
export type ColumnType = 'text' | 'integer' | 'number' | 'percent' | 'points' | 'status';

export type CellValue = string | number | null;

export interface Column<R> {
	header: string;
	type: ColumnType;
	/** Characters, for XLSX; a sensible default per type otherwise. */
	width?: number;
	value: (row: R) => CellValue;
	/** A status column's word for this row, when it says more than the code (e.g. "normative met, no target set"). */
	text?: (row: R) => string;
}

export interface TableSpec<R> {
	/** The sheet's name (XLSX, at most 31 characters; cut here). */
	sheet: string;
	columns: Column<R>[];
	/** The word for a status code in the reader's language. */
	statusText: (status: Status) => string;
}

/** What the export shows about itself: a second sheet in XLSX, nothing in CSV (the file name carries it). */
export interface ExportMeta {
	title: string;
	/** Label and value of each filter behind the table, in the reader's language. */
	filters: Array<[string, string]>;
	/** Heading of the filters sheet, and its two columns' headers. */
	filtersSheet: string;
	madeAtLabel: string;
	madeAt: Date;
	madeByLabel?: string;
	madeBy?: string;
	/** Rendered "made at" in the reader's time zone and language, e.g. "22.11.2026 14:05". */
	madeAtText: string;
}

export type Progress = (rowsWritten: number) => void;

/** As the screen writes them: one decimal, two below 1 % (0.06 % is not 0.1 %), a bare 0 for nothing. */
const PERCENT_FORMAT = '[=0]0%;[<0.01]0.00%;0.0%';
const POINTS_FORMAT = '+0.0;-0.0;0';
const DEFAULT_WIDTH: Record<ColumnType, number> = { text: 24, integer: 12, number: 12, percent: 11, points: 11, status: 22 };

/** Fill and font per status: the status word is always there too (colour is never the only carrier). */
const STATUS_STYLE: Record<Status, { fill: string; font: string }> = {
	meets_target: { fill: 'FFD9EAD3', font: 'FF1E5631' },
	meets_normative: { fill: 'FFE2EFDA', font: 'FF2F5D1E' },
	breach: { fill: 'FFF4CCCC', font: 'FF8B1A1A' },
	no_data: { fill: 'FFEDEDED', font: 'FF555555' }
};

/** A cell as the spreadsheet stores it: numbers stay numbers, text is neutralised. */
export function cellFor(type: ColumnType, value: CellValue, statusText: (s: Status) => string): CellValue {
	if (value === null || value === undefined) return null;
	switch (type) {
		case 'text':
			return neutralizeCell(String(value));
		case 'status':
			return neutralizeCell(statusText(value as Status));
		case 'percent':
			return typeof value === 'number' ? value / 100 : neutralizeCell(value);
		default:
			return typeof value === 'number' ? value : neutralizeCell(value);
	}
}

/**
 * exceljs hands a sheet's XML to the zip without backpressure: rows written
 * faster than they are compressed and sent pile up in memory (the whole
 * sheet, for a large export). Wait while more than a megabyte is queued for
 * the zip; a slow reader at the other end of `out` slows the queue too, so
 * memory stays bounded whatever the length of the table.
 */
const BACKLOG_LIMIT = 1 << 20;
function backlogOf(sheet: unknown): number {
	const queue = (sheet as { stream?: { pipes?: Array<{ _writableState?: { length?: number }; _readableState?: { length?: number } }> } }).stream?.pipes?.[0];
	return (queue?._writableState?.length ?? 0) + (queue?._readableState?.length ?? 0);
}
async function drained(sheet: unknown): Promise<void> {
	while (backlogOf(sheet) > BACKLOG_LIMIT) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function* rowsOf<R>(rows: Iterable<R> | AsyncIterable<R>): AsyncGenerator<R> {
	for await (const r of rows as AsyncIterable<R>) yield r;
}

/**
 * Writes the table as XLSX to `out` with the streaming writer: frozen header
 * with filters, widths, percent formats, coloured status words, and a second
 * sheet with the filters and when the file was made.
 */
export async function writeXlsx<R>(out: Writable, spec: TableSpec<R>, rows: Iterable<R> | AsyncIterable<R>, meta: ExportMeta, onProgress?: Progress): Promise<number> {
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
	workbook.creator = 'Sapa';
	workbook.created = meta.madeAt;
	workbook.title = meta.title;
	const sheet = workbook.addWorksheet(spec.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = spec.columns.map((c, i) => ({
		key: `c${i}`,
		width: c.width ?? DEFAULT_WIDTH[c.type],
		style: c.type === 'percent' ? { numFmt: PERCENT_FORMAT } : c.type === 'points' ? { numFmt: POINTS_FORMAT } : c.type === 'integer' ? { numFmt: '0' } : {}
	}));
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
	const header = sheet.addRow(spec.columns.map((c) => neutralizeCell(c.header)));
	header.font = { bold: true };
	header.alignment = { vertical: 'top', wrapText: true };
	header.commit();
	let n = 0;
	for await (const r of rowsOf(rows)) {
		const values = spec.columns.map((c) => (c.text && c.value(r) !== null ? neutralizeCell(c.text(r)) : cellFor(c.type, c.value(r), spec.statusText)));
		const row = sheet.addRow(values);
		spec.columns.forEach((c, i) => {
			if (c.type !== 'status') return;
			const status = c.value(r) as Status | null;
			const style = status ? STATUS_STYLE[status] : undefined;
			if (!style) return;
			const cell = row.getCell(i + 1);
			cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: style.fill } };
			cell.font = { color: { argb: style.font } };
		});
		row.commit();
		n++;
		if (onProgress && n % 1000 === 0) onProgress(n);
		if (n % 500 === 0) await drained(sheet);
	}
	sheet.commit();
	const about = workbook.addWorksheet(meta.filtersSheet.slice(0, 31));
	about.columns = [{ width: 32 }, { width: 60 }];
	const title = about.addRow([neutralizeCell(meta.title)]);
	title.font = { bold: true };
	title.commit();
	for (const [label, value] of meta.filters) about.addRow([neutralizeCell(label), neutralizeCell(value)]).commit();
	about.addRow([neutralizeCell(meta.madeAtLabel), neutralizeCell(meta.madeAtText)]).commit();
	if (meta.madeByLabel && meta.madeBy) about.addRow([neutralizeCell(meta.madeByLabel), neutralizeCell(meta.madeBy)]).commit();
	about.commit();
	await workbook.commit();
	onProgress?.(n);
	return n;
}

export type CsvDelimiter = ';' | ',';

/**
 * Writes the table as CSV: UTF-8 with a byte-order mark (so Excel reads
 * Kazakh letters right), CRLF line ends. With `;` numbers take a decimal
 * comma (what Excel expects in a Russian or Kazakh locale); with `,` a point.
 * Percent columns hold the per-cent number (98.3), as on screen.
 */
export async function writeCsv<R>(out: Writable, spec: TableSpec<R>, rows: Iterable<R> | AsyncIterable<R>, delimiter: CsvDelimiter, onProgress?: Progress): Promise<number> {
	const decimalComma = delimiter === ';';
	const number = (v: number) => (decimalComma ? String(v).replace('.', ',') : String(v));
	const stringifier = stringify({ delimiter, bom: true, record_delimiter: 'windows', quoted_match: /[\s;,"]/ });
	stringifier.pipe(out);
	const write = async (record: string[]) => {
		if (!stringifier.write(record)) await once(stringifier, 'drain');
	};
	await write(spec.columns.map((c) => neutralizeCell(c.header)));
	let n = 0;
	for await (const r of rowsOf(rows)) {
		await write(spec.columns.map((c) => {
			const v = c.value(r);
			if (v === null || v === undefined) return '';
			if (c.text) return neutralizeCell(c.text(r));
			if (typeof v === 'number' && c.type !== 'text' && c.type !== 'status') return number(v);
			return String(cellFor(c.type === 'percent' || c.type === 'points' || c.type === 'integer' || c.type === 'number' ? 'text' : c.type, v, spec.statusText));
		}));
		n++;
		if (onProgress && n % 1000 === 0) onProgress(n);
	}
	stringifier.end();
	await once(out, 'finish');
	onProgress?.(n);
	return n;
}

/** A web stream for a SvelteKit response, fed by a writer; a writer's failure aborts the download (never a silently cut file). */
export function streamOf(write: (out: Writable) => Promise<unknown>): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	write(out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
	return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

/** Everything written, as one buffer (tests and small exports). */
export async function bufferOf(write: (out: Writable) => Promise<unknown>): Promise<Buffer> {
	const out = new PassThrough();
	const chunks: Buffer[] = [];
	out.on('data', (c: Buffer) => chunks.push(c));
	const done = once(out, 'end');
	await write(out);
	await done;
	return Buffer.concat(chunks);
}

export const CONTENT_TYPE = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	csv: 'text/csv; charset=utf-8'
} as const;

/** A Content-Disposition with an ASCII fallback and the real (Cyrillic) name per RFC 6266 / 5987. */
export function attachment(filename: string): string {
	const ascii = filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
