import { encodeHexLowerCase } from '@oslojs/encoding';
import * as excelNamespace from 'exceljs';
import type { Kysely } from 'kysely';
import { isValidBin } from '../../domain/bin';
import { isGlobalAdmin, roleAllows } from '../../domain/permissions';
import type { Access } from '../auth/access';
import { violatedConstraint } from '../db/errors';
import type { Database, OrganizationKind } from '../db/schema';
import { findSubtreeIds } from '../queries/access';
import { withActor, type Actor } from '../services/actor';
import { ORGANIZATION_COLUMNS, type OrganizationColumn, type OrganizationExportRow } from '../export/organizations';

/*
 * Reading an organization tree from a spreadsheet (CSV or XLSX) and judging
 * every row against the file itself and the organizations already stored.
 * Pure apart from decoding the file: the caller passes what is in the
 * database, so the same check runs for the preview and again, inside the
 * writing transaction, for the commit.
 */

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;
export const NAME_MAX = 500;
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = ['region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other'];
const REQUIRED_COLUMNS: readonly OrganizationColumn[] = ['code', 'kind', 'name_kk', 'name_ru'];
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type ImportProblemCode =
	| 'file_too_large' | 'too_many_rows' | 'unreadable' | 'not_utf8' | 'no_header' | 'missing_column' | 'no_rows'
	| 'required' | 'code_invalid' | 'kind_unknown' | 'bin_invalid' | 'date_invalid' | 'too_long'
	| 'duplicate_in_file' | 'exists' | 'bin_taken' | 'parent_unknown' | 'parent_mismatch' | 'parent_outside_scope'
	| 'parent_required' | 'cycle';

/** One thing wrong, where it is: row as the spreadsheet numbers it (null: the whole file), and column. */
export interface ImportProblem {
	row: number | null;
	column: OrganizationColumn | null;
	code: ImportProblemCode;
	/** The offending value, or the other row a duplicate repeats. */
	detail?: string;
}

export interface ExistingOrganization {
	id: number;
	code: string;
	parentId: number | null;
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	bin: string | null;
	activeFrom: string;
}

export interface ImportLookup {
	organizations: readonly ExistingOrganization[];
	/** Where the importer may add organizations: everywhere, or these ids. */
	manageable: 'all' | ReadonlySet<number>;
}

export type ParentRef = { kind: 'file'; code: string } | { kind: 'existing'; id: number } | null;

export interface ImportRow {
	row: number;
	code: string;
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	bin: string | null;
	activeFrom: string | null;
	parent: ParentRef;
	/** 'unchanged': the code exists with exactly these values and is left alone. */
	status: 'new' | 'unchanged';
}

export interface ImportResult {
	rows: ImportRow[];
	problems: ImportProblem[];
}

interface RawRow { row: number; cells: string[] }

// ---------- reading the file into rows of text ----------

function isZip(bytes: Uint8Array): boolean {
	return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The separator is whichever of `;` and `,` the header line uses more, outside quotes. */
function detectSeparator(text: string): ';' | ',' {
	let semi = 0, comma = 0, quoted = false;
	for (const ch of text) {
		if (ch === '"') quoted = !quoted;
		else if (!quoted && (ch === '\n' || ch === '\r')) break;
		else if (!quoted && ch === ';') semi++;
		else if (!quoted && ch === ',') comma++;
	}
	return comma > semi ? ',' : ';';
}

/** RFC 4180 records: quoted fields may hold separators, doubled quotes and line breaks. */
export function parseCsv(text: string): RawRow[] {
	const sep = detectSeparator(text);
	const rows: RawRow[] = [];
	let cells: string[] = [], field = '', quoted = false, record = 1;
	const endRecord = () => {
		cells.push(field);
		rows.push({ row: record++, cells });
		cells = [];
		field = '';
	};
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
			else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"' && field === '') quoted = true;
		else if (ch === sep) { cells.push(field); field = ''; }
		else if (ch === '\r' && text[i + 1] === '\n') { endRecord(); i++; }
		else if (ch === '\n' || ch === '\r') endRecord();
		else field += ch;
	}
	if (field !== '' || cells.length > 0) endRecord();
	return rows;
}

function isoDate(d: Date): string {
	return d.toISOString().slice(0, 10);
}

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return isoDate(value);
	if (typeof value === 'object') {
		const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
		if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
		if ('result' in v) return cellText(v.result);
		if (typeof v.text === 'string') return v.text;
	}
	return '';
}

