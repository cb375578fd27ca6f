import { describe, expect, it } from 'vitest';
import { ACTIONS, can, canDecideYear, grantableRoles, isGlobalAdmin, ROLES, type Action, type Grant, type Role } from './permissions';

// region 1 > rudny 2 > school 3 ; region 1 > other city 4 > school 5 ; another region 9
const ancestry: Record<string, number[]> = { region: [1], rudny: [2, 1], school: [3, 2, 1], sibling: [4, 1], cousin: [5, 4, 1], otherRegion: [9] };
const on = (role: Role, organizationId: number | null): Grant[] => [{ role, organizationId }];

describe('can', () => {
	const expectations: Record<Role, Action[]> = {
		admin: [...ACTIONS],
		head: ['read', 'year.approve', 'users.manage'],
		working_group: ['read', 'targets.draft', 'targets.approve'],
		operator: ['read', 'figures.write', 'year.submit'],
		viewer: ['read']
	};

	it.each(ROLES)('%s on Rudny may do exactly its actions in Rudny and its schools', (role) => {
		for (const action of ACTIONS) {
			const allowed = expectations[role].includes(action);
			expect(can(on(role, 2), action, ancestry.rudny!), `${role} ${action} rudny`).toBe(allowed);
			expect(can(on(role, 2), action, ancestry.school!), `${role} ${action} school`).toBe(allowed);
		}
	});

	it.each(ROLES)('%s on Rudny may do nothing in its parent, a sibling city, its school or another region', (role) => {
		for (const where of ['region', 'sibling', 'cousin', 'otherRegion']) {
			for (const action of ACTIONS) expect(can(on(role, 2), action, ancestry[where]!), `${role} ${action} ${where}`).toBe(false);
		}
	});

	it('a global admin grant reaches every tree; an unknown organization is never allowed', () => {
		expect(can(on('admin', null), 'catalogue.manage', ancestry.otherRegion!)).toBe(true);
		expect(isGlobalAdmin(on('admin', null))).toBe(true);
		expect(isGlobalAdmin(on('admin', 1))).toBe(false);
		expect(can(on('admin', null), 'read', [])).toBe(false);
	});

	it('several grants add up', () => {
		const grants = [...on('viewer', 1), ...on('operator', 3)];
		expect(can(grants, 'read', ancestry.cousin!)).toBe(true);
		expect(can(grants, 'figures.write', ancestry.school!)).toBe(true);
		expect(can(grants, 'figures.write', ancestry.rudny!)).toBe(false);
	});
});

describe('grantableRoles', () => {
	it('a head grants every role but admin within the subtree, nothing outside', () => {
		expect(grantableRoles(on('head', 2), ancestry.school!)).toEqual(['head', 'working_group', 'operator', 'viewer']);
		expect(grantableRoles(on('head', 2), ancestry.sibling!)).toEqual([]);
	});
	it('an admin grants any role; others none', () => {
		expect(grantableRoles(on('admin', 1), ancestry.school!)).toEqual([...ROLES]);
		expect(grantableRoles(on('operator', 2), ancestry.school!)).toEqual([]);
	});
});

describe('canDecideYear: a head above the organization, never on it', () => {
	// school 7 → city 2 → region 1
	const ancestry = [7, 2, 1];
	it('a head of the city or the region decides', () => {
		expect(canDecideYear([{ role: 'head', organizationId: 2 }], ancestry)).toBe(true);
		expect(canDecideYear([{ role: 'head', organizationId: 1 }], ancestry)).toBe(true);
	});
	it('a head of the school itself does not approve its own year', () => expect(canDecideYear([{ role: 'head', organizationId: 7 }], ancestry)).toBe(false));
	it('a global admin does', () => expect(canDecideYear([{ role: 'admin', organizationId: null }], ancestry)).toBe(true));
	it('an operator, a working group or a viewer above does not', () => {
		for (const role of ['operator', 'working_group', 'viewer'] as const) expect(canDecideYear([{ role, organizationId: 1 }], ancestry)).toBe(false);
	});
	it('a head of another tree does not', () => expect(canDecideYear([{ role: 'head', organizationId: 99 }], ancestry)).toBe(false));
});
