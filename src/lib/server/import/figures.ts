import type { Counts } from '../../domain/compliance';
import { parseCount, type FigureProblem, type FigureWarning } from '../../domain/figures';
import { readFigure, readVolume, VOLUME_CHANNELS } from '../../validation/figures';
import type { VolumeChannel } from '../db/schema';
import { isBlank, readSheet, type CellValue, type Progress, type ReadLimits, type SheetProblem, type SheetRow } from './sheet';

/*
 * Reading a year's figures from a spreadsheet (CSV or XLSX, one row per
 * value) and judging every row. Reading turns bytes into rows of cells and
 * refuses whole files that are dangerous or absurd; judging is pure: given
 * what the database knows (a FigureLookup), it says for each row what is
 * wrong, what deserves a second look, and what would be written. The same
 * judgement runs for the preview and again, inside the writing transaction,
 * for the commit. Each value passes through the one figure schema the entry
 * form uses (readFigure / readVolume).
 */

/** The file's columns, in the template's order. */
export const FIGURE_COLUMNS = [
	'org_code', 'org_name', 'service_code', 'service_title', 'year', 'item', 'item_title', 'numerator', 'denominator', 'count', 'comment'
] as const;
export type FigureColumn = (typeof FIGURE_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly FigureColumn[] = ['org_code', 'service_code', 'year', 'item'];

/** The item of a served-volume row: `V:provider`, `V:state_corporation`, `V:egov`. */
export const volumeItem = (channel: VolumeChannel) => `V:${channel}`;

export type FileProblemCode = SheetProblem | 'no_header' | 'unknown_column' | 'duplicate_column' | 'missing_column' | 'no_value_columns' | 'commit_failed';
export type RowProblemCode =
	| 'required' | 'year_mismatch' | 'unknown_org' | 'outside_scope' | 'unknown_service' | 'unknown_item'
	| 'count_on_indicator' | 'ratio_on_volume' | 'duplicate_in_file' | 'changed_since_preview';
export type ImportProblemCode = FileProblemCode | RowProblemCode | FigureProblem;

/** One thing wrong, where it is: the spreadsheet's own row number (null: the whole file) and column. */
export interface ImportProblem {
	row: number | null;
	column: FigureColumn | null;
	code: ImportProblemCode;
	/** The offending cell as written (shortened), or the header text of an unknown column. */
	value?: string;
	/** The other row a duplicate repeats. */
	detail?: string;
}

/** Something to look at twice in a value that will be written (never in one left unchanged). */
export interface ImportWarning {
	row: number;
	column: FigureColumn;
	code: FigureWarning;
	/** The counts as written, "9 / 10". */
	value: string;
	/** Whose value: "ORG · SERVICE · ITEM" as the file names them. */
	where: string;
}

const wholeFile = (code: FileProblemCode): ImportProblem => ({ row: null, column: null, code });

// ---------- the header ----------

/** Header texts each column answers to besides its key: its title in every interface language. */
export type HeaderLabels = Record<FigureColumn, readonly string[]>;

/** Case, spaces, underscores and a byte-order mark do not matter: "Org Code" is org_code. */
export function headerKey(text: string): string {
	return text.normalize('NFC').replace(/^\uFEFF/, '').replace(/[\s\u00a0_]+/g, ' ').trim().toLowerCase();
}

export type HeaderOutcome = { ok: true; columns: Map<FigureColumn, number> } | { ok: false; problems: ImportProblem[] };

/** Which column is where; `row`: the header's own row number, for problems in it. */
export function mapHeader(cells: readonly CellValue[], labels: HeaderLabels, row = 1): HeaderOutcome {
	const byKey = new Map<string, FigureColumn>();
	for (const c of FIGURE_COLUMNS) for (const name of [c, ...labels[c]]) byKey.set(headerKey(name), c);
	const columns = new Map<FigureColumn, number>();
	const problems: ImportProblem[] = [];
	cells.forEach((cell, index) => {
		if (isBlank(cell)) return;
		const text = clean(cell);
		const column = byKey.get(headerKey(text));
		if (!column) problems.push({ row, column: null, code: 'unknown_column', value: text.slice(0, 80) });
		else if (columns.has(column)) problems.push({ row, column, code: 'duplicate_column', value: text.slice(0, 80) });
		else columns.set(column, index);
	});
	// Nothing recognised at all: not a header (a different table, or data without one).
	if (columns.size === 0) return { ok: false, problems: [wholeFile('no_header')] };
	for (const c of REQUIRED_COLUMNS) if (!columns.has(c)) problems.push({ row: null, column: c, code: 'missing_column' });
	const pair = columns.has('numerator') || columns.has('denominator');
	if (pair) for (const c of ['numerator', 'denominator'] as const) if (!columns.has(c)) problems.push({ row: null, column: c, code: 'missing_column' });
	if (!pair && !columns.has('count')) problems.push({ row: null, column: null, code: 'no_value_columns' });
	return problems.length ? { ok: false, problems } : { ok: true, columns };
}

// ---------- the whole file ----------

export interface FigureTable {
	columns: Map<FigureColumn, number>;
	/** Data rows (after the header), blank lines left out. */
	rows: SheetRow[];
}

export type TableOutcome = { ok: true; table: FigureTable } | { ok: false; problems: ImportProblem[] };

/** Reads the file and its header: a table of rows to judge, or why the whole file is refused. */
export async function readFigureTable(bytes: Uint8Array, limits: ReadLimits, labels: HeaderLabels, progress?: Progress): Promise<TableOutcome> {
	const sheet = await readSheet(bytes, limits, progress);
	if (!sheet.ok) return { ok: false, problems: [wholeFile(sheet.problem)] };
	const [header, ...rows] = sheet.rows;
	if (!header) return { ok: false, problems: [wholeFile('no_rows')] };
	const mapped = mapHeader(header.cells, labels, header.row);
	if (!mapped.ok) return mapped;
	if (rows.length === 0) return { ok: false, problems: [wholeFile('no_rows')] };
	if (rows.length > limits.maxRows) return { ok: false, problems: [wholeFile('too_many_rows')] };
	return { ok: true, table: { columns: mapped.columns, rows } };
}

/** Trimmed text of a cell, without the apostrophe the template puts before formula-looking text. */
function clean(cell: CellValue | undefined): string {
	if (cell === null || cell === undefined) return '';
	const s = (typeof cell === 'number' ? String(cell) : cell).normalize('NFC').trim();
	return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

/** Organization codes the file names (upper case), so the lookup loads only those. */
export function organizationCodesIn(table: FigureTable): string[] {
	const at = table.columns.get('org_code')!;
	const codes = new Set<string>();
	for (const r of table.rows) {
		const code = clean(r.cells[at]).toUpperCase();
		if (code) codes.add(code);
	}
	return [...codes];
}

// ---------- judging the rows ----------

/** A stored value; stale: changed after the preview the commit is made from (always false at the preview). */
export interface StoredFigureValue { numerator: number; denominator: number; comment: string | null; stale: boolean }
export interface StoredVolumeValue { count: number; comment: string | null; stale: boolean }

/** What the database knows, for the year and the organizations the file names. */
export interface FigureLookup {
	year: number;
	asOfYear: number;
	jumpPoints: number;
	/** Organizations the importer can see, by upper-case code; writable: in the chosen subtree that year and 'figures.write' there. */
	organizations: ReadonlyMap<string, { id: number; writable: boolean }>;
	/** Service ids by upper-case code. */
	services: ReadonlyMap<string, number>;
	indicators: ReadonlyMap<string, { id: number; computed: boolean }>;
	/** `${organizationId}:${serviceId}` provided in the year. */
	provided: ReadonlySet<string>;
	/** Organizations whose year is submitted or approved. */
	lockedOrganizations: ReadonlySet<number>;
	/** Stored values of the year: `${org}:${service}:${indicator}` and `${org}:${service}:${channel}`. */
	figures: ReadonlyMap<string, StoredFigureValue>;
	volumes: ReadonlyMap<string, StoredVolumeValue>;
	/** Last year's counts, `${org}:${service}:${indicator}`. */
	lastYear: ReadonlyMap<string, Counts>;
}

export type WriteStatus = 'new' | 'changed';
export interface FigureWrite {
	row: number; organizationId: number; serviceId: number; indicatorId: number;
	numerator: number; denominator: number; comment: string | null; status: WriteStatus;
}
export interface VolumeWrite {
	row: number; organizationId: number; serviceId: number; channel: VolumeChannel;
	count: number; comment: string | null; status: WriteStatus;
}

export interface ImportCounts {
	/** Data rows read (blank lines not counted). */
	rows: number;
	fresh: number;
	changed: number;
	unchanged: number;
	/** Rows whose value cells are all blank: skipped. */
	blank: number;
}

export interface Judgement {
	problems: ImportProblem[];
	warnings: ImportWarning[];
	figures: FigureWrite[];
	volumes: VolumeWrite[];
	counts: ImportCounts;
}

type Item = { kind: 'figure'; indicatorId: number; computed: boolean } | { kind: 'volume'; channel: VolumeChannel };

function parseItem(text: string, lookup: FigureLookup): Item | null {
	const volume = /^v\s*:\s*([a-z_]+)$/i.exec(text);
	if (volume) {
		const channel = volume[1]!.toLowerCase() as VolumeChannel;
		return VOLUME_CHANNELS.includes(channel) ? { kind: 'volume', channel } : null;
	}
	// "1,1": a spreadsheet in a decimal-comma locale that took the code for a number.
	const indicator = lookup.indicators.get(text.replace(',', '.'));
	return indicator ? { kind: 'figure', indicatorId: indicator.id, computed: indicator.computed } : null;
}

/** Where a problem without a field of its own belongs. */
const placeColumn: Partial<Record<FigureProblem, FigureColumn>> = {
	not_provided: 'service_code', computed_indicator: 'item', year_locked: 'year', year_future: 'year'
};
const COL = Object.fromEntries(FIGURE_COLUMNS.map((c, i) => [c, i])) as Record<FigureColumn, number>;

/**
 * One row's cells in template order, read once: `raw` as the file holds them
 * (a spreadsheet number stays a number), `text` cleaned. Written without
 * closures per row: a 100 000-row file is judged in well under a second.
 */
class RowCells {
	raw: CellValue[] = new Array(FIGURE_COLUMNS.length).fill(null);
	text: string[] = new Array(FIGURE_COLUMNS.length).fill('');
	constructor(private readonly positions: ReadonlyArray<number>) {}
	load(cells: readonly CellValue[]): void {
		for (let c = 0; c < this.positions.length; c++) {
			const at = this.positions[c]!;
			const v = at < 0 ? null : cells[at] ?? null;
			this.raw[c] = v;
			this.text[c] = clean(v);
		}
	}
	shown(c: FigureColumn): string {
		return this.text[COL[c]]!.slice(0, 80);
	}
}

function problem(row: number, column: FigureColumn | null, code: ImportProblemCode, value?: string, detail?: string): ImportProblem {
	const p: ImportProblem = { row, column, code };
	if (value !== undefined) p.value = value;
	if (detail !== undefined) p.detail = detail;
	return p;
}

export function judgeFigureRows(table: FigureTable, lookup: FigureLookup): Judgement {
	const problems: ImportProblem[] = [];
	const warnings: ImportWarning[] = [];
	const figures: FigureWrite[] = [];
	const volumes: VolumeWrite[] = [];
	const counts: ImportCounts = { rows: table.rows.length, fresh: 0, changed: 0, unchanged: 0, blank: 0 };
	const hasComment = table.columns.has('comment');
	const hasCount = table.columns.has('count');
	const seen = new Map<string, number>();
	const c = new RowCells(FIGURE_COLUMNS.map((col) => table.columns.get(col) ?? -1));
	const T = c.text, R = c.raw;

	for (const r of table.rows) {
		c.load(r.cells);
		if (T[COL.numerator] === '' && T[COL.denominator] === '' && T[COL.count] === '' && T[COL.comment] === '') {
			counts.blank++;
			continue;
		}
		const before = problems.length;
		const row = r.row;

		// Whose value, for what: each identifying cell in turn.
		const orgCode = T[COL.org_code]!.toUpperCase();
		const org = orgCode ? lookup.organizations.get(orgCode) : undefined;
		if (!orgCode) problems.push(problem(row, 'org_code', 'required'));
		else if (!org) problems.push(problem(row, 'org_code', 'unknown_org', c.shown('org_code')));
		else if (!org.writable) problems.push(problem(row, 'org_code', 'outside_scope', c.shown('org_code')));

		const serviceCode = T[COL.service_code]!.toUpperCase();
		const serviceId = serviceCode ? lookup.services.get(serviceCode) : undefined;
		if (!serviceCode) problems.push(problem(row, 'service_code', 'required'));
		else if (serviceId === undefined) problems.push(problem(row, 'service_code', 'unknown_service', c.shown('service_code')));

		const yearText = T[COL.year]!;
		const year = parseCount(yearText);
		if (!yearText) problems.push(problem(row, 'year', 'required'));
		else if (!year.ok || year.value !== lookup.year) problems.push(problem(row, 'year', 'year_mismatch', c.shown('year')));

		const itemText = T[COL.item]!;
		const item = itemText ? parseItem(itemText, lookup) : null;
		if (!itemText) problems.push(problem(row, 'item', 'required'));
		else if (!item) problems.push(problem(row, 'item', 'unknown_item', c.shown('item')));

		// The value cells that belong to the other kind of row.
		if (item?.kind === 'figure' && T[COL.count] !== '') problems.push(problem(row, 'count', 'count_on_indicator', c.shown('count')));
		if (item?.kind === 'volume') {
			if (T[COL.numerator] !== '') problems.push(problem(row, 'numerator', 'ratio_on_volume', c.shown('numerator')));
			if (T[COL.denominator] !== '') problems.push(problem(row, 'denominator', 'ratio_on_volume', c.shown('denominator')));
		}

		if (orgCode && serviceCode && item) {
			const key = `${orgCode}\u0000${serviceCode}\u0000${item.kind === 'figure' ? item.indicatorId : item.channel}`;
			const first = seen.get(key);
			if (first !== undefined) problems.push(problem(row, 'item', 'duplicate_in_file', c.shown('item'), String(first)));
			else seen.set(key, row);
		}

		// The value itself, through the one figure schema, in its place (or as if placed well when the place is unknown).
		const placed = org?.writable === true && serviceId !== undefined;
		const orgId = org?.id ?? 0;
		const ctx = {
			provided: placed ? lookup.provided.has(`${orgId}:${serviceId}`) : true,
			yearOpen: placed ? !lookup.lockedOrganizations.has(orgId) : true,
			year: lookup.year,
			asOfYear: lookup.asOfYear
		};
		const comment = hasComment ? T[COL.comment]! : null;
		if (item?.kind === 'volume' || (!item && hasCount && T[COL.count] !== '')) {
			const judged = readVolume({ count: R[COL.count], comment }, ctx);
			for (const p of judged.problems) {
				problems.push(p.field ? problem(row, p.field, p.problem, c.shown(p.field)) : problem(row, placeColumn[p.problem] ?? null, p.problem));
			}
			// Only a comment: the count is what the row is for.
			if (judged.count === null && judged.problems.length === 0) problems.push(problem(row, 'count', 'required'));
			if (problems.length > before || item?.kind !== 'volume' || !placed) continue;
			const stored = lookup.volumes.get(`${orgId}:${serviceId}:${item.channel}`);
			if (stored?.stale) { problems.push(problem(row, 'count', 'changed_since_preview', c.shown('count'))); continue; }
			const newComment = hasComment ? judged.comment : stored?.comment ?? null;
			if (stored && stored.count === judged.count && stored.comment === newComment) { counts.unchanged++; continue; }
			const status: WriteStatus = stored ? 'changed' : 'new';
			counts[status === 'new' ? 'fresh' : 'changed']++;
			volumes.push({ row, organizationId: orgId, serviceId: serviceId!, channel: item.channel, count: judged.count!, comment: newComment, status });
		} else {
			const figure = item?.kind === 'figure' ? item : null;
			const lastYear = figure && placed ? lookup.lastYear.get(`${orgId}:${serviceId}:${figure.indicatorId}`) ?? null : null;
			const judged = readFigure(
				{ numerator: R[COL.numerator], denominator: R[COL.denominator], comment },
				{ ...ctx, computed: figure?.computed ?? false, lastYear, jumpPoints: lookup.jumpPoints }
			);
			for (const p of judged.problems) {
				problems.push(p.field ? problem(row, p.field, p.problem, c.shown(p.field)) : problem(row, placeColumn[p.problem] ?? null, p.problem));
			}
			// Only a comment: a value needs its numbers (the entry form says the same).
			if (judged.counts === null && judged.problems.length === 0) problems.push(problem(row, 'numerator', 'half_filled'));
			if (problems.length > before || !figure || !placed) continue;
			const stored = lookup.figures.get(`${orgId}:${serviceId}:${figure.indicatorId}`);
			if (stored?.stale) { problems.push(problem(row, 'numerator', 'changed_since_preview', c.shown('numerator'))); continue; }
			const v = judged.counts!;
			const newComment = hasComment ? judged.comment : stored?.comment ?? null;
			if (stored && stored.numerator === v.numerator && stored.denominator === v.denominator && stored.comment === newComment) { counts.unchanged++; continue; }
			const where = `${T[COL.org_code]} · ${T[COL.service_code]} · ${itemText}`;
			for (const w of judged.warnings) warnings.push({ row, column: 'numerator', code: w, value: `${v.numerator} / ${v.denominator}`, where });
			const status: WriteStatus = stored ? 'changed' : 'new';
			counts[status === 'new' ? 'fresh' : 'changed']++;
			figures.push({
				row, organizationId: orgId, serviceId: serviceId!, indicatorId: figure.indicatorId,
				numerator: v.numerator, denominator: v.denominator, comment: newComment, status
			});
		}
	}
	return { problems, warnings, figures, volumes, counts };
}