async function readXlsx(bytes: Uint8Array): Promise<RawRow[]> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
	const sheet = workbook.worksheets[0];
	if (!sheet) return [];
	const rows: RawRow[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, number) => {
		const values = row.values as unknown[];
		rows.push({ row: number, cells: values.slice(1).map(cellText) });
	});
	return rows;
}

type TableOutcome = { ok: true; rows: RawRow[] } | { ok: false; problem: ImportProblem };

export async function readTable(bytes: Uint8Array): Promise<TableOutcome> {
	const whole = (code: ImportProblemCode): TableOutcome => ({ ok: false, problem: { row: null, column: null, code } });
	if (bytes.byteLength > MAX_IMPORT_BYTES) return whole('file_too_large');
	if (isZip(bytes)) {
		try {
			return { ok: true, rows: await readXlsx(bytes) };
		} catch {
			return whole('unreadable');
		}
	}
	let text: string;
	try {
		// ignoreBOM: false strips a leading byte-order mark.
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return whole('not_utf8');
	}
	return { ok: true, rows: parseCsv(text) };
}

// ---------- judging the rows ----------

/** Trims, and takes off the apostrophe the exporter puts before formula-looking text. */
function clean(value: string | undefined): string {
	const s = (value ?? '').normalize('NFC').trim();
	return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

/** YYYY-MM-DD or DD.MM.YYYY, a real calendar day; null when neither. */
export function parseDate(s: string): string | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
	if (!m) return null;
	const [y, mo, d] = s.includes('.') ? [m[3], m[2], m[1]] : [m[1], m[2], m[3]];
	const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
	const iso = `${y}-${mo}-${d}`;
	return !Number.isNaN(date.getTime()) && isoDate(date) === iso && Number(y) >= 1900 ? iso : null;
}

function findHeader(rows: RawRow[]): { index: number; columns: Map<OrganizationColumn, number> } | null {
	for (let i = 0; i < Math.min(rows.length, 5); i++) {
		const names = rows[i]!.cells.map((c) => clean(c).replace(/^\uFEFF/, '').toLowerCase());
		if (!names.includes('code') || !names.includes('name_ru')) continue;
		const columns = new Map<OrganizationColumn, number>();
		for (const c of ORGANIZATION_COLUMNS) if (names.includes(c)) columns.set(c, names.indexOf(c));
		return { index: i, columns };
	}
	return null;
}

interface Draft extends Omit<ImportRow, 'kind' | 'parent' | 'status'> {
	kind: string;
	parentCode: string;
	parentBin: string;
	ok: boolean;
}

export async function readOrganizationFile(bytes: Uint8Array, lookup: ImportLookup): Promise<ImportResult> {
	const table = await readTable(bytes);
	if (!table.ok) return { rows: [], problems: [table.problem] };
	return judgeRows(table.rows, lookup);
}

