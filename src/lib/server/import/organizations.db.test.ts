import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { makeBin } from '../../domain/bin';
import { createOrganization } from '../db/fixtures';
import type { Database } from '../db/schema';
import { describeDb } from '../db/testing';
import { commitOrganizationImport, loadImportLookup } from './organizations';

const admin = { grants: [{ role: 'admin' as const, organizationId: null }] };
const actor = { label: 'import:test' };
const HEADER = 'code;parent_code;parent_bin;kind;name_kk;name_ru;name_en;bin;active_from';
const file = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\n'));

async function counts(db: Kysely<Database>) {
	const r = await sql<{ orgs: number; audit: number }>`SELECT (SELECT count(*)::int FROM organization) AS orgs, (SELECT count(*)::int FROM audit_log) AS audit`.execute(db);
	return r.rows[0]!;
}

describeDb('organization tree import', (ctx) => {
	const bin = (n: number) => makeBin(String(70_000_000_000 + n))!;

	it.each([
		['a cycle', ['CY-A;CY-B;;school;Мектеп;Школа;;;', 'CY-B;CY-A;;school;Мектеп;Школа;;;'], 'cycle'],
		['a duplicate BIN', [`DB-A;RUDNY-EDU;;school;Мектеп;Школа;;${bin(1)};`, `DB-B;RUDNY-EDU;;school;Мектеп;Школа;;${bin(1)};`], 'duplicate_in_file'],
		['an unknown parent', ['UP-A;RUDNY-EDU;;school;Мектеп;Школа;;;', 'UP-B;NO-SUCH;;school;Мектеп;Школа;;;'], 'parent_unknown']
	])('refuses %s and changes nothing', async (_name, lines, problem) => {
		const before = await counts(ctx.db);
		const result = await commitOrganizationImport(ctx.db, actor, admin, file(...lines));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems.map((p) => p.code)).toContain(problem);
		expect(await counts(ctx.db)).toEqual(before);
	});

	it('refuses a BIN already stored for another organization', async () => {
		await createOrganization(ctx.db, { code: 'HOLDER', bin: bin(2) });
		const taken = (await loadImportLookup(ctx.db, admin)).organizations.find((o) => o.bin === bin(2))!;
		const before = await counts(ctx.db);
		const result = await commitOrganizationImport(ctx.db, actor, admin, file(`BT-A;RUDNY-EDU;;school;Мектеп;Школа;;${taken.bin};`));
		expect(result).toEqual({ ok: false, problems: [{ row: 2, column: 'bin', code: 'bin_taken', detail: taken.code }] });
		expect(await counts(ctx.db)).toEqual(before);
	});

	it('imports a whole tree, children before parents in the file, parents found by code and by BIN', async () => {
		const rudny = await ctx.db.selectFrom('organization').select(['id']).where('code', '=', 'RUDNY-EDU').executeTakeFirstOrThrow();
		await ctx.db.updateTable('organization').set({ bin: bin(50) }).where('id', '=', rudny.id).execute();
		const before = await counts(ctx.db);
		const result = await commitOrganizationImport(ctx.db, actor, admin, file(
			`TR-KG1;;${bin(11)};kindergarten;«Ақбота» бөбекжайы;Ясли-сад «Акбота»;;;2024-09-01`,
			'TR-KG2;TR-DIST;;kindergarten;Балапан;Балапан;;;',
			`TR-DIST;;${bin(50)};other;Аудан;Район;District;${bin(11)};`
		));
		expect(result).toEqual({ ok: true, added: 3, unchanged: 0 });
		const rows = await ctx.db.selectFrom('organization').select(['id', 'code', 'parent_id', 'active_from']).where('code', 'like', 'TR-%').orderBy('code').execute();
		const id = Object.fromEntries(rows.map((r) => [r.code, r.id]));
		expect(rows.map((r) => [r.code, r.parent_id])).toEqual([['TR-DIST', rudny.id], ['TR-KG1', id['TR-DIST']], ['TR-KG2', id['TR-DIST']]]);
		expect(rows.find((r) => r.code === 'TR-KG1')!.active_from).toBe('2024-09-01');
		const after = await counts(ctx.db);
		expect(after.orgs).toBe(before.orgs + 3);
		const audit = await ctx.db.selectFrom('audit_log').select('actor').where('entity', '=', 'organization').where('action', '=', 'insert').orderBy('id', 'desc').limit(3).execute();
		expect(audit.map((a) => a.actor)).toEqual(['import:test', 'import:test', 'import:test']);
	});

	it('leaves an identical existing row alone and refuses a changed one', async () => {
		const again = file(`TR-DIST;;${bin(50)};other;Аудан;Район;District;${bin(11)};`, 'TR-NEW;TR-DIST;;school;Мектеп;Школа;;;');
		expect(await commitOrganizationImport(ctx.db, actor, admin, again)).toEqual({ ok: true, added: 1, unchanged: 1 });
		const changed = await commitOrganizationImport(ctx.db, actor, admin, file(`TR-DIST;;${bin(50)};other;Аудан;Другой район;;${bin(11)};`));
		expect(changed.ok === false && changed.problems[0]!.code).toBe('exists');
	});
});
