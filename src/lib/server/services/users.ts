import type { Kysely, Transaction } from 'kysely';
import { grantableRoles, isGlobalAdmin, ROLES, roleAllows, type Grant, type Role } from '../../domain/permissions';
import type { Access } from '../auth/access';
import { generatePassword, hashPassword, PASSWORD_MAX, PASSWORD_MIN, passwordProblem, type PasswordProblem } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { violatedConstraint } from '../db/errors';
import type { Database } from '../db/schema';
import { findAncestry, findSubtreeIds, listGrants } from '../queries/access';
import { listOrganizations, type OrganizationSummary } from '../queries/organizations';
import {
	clearUserLock, deleteGrant, findGrant, findUser, insertGrant, insertUser, listUsers, updateUserActive, updateUserPassword,
	type GrantView, type ManagedUser
} from '../queries/users';
import * as m from '../../paraglide/messages';
import { withActor } from './actor';

/*
 * Managing people. A manager acts on a user only when that user is in their
 * manage scope: everyone for a global admin; otherwise the users all of whose
 * grants lie in the subtrees where the manager holds users.manage. Anyone
 * else is "not found", so ids cannot be probed.
 */

/** Unknown, or outside the manager's scope: the two are told apart to nobody. */
export class NotFoundError extends Error {}
/** Visible, but the manager may not do this to them. */
export class ForbiddenError extends Error {}

export type UserProblem =
	| 'email_invalid' | 'email_taken' | 'display_name_invalid' | PasswordProblem
	| 'role_not_grantable' | 'organization_required' | 'already_granted'
	| 'own_last_admin' | 'last_grant' | 'self_disable';

export const DISPLAY_NAME_MAX = 200;

export type Outcome = { ok: true } | { ok: false; problem: UserProblem };

/** What a person is told about a refusal, in their language (forms add 'role_required' for an empty select). */
export function userProblemMessage(problem: UserProblem | 'role_required'): string {
	switch (problem) {
		case 'email_invalid': return m.users_error_email_invalid();
		case 'email_taken': return m.users_error_email_taken();
		case 'display_name_invalid': return m.users_error_display_name_invalid({ max: DISPLAY_NAME_MAX });
		case 'too_short': return m.users_error_password_too_short({ min: PASSWORD_MIN });
		case 'too_long': return m.users_error_password_too_long({ max: PASSWORD_MAX });
		case 'too_common': return m.users_error_password_too_common();
		case 'same_as_email': return m.users_error_password_same_as_email();
		case 'role_required': return m.users_error_role_required();
		case 'role_not_grantable': return m.users_error_role_not_grantable();
		case 'organization_required': return m.users_error_organization_required();
		case 'already_granted': return m.users_error_already_granted();
		case 'own_last_admin': return m.users_error_own_last_admin();
		case 'last_grant': return m.users_error_last_grant();
		case 'self_disable': return m.users_error_self_disable();
	}
}

/**
 * A password generated at creation travels to the new user's page in this
 * cookie (httpOnly, that page's path only, minutes long) and is deleted the
 * first time that page loads: shown once, and never kept on the server.
 */
export const ONCE_PASSWORD_COOKIE = 'sapa_once_password';

type Db = Kysely<Database> | Transaction<Database>;
type ManageScope = 'all' | ReadonlySet<number>;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function actorOf(manager: Access) {
	return { label: `user:${manager.userId}`, userId: manager.userId };
}

/** Where the manager holds users.manage: 'all' for a global admin, else their managing grants' subtrees. */
export async function manageScope(db: Db, manager: Access): Promise<ManageScope> {
	if (isGlobalAdmin(manager.grants)) return 'all';
	const roots = manager.grants.filter((g) => g.organizationId !== null && roleAllows(g.role, 'users.manage')).map((g) => g.organizationId!);
	return new Set(await findSubtreeIds(db, [...new Set(roots)]));
}

function userInScope(user: ManagedUser, scope: ManageScope): boolean {
	if (scope === 'all') return true;
	return user.grants.length > 0 && user.grants.every((g) => g.organization !== null && scope.has(g.organization.id));
}

/** The roles this manager may grant (or revoke) on one organization; null is the global admin grant. */
async function rolesGrantableOn(db: Db, manager: Access, organizationId: number | null): Promise<Role[]> {
	if (organizationId === null) return isGlobalAdmin(manager.grants) ? ['admin'] : [];
	const ancestry = await findAncestry(db, organizationId);
	return ancestry.length ? grantableRoles(manager.grants, ancestry) : [];
}

