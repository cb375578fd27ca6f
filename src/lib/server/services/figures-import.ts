import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isGlobalAdmin, roleAllows } from '../../domain/permissions';
import type { Access } from '../auth/access';
import { violatedConstraint } from '../db/errors';
import type { Database } from '../db/schema';
import {
	judgeFigureRows, organizationCodesIn, readFigureTable,
	type FigureColumn, type FigureTable, type HeaderLabels, type ImportProblem, type Judgement
} from '../import/figures';
import { findSubtreeIds } from '../queries/access';
import {
	findImportBatch, findImportBatchFile, finishImportBatch, insertImportBatch, loadFigureLookup, loadTemplateSource, lockImportBatch,
	WRITE_CHUNK, writeMeasurements, writeVolumes, type BatchResult
} from '../queries/figures-import';
import { findSubtreeIdsInYear } from '../queries/organization-history';
import { listOrganizations, type OrganizationSummary } from '../queries/organizations';
import { templateFileName, templateRows, templateToCsv, templateToXlsx, type TemplateTexts } from '../export/figures-template';
import { withActor } from './actor';

/*
 * The figures import from upload to commit. A preview stores the file as a
 * batch with what checking it found; the commit reads the stored file again
 * and judges it again inside the one transaction that writes it, against the
 * database as it is then (year rows locked), so nothing seen at the preview
 * is trusted: all rows are written, or none.
 */

export interface ImportSettings {
	maxBytes: number;
	maxRows: number;
	jumpPoints: number;
	asOfYear: number;
	/** Header titles accepted besides the column keys (every interface language). */
	labels: HeaderLabels;
}

/** How many problems and warnings a batch keeps to show (their counts stay exact). */
export const LIST_LIMIT = 500;

// ---------- progress of a running commit ----------

export type ImportPhase = 'reading' | 'checking' | 'writing' | 'done' | 'failed';
export interface ImportProgress { phase: ImportPhase; done: number; total: number | null }

/*
 * In-process: Sapa runs as one process. A page polls it while its commit runs.
 * (On the embedded database the commit's transaction holds the one connection,
 * so polls that need the database wait until it ends; PostgreSQL answers them.)
 */
const running = new Map<number, ImportProgress & { at: number }>();
const KEEP_MS = 10 * 60 * 1000;

function report(batchId: number, phase: ImportPhase, done: number, total: number | null): void {
	const now = Date.now();
	for (const [id, p] of running) if (now - p.at > KEEP_MS) running.delete(id);
	running.set(batchId, { phase, done, total, at: now });
}

export function importProgress(batchId: number): ImportProgress | null {
	const p = running.get(batchId);
	return p ? { phase: p.phase, done: p.done, total: p.total } : null;
}

// ---------- who may write where ----------

/** The organizations whose figures the person may write: 'all' for a global admin. */
export async function writableScope(db: Kysely<Database>, access: Pick<Access, 'grants'>): Promise<'all' | Set<number>> {
	if (isGlobalAdmin(access.grants)) return 'all';
	const roots = access.grants.filter((g) => g.organizationId !== null && roleAllows(g.role, 'figures.write')).map((g) => g.organizationId!);
	return new Set(await findSubtreeIds(db, roots));
}

/** The organizations offered on the upload form: those whose figures the person may write. */
export async function listImportableOrganizations(db: Kysely<Database>, access: Access): Promise<OrganizationSummary[]> {
	return listOrganizations(db, await writableScope(db, access));
}

// ---------- the template ----------

export interface TemplateRequest {
	organizationId: number;
	organizationCode: string;
	year: number;
	format: 'xlsx' | 'csv';
	texts: TemplateTexts;
	titles: Record<FigureColumn, string>;
	sheetName: string;
}

