import { sql, type Kysely } from 'kysely';
import type { Grant, Role } from '../../domain/permissions';
import type { Database } from '../db/schema';

export async function listGrants(db: Kysely<Database>, userId: number): Promise<Grant[]> {
	const rows = await db.selectFrom('role_grant').select(['role', 'organization_id as organizationId']).where('user_id', '=', userId).execute();
	return rows.map((r) => ({ role: r.role as Role, organizationId: r.organizationId }));
}

/** The organization's id and all its ancestors' ids (empty when it does not exist). */
export async function findAncestry(db: Kysely<Database>, organizationId: number): Promise<number[]> {
	const r = await sql<{ id: number }>`
		WITH RECURSIVE up(id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM organization WHERE id = ${organizationId}
			UNION ALL
			SELECT o.id, o.parent_id, up.depth + 1 FROM organization o JOIN up ON o.id = up.parent_id WHERE up.depth < 64
		) SELECT id FROM up ORDER BY depth`.execute(db);
	return r.rows.map((x) => x.id);
}

/** Every organization in the subtrees of the given roots (roots included). */
export async function findSubtreeIds(db: Kysely<Database>, rootIds: readonly number[]): Promise<number[]> {
	if (rootIds.length === 0) return [];
	const r = await sql<{ id: number }>`
		WITH RECURSIVE down(id, depth) AS (
			SELECT id, 0 FROM organization WHERE id IN (${sql.join(rootIds.map((id) => sql`${id}`))})
			UNION
			SELECT o.id, down.depth + 1 FROM organization o JOIN down ON o.parent_id = down.id WHERE down.depth < 64
		) SELECT DISTINCT id FROM down`.execute(db);
	return r.rows.map((x) => x.id);
}