/**
 * Account actions (disable, reset, unlock) hand over everything the person
 * may do, so they are allowed only over someone whose every role the manager
 * could grant: a head cannot take over an admin's account in their subtree.
 */
async function mayManageAccount(db: Db, manager: Access, user: ManagedUser): Promise<boolean> {
	for (const g of user.grants) {
		if (!(await rolesGrantableOn(db, manager, g.organization?.id ?? null)).includes(g.role)) return false;
	}
	return true;
}

async function requireManaged(db: Db, manager: Access, userId: number): Promise<ManagedUser> {
	const user = await findUser(db, userId);
	if (!user || !userInScope(user, await manageScope(db, manager))) throw new NotFoundError('user');
	return user;
}

async function requireAccountManaged(db: Db, manager: Access, userId: number): Promise<ManagedUser> {
	const user = await requireManaged(db, manager, userId);
	if (!(await mayManageAccount(db, manager, user))) throw new ForbiddenError('account');
	return user;
}

/** Throws NotFoundError unless the manager may see this user (checked before a form is even read). */
export async function requireManagedUser(db: Kysely<Database>, manager: Access, userId: number): Promise<void> {
	await requireManaged(db, manager, userId);
}

export async function listManagedUsers(db: Kysely<Database>, manager: Access, search = ''): Promise<ManagedUser[]> {
	return listUsers(db, await manageScope(db, manager), { search });
}

export interface GrantChoices {
	/** Roles the manager may grant somewhere (each organization is checked again on submit). */
	roles: Role[];
	organizations: Array<Pick<OrganizationSummary, 'id' | 'code' | 'nameKk' | 'nameRu' | 'nameEn'>>;
	/** A global admin may also grant the global admin role (no organization). */
	global: boolean;
}

export async function loadGrantChoices(db: Kysely<Database>, manager: Access): Promise<GrantChoices> {
	const scope = await manageScope(db, manager);
	const organizations = (await listOrganizations(db, scope)).map(({ id, code, nameKk, nameRu, nameEn }) => ({ id, code, nameKk, nameRu, nameEn }));
	const managing = manager.grants.filter((g) => roleAllows(g.role, 'users.manage'));
	const roles = managing.some((g) => g.role === 'admin') ? [...ROLES] : ROLES.filter((r) => r !== 'admin');
	return { roles: managing.length ? roles : [], organizations, global: isGlobalAdmin(manager.grants) };
}

export interface UserPage {
	user: ManagedUser;
	isSelf: boolean;
	/** Disable, enable, reset password and unlock are offered. */
	mayManageAccount: boolean;
	revocable: number[];
	choices: GrantChoices;
}

export async function loadUserPage(db: Kysely<Database>, manager: Access, userId: number): Promise<UserPage> {
	const user = await requireManaged(db, manager, userId);
	const isSelf = user.id === manager.userId;
	const grantable: number[] = [];
	for (const g of user.grants) {
		if ((await rolesGrantableOn(db, manager, g.organization?.id ?? null)).includes(g.role)) grantable.push(g.id);
	}
	// Offer only what revokeGrant would do: never the last grant, nor one's own last admin grant.
	const admins = user.grants.filter((g) => g.role === 'admin').length;
	const revocable = user.grants.length < 2 ? [] : grantable.filter((id) => !(isSelf && admins === 1 && user.grants.find((g) => g.id === id)!.role === 'admin'));
	return {
		user,
		isSelf,
		mayManageAccount: grantable.length === user.grants.length,
		revocable,
		choices: await loadGrantChoices(db, manager)
	};
}

export interface NewUser {
	email: string;
	displayName: string;
	/** Empty: one is generated. */
	password: string;
	role: Role;
	/** null: the global admin grant. */
	organizationId: number | null;
}

export type CreateUserResult =
	| { ok: true; userId: number; generatedPassword: string | null }
	| { ok: false; errors: Partial<Record<'email' | 'displayName' | 'password' | 'role' | 'organization', UserProblem>> };