/** The template of an organization's subtree in a year, as the person may see it, prefilled. */
export async function buildTemplate(db: Kysely<Database>, access: Pick<Access, 'visible'>, r: TemplateRequest): Promise<{ bytes: Uint8Array; fileName: string }> {
	const subtree = (await findSubtreeIdsInYear(db, r.organizationId, r.year)).filter((id) => access.visible === 'all' || access.visible.has(id));
	const rows = templateRows(await loadTemplateSource(db, subtree, r.year), r.organizationId, r.year, r.texts);
	const bytes = r.format === 'csv' ? templateToCsv(rows, r.titles) : await templateToXlsx(rows, r.titles, r.sheetName);
	return { bytes, fileName: templateFileName(r.organizationCode, r.year, r.format) };
}

// ---------- preview ----------

function summarize(j: Pick<Judgement, 'problems' | 'warnings'> & { counts: Judgement['counts'] | null }): BatchResult {
	return {
		counts: j.counts,
		problems: j.problems.slice(0, LIST_LIMIT), problemCount: j.problems.length,
		warnings: j.warnings.slice(0, LIST_LIMIT), warningCount: j.warnings.length
	};
}

async function judge(db: Kysely<Database>, access: Access, table: FigureTable, b: { organizationId: number; year: number }, settings: ImportSettings, commitOf?: number): Promise<Judgement> {
	const [subtree, writable] = await Promise.all([findSubtreeIdsInYear(db, b.organizationId, b.year), writableScope(db, access)]);
	const lookup = await loadFigureLookup(db, {
		year: b.year, asOfYear: settings.asOfYear, jumpPoints: settings.jumpPoints, codes: organizationCodesIn(table),
		subtree: new Set(subtree), writable, visible: access.visible, commitOf
	});
	return judgeFigureRows(table, lookup);
}

export type PreviewOutcome = { kind: 'too_large' } | { kind: 'stored'; batchId: number };

/** Reads and checks an upload and keeps it as a batch (refused when the whole file is); nothing else is written. */
export async function previewFigureImport(
	db: Kysely<Database>,
	access: Access,
	input: { organizationId: number; year: number; fileName: string; bytes: Uint8Array },
	settings: ImportSettings
): Promise<PreviewOutcome> {
	// Too large to keep: refused on the form, not stored.
	if (input.bytes.byteLength > settings.maxBytes) return { kind: 'too_large' };
	const table = await readFigureTable(input.bytes, settings, settings.labels);
	const result = table.ok
		? summarize(await judge(db, access, table.table, input, settings))
		: summarize({ counts: null, problems: table.problems, warnings: [] });
	const batchId = await withActor(db, { userId: access.userId, label: `user:${access.userId}` }, (trx) => insertImportBatch(trx, {
		organizationId: input.organizationId, year: input.year, fileName: input.fileName,
		sha256: createHash('sha256').update(input.bytes).digest('hex'), bytes: input.bytes, createdBy: access.userId,
		status: table.ok ? 'previewed' : 'refused', rowCount: table.ok ? table.table.rows.length : null, result
	}));
	return { kind: 'stored', batchId };
}

// ---------- commit ----------

class Refused extends Error {
	constructor(readonly judgement: Pick<Judgement, 'problems' | 'warnings'> & { counts: Judgement['counts'] | null }) { super('import refused'); }
}
class StaleDuringWrite extends Error {}
class NotPreviewed extends Error {}

export type CommitOutcome =
	| { kind: 'committed'; fresh: number; changed: number; unchanged: number }
	| { kind: 'refused'; problemCount: number }
	| { kind: 'not_previewed' };

/**
 * Writes a previewed batch in one transaction: the file read again, every row
 * judged again against the database as it is now, any value stored after the
 * preview refused by row, then all values written set-wise. Any problem, or
 * any error, and nothing is written; the batch then says why.
 */