export function judgeRows(table: RawRow[], lookup: ImportLookup): ImportResult {
	const problems: ImportProblem[] = [];
	const whole = (code: ImportProblemCode, column: OrganizationColumn | null = null): ImportResult => ({ rows: [], problems: [{ row: null, column, code }] });
	const header = findHeader(table);
	if (!header) return whole('no_header');
	const missing = REQUIRED_COLUMNS.filter((c) => !header.columns.has(c));
	if (missing.length > 0) return { rows: [], problems: missing.map((c) => ({ row: null, column: c, code: 'missing_column' as const })) };
	const body = table.slice(header.index + 1).filter((r) => {
		// The exporter's second header row of machine names, and blank rows, are not data.
		const first = clean(r.cells[header.columns.get('code')!]);
		return r.cells.some((c) => clean(c) !== '') && !(first === 'code' && r.row <= 3);
	});
	if (body.length === 0) return whole('no_rows');
	if (body.length > MAX_IMPORT_ROWS) return whole('too_many_rows');

	const get = (r: RawRow, c: OrganizationColumn) => (header.columns.has(c) ? clean(r.cells[header.columns.get(c)!]) : '');
	const report = (row: number, column: OrganizationColumn | null, code: ImportProblemCode, detail?: string) =>
		problems.push(detail === undefined ? { row, column, code } : { row, column, code, detail });

	const drafts: Draft[] = body.map((r) => {
		const d: Draft = {
			row: r.row, code: get(r, 'code'), kind: get(r, 'kind'), nameKk: get(r, 'name_kk'), nameRu: get(r, 'name_ru'),
			nameEn: get(r, 'name_en') || null, bin: get(r, 'bin') || null, activeFrom: null,
			parentCode: get(r, 'parent_code'), parentBin: get(r, 'parent_bin'), ok: true
		};
		const bad = (column: OrganizationColumn, code: ImportProblemCode, detail?: string) => {
			d.ok = false;
			report(d.row, column, code, detail);
		};
		if (!d.code) bad('code', 'required');
		else if (!CODE.test(d.code)) bad('code', 'code_invalid', d.code);
		if (!d.kind) bad('kind', 'required');
		else if (!(ORGANIZATION_KINDS as readonly string[]).includes(d.kind)) bad('kind', 'kind_unknown', d.kind);
		for (const [column, value] of [['name_kk', d.nameKk], ['name_ru', d.nameRu], ['name_en', d.nameEn ?? '']] as const) {
			if (!value && column !== 'name_en') bad(column, 'required');
			else if (value.length > NAME_MAX) bad(column, 'too_long');
		}
		if (d.bin && !isValidBin(d.bin)) bad('bin', 'bin_invalid', d.bin);
		if (d.parentBin && !isValidBin(d.parentBin)) bad('parent_bin', 'bin_invalid', d.parentBin);
		const date = get(r, 'active_from');
		if (date) {
			d.activeFrom = parseDate(date);
			if (!d.activeFrom) bad('active_from', 'date_invalid', date);
		}
		return d;
	});

	// Duplicates within the file: the first occurrence stands, later ones are reported.
	const fileByCode = new Map<string, Draft>();
	const fileByBin = new Map<string, Draft>();
	for (const d of drafts) {
		if (d.code) {
			const first = fileByCode.get(d.code);
			if (first) { d.ok = false; report(d.row, 'code', 'duplicate_in_file', String(first.row)); } else fileByCode.set(d.code, d);
		}
		if (d.bin) {
			const first = fileByBin.get(d.bin);
			if (first) { d.ok = false; report(d.row, 'bin', 'duplicate_in_file', String(first.row)); } else fileByBin.set(d.bin, d);
		}
	}

	const dbByCode = new Map(lookup.organizations.map((o) => [o.code, o]));
	const dbByBin = new Map(lookup.organizations.filter((o) => o.bin).map((o) => [o.bin!, o]));
	const manageable = (id: number) => lookup.manageable === 'all' || lookup.manageable.has(id);

	const rows: ImportRow[] = [];
	const parentColumn = new Map<string, OrganizationColumn>();
	for (const d of drafts) {
		const byCode = (code: string): ParentRef | undefined => {
			if (fileByCode.has(code) && !dbByCode.has(code)) return { kind: 'file', code };
			const o = dbByCode.get(code);
			return o ? { kind: 'existing', id: o.id } : undefined;
		};
		const byBin = (bin: string): ParentRef | undefined => {
			const o = dbByBin.get(bin);
			if (o) return { kind: 'existing', id: o.id };
			const f = fileByBin.get(bin);
			return f?.code ? byCode(f.code) : undefined;
		};
		let parent: ParentRef = null;
		const fromCode = d.parentCode ? byCode(d.parentCode) : null;
		const fromBin = d.parentBin && isValidBin(d.parentBin) ? byBin(d.parentBin) : null;
		if (fromCode === undefined) { d.ok = false; report(d.row, 'parent_code', 'parent_unknown', d.parentCode); }
		if (fromBin === undefined) { d.ok = false; report(d.row, 'parent_bin', 'parent_unknown', d.parentBin); }
		if (fromCode && fromBin && JSON.stringify(fromCode) !== JSON.stringify(fromBin)) { d.ok = false; report(d.row, 'parent_bin', 'parent_mismatch', d.parentBin); }
		parent = fromCode ?? fromBin ?? null;
		parentColumn.set(d.code, fromCode ? 'parent_code' : 'parent_bin');

		const existing = d.code ? dbByCode.get(d.code) : undefined;
		let status: ImportRow['status'] = 'new';
		if (existing) {
			const same = existing.kind === d.kind && existing.nameKk === d.nameKk && existing.nameRu === d.nameRu
				&& (existing.nameEn ?? null) === d.nameEn && (existing.bin ?? null) === d.bin
				&& (d.activeFrom === null || d.activeFrom === existing.activeFrom)
				// An empty parent keeps the stored one: an export of a subtree leaves out parents beyond it.
				&& (parent === null || (parent.kind === 'existing' && parent.id === existing.parentId));
			if (same) status = 'unchanged';
			else { d.ok = false; report(d.row, 'code', 'exists', d.code); }
		} else if (d.bin) {
			const holder = dbByBin.get(d.bin);
			if (holder) { d.ok = false; report(d.row, 'bin', 'bin_taken', holder.code); }
		}
		if (status === 'new' && !existing) {
			if (parent?.kind === 'existing' && !manageable(parent.id)) {
				d.ok = false;
				report(d.row, parentColumn.get(d.code)!, 'parent_outside_scope', d.parentCode || d.parentBin);
			}
			if (parent === null && lookup.manageable !== 'all' && fromCode !== undefined && fromBin !== undefined) {
				d.ok = false;
				report(d.row, 'parent_code', 'parent_required');
			}
		}
		if (d.ok) {
			rows.push({
				row: d.row, code: d.code, kind: d.kind as OrganizationKind, nameKk: d.nameKk, nameRu: d.nameRu, nameEn: d.nameEn,
				bin: d.bin, activeFrom: d.activeFrom, parent, status
			});
		}
	}

	// A cycle among new rows: following parents through the file comes back to the start.
	const parentOf = new Map<string, string>();
	for (const d of drafts) {
		const p = d.parentCode ? d.parentCode : d.parentBin ? fileByBin.get(d.parentBin)?.code : undefined;
		if (d.code && p && fileByCode.get(d.code) === d && !dbByCode.has(d.code)) parentOf.set(d.code, p);
	}
	const inCycle = new Set<string>();
	for (const start of parentOf.keys()) {
		const seen = new Set<string>();
		let at: string | undefined = start;
		while (at !== undefined && !seen.has(at)) { seen.add(at); at = parentOf.get(at); }
		if (at === start) for (const c of seen) inCycle.add(c);
	}
	for (const code of inCycle) {
		const d = fileByCode.get(code)!;
		report(d.row, parentColumn.get(code) ?? 'parent_code', 'cycle', d.parentCode || d.parentBin);
	}
	const ok = rows.filter((r) => !inCycle.has(r.code));

	problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || ORGANIZATION_COLUMNS.indexOf(a.column!) - ORGANIZATION_COLUMNS.indexOf(b.column!));
	return { rows: ok, problems };
}