export async function createUser(db: Kysely<Database>, manager: Access, input: NewUser): Promise<CreateUserResult> {
	const email = input.email.trim().toLowerCase();
	const displayName = input.displayName.trim();
	const errors: Extract<CreateUserResult, { ok: false }>['errors'] = {};
	if (email.length > 320 || !EMAIL.test(email)) errors.email = 'email_invalid';
	if (!displayName || [...displayName].length > DISPLAY_NAME_MAX) errors.displayName = 'display_name_invalid';
	const problem = input.password ? passwordProblem(input.password, email) : null;
	if (problem) errors.password = problem;
	if (!(await rolesGrantableOn(db, manager, input.organizationId)).includes(input.role)) errors.role = 'role_not_grantable';
	if (Object.keys(errors).length) return { ok: false, errors };

	const password = input.password || generatePassword();
	const passwordHash = await hashPassword(password);
	try {
		const userId = await withActor(db, actorOf(manager), async (trx) => {
			const id = await insertUser(trx, { email, displayName, passwordHash });
			await insertGrant(trx, { userId: id, organizationId: input.organizationId, role: input.role, grantedBy: manager.userId });
			return id;
		});
		return { ok: true, userId, generatedPassword: input.password ? null : password };
	} catch (err) {
		if (violatedConstraint(err) === 'app_user_email_key') return { ok: false, errors: { email: 'email_taken' } };
		throw err;
	}
}

/** Closes the account and ends every session it has, in one transaction. */
export async function disableUser(db: Kysely<Database>, manager: Access, userId: number): Promise<Outcome> {
	if (userId === manager.userId) return { ok: false, problem: 'self_disable' };
	return withActor(db, actorOf(manager), async (trx) => {
		await requireAccountManaged(trx, manager, userId);
		await updateUserActive(trx, userId, false);
		await invalidateUserSessions(trx, userId);
		return { ok: true as const };
	});
}

export async function enableUser(db: Kysely<Database>, manager: Access, userId: number): Promise<void> {
	await withActor(db, actorOf(manager), async (trx) => {
		await requireAccountManaged(trx, manager, userId);
		await updateUserActive(trx, userId, true);
	});
}

/** A new generated password, returned once to show; the lock is lifted and every session ends. */
export async function resetPassword(db: Kysely<Database>, manager: Access, userId: number): Promise<string> {
	const password = generatePassword();
	const passwordHash = await hashPassword(password);
	await withActor(db, actorOf(manager), async (trx) => {
		await requireAccountManaged(trx, manager, userId);
		await updateUserPassword(trx, userId, passwordHash);
		await invalidateUserSessions(trx, userId);
	});
	return password;
}

/** Lifts a lock and the back-off, as sign-in's unlockAccount does, after the scope check. */
export async function unlockUser(db: Kysely<Database>, manager: Access, userId: number): Promise<void> {
	await withActor(db, actorOf(manager), async (trx) => {
		await requireAccountManaged(trx, manager, userId);
		await clearUserLock(trx, userId);
	});
}

export async function grantRole(db: Kysely<Database>, manager: Access, userId: number, grant: Grant): Promise<Outcome> {
	try {
		return await withActor(db, actorOf(manager), async (trx): Promise<Outcome> => {
			const user = await requireManaged(trx, manager, userId);
			if (!(await rolesGrantableOn(trx, manager, grant.organizationId)).includes(grant.role)) return { ok: false, problem: 'role_not_grantable' };
			if (user.grants.some((g) => g.role === grant.role && (g.organization?.id ?? null) === grant.organizationId)) return { ok: false, problem: 'already_granted' };
			await insertGrant(trx, { userId, organizationId: grant.organizationId, role: grant.role, grantedBy: manager.userId });
			return { ok: true };
		});
	} catch (err) {
		// Two managers granting the same role at once: the database keeps one.
		if (['role_grant_once', 'role_grant_global_once'].includes(violatedConstraint(err) ?? '')) return { ok: false, problem: 'already_granted' };
		throw err;
	}
}

/**
 * Removes one grant, under the same rule as granting it. Nobody removes
 * their own last admin grant, and nobody leaves a user without any role
 * (that would also drop them out of every manager's scope): disable instead.
 */
export async function revokeGrant(db: Kysely<Database>, manager: Access, ref: { userId: number; grantId: number; organizationId: number | null }): Promise<Outcome> {
	const { userId, grantId } = ref;
	return withActor(db, actorOf(manager), async (trx): Promise<Outcome> => {
		await requireManaged(trx, manager, userId);
		const grant = await findGrant(trx, grantId);
		// The organization the route checked must be the grant's own.
		if (!grant || grant.userId !== userId || grant.organizationId !== ref.organizationId) throw new NotFoundError('grant');
		if (!(await rolesGrantableOn(trx, manager, grant.organizationId)).includes(grant.role)) throw new ForbiddenError('grant');
		const grants = await listGrants(trx, userId);
		if (userId === manager.userId && grant.role === 'admin' && grants.filter((g) => g.role === 'admin').length === 1) {
			return { ok: false, problem: 'own_last_admin' };
		}
		if (grants.length === 1) return { ok: false, problem: 'last_grant' };
		await deleteGrant(trx, grantId);
		return { ok: true };
	});
}

export type { GrantView, ManagedUser };