export async function commitFigureImport(db: Kysely<Database>, access: Access, batchId: number, settings: ImportSettings): Promise<CommitOutcome> {
	const batch = await findImportBatch(db, batchId);
	if (!batch || batch.status !== 'previewed' || batch.problemCount > 0) return { kind: 'not_previewed' };
	// A second post of the same batch (a double click) while the first runs: the first one answers.
	const now = importProgress(batchId);
	if (now && now.phase !== 'done' && now.phase !== 'failed') return { kind: 'not_previewed' };
	const actor = { userId: access.userId, label: `import:${batchId}` };
	report(batchId, 'reading', 0, batch.rowCount);
	try {
		const table = await readFigureTable(await findImportBatchFile(db, batchId), settings, settings.labels, (n) => report(batchId, 'reading', n, batch.rowCount));
		if (!table.ok) throw new Refused({ counts: null, problems: table.problems, warnings: [] });
		const rows = table.table.rows.length;
		const outcome = await withActor(db, actor, async (trx) => {
			if ((await lockImportBatch(trx, batchId)) !== 'previewed') throw new NotPreviewed();
			report(batchId, 'checking', 0, rows);
			const j = await judge(trx, access, table.table, batch, settings, batchId);
			if (j.problems.length > 0) throw new Refused(j);
			const total = j.figures.length + j.volumes.length;
			let done = 0;
			report(batchId, 'writing', 0, total);
			const context = { year: batch.year, userId: access.userId, batchId };
			const writeAll = async <T>(items: readonly T[], write: (t: typeof trx, rows: readonly T[], c: typeof context) => Promise<number>) => {
				for (let i = 0; i < items.length; i += WRITE_CHUNK) {
					const chunk = items.slice(i, i + WRITE_CHUNK);
					const written = await write(trx, chunk, context);
					// A value stored after the check above (its row was not locked): never overwrite it silently.
					if (written !== chunk.length) throw new StaleDuringWrite();
					done += written;
					report(batchId, 'writing', done, total);
				}
			};
			await writeAll(j.figures, writeMeasurements);
			await writeAll(j.volumes, writeVolumes);
			const { fresh, changed, unchanged } = j.counts;
			await finishImportBatch(trx, batchId, 'committed', { ...summarize(j), committed: { fresh, changed, unchanged } });
			return { kind: 'committed' as const, fresh, changed, unchanged };
		});
		report(batchId, 'done', rows, rows);
		return outcome;
	} catch (err) {
		report(batchId, 'failed', 0, null);
		if (err instanceof NotPreviewed) return { kind: 'not_previewed' };
		let refusal: Refused['judgement'];
		if (err instanceof Refused) refusal = err.judgement;
		else if (err instanceof StaleDuringWrite) refusal = await judgeAgain(db, access, batchId, settings);
		else {
			const constraint = violatedConstraint(err);
			if (!constraint) throw err;
			refusal = { counts: null, warnings: [], problems: [{ row: null, column: null, code: 'commit_failed', detail: constraint }] };
		}
		const result: BatchResult = { ...summarize(refusal), atCommit: true };
		await withActor(db, actor, (trx) => finishImportBatch(trx, batchId, 'refused', result));
		return { kind: 'refused', problemCount: result.problemCount };
	}
}

/** After a refusal in the middle of writing: which rows moved on since the preview, named by row. */
async function judgeAgain(db: Kysely<Database>, access: Access, batchId: number, settings: ImportSettings): Promise<Refused['judgement']> {
	const batch = (await findImportBatch(db, batchId))!;
	const table = await readFigureTable(await findImportBatchFile(db, batchId), settings, settings.labels);
	if (!table.ok) return { counts: null, problems: table.problems, warnings: [] };
	const j = await withActor(db, { userId: access.userId, label: `import:${batchId}` }, (trx) => judge(trx, access, table.table, batch, settings, batchId));
	const problems: ImportProblem[] = j.problems.length ? j.problems : [{ row: null, column: null, code: 'changed_since_preview' }];
	return { ...j, problems };
}

/** Ends a previewed batch without writing anything. */
export async function discardFigureImport(db: Kysely<Database>, access: Access, batchId: number): Promise<boolean> {
	const batch = await findImportBatch(db, batchId);
	if (!batch || batch.status !== 'previewed') return false;
	return withActor(db, { userId: access.userId, label: `user:${access.userId}` }, (trx) => finishImportBatch(trx, batchId, 'discarded', batch.result ?? summarize({ counts: null, problems: [], warnings: [] })));
}
