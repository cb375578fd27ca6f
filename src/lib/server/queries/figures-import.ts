import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Counts } from '../../domain/compliance';
import type { Database, VolumeChannel } from '../db/schema';
import type { FigureLookup, FigureWrite, ImportCounts, ImportProblem, ImportWarning, StoredFigureValue, StoredVolumeValue, VolumeWrite } from '../import/figures';

/*
 * The SQL of the figures import: the batches (the uploaded file kept with its
 * outcome), what a file's rows are judged against, and the set-based writes:
 * thousands of rows per statement through unnest(), never a round trip per row.
 */

type Db = Kysely<Database> | Transaction<Database>;

// ---------- batches ----------

export type BatchStatus = 'previewed' | 'committed' | 'refused' | 'discarded';

/** What a batch's page shows: the preview's (or the commit's) outcome, lists cut to their first entries. */
export interface BatchResult {
	counts: ImportCounts | null;
	problems: ImportProblem[];
	problemCount: number;
	warnings: ImportWarning[];
	warningCount: number;
	/** The refusal came at the commit (the stored values had moved on). */
	atCommit?: boolean;
	committed?: Pick<ImportCounts, 'fresh' | 'changed' | 'unchanged'>;
}

export interface BatchView {
	id: number;
	organizationId: number;
	year: number;
	fileName: string;
	rowCount: number | null;
	problemCount: number;
	status: BatchStatus;
	result: BatchResult | null;
	createdBy: number;
	createdByName: string | null;
	createdAt: Date;
	finishedAt: Date | null;
}

export async function insertImportBatch(
	trx: Transaction<Database>,
	b: { organizationId: number; year: number; fileName: string; sha256: string; bytes: Uint8Array; createdBy: number; status: BatchStatus; rowCount: number | null; result: BatchResult }
): Promise<number> {
	const row = await trx.insertInto('import_batch').values({
		kind: 'figures', organization_id: b.organizationId, year: b.year, file_name: b.fileName, file_sha256: b.sha256,
		file_bytes: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength), created_by: b.createdBy,
		status: b.status, row_count: b.rowCount, problem_count: b.result.problemCount, result: JSON.stringify(b.result),
		finished_at: b.status === 'previewed' ? null : sql<Date>`now()`
	}).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export async function findImportBatch(db: Db, id: number): Promise<BatchView | undefined> {
	const row = await db
		.selectFrom('import_batch as b')
		.leftJoin('app_user as u', 'u.id', 'b.created_by')
		.where('b.id', '=', id)
		.where('b.kind', '=', 'figures')
		.select([
			'b.id', 'b.organization_id as organizationId', 'b.year', 'b.file_name as fileName', 'b.row_count as rowCount',
			'b.problem_count as problemCount', 'b.status', 'b.result', 'b.created_by as createdBy', 'u.display_name as createdByName',
			'b.created_at as createdAt', 'b.finished_at as finishedAt'
		])
		.executeTakeFirst();
	return row && { ...row, result: row.result as BatchResult | null };
}

export async function findImportBatchFile(db: Db, id: number): Promise<Uint8Array> {
	const row = await db.selectFrom('import_batch').where('id', '=', id).select('file_bytes').executeTakeFirstOrThrow();
	return row.file_bytes;
}

/** Locks the batch row for the commit: two commits of one batch run one after the other. */
export async function lockImportBatch(trx: Transaction<Database>, id: number): Promise<BatchStatus | undefined> {
	const row = await trx.selectFrom('import_batch').where('id', '=', id).select('status').forUpdate().executeTakeFirst();
	return row?.status;
}

