import type { Kysely } from 'kysely';
import type { Role } from '../../domain/permissions';
import type { Database } from '../db/schema';

export interface GrantView {
	id: number;
	role: Role;
	organization: { id: number; code: string; nameKk: string; nameRu: string; nameEn: string | null } | null;
}

export async function listGrantsWithOrganizations(db: Kysely<Database>, userId: number): Promise<GrantView[]> {
	const rows = await db
		.selectFrom('role_grant as g')
		.leftJoin('organization as o', 'o.id', 'g.organization_id')
		.select(['g.id', 'g.role', 'o.id as orgId', 'o.code', 'o.name_kk', 'o.name_ru', 'o.name_en'])
		.where('g.user_id', '=', userId)
		.orderBy('g.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		role: r.role as Role,
		organization: r.orgId === null ? null : { id: r.orgId, code: r.code!, nameKk: r.name_kk!, nameRu: r.name_ru!, nameEn: r.name_en }
	}));
}

/** A user as the people managing them see one: account state and every grant. */
export interface ManagedUser {
	id: number;
	email: string;
	displayName: string;
	isActive: boolean;
	isDemo: boolean;
	lockedAt: Date | null;
	lastSignInAt: Date | null;
	failedSignIns: number;
	createdAt: Date;
	grants: GrantView[];
}

function userColumns(db: Kysely<Database>) {
	return db.selectFrom('app_user as u').select([
		'u.id', 'u.email', 'u.display_name as displayName', 'u.is_active as isActive', 'u.is_demo as isDemo',
		'u.locked_at as lockedAt', 'u.last_sign_in_at as lastSignInAt', 'u.failed_sign_ins as failedSignIns', 'u.created_at as createdAt'
	]);
}

async function grantsOf(db: Kysely<Database>, userIds: readonly number[]): Promise<Map<number, GrantView[]>> {
	const byUser = new Map<number, GrantView[]>(userIds.map((id) => [id, []]));
	if (userIds.length === 0) return byUser;
	const rows = await db
		.selectFrom('role_grant as g')
		.leftJoin('organization as o', 'o.id', 'g.organization_id')
		.select(['g.id', 'g.user_id', 'g.role', 'o.id as orgId', 'o.code', 'o.name_kk', 'o.name_ru', 'o.name_en'])
		.where('g.user_id', 'in', [...userIds])
		.orderBy('g.id')
		.execute();
	for (const r of rows) {
		byUser.get(r.user_id)?.push({
			id: r.id,
			role: r.role as Role,
			organization: r.orgId === null ? null : { id: r.orgId, code: r.code!, nameKk: r.name_kk!, nameRu: r.name_ru!, nameEn: r.name_en }
		});
	}
	return byUser;
}

/** `%`, `_` and `\` typed by a person are matched literally. */
function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The users a manager sees: 'all', or, with a set of organization ids, the
 * users who have at least one grant and all of whose grants lie inside the
 * set (a global admin grant lies in no set).
 */
export async function listUsers(db: Kysely<Database>, scope: 'all' | ReadonlySet<number>, filter: { search?: string } = {}): Promise<ManagedUser[]> {
	if (scope !== 'all' && scope.size === 0) return [];
	const ids = scope === 'all' ? [] : [...scope];
	const search = filter.search?.trim();
	const users = await userColumns(db)
		.$if(scope !== 'all', (q) =>
			q
				.where(({ exists, selectFrom }) => exists(selectFrom('role_grant as g').select('g.id').whereRef('g.user_id', '=', 'u.id')))
				.where(({ not, exists, selectFrom }) =>
					not(exists(selectFrom('role_grant as g').select('g.id').whereRef('g.user_id', '=', 'u.id')
						.where((eb) => eb.or([eb('g.organization_id', 'is', null), eb('g.organization_id', 'not in', ids)]))))
				)
		)
		.$if(!!search, (q) => q.where((eb) => eb.or([eb('u.email', 'ilike', containsPattern(search!)), eb('u.display_name', 'ilike', containsPattern(search!))])))
		.orderBy('u.display_name')
		.orderBy('u.id')
		.execute();
	const grants = await grantsOf(db, users.map((u) => u.id));
	return users.map((u) => ({ ...u, grants: grants.get(u.id) ?? [] }));
}

export async function findUser(db: Kysely<Database>, id: number): Promise<ManagedUser | undefined> {
	const user = await userColumns(db).where('u.id', '=', id).executeTakeFirst();
	if (!user) return undefined;
	return { ...user, grants: (await grantsOf(db, [id])).get(id) ?? [] };
}

/** Everyone by name, for the audit log's "who" filter. */
export async function listUserNames(db: Kysely<Database>): Promise<Array<{ id: number; displayName: string; email: string }>> {
	return db.selectFrom('app_user').select(['id', 'display_name as displayName', 'email']).orderBy('display_name').orderBy('id').execute();
}

export async function insertUser(db: Kysely<Database>, values: { email: string; displayName: string; passwordHash: string }): Promise<number> {
	const row = await db.insertInto('app_user')
		.values({ email: values.email, display_name: values.displayName, password_hash: values.passwordHash })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function updateUserActive(db: Kysely<Database>, id: number, isActive: boolean): Promise<void> {
	await db.updateTable('app_user').set({ is_active: isActive }).where('id', '=', id).execute();
}

/** A new password also lifts any lock and back-off: the person starts afresh. */
export async function updateUserPassword(db: Kysely<Database>, id: number, passwordHash: string): Promise<void> {
	await db.updateTable('app_user')
		.set({ password_hash: passwordHash, locked_at: null, throttled_until: null, failed_sign_ins: 0 })
		.where('id', '=', id)
		.execute();
}

export async function clearUserLock(db: Kysely<Database>, id: number): Promise<void> {
	await db.updateTable('app_user').set({ locked_at: null, throttled_until: null, failed_sign_ins: 0 }).where('id', '=', id).execute();
}

export interface GrantRow {
	id: number;
	userId: number;
	role: Role;
	organizationId: number | null;
}

export async function findGrant(db: Kysely<Database>, id: number): Promise<GrantRow | undefined> {
	const row = await db.selectFrom('role_grant')
		.select(['id', 'user_id as userId', 'role', 'organization_id as organizationId'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row && { ...row, role: row.role as Role };
}

export async function insertGrant(db: Kysely<Database>, values: { userId: number; organizationId: number | null; role: Role; grantedBy: number }): Promise<number> {
	const row = await db.insertInto('role_grant')
		.values({ user_id: values.userId, organization_id: values.organizationId, role: values.role, granted_by: values.grantedBy })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function deleteGrant(db: Kysely<Database>, id: number): Promise<void> {
	await db.deleteFrom('role_grant').where('id', '=', id).execute();
}
