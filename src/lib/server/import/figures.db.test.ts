import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Access } from '../auth/access';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { findImportBatch, loadTemplateSource } from '../queries/figures-import';
import { findSubtreeIdsInYear } from '../queries/organization-history';
import { insertUser } from '../queries/users';
import { commitFigureImport, discardFigureImport, importProgress, previewFigureImport, type ImportSettings } from '../services/figures-import';
import { withActor } from '../services/actor';
import { templateRows, templateToCsv, templateToXlsx } from '../export/figures-template';
import { FIGURE_COLUMNS, type HeaderLabels } from './figures';

const YEAR = 2024;
const noLabels = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, []])) as unknown as HeaderLabels;
const settings: ImportSettings = { maxBytes: 25 * 1024 * 1024, maxRows: 200_000, jumpPoints: 20, asOfYear: 2025, labels: noLabels };
const KEYS = FIGURE_COLUMNS.join(';');
const csv = (lines: string[]) => new TextEncoder().encode([KEYS, ...lines].join('\r\n') + '\r\n');
/** A data line: org;;service;;year;item;;numerator;denominator;count;comment */
const line = (org: string, service: string, item: string, n: number | '' = '', d: number | '' = '', count: number | '' = '', comment = '') =>
	[org, '', service, '', YEAR, item, '', n, d, count, comment].join(';');