/** Ends a batch that is still previewed; false when it had already ended. */
export async function finishImportBatch(db: Db, id: number, status: Exclude<BatchStatus, 'previewed'>, result: BatchResult): Promise<boolean> {
	const r = await db.updateTable('import_batch')
		.set({ status, result: JSON.stringify(result), problem_count: result.problemCount, finished_at: sql<Date>`now()` })
		.where('id', '=', id).where('status', '=', 'previewed')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export interface RecentBatch { id: number; fileName: string; year: number; status: BatchStatus; createdAt: Date; orgCode: string; orgNameKk: string; orgNameRu: string; orgNameEn: string | null }

export async function listRecentImportBatches(db: Db, userId: number, limit = 10): Promise<RecentBatch[]> {
	return db
		.selectFrom('import_batch as b')
		.innerJoin('organization as o', 'o.id', 'b.organization_id')
		.where('b.created_by', '=', userId).where('b.kind', '=', 'figures')
		.select([
			'b.id', 'b.file_name as fileName', 'b.year', 'b.status', 'b.created_at as createdAt',
			'o.code as orgCode', 'o.name_kk as orgNameKk', 'o.name_ru as orgNameRu', 'o.name_en as orgNameEn'
		])
		.orderBy('b.id', 'desc')
		.limit(limit)
		.execute();
}

// ---------- what rows are judged against ----------

export interface LookupScope {
	year: number;
	asOfYear: number;
	jumpPoints: number;
	/** Upper-case organization codes the file names. */
	codes: readonly string[];
	/** The chosen organization's subtree in the year. */
	subtree: ReadonlySet<number>;
	/** Where the importer may write figures ('all': a global admin). */
	writable: 'all' | ReadonlySet<number>;
	/** What the importer may see: other codes read as unknown. */
	visible: 'all' | ReadonlySet<number>;
	/** At the commit: the batch whose preview time makes later-stored values stale; the year rows are locked. */
	commitOf?: number;
}

const ids = (values: Iterable<number>) => sql`${[...values]}::int[]`;

export async function loadFigureLookup(db: Db, s: LookupScope): Promise<FigureLookup> {
	const found = s.codes.length === 0 ? [] : await db
		.selectFrom('organization')
		.where(sql<string>`upper(code)`, '=', sql<string>`ANY(${[...s.codes]}::text[])`)
		.select(['id', sql<string>`upper(code)`.as('code')])
		.execute();
	const organizations = new Map<string, { id: number; writable: boolean }>();
	for (const o of found) {
		if (s.visible !== 'all' && !s.visible.has(o.id)) continue;
		organizations.set(o.code, { id: o.id, writable: s.subtree.has(o.id) && (s.writable === 'all' || s.writable.has(o.id)) });
	}
	const orgIds = [...organizations.values()].filter((o) => o.writable).map((o) => o.id);
	const stale: RawBuilder<boolean> = s.commitOf === undefined
		? sql<boolean>`false`
		: sql<boolean>`updated_at > (SELECT created_at FROM import_batch WHERE id = ${s.commitOf})`;

	const [services, indicators] = await Promise.all([
		db.selectFrom('service').select(['id', sql<string>`upper(code)`.as('code')]).execute(),
		db.selectFrom('indicator').select(['id', 'code', 'source']).execute()
	]);
	const lookup: FigureLookup = {
		year: s.year, asOfYear: s.asOfYear, jumpPoints: s.jumpPoints, organizations,
		services: new Map(services.map((x) => [x.code, x.id])),
		indicators: new Map(indicators.map((i) => [i.code, { id: i.id, computed: i.source === 'complaints_register' }])),
		provided: new Set(), lockedOrganizations: new Set(), figures: new Map(), volumes: new Map(), lastYear: new Map()
	};
	if (orgIds.length === 0) return lookup;

	let years = db.selectFrom('reporting_year').where('organization_id', '=', sql<number>`ANY(${ids(orgIds)})`).where('year', '=', s.year).select(['organization_id', 'status']);
	if (s.commitOf !== undefined) years = years.forUpdate();
	const yearRows = await years.execute();
	if (s.commitOf !== undefined) {
		// No row yet means "open"; a first submit elsewhere would insert one. SHARE mode holds such
		// inserts (and any other year step) until this import ends; grid saves are not held.
		await sql`LOCK TABLE reporting_year IN SHARE MODE`.execute(db);
	}
	const [provisions, figures, volumes, lastYear] = await Promise.all([
		db.selectFrom('service_provision')
			.where('organization_id', '=', sql<number>`ANY(${ids(orgIds)})`)
			.where('year_from', '<=', s.year).where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>=', s.year)]))
			.select(['organization_id', 'service_id']).execute(),
		db.selectFrom('measurement')
			.where('organization_id', '=', sql<number>`ANY(${ids(orgIds)})`).where('year', '=', s.year)
			.select(['organization_id', 'service_id', 'indicator_id', 'numerator', 'denominator', 'comment', stale.as('stale')]).execute(),
		db.selectFrom('service_volume')
			.where('organization_id', '=', sql<number>`ANY(${ids(orgIds)})`).where('year', '=', s.year)
			.select(['organization_id', 'service_id', 'channel', 'count', 'comment', stale.as('stale')]).execute(),
		db.selectFrom('measurement')
			.where('organization_id', '=', sql<number>`ANY(${ids(orgIds)})`).where('year', '=', s.year - 1)
			.select(['organization_id', 'service_id', 'indicator_id', 'numerator', 'denominator']).execute()
	]);
	const provided = lookup.provided as Set<string>;
	for (const p of provisions) provided.add(`${p.organization_id}:${p.service_id}`);
	const locked = lookup.lockedOrganizations as Set<number>;
	for (const y of yearRows) if (y.status !== 'open') locked.add(y.organization_id);
	const f = lookup.figures as Map<string, StoredFigureValue>;
	for (const r of figures) f.set(`${r.organization_id}:${r.service_id}:${r.indicator_id}`, { numerator: r.numerator, denominator: r.denominator, comment: r.comment, stale: r.stale });
	const v = lookup.volumes as Map<string, StoredVolumeValue>;
	for (const r of volumes) v.set(`${r.organization_id}:${r.service_id}:${r.channel}`, { count: r.count, comment: r.comment, stale: r.stale });
	const l = lookup.lastYear as Map<string, Counts>;
	for (const r of lastYear) l.set(`${r.organization_id}:${r.service_id}:${r.indicator_id}`, { numerator: r.numerator, denominator: r.denominator });
	return lookup;
}

// ---------- the writes ----------

/** Rows per statement: 6 arrays of this many elements; far from any parameter limit, few round trips. */
export const WRITE_CHUNK = 5000;

interface WriteContext { year: number; userId: number; batchId: number }

/**
 * Inserts or updates measurements (version + 1, source 'import'). A stored
 * row changed after the preview is left alone, so the returned count falls
 * short and the caller refuses the whole import.
 */
export async function writeMeasurements(trx: Transaction<Database>, rows: readonly FigureWrite[], w: WriteContext): Promise<number> {
	const r = await sql<{ n: number }>`
		WITH written AS (
			INSERT INTO measurement AS m (organization_id, service_id, indicator_id, year, numerator, denominator, comment, source, updated_by)
			SELECT t.o, t.s, t.i, ${w.year}::int, t.n, t.d, t.c, 'import', ${w.userId}::int
			FROM unnest(${rows.map((x) => x.organizationId)}::int[], ${rows.map((x) => x.serviceId)}::int[], ${rows.map((x) => x.indicatorId)}::int[],
				${rows.map((x) => x.numerator)}::int[], ${rows.map((x) => x.denominator)}::int[], ${rows.map((x) => x.comment)}::text[]) AS t(o, s, i, n, d, c)
			ON CONFLICT (organization_id, service_id, indicator_id, year) DO UPDATE
				SET numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, comment = EXCLUDED.comment,
					source = 'import', updated_by = EXCLUDED.updated_by, version = m.version + 1
				WHERE m.updated_at <= (SELECT created_at FROM import_batch WHERE id = ${w.batchId})
			RETURNING 1
		) SELECT count(*)::int AS n FROM written`.execute(trx);
	return Number(r.rows[0]?.n ?? 0);
}

export async function writeVolumes(trx: Transaction<Database>, rows: readonly VolumeWrite[], w: WriteContext): Promise<number> {
	const r = await sql<{ n: number }>`
		WITH written AS (
			INSERT INTO service_volume AS v (organization_id, service_id, year, channel, count, comment, source, updated_by)
			SELECT t.o, t.s, ${w.year}::int, t.ch, t.n, t.c, 'import', ${w.userId}::int
			FROM unnest(${rows.map((x) => x.organizationId)}::int[], ${rows.map((x) => x.serviceId)}::int[], ${rows.map((x) => x.channel)}::text[],
				${rows.map((x) => x.count)}::int[], ${rows.map((x) => x.comment)}::text[]) AS t(o, s, ch, n, c)
			ON CONFLICT (organization_id, service_id, year, channel) DO UPDATE
				SET count = EXCLUDED.count, comment = EXCLUDED.comment, source = 'import', updated_by = EXCLUDED.updated_by, version = v.version + 1
				WHERE v.updated_at <= (SELECT created_at FROM import_batch WHERE id = ${w.batchId})
			RETURNING 1
		) SELECT count(*)::int AS n FROM written`.execute(trx);
	return Number(r.rows[0]?.n ?? 0);
}

// ---------- the template ----------

export interface TemplateOrganization { id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null }
export interface TemplateSource {
	organizations: TemplateOrganization[];
	services: Array<{ id: number; code: string; titleKk: string; titleRu: string; titleEn: string | null }>;
	indicators: Array<{ id: number; code: string; titleKk: string; titleRu: string; titleEn: string | null }>;
	/** `${org}:${service}` provided that year. */
	provisions: Array<{ organizationId: number; serviceId: number }>;
	figures: Map<string, { numerator: number; denominator: number; comment: string | null }>;
	volumes: Map<string, { count: number; comment: string | null }>;
}

/** Everything a template lists: the year's subtree, what each organization provided, reported indicators, stored values. */
export async function loadTemplateSource(db: Db, subtree: readonly number[], year: number): Promise<TemplateSource> {
	const [organizations, services, indicators] = await Promise.all([
		db.selectFrom('organization').where('id', '=', sql<number>`ANY(${ids(subtree)})`)
			.select(['id', 'code', 'name_kk as nameKk', 'name_ru as nameRu', 'name_en as nameEn']).orderBy('code').execute(),
		db.selectFrom('service').select(['id', 'code', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn']).orderBy('code').execute(),
		db.selectFrom('indicator').where('source', '=', 'reported')
			.select(['id', 'code', 'title_kk as titleKk', 'title_ru as titleRu', 'title_en as titleEn']).orderBy('sort_order').execute()
	]);
	const [provisions, figures, volumes] = await Promise.all([
		db.selectFrom('service_provision').where('organization_id', '=', sql<number>`ANY(${ids(subtree)})`)
			.where('year_from', '<=', year).where((eb) => eb.or([eb('year_to', 'is', null), eb('year_to', '>=', year)]))
			.select(['organization_id as organizationId', 'service_id as serviceId']).execute(),
		db.selectFrom('measurement').where('organization_id', '=', sql<number>`ANY(${ids(subtree)})`).where('year', '=', year)
			.select(['organization_id', 'service_id', 'indicator_id', 'numerator', 'denominator', 'comment']).execute(),
		db.selectFrom('service_volume').where('organization_id', '=', sql<number>`ANY(${ids(subtree)})`).where('year', '=', year)
			.select(['organization_id', 'service_id', 'channel', 'count', 'comment']).execute()
	]);
	return {
		organizations, services, indicators, provisions,
		figures: new Map(figures.map((f) => [`${f.organization_id}:${f.service_id}:${f.indicator_id}`, { numerator: f.numerator, denominator: f.denominator, comment: f.comment }])),
		volumes: new Map(volumes.map((v) => [`${v.organization_id}:${v.service_id}:${v.channel as VolumeChannel}`, { count: v.count, comment: v.comment }]))
	};
}
