import { expect, it } from 'vitest';
import { describeDb } from './testing';
import { findStandardForYear } from '../queries/standards';
import { idOf } from './fixtures';

/** The catalogue migration carries the seeds' facts as written. */
describeDb('catalogue from the seeds', (ctx) => {
	it('holds the regional standard of seed 003 with its annex normatives, repealed in 2010', async () => {
		const service = await idOf(ctx.db, 'service', 'R01');
		const s2009 = await findStandardForYear(ctx.db, service, 2009);
		expect(s2009).toMatchObject({ act_number: '58', act_date: '2008-01-28', repeal_number: '336', repeal_date: '2010-09-13', valid_to: '2010-09-12' });
		expect(await findStandardForYear(ctx.db, service, 2011)).toBeUndefined();
		const normatives = await ctx.db.selectFrom('standard_normative as n').innerJoin('indicator as i', 'i.id', 'n.indicator_id')
			.where('n.standard_id', '=', s2009!.id).select(['i.code', 'n.value']).orderBy('i.sort_order').execute();
		expect(Object.fromEntries(normatives.map((n) => [n.code, n.value]))).toEqual({
			'1.1': 100, '1.2': 100, '2.1': 100, '2.2': 100, '3.1': 99, '3.2': 99, '3.3': 0, '4.1': 0, '4.2': 0, '4.3': 100, '4.4': 100, '5.1': 100
		});
	});

	it('keeps the official titles as written, in Kazakh and Russian', async () => {
		const i = await ctx.db.selectFrom('indicator').selectAll().where('code', '=', '4.1').executeTakeFirstOrThrow();
		expect(i.title_ru).toBe('% (доля) обоснованных жалоб в общем количестве обслуженных потребителей по данному виду услуг');
		expect(i.title_kk).toContain('негізделген шағымдардың');
		const s = await ctx.db.selectFrom('service').select(['title_kk', 'is_paid']).where('code', '=', 'S02').executeTakeFirstOrThrow();
		expect(s).toEqual({ title_kk: 'Қорғаншылық және қамқоршылық жөнінде анықтамалар беру', is_paid: false });
	});

	it('has the real organizations of the seeds in their tree, and 21 services of seed 000', async () => {
		const orgs = await ctx.db.selectFrom('organization as o').leftJoin('organization as p', 'p.id', 'o.parent_id')
			.select(['o.code', 'p.code as parent']).orderBy('o.code').execute();
		expect(orgs).toEqual([
			{ code: 'KST-EDU', parent: null },
			{ code: 'RUDNY-EDU', parent: 'KST-EDU' },
			{ code: 'RUDNY-SUP-01', parent: 'RUDNY-EDU' },
			{ code: 'RUDNY-SUP-02', parent: 'RUDNY-EDU' },
			{ code: 'RUDNY-SUP-03', parent: 'RUDNY-EDU' }
		]);
		const services = await ctx.db.selectFrom('service').select('code').where('code', 'like', 'S%').execute();
		expect(services).toHaveLength(21);
	});
});
