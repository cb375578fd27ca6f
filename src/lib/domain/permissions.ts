/**
 * Who may do what, where. A grant gives a role on an organization and its
 * whole subtree (a global admin grant has no organization). Pure: callers
 * pass the organization's ancestry (its id and every ancestor's id).
 */

export const ROLES = ['admin', 'head', 'working_group', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
	'read', // see the organization, its figures, targets and reports
	'figures.write', // enter and import figures, volumes, complaints
	'year.submit', // submit a reporting year for approval
	'year.approve', // approve a reporting year
	'targets.draft', // draft next year's targets
	'targets.approve', // approve targets (working group)
	'users.manage', // create, disable, reset and grant roles to people
	'catalogue.manage', // organizations, services, standards, indicators
	'audit.read' // read the audit log
] as const;
export type Action = (typeof ACTIONS)[number];

const roleActions: Record<Role, readonly Action[]> = {
	admin: ACTIONS,
	head: ['read', 'year.approve', 'users.manage'],
	working_group: ['read', 'targets.draft', 'targets.approve'],
	operator: ['read', 'figures.write', 'year.submit'],
	viewer: ['read']
};

export interface Grant {
	role: Role;
	/** null: a global admin grant. */
	organizationId: number | null;
}

export function roleAllows(role: Role, action: Action): boolean {
	return roleActions[role].includes(action);
}

/** `ancestry`: the organization's own id and all its ancestors' ids. */
export function can(grants: readonly Grant[], action: Action, ancestry: readonly number[]): boolean {
	if (ancestry.length === 0) return false;
	return grants.some((g) => roleAllows(g.role, action) && (g.organizationId === null || ancestry.includes(g.organizationId)));
}

/** An action allowed somewhere at all (to show a menu entry; each page still checks its organization). */
export function canAnywhere(grants: readonly Grant[], action: Action): boolean {
	return grants.some((g) => roleAllows(g.role, action));
}

export function isGlobalAdmin(grants: readonly Grant[]): boolean {
	return grants.some((g) => g.role === 'admin' && g.organizationId === null);
}

/**
 * Roles a person may grant on an organization: an admin any role there
 * (a global admin grant only by a global admin); a head, within their
 * subtree, every role but admin and never above their own.
 */
export function grantableRoles(grants: readonly Grant[], ancestry: readonly number[]): Role[] {
	if (can(grants.filter((g) => g.role === 'admin'), 'users.manage', ancestry)) return [...ROLES];
	if (can(grants, 'users.manage', ancestry)) return ROLES.filter((r) => r !== 'admin');
	return [];
}

/**
 * Approving, returning or reopening an organization's reporting year is for a
 * head above it: a grant on an ancestor (or a global admin grant), never on
 * the organization itself, so nobody approves their own figures.
 */
export function canDecideYear(grants: readonly Grant[], ancestry: readonly number[]): boolean {
	return can(grants, 'year.approve', ancestry.slice(1)) || grants.some((g) => g.organizationId === null && roleAllows(g.role, 'year.approve'));
}
