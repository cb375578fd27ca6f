import { type Kysely, sql } from 'kysely';
import { indicatorGroups, indicators, realOrganizations, regionalStandard, services } from './data/catalogue-v1';

/*
 * The catalogue from the source documents (seed 000: the Rudny report; seed 003:
 * the Kostanay regional standard and its annex). Real facts only: demo schools,
 * kindergartens, standards and figures come from the demo seed, marked is_demo.
 * Frozen: later corrections are made in the app (audited) or by a new migration.
 */

export async function up(db: Kysely<any>): Promise<void> {
	await sql`SELECT set_config('sapa.actor', 'migration:catalogue-v1', true)`.execute(db);

	await db.insertInto('indicator_group').values(
		indicatorGroups.map((g) => ({ code: g.code, number: g.number, title_kk: g.titleKk, title_ru: g.titleRu, title_en: g.titleEn }))
	).execute();

	await db.insertInto('indicator').values(
		indicators.map((i) => ({
			code: i.code,
			group_code: i.group,
			sort_order: i.sortOrder,
			title_kk: i.titleKk,
			title_ru: i.titleRu,
			title_en: i.titleEn,
			polarity: i.polarity,
			source: i.source,
			numerator_kk: i.numeratorKk,
			numerator_ru: i.numeratorRu,
			numerator_en: i.numeratorEn,
			denominator_kk: i.denominatorKk,
			denominator_ru: i.denominatorRu,
			denominator_en: i.denominatorEn
		}))
	).execute();

	await db.insertInto('service').values(
		services.map((s) => ({
			code: s.code,
			title_kk: s.titleKk,
			title_ru: s.titleRu,
			title_en: s.titleEn,
			title_ru_verified: s.titleRuVerified,
			channels: s.channels,
			channels_note_kk: s.channelsKk,
			is_paid: s.paid
		}))
	).execute();

	const r = regionalStandard;
	const [regional] = await db.insertInto('service').values({
		code: r.service.code,
		title_kk: r.service.titleKk,
		title_ru: r.service.titleRu,
		title_en: r.service.titleEn,
		channels: r.service.channels,
		is_paid: r.service.paid,
		term_days: r.service.termDays,
		max_wait_submit_min: r.service.maxWaitSubmitMin,
		max_wait_receive_min: r.service.maxWaitReceiveMin,
		legal_basis_kk: r.service.legalBasisKk,
		legal_basis_ru: r.service.legalBasisRu
	}).returning('id').execute();

	// The repealing resolution took effect on signing, so the standard's last day is the day before.
	const lastDay = new Date(`${r.repeal.date}T00:00:00Z`);
	lastDay.setUTCDate(lastDay.getUTCDate() - 1);
	const [standard] = await db.insertInto('standard').values({
		service_id: regional!.id,
		act_issuer_kk: r.act.issuerKk,
		act_issuer_ru: r.act.issuerRu,
		act_number: r.act.number,
		act_date: r.act.date,
		registration_number: r.act.registrationNumber,
		registration_date: r.act.registrationDate,
		valid_from: r.validFrom,
		valid_to: lastDay.toISOString().slice(0, 10),
		repeal_issuer_kk: r.repeal.issuerKk,
		repeal_issuer_ru: r.repeal.issuerRu,
		repeal_number: r.repeal.number,
		repeal_date: r.repeal.date
	}).returning('id').execute();

	const ids = await db.selectFrom('indicator').select(['id', 'code']).execute();
	const idOf = new Map(ids.map((i: { id: number; code: string }) => [i.code, i.id]));
	await db.insertInto('standard_normative').values(
		Object.entries(r.normatives).map(([code, value]) => ({ standard_id: standard!.id, indicator_id: idOf.get(code), value }))
	).execute();

	const orgIds = new Map<string, number>();
	for (const o of realOrganizations) {
		const [row] = await db.insertInto('organization').values({
			code: o.code,
			parent_id: o.parentCode ? orgIds.get(o.parentCode) : null,
			kind: o.kind,
			name_kk: o.nameKk,
			name_ru: o.nameRu,
			name_en: o.nameEn
		}).returning('id').execute();
		orgIds.set(o.code, row!.id);
	}
	// The regional standard's provider, for the years it was in force.
	await db.insertInto('service_provision').values({
		organization_id: orgIds.get('KST-EDU'), service_id: regional!.id,
		year_from: Number(r.validFrom.slice(0, 4)), year_to: Number(r.repeal.date.slice(0, 4))
	}).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`SELECT set_config('sapa.actor', 'migration:catalogue-v1', true)`.execute(db);
	const orgCodes = realOrganizations.map((o) => o.code);
	const serviceCodes = [...services.map((s) => s.code), regionalStandard.service.code];
	const serviceIds = db.selectFrom('service').select('id').where('code', 'in', serviceCodes);
	await db.deleteFrom('service_provision').where('service_id', 'in', serviceIds).execute();
	await db.deleteFrom('standard').where('service_id', 'in', serviceIds).execute();
	for (const code of [...orgCodes].reverse()) await db.deleteFrom('organization').where('code', '=', code).execute();
	await db.deleteFrom('service').where('code', 'in', serviceCodes).execute();
	await db.deleteFrom('indicator').where('code', 'in', indicators.map((i) => i.code)).execute();
	await db.deleteFrom('indicator_group').where('code', 'in', indicatorGroups.map((g) => g.code)).execute();
}
