import { error } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { can, canAnywhere, isGlobalAdmin, type Action, type Grant } from '../../domain/permissions';
import * as m from '../../paraglide/messages';
import type { Database } from '../db/schema';
import { findAncestry, findSubtreeIds, listGrants } from '../queries/access';

/**
 * What one signed-in person may see and do, loaded once per request.
 * `visible` is the scope every list query takes: 'all' for a global admin,
 * otherwise the ids of the organizations in the person's subtrees.
 */
export interface Access {
	userId: number;
	grants: Grant[];
	visible: 'all' | ReadonlySet<number>;
}

export type Scope = Access['visible'];

export async function loadAccess(db: Kysely<Database>, userId: number): Promise<Access> {
	const grants = await listGrants(db, userId);
	if (isGlobalAdmin(grants)) return { userId, grants, visible: 'all' };
	const roots = [...new Set(grants.map((g) => g.organizationId).filter((id): id is number => id !== null))];
	return { userId, grants, visible: new Set(await findSubtreeIds(db, roots)) };
}

export function inScope(scope: Scope, organizationId: number): boolean {
	return scope === 'all' || scope.has(organizationId);
}

export interface AccessLocals {
	db: Kysely<Database>;
	access: Access | null;
}

/**
 * The shared catalogue (services, standards, indicators) belongs to no one
 * subtree, so only a global administrator changes it.
 */
export function requireGlobalAdmin(locals: AccessLocals): Access {
	const access = locals.access;
	if (!access) error(401, m.error_sign_in_first());
	if (!isGlobalAdmin(access.grants)) error(403, m.error_forbidden());
	return access;
}

/** For pages about the person themself (their account): signed in is enough. */
export function requireSignedIn(locals: AccessLocals): Access {
	if (!locals.access) error(401, m.error_sign_in_first());
	return locals.access;
}

/**
 * The one permission check every load function, action and endpoint calls.
 * Not signed in: 401. An organization outside the person's subtrees: 404, as
 * if it did not exist, so ids cannot be probed. Visible but not allowed: 403.
 */
export async function requirePermission(locals: AccessLocals, action: Action, organizationId: number | null = null): Promise<Access> {
	const access = locals.access;
	if (!access) error(401, m.error_sign_in_first());
	if (organizationId === null) {
		if (!canAnywhere(access.grants, action)) error(403, m.error_forbidden());
		return access;
	}
	if (!inScope(access.visible, organizationId)) error(404, m.error_not_found());
	const ancestry = await findAncestry(locals.db, organizationId);
	if (ancestry.length === 0) error(404, m.error_not_found());
	if (!can(access.grants, action, ancestry)) error(403, m.error_forbidden());
	return access;
}
