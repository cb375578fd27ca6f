import type { Kysely } from 'kysely';
import type { Database, Standard } from '../db/schema';

/**
 * The standard that governs a reporting year: of those in force at any time in
 * the year, the most recent one (a standard replaced mid-year yields to its
 * successor for that year's assessment).
 */
export async function findStandardForYear(db: Kysely<Database>, serviceId: number, year: number): Promise<Standard | undefined> {
	return db
		.selectFrom('standard')
		.selectAll()
		.where('service_id', '=', serviceId)
		.where('valid_from', '<=', `${year}-12-31`)
		.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', `${year}-01-01`)]))
		.orderBy('valid_from', 'desc')
		.limit(1)
		.executeTakeFirst();
}
