import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { withActor } from '../services/actor';
import { hashPassword } from '../auth/password';
import { buildDemoPlan, DEMO_PASSWORD, type CatalogueForDemo } from './plan';

const MARKER = 'demo_seeded';
const CHUNK = 1000; // rows per INSERT, far below the 65,535 bind-parameter limit

export interface DemoSeedResult {
	seeded: boolean;
	reason?: 'already_seeded';
	counts?: Record<string, number>;
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
	for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Adds the demo data set in one transaction; refuses to run twice. */
export async function seedDemo(db: Kysely<Database>): Promise<DemoSeedResult> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	return withActor(db, { label: 'demo-seed' }, async (trx) => {
		// Serialize concurrent seeders on PostgreSQL; PGlite has one connection anyway.
		await sql`LOCK TABLE app_meta IN EXCLUSIVE MODE`.execute(trx);
		const marker = await trx.selectFrom('app_meta').select('key').where('key', '=', MARKER).executeTakeFirst();
		if (marker) return { seeded: false, reason: 'already_seeded' };

		const catalogue: CatalogueForDemo = {
			services: await trx.selectFrom('service').select(['code', 'channels']).execute(),
			indicators: await trx.selectFrom('indicator').select(['code', 'source']).orderBy('sort_order').execute()
		};
		const plan = buildDemoPlan(catalogue);
		const ids = await idMaps(trx);

		for (const o of plan.organizations) {
			const [row] = await trx.insertInto('organization').values({
				code: o.code, parent_id: o.parentCode ? ids.org(o.parentCode) : null, kind: o.kind, name_kk: o.nameKk, name_ru: o.nameRu,
				name_en: o.nameEn, bin: o.bin, is_demo: true
			}).returning('id').execute();
			ids.orgs.set(o.code, row!.id);
		}
		await insertChunked(plan.provisions, (c) => trx.insertInto('service_provision').values(c.map((p) => ({
			organization_id: ids.org(p.orgCode), service_id: ids.service(p.serviceCode), year_from: p.yearFrom
		}))).execute());

		for (const s of plan.standards) {
			const [row] = await trx.insertInto('standard').values({
				service_id: ids.service(s.serviceCode),
				act_issuer_kk: 'Демо: ойдан шығарылған акт', act_issuer_ru: 'Демо: вымышленный акт',
				act_number: s.actNumber, act_date: s.actDate, valid_from: s.validFrom, valid_to: s.validTo,
				repeal_issuer_kk: s.repealNumber ? 'Демо: ойдан шығарылған акт' : null,
				repeal_issuer_ru: s.repealNumber ? 'Демо: вымышленный акт' : null,
				repeal_number: s.repealNumber, repeal_date: s.repealDate, is_demo: true
			}).returning('id').execute();
			await trx.insertInto('standard_normative').values(Object.entries(s.normatives).map(([code, value]) => ({
				standard_id: row!.id, indicator_id: ids.indicator(code), value
			}))).execute();
		}

		await insertChunked(plan.volumes, (c) => trx.insertInto('service_volume').values(c.map((v) => ({
			organization_id: ids.org(v.orgCode), service_id: ids.service(v.serviceCode), year: v.year,
			channel: v.channel, count: v.count, source: 'demo' as const
		}))).execute());
		await insertChunked(plan.measurements, (c) => trx.insertInto('measurement').values(c.map((m) => ({
			organization_id: ids.org(m.orgCode), service_id: ids.service(m.serviceCode), indicator_id: ids.indicator(m.indicatorCode),
			year: m.year, numerator: m.numerator, denominator: m.denominator, source: 'demo' as const, comment: null, updated_by: null
		}))).execute());
		await insertChunked(plan.complaints, (c) => trx.insertInto('complaint').values(c.map((x) => ({
			organization_id: ids.org(x.orgCode), service_id: ids.service(x.serviceCode), received_on: x.receivedOn,
			due_on: x.dueOn, answered_on: x.answeredOn, justified: x.justified, satisfied: x.satisfied,
			summary: x.summary, is_demo: true, updated_by: null
		}))).execute());
		// Targets live in the Rudny working group's sets: one per year and status (protocol), rooted at
		// the city department. A set is filled as a draft, then approved, which locks it.
		const sets = new Map<string, typeof plan.targets>();
		for (const t of plan.targets) {
			const key = `${t.year}|${t.status}|${t.protocolNumber ?? ''}|${t.protocolDate ?? ''}`;
			(sets.get(key) ?? sets.set(key, []).get(key)!).push(t);
		}
		for (const targets of sets.values()) {
			const first = targets[0]!;
			const set = await trx.insertInto('target_set').values({
				year: first.year, organization_id: ids.org('RUDNY-EDU'),
				service_ids: [...new Set(targets.map((t) => ids.service(t.serviceCode)))].sort((a, b) => a - b),
				protocol_number: null, protocol_date: null, approved_by: null, approved_at: null,
				members: 'Демо: начальник отдела образования (председатель), методисты отдела, представитель родительской общественности',
				reopen_reason: null, reopened_by: null, reopened_at: null, created_by: null
			}).returning('id').executeTakeFirstOrThrow();
			await insertChunked(targets, (c) => trx.insertInto('target').values(c.map((t) => ({
				organization_id: ids.org(t.orgCode), service_id: ids.service(t.serviceCode), indicator_id: ids.indicator(t.indicatorCode),
				year: t.year, value: t.value, status: t.status, reason: null, approved_by: null,
				approved_at: t.protocolDate ? `${t.protocolDate}T12:00:00Z` : null,
				protocol_number: t.protocolNumber, protocol_date: t.protocolDate, updated_by: null, target_set_id: set.id
			}))).execute());
			if (first.status === 'approved') {
				await trx.updateTable('target_set').set({
					status: 'approved', protocol_number: first.protocolNumber, protocol_date: first.protocolDate,
					approved_at: `${first.protocolDate}T12:00:00Z`
				}).where('id', '=', set.id).execute();
			}
		}

		for (const u of plan.users) {
			const user = await trx.insertInto('app_user').values({ email: u.email, display_name: u.displayName, password_hash: passwordHash, is_demo: true })
				.onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst();
			if (!user) continue;
			for (const g of u.grants) {
				await trx.insertInto('role_grant').values({ user_id: user.id, organization_id: g.orgCode ? ids.org(g.orgCode) : null, role: g.role, granted_by: null }).execute();
			}
		}

		// Reporting years: every year before the latest approved by the Rudny head; the latest one at
		// every stage, so the completeness page and the approval flow have something to show.
		const head = await trx.selectFrom('app_user').select('id').where('email', '=', 'head.rudny@demo.sapa.kz').executeTakeFirst();
		const reported = new Map<string, Set<number>>();
		for (const m of plan.measurements) (reported.get(m.orgCode) ?? reported.set(m.orgCode, new Set()).get(m.orgCode)!).add(m.year);
		const latest = Math.max(...plan.measurements.map((m) => m.year));
		const years: Array<{ organization_id: number; year: number; status: 'open' | 'submitted' | 'approved'; last_step: 'submit' | 'return' | 'approve'; reason: string | null; step_by: number | null; step_at: Date }> = [];
		[...reported.keys()].sort().forEach((code, i) => {
			for (const year of reported.get(code)!) {
				const at = new Date(`${year + 1}-03-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00Z`);
				if (year < latest) years.push({ organization_id: ids.org(code), year, status: 'approved', last_step: 'approve', reason: null, step_by: head?.id ?? null, step_at: at });
				else if (code === 'RUDNY-SCH-08') years.push({ organization_id: ids.org(code), year, status: 'open', last_step: 'return', reason: 'Демо: проверьте показатель 1.2 — знаменатель меньше, чем в прошлом году', step_by: head?.id ?? null, step_at: at });
				else if (code !== 'RUDNY-SCH-07' && i % 3 === 0) years.push({ organization_id: ids.org(code), year, status: 'approved', last_step: 'approve', reason: null, step_by: head?.id ?? null, step_at: at });
				else if (code !== 'RUDNY-SCH-07' && i % 3 === 1) years.push({ organization_id: ids.org(code), year, status: 'submitted', last_step: 'submit', reason: null, step_by: null, step_at: at });
			}
		});
		await insertChunked(years, (c) => trx.insertInto('reporting_year').values(c).execute());

		const counts = {
			reportingYears: years.length,
			users: plan.users.length,
			organizations: plan.organizations.length, provisions: plan.provisions.length, standards: plan.standards.length,
			volumes: plan.volumes.length, measurements: plan.measurements.length, complaints: plan.complaints.length, targets: plan.targets.length
		};
		await trx.insertInto('app_meta').values({ key: MARKER, value: JSON.stringify(counts) }).execute();
		return { seeded: true, counts };
	});
}

export async function isDemoSeeded(db: Kysely<Database>): Promise<boolean> {
	return !!(await db.selectFrom('app_meta').select('key').where('key', '=', MARKER).executeTakeFirst());
}

async function idMaps(trx: Transaction<Database>) {
	const rows = async (table: 'organization' | 'service' | 'indicator') =>
		new Map((await trx.selectFrom(table).select(['id', 'code']).execute()).map((r) => [r.code, r.id] as [string, number]));
	const orgs = await rows('organization');
	const services = await rows('service');
	const indicators = await rows('indicator');
	const get = (map: Map<string, number>, what: string) => (code: string) => {
		const id = map.get(code);
		if (id === undefined) throw new Error(`demo seed: unknown ${what} ${code}`);
		return id;
	};
	return { orgs, org: get(orgs, 'organization'), service: get(services, 'service'), indicator: get(indicators, 'indicator') };
}
