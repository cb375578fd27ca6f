import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createOrganization, idOf, provide } from '../db/fixtures';
import { describeDb } from '../db/testing';
import { withActor } from '../services/actor';
import { HISTORY_PAGE_SIZE, listFigureHistory } from './figure-history';
import { insertUser } from './users';

const YEAR = 2025;

describeDb('the history of one organization’s figures of a year', (ctx) => {
	let org: number, other: number, s1: number, s2: number, i11: number, i12: number;
	let operator: number, head: number;
	const as = (userId: number) => ({ label: `user:${userId}`, userId });

	beforeAll(async () => {
		const db = ctx.db;
		const user = (name: string, slug: string) => insertUser(db, { email: `${slug}.${process.pid}.${Math.random().toString(36).slice(2, 8)}@test.sapa.kz`, displayName: name, passwordHash: 'x' });
		operator = await user('Оператор', 'op');
		head = await user('Руководитель', 'head');
		s1 = await idOf(db, 'service', 'S01');
		s2 = await idOf(db, 'service', 'S02');
		i11 = await idOf(db, 'indicator', '1.1');
		i12 = await idOf(db, 'indicator', '1.2');
		org = await createOrganization(db);
		other = await createOrganization(db);
		for (const o of [org, other]) {
			await provide(db, o, s1, 2020);
			await provide(db, o, s2, 2020);
		}
		// The value 1.1 of S01: typed, changed twice; then the year is submitted.
		await withActor(db, as(operator), (trx) => trx.insertInto('measurement')
			.values({ organization_id: org, service_id: s1, indicator_id: i11, year: YEAR, numerator: 90, denominator: 100, source: 'form', updated_by: operator }).execute());
		await withActor(db, as(operator), (trx) => trx.updateTable('measurement')
			.set({ numerator: 95, comment: 'пересчитали', version: sql`version + 1` }).where('organization_id', '=', org).where('indicator_id', '=', i11).where('year', '=', YEAR).execute());
		await withActor(db, { label: 'import:12', userId: operator }, (trx) => trx.updateTable('measurement')
			.set({ numerator: 97, denominator: 98, source: 'import', version: sql`version + 1` }).where('organization_id', '=', org).where('indicator_id', '=', i11).where('year', '=', YEAR).execute());
		await withActor(db, as(operator), async (trx) => {
			await trx.insertInto('measurement').values({ organization_id: org, service_id: s2, indicator_id: i12, year: YEAR, numerator: 1, denominator: 2, source: 'form' }).execute();
			await trx.insertInto('service_volume').values({ organization_id: org, service_id: s1, year: YEAR, channel: 'egov', count: 120, source: 'form' }).execute();
			await trx.insertInto('complaint').values([
				{ organization_id: org, service_id: s1, received_on: `${YEAR}-04-02`, due_on: `${YEAR}-04-12`, justified: true },
				{ organization_id: org, service_id: s1, received_on: `${YEAR + 1}-01-10`, due_on: `${YEAR + 1}-01-20` }
			]).execute();
			// other organizations and other years stay out
			await trx.insertInto('measurement').values([
				{ organization_id: other, service_id: s1, indicator_id: i11, year: YEAR, numerator: 1, denominator: 1, source: 'form' },
				{ organization_id: org, service_id: s1, indicator_id: i11, year: YEAR - 1, numerator: 1, denominator: 1, source: 'form' }
			]).execute();
			await trx.insertInto('reporting_year').values({ organization_id: org, year: YEAR, status: 'submitted', last_step: 'submit', step_by: operator }).execute();
		});
		await withActor(db, as(head), (trx) => trx.updateTable('reporting_year')
			.set({ status: 'open', last_step: 'return', reason: 'Проверьте 1.1', step_by: head, version: sql`version + 1` })
			.where('organization_id', '=', org).where('year', '=', YEAR).execute());
		await withActor(db, { label: 'demo-seed' }, (trx) => trx.deleteFrom('service_volume').where('organization_id', '=', org).execute());
	});

	it('shows a value changed twice as its entries, newest first, each from → to, with who and the source', async () => {
		const page = await listFigureHistory(ctx.db, { organizationId: org, year: YEAR, serviceId: s1, indicatorId: i11 });
		expect(page.total).toBe(3);
		const [third, second, first] = page.entries;
		expect(first).toMatchObject({
			action: 'insert', entity: 'measurement', actorName: 'Оператор', actor: { kind: 'user', userId: operator }, source: 'form',
			service: { id: s1, code: 'S01' }, indicator: { id: i11, code: '1.1' }, channel: null,
			change: { kind: 'figure', before: null, after: { numerator: 90, denominator: 100, percent: 90, comment: null } }
		});
		expect(second).toMatchObject({
			action: 'update',
			change: { kind: 'figure', before: { numerator: 90, denominator: 100 }, after: { numerator: 95, denominator: 100, percent: 95, comment: 'пересчитали' } }
		});
		expect(third).toMatchObject({
			action: 'update', actor: { kind: 'import', batchId: 12 }, actorName: 'Оператор', source: 'import',
			change: { kind: 'figure', before: { numerator: 95, denominator: 100 }, after: { numerator: 97, denominator: 98 } }
		});
		expect(third!.at.getTime()).toBeGreaterThanOrEqual(first!.at.getTime());
	});

	it('covers the organization’s volumes, year steps and complaints received that year, and nothing else', async () => {
		const page = await listFigureHistory(ctx.db, { organizationId: org, year: YEAR });
		const kinds = page.entries.map((e) => `${e.entity}:${e.action}`);
		expect(kinds).toEqual([
			'service_volume:delete', 'reporting_year:update', 'reporting_year:insert', 'complaint:insert', 'service_volume:insert', 'measurement:insert',
			'measurement:update', 'measurement:update', 'measurement:insert'
		]);
		const returned = page.entries.find((e) => e.entity === 'reporting_year' && e.action === 'update')!;
		expect(returned.change).toEqual({
			kind: 'year',
			before: { status: 'submitted', step: 'submit', reason: null },
			after: { status: 'open', step: 'return', reason: 'Проверьте 1.1' }
		});
		const removed = page.entries[0]!;
		expect(removed).toMatchObject({ actor: { kind: 'demo' }, actorName: null, channel: 'egov', change: { kind: 'volume', before: { count: 120 }, after: null } });
		expect(page.entries.find((e) => e.entity === 'complaint')).toMatchObject({ change: { kind: 'complaint', after: { receivedOn: `${YEAR}-04-02`, justified: true } } });
	});

	it('filters by service, indicator and volume channel as the grid links them', async () => {
		const volume = await listFigureHistory(ctx.db, { organizationId: org, year: YEAR, serviceId: s1, channel: 'egov' });
		expect(volume.entries.map((e) => e.action)).toEqual(['delete', 'insert']);
		const s2only = await listFigureHistory(ctx.db, { organizationId: org, year: YEAR, serviceId: s2 });
		expect(s2only.entries.map((e) => e.indicator?.code)).toEqual(['1.2']);
		const none = await listFigureHistory(ctx.db, { organizationId: org, year: YEAR, indicatorId: i11, channel: 'egov' });
		expect(none).toEqual({ entries: [], total: 0, page: 1, pages: 1 });
	});

	it('pages by HISTORY_PAGE_SIZE, newest first', async () => {
		const busy = await createOrganization(ctx.db);
		await provide(ctx.db, busy, s1, 2020);
		await withActor(ctx.db, as(operator), async (trx) => {
			await trx.insertInto('service_volume').values({ organization_id: busy, service_id: s1, year: YEAR, channel: 'provider', count: 0, source: 'form' }).execute();
			for (let n = 1; n <= HISTORY_PAGE_SIZE + 4; n++) {
				await trx.updateTable('service_volume').set({ count: n }).where('organization_id', '=', busy).execute();
			}
		});
		const first = await listFigureHistory(ctx.db, { organizationId: busy, year: YEAR });
		expect(first).toMatchObject({ total: HISTORY_PAGE_SIZE + 5, page: 1, pages: 2 });
		expect(first.entries).toHaveLength(HISTORY_PAGE_SIZE);
		expect(first.entries[0]!.change).toMatchObject({ after: { count: HISTORY_PAGE_SIZE + 4 } });
		const second = await listFigureHistory(ctx.db, { organizationId: busy, year: YEAR, page: 2 });
		expect(second.entries.map((e) => e.action)).toEqual(['update', 'update', 'update', 'update', 'insert']);
		expect(second.entries.at(-1)!.change).toMatchObject({ before: null, after: { count: 0 } });
	});
});