/** New rows grouped by depth: every row's parent is stored before it, or in an earlier group. */
export function parentFirstLevels(rows: readonly ImportRow[]): ImportRow[][] {
	const fresh = rows.filter((r) => r.status === 'new');
	const newCodes = new Set(fresh.map((r) => r.code));
	const levels: ImportRow[][] = [];
	const placed = new Set<string>();
	let rest = fresh;
	while (rest.length > 0) {
		const level = rest.filter((r) => r.parent?.kind !== 'file' || !newCodes.has(r.parent.code) || placed.has(r.parent.code));
		if (level.length === 0) throw new Error('cycle among import rows');
		for (const r of level) placed.add(r.code);
		levels.push(level);
		rest = rest.filter((r) => !placed.has(r.code));
	}
	return levels;
}

// ---------- against the database ----------

function listStoredOrganizations(db: Kysely<Database>): Promise<ExistingOrganization[]> {
	return db
		.selectFrom('organization')
		.select(['id', 'code', 'parent_id as parentId', 'kind', 'name_kk as nameKk', 'name_ru as nameRu', 'name_en as nameEn', 'bin', 'active_from as activeFrom'])
		.orderBy('code')
		.execute();
}

/** Everything stored (codes and BINs are unique across the whole system) plus where this person may add. */
export async function loadImportLookup(db: Kysely<Database>, access: Pick<Access, 'grants'>): Promise<ImportLookup> {
	const organizations = await listStoredOrganizations(db);
	if (isGlobalAdmin(access.grants)) return { organizations, manageable: 'all' };
	const roots = access.grants.filter((g) => g.organizationId !== null && roleAllows(g.role, 'catalogue.manage')).map((g) => g.organizationId!);
	return { organizations, manageable: new Set(await findSubtreeIds(db, roots)) };
}