describeDb('figures import: preview, commit, refusals', (ctx) => {
	let operator: Access;
	let root: number, schoolA: number, schoolB: number, outsider: number;
	let codeA: string, codeB: string, codeOutsider: string;
	let s01: number, i11: number, i12: number;

	beforeAll(async () => {
		const db = ctx.db;
		const userId = await insertUser(db, { email: `imp.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: 'Оператор импорта', passwordHash: 'x' });
		s01 = await idOf(db, 'service', 'S01');
		i11 = await idOf(db, 'indicator', '1.1');
		i12 = await idOf(db, 'indicator', '1.2');
		root = await createOrganization(db, { kind: 'city_department' });
		schoolA = await createOrganization(db, { parent_id: root });
		schoolB = await createOrganization(db, { parent_id: root });
		outsider = await createOrganization(db);
		for (const org of [schoolA, schoolB, outsider]) await provide(db, org, s01, 2020);
		const codes = await db.selectFrom('organization').select(['id', 'code']).where('id', 'in', [schoolA, schoolB, outsider]).execute();
		const code = (id: number) => codes.find((c) => c.id === id)!.code;
		[codeA, codeB, codeOutsider] = [code(schoolA), code(schoolB), code(outsider)];
		const subtree = await findSubtreeIdsInYear(db, root, YEAR);
		operator = { userId, grants: [{ role: 'operator', organizationId: root }], visible: new Set([...subtree, outsider]) };
	});

	/** A new school under the root, providing S01; the operator sees it. */
	async function newSchool(): Promise<{ id: number; code: string }> {
		const id = await createOrganization(ctx.db, { parent_id: root });
		(operator.visible as Set<number>).add(id);
		const code = (await ctx.db.selectFrom('organization').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code;
		return { id, code };
	}
	const preview = async (lines: string[], organizationId = root) => {
		const out = await previewFigureImport(ctx.db, operator, { organizationId, year: YEAR, fileName: 'данные.csv', bytes: csv(lines) }, settings);
		if (out.kind !== 'stored') throw new Error(out.kind);
		return (await findImportBatch(ctx.db, out.batchId))!;
	};
	const values = (org: number) => ctx.db.selectFrom('measurement').select(['indicator_id', 'numerator', 'denominator', 'comment', 'version', 'source', 'updated_by'])
		.where('organization_id', '=', org).where('year', '=', YEAR).orderBy('indicator_id').execute();

	it('a preview stores the batch and writes nothing; the commit writes every value in one go, audited as the import', async () => {
		const batch = await preview([line(codeA, 'S01', '1.1', 95, 100, '', 'Әкімдікке ғана'), line(codeA, 'S01', 'V:egov', '', '', 40), line(codeA, 'S01', '1.2')]);
		expect(batch).toMatchObject({ status: 'previewed', rowCount: 3, problemCount: 0, fileName: 'данные.csv' });
		expect(batch.result?.counts).toEqual({ rows: 3, fresh: 2, changed: 0, unchanged: 0, blank: 1 });
		expect(await values(schoolA)).toEqual([]);

		expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'committed', fresh: 2, changed: 0, unchanged: 0 });
		expect(await values(schoolA)).toEqual([{ indicator_id: i11, numerator: 95, denominator: 100, comment: 'Әкімдікке ғана', version: 1, source: 'import', updated_by: operator.userId }]);
		const volume = await ctx.db.selectFrom('service_volume').selectAll().where('organization_id', '=', schoolA).where('year', '=', YEAR).executeTakeFirstOrThrow();
		expect(volume).toMatchObject({ channel: 'egov', count: 40, source: 'import', version: 1 });
		const audit = await ctx.db.selectFrom('audit_log').select(['actor', 'actor_user_id']).where('entity', 'in', ['measurement', 'service_volume'])
			.where(sql<string>`after ->> 'organization_id'`, '=', String(schoolA)).execute();
		expect(audit).toEqual([{ actor: `import:${batch.id}`, actor_user_id: operator.userId }, { actor: `import:${batch.id}`, actor_user_id: operator.userId }]);
		expect((await findImportBatch(ctx.db, batch.id))).toMatchObject({ status: 'committed', result: { committed: { fresh: 2, changed: 0, unchanged: 0 } } });
		expect(importProgress(batch.id)).toMatchObject({ phase: 'done' });

		// The same batch again: already committed, nothing happens.
		expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'not_previewed' });
	});

	it('an update raises the version and never deletes a value left blank', async () => {
		const batch = await preview([line(codeA, 'S01', '1.1', 96, 100), line(codeA, 'S01', '1.2', 7, 9)]);
		expect(batch.result?.counts).toMatchObject({ fresh: 1, changed: 1 });
		await commitFigureImport(ctx.db, operator, batch.id, settings);
		expect((await values(schoolA)).map((v) => [v.indicator_id, v.numerator, v.version, v.comment])).toEqual([[i11, 96, 2, null], [i12, 7, 1, null]]);
		const blank = await preview([line(codeA, 'S01', '1.1'), line(codeA, 'S01', '1.2', 7, 9)]);
		expect(blank.result?.counts).toMatchObject({ blank: 1, unchanged: 1, fresh: 0, changed: 0 });
		await commitFigureImport(ctx.db, operator, blank.id, settings);
		expect(await values(schoolA)).toHaveLength(2);
	});

	it('problems are stored by row and column, and such a batch cannot be committed', async () => {
		const batch = await preview([line(codeB, 'S01', '1.1', 11, 10), line(codeOutsider, 'S01', '1.1', 1, 2), line('NO-SUCH-ORG', 'S01', '1.1', 1, 2), line(codeB, 'S02', '1.1', 1, 2)]);
		expect(batch.status).toBe('previewed');
		expect(batch.result?.problems.map((p) => [p.row, p.column, p.code])).toEqual([
			[2, 'numerator', 'numerator_above_denominator'], [3, 'org_code', 'outside_scope'], [4, 'org_code', 'unknown_org'], [5, 'service_code', 'not_provided']
		]);
		expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'not_previewed' });
		expect(await values(schoolB)).toEqual([]);
	});

	it('a file refused whole is kept as a refused batch', async () => {
		const out = await previewFigureImport(ctx.db, operator, { organizationId: root, year: YEAR, fileName: 'x.csv', bytes: new TextEncoder().encode('org_code;year;item;count;Примечание\n') }, settings);
		const batch = await findImportBatch(ctx.db, out.kind === 'stored' ? out.batchId : -1);
		expect(batch).toMatchObject({ status: 'refused', rowCount: null, problemCount: 2 });
		expect(batch?.result?.problems.map((p) => p.code)).toEqual(['unknown_column', 'missing_column']);
	});

	it('a file above the size limit is refused without being stored', async () => {
		const out = await previewFigureImport(ctx.db, operator, { organizationId: root, year: YEAR, fileName: 'big.csv', bytes: new Uint8Array(2048) }, { ...settings, maxBytes: 1024 });
		expect(out).toEqual({ kind: 'too_large' });
	});

	it('a value changed after the preview refuses the commit, naming its row (stale preview)', async () => {
		const batch = await preview([line(codeB, 'S01', '1.1', 50, 100), line(codeB, 'S01', '1.2', 60, 100)]);
		// Someone saves 1.2 in the grid after the preview.
		await withActor(ctx.db, { label: 'user:someone' }, (trx) => trx.insertInto('measurement').values({
			organization_id: schoolB, service_id: s01, indicator_id: i12, year: YEAR, numerator: 1, denominator: 1, source: 'form'
		}).execute());
		expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'refused', problemCount: 1 });
		const after = await findImportBatch(ctx.db, batch.id);
		expect(after).toMatchObject({ status: 'refused', result: { atCommit: true, problems: [{ row: 3, column: 'numerator', code: 'changed_since_preview' }] } });
		expect((await values(schoolB)).map((v) => [v.indicator_id, v.numerator])).toEqual([[i12, 1]]);
	});

	it('a submitted (or approved) year refuses the import: at the preview, and at a commit after the year was submitted', async () => {
		const { id: school, code } = await newSchool();
		await provide(ctx.db, school, s01, 2020);
		const batch = await preview([line(code, 'S01', '1.1', 5, 10)]);
		expect(batch.problemCount).toBe(0);
		await withActor(ctx.db, { label: 'user:op', userId: operator.userId }, (trx) => trx.insertInto('reporting_year').values({
			organization_id: school, year: YEAR, status: 'submitted', last_step: 'submit', step_by: operator.userId
		}).execute());
		expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'refused', problemCount: 1 });
		expect((await findImportBatch(ctx.db, batch.id))?.result?.problems).toEqual([{ row: 2, column: 'year', code: 'year_locked' }]);
		expect(await values(school)).toEqual([]);
		const again = await preview([line(code, 'S01', '1.1', 5, 10)]);
		expect(again.result?.problems.map((p) => p.code)).toEqual(['year_locked']);
	});

	it('an organization outside the chosen one, even one the person may write, is outside_scope', async () => {
		const batch = await preview([line(codeA, 'S01', '1.1', 1, 2)], schoolB);
		expect(batch.result?.problems.map((p) => [p.row, p.code])).toEqual([[2, 'outside_scope']]);
	});

	it('a discarded batch is never written', async () => {
		const batch = await preview([line(codeB, 'S01', 'V:provider', '', '', 3)]);
		expect(await discardFigureImport(ctx.db, operator, batch.id)).toBe(true);
		expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'not_previewed' });
		expect((await findImportBatch(ctx.db, batch.id))?.status).toBe('discarded');
	});

	it('the template of a subtree loads back unchanged (CSV and XLSX)', async () => {
		const subtree = await findSubtreeIdsInYear(ctx.db, root, YEAR);
		const source = await loadTemplateSource(ctx.db, subtree, YEAR);
		const rows = templateRows(source, root, YEAR, { organization: (o) => o.nameRu, service: (s) => s.titleRu, indicator: (i) => i.titleRu, channel: (c) => c, noServices: '—' });
		expect(rows[0]).toMatchObject({ serviceCode: '', item: '' }); // the chosen department, which provides nothing itself
		const titles = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, c])) as Record<(typeof FIGURE_COLUMNS)[number], string>;
		for (const bytes of [templateToCsv(rows, titles), await templateToXlsx(rows, titles, 'Данные')]) {
			const out = await previewFigureImport(ctx.db, operator, { organizationId: root, year: YEAR, fileName: 't', bytes }, settings);
			const batch = (await findImportBatch(ctx.db, out.kind === 'stored' ? out.batchId : -1))!;
			expect(batch.result?.problems).toEqual([]);
			expect(batch.result?.counts).toMatchObject({ fresh: 0, changed: 0 });
			expect(batch.result?.counts?.unchanged).toBeGreaterThanOrEqual(3);
		}
	});

	it('an error while writing (here a database rule hit in the last chunk) leaves nothing written', async () => {
		const { id: school, code } = await newSchool();
		const services = await ctx.db.selectFrom('service').select(['id', 'code']).orderBy('code').execute();
		await ctx.db.insertInto('service_provision').values(services.map((s) => ({ organization_id: school, service_id: s.id, year_from: 2020 }))).execute();
		const indicators = await ctx.db.selectFrom('indicator').select('code').where('source', '=', 'reported').execute();
		const lines = services.flatMap((s) => indicators.map((i) => line(code, s.code, i.code, 10, 20)));
		lines.push(line(code, 'S01', 'V:egov', '', '', 777_777)); // the trap below fires on the very last value written
		await sql.raw(`CREATE FUNCTION test_trap() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			RAISE EXCEPTION 'trap' USING ERRCODE = '23514', CONSTRAINT = 'test_trap'; END $$`).execute(ctx.db);
		await sql.raw(`CREATE TRIGGER test_trap BEFORE INSERT ON service_volume FOR EACH ROW WHEN (NEW.count = 777777) EXECUTE FUNCTION test_trap()`).execute(ctx.db);
		try {
			const batch = await preview(lines);
			expect(batch.problemCount).toBe(0);
			expect(await commitFigureImport(ctx.db, operator, batch.id, settings)).toEqual({ kind: 'refused', problemCount: 1 });
			expect((await findImportBatch(ctx.db, batch.id))?.result?.problems).toEqual([{ row: null, column: null, code: 'commit_failed', detail: 'test_trap' }]);
			expect(await values(school)).toEqual([]);
		} finally {
			await sql.raw('DROP TRIGGER test_trap ON service_volume').execute(ctx.db);
			await sql.raw('DROP FUNCTION test_trap()').execute(ctx.db);
		}
	});
});

describeDb('figures import: 100 000 rows, all or nothing', (ctx) => {
	it('one bad row near the end changes nothing and is named; a value changed after the preview refuses the commit by row; the corrected file commits entirely', { timeout: 300_000 }, async () => {
		const db = ctx.db;
		const started = Date.now();
		const userId = await insertUser(db, { email: `big.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: 'Большой импорт', passwordHash: 'x' });
		const root = await createOrganization(db, { kind: 'city_department' });
		const services = await db.selectFrom('service').select(['id', 'code']).orderBy('code').execute();
		const indicators = await db.selectFrom('indicator').select(['id', 'code']).where('source', '=', 'reported').orderBy('sort_order').execute();
		const perOrg = services.length * (indicators.length + 3);
		const orgCount = Math.ceil(100_000 / perOrg);
		const orgs = await db.insertInto('organization').values(Array.from({ length: orgCount }, (_, i) => ({
			code: `BIG-${process.pid}-${i}`, kind: 'school' as const, name_kk: `Мектеп ${i}`, name_ru: `Школа ${i}`, parent_id: root
		}))).returning(['id', 'code']).execute();
		await db.insertInto('service_provision').values(orgs.flatMap((o) => services.map((s) => ({ organization_id: o.id, service_id: s.id, year_from: 2020 })))).execute();
		const access: Access = { userId, grants: [{ role: 'operator', organizationId: root }], visible: new Set([root, ...orgs.map((o) => o.id)]) };

		const lines: string[] = [];
		const keys: Array<{ org: number; service: number; indicator: number | null }> = [];
		outer: for (const o of orgs) for (const s of services) {
			for (const i of indicators) {
				lines.push(line(o.code, s.code, i.code, 50 + (lines.length % 50), 100));
				keys.push({ org: o.id, service: s.id, indicator: i.id });
				if (lines.length === 100_000) break outer;
			}
			for (const ch of ['provider', 'state_corporation', 'egov']) {
				lines.push(line(o.code, s.code, `V:${ch}`, '', '', lines.length % 1000));
				keys.push({ org: o.id, service: s.id, indicator: null });
				if (lines.length === 100_000) break outer;
			}
		}
		expect(lines).toHaveLength(100_000);
		const stored = async () => {
			const ids = orgs.map((o) => o.id);
			const m = await db.selectFrom('measurement').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', 'in', ids).executeTakeFirstOrThrow();
			const v = await db.selectFrom('service_volume').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', 'in', ids).executeTakeFirstOrThrow();
			return Number(m.n) + Number(v.n);
		};
		const run = async (file: string[]) => {
			const out = await previewFigureImport(db, access, { organizationId: root, year: YEAR, fileName: '100k.csv', bytes: csv(file) }, settings);
			return (await findImportBatch(db, out.kind === 'stored' ? out.batchId : -1))!;
		};

		// 1. A numerator above its denominator in row 99 991 (data line 99 990): named, nothing stored, no commit.
		const badLine = 99_989;
		const bad = [...lines];
		expect(keys[badLine]!.indicator).not.toBeNull();
		bad[badLine] = bad[badLine]!.replace(/;\d+;100;;/, ';101;100;;');
		let t = Date.now();
		const refused = await run(bad);
		const previewMs = Date.now() - t;
		expect(refused.problemCount).toBe(1);
		expect(refused.result?.problems).toEqual([{ row: badLine + 2, column: 'numerator', code: 'numerator_above_denominator', value: '101' }]);
		expect(await commitFigureImport(db, access, refused.id, settings)).toEqual({ kind: 'not_previewed' });
		expect(await stored()).toBe(0);

		// 2. The corrected file previews clean; a value stored by someone else after the preview refuses the commit by row.
		const clean = await run(lines);
		expect(clean.problemCount).toBe(0);
		expect(clean.result?.counts).toEqual({ rows: 100_000, fresh: 100_000, changed: 0, unchanged: 0, blank: 0 });
		const late = keys.findLastIndex((x) => x.indicator !== null);
		expect(late).toBeGreaterThan(99_990);
		const k = keys[late]!;
		await withActor(db, { label: 'user:someone' }, (trx) => trx.insertInto('measurement').values({
			organization_id: k.org, service_id: k.service, indicator_id: k.indicator!, year: YEAR, numerator: 1, denominator: 1, source: 'form'
		}).execute());
		t = Date.now();
		expect(await commitFigureImport(db, access, clean.id, settings)).toEqual({ kind: 'refused', problemCount: 1 });
		const staleMs = Date.now() - t;
		expect((await findImportBatch(db, clean.id))?.result?.problems).toMatchObject([{ row: late + 2, code: 'changed_since_preview' }]);
		expect(await stored()).toBe(1);

		// 3. The file previewed again commits entirely.
		const again = await run(lines);
		expect(again.result?.counts).toMatchObject({ fresh: 99_999, changed: 1 });
		t = Date.now();
		expect(await commitFigureImport(db, access, again.id, settings)).toEqual({ kind: 'committed', fresh: 99_999, changed: 1, unchanged: 0 });
		const commitMs = Date.now() - t;
		expect(await stored()).toBe(100_000);
		console.log(`[${ctx.engine}] 100k rows: preview ${previewMs} ms, refused commit ${staleMs} ms, commit ${commitMs} ms, test ${Date.now() - started} ms`);
	});
});
