import type { Kysely } from 'kysely';
import { violatedConstraint } from './errors';
import type { Database, NewOrganization } from './schema';

/* Small builders for database tests: each test creates exactly the rows it needs. */

let serial = 0;

export async function idOf(db: Kysely<Database>, table: 'service' | 'indicator' | 'organization', code: string): Promise<number> {
	const row = await db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow();
	return row.id;
}

export async function createOrganization(db: Kysely<Database>, values: Partial<NewOrganization> = {}): Promise<number> {
	serial += 1;
	const parent = values.parent_id === undefined ? await idOf(db, 'organization', 'RUDNY-EDU') : values.parent_id;
	const row = await db
		.insertInto('organization')
		.values({
			code: `T-${process.pid}-${serial}`,
			kind: 'school',
			name_kk: `Сынақ мектебі ${serial}`,
			name_ru: `Тестовая школа ${serial}`,
			...values,
			parent_id: parent
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function provide(db: Kysely<Database>, organizationId: number, serviceId: number, yearFrom: number, yearTo: number | null = null) {
	await db.insertInto('service_provision').values({ organization_id: organizationId, service_id: serviceId, year_from: yearFrom, year_to: yearTo }).execute();
}

/** Resolves to the name of the constraint that refused the write (fails the test if the write succeeded). */
export async function refusal(write: Promise<unknown>): Promise<string | null> {
	try {
		await write;
	} catch (err) {
		return violatedConstraint(err) ?? `unnamed: ${(err as Error).message}`;
	}
	throw new Error('the write was accepted but should have been refused');
}
