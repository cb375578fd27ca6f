import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/*
 * The dashboard's pre-aggregation is kept by the database itself
 * (migrations/…T08-compliance-rollup.ts): writes mark what they touched, and
 * these two calls bring the sums up to date.
 */

/**
 * Recomputes whatever writes marked since the last refresh (serialised by an
 * advisory lock, so concurrent callers take turns and the later one finds
 * nothing left). Returns the number of (organization, year) units recomputed;
 * 0 when nothing was dirty, which costs one index-free probe of an empty table.
 */
export async function refreshCompliance(db: Kysely<Database>): Promise<number> {
	const { rows } = await sql<{ units: number }>`SELECT sapa_compliance_refresh()::integer AS units`.execute(db);
	return Number(rows[0]?.units ?? 0);
}

/**
 * Rebuilds whole years from scratch: the given ones, or every year that has
 * figures or is held now (a held year without figures loses its cells).
 * Each year is its own statement, so readers wait for one year at a time.
 */
export async function rebuildCompliance(db: Kysely<Database>, years?: readonly number[]): Promise<number[]> {
	const targets = years ? [...new Set(years)].sort((a, b) => a - b) : await yearsToRebuild(db);
	for (const year of targets) await sql`SELECT sapa_compliance_rebuild(${year}::integer)`.execute(db);
	return targets;
}

async function yearsToRebuild(db: Kysely<Database>): Promise<number[]> {
	const { rows } = await sql<{ year: number }>`
		SELECT y::integer AS year FROM sapa_compliance_data_years() y
		UNION SELECT year FROM compliance_year
		ORDER BY 1`.execute(db);
	return rows.map((r) => Number(r.year));
}