export type CommitOutcome = { ok: true; added: number; unchanged: number } | { ok: false; problems: ImportProblem[] };

/**
 * Reads and judges the file again inside one transaction, against the
 * database as it is now, and writes all new organizations parent-first, or
 * nothing at all when any row has a problem.
 */
export async function commitOrganizationImport(db: Kysely<Database>, actor: Actor, access: Pick<Access, 'grants'>, bytes: Uint8Array): Promise<CommitOutcome> {
	class Refused extends Error { constructor(readonly problems: ImportProblem[]) { super('import refused'); } }
	try {
		return await withActor(db, actor, async (trx) => {
			const result = await readOrganizationFile(bytes, await loadImportLookup(trx, access));
			if (result.problems.length > 0) throw new Refused(result.problems);
			const ids = new Map<string, number>();
			for (const level of parentFirstLevels(result.rows)) {
				for (let i = 0; i < level.length; i += 1000) {
					const chunk = level.slice(i, i + 1000);
					const inserted = await trx
						.insertInto('organization')
						.values(chunk.map((r) => ({
							code: r.code, kind: r.kind, name_kk: r.nameKk, name_ru: r.nameRu, name_en: r.nameEn, bin: r.bin,
							parent_id: r.parent === null ? null : r.parent.kind === 'existing' ? r.parent.id : ids.get(r.parent.code)!,
							...(r.activeFrom ? { active_from: r.activeFrom } : {})
						})))
						.returning(['id', 'code'])
						.execute();
					for (const o of inserted) ids.set(o.code, o.id);
				}
			}
			return { ok: true as const, added: ids.size, unchanged: result.rows.length - ids.size };
		});
	} catch (err) {
		if (err instanceof Refused) return { ok: false, problems: err.problems };
		// Someone else stored a clashing code or BIN between the check and the write.
		const constraint = violatedConstraint(err);
		if (constraint) return { ok: false, problems: [{ row: null, column: null, code: 'exists', detail: constraint }] };
		throw err;
	}
}

// ---------- uploads waiting for confirmation ----------

/*
 * Between preview and commit the file stays on the server, in memory, under a
 * random token bound to the person who uploaded it. Sending 5 MB back and forth
 * in a hidden field would triple the page, and choosing the file again invites
 * committing a different file from the one previewed. Sapa runs as a single
 * process, so memory is enough; a restart only means uploading again.
 */
const PENDING_TTL_MS = 30 * 60 * 1000;
const PENDING_MAX = 20;
const pending = new Map<string, { userId: number; bytes: Uint8Array; fileName: string; expires: number }>();

export function holdUpload(userId: number, fileName: string, bytes: Uint8Array, now = Date.now()): string {
	for (const [k, v] of pending) if (v.expires < now || v.userId === userId) pending.delete(k);
	while (pending.size >= PENDING_MAX) pending.delete(pending.keys().next().value!);
	const token = encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(16)));
	pending.set(token, { userId, bytes, fileName, expires: now + PENDING_TTL_MS });
	return token;
}

export function takeUpload(userId: number, token: string, now = Date.now()): { bytes: Uint8Array; fileName: string } | null {
	const held = pending.get(token);
	if (!held || held.userId !== userId || held.expires < now) return null;
	return { bytes: held.bytes, fileName: held.fileName };
}

export function dropUpload(token: string): void {
	pending.delete(token);
}

// ---------- export source ----------

/** The organizations in scope as export rows; a parent outside the scope is left blank. */
export async function listOrganizationsForExport(db: Kysely<Database>, scope: 'all' | ReadonlySet<number>): Promise<OrganizationExportRow[]> {
	const organizations = await listStoredOrganizations(db);
	const byId = new Map(organizations.map((o) => [o.id, o]));
	const visible = (id: number) => scope === 'all' || scope.has(id);
	return organizations.filter((o) => visible(o.id)).map((o) => {
		const parent = o.parentId !== null && visible(o.parentId) ? byId.get(o.parentId) : undefined;
		return {
			code: o.code, parentCode: parent?.code ?? null, parentBin: parent?.bin ?? null, kind: o.kind, nameKk: o.nameKk,
			nameRu: o.nameRu, nameEn: o.nameEn, bin: o.bin, activeFrom: o.activeFrom
		};
	});
}
