import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { NewUserForm } from './users';

const form = { email: ' a@example.test ', displayName: 'Айгерим', password: '', role: 'viewer', organization: '12' };
const parse = (changes: Partial<Record<keyof typeof form, string>>) => v.safeParse(NewUserForm, { ...form, ...changes });
const problems = (changes: Partial<Record<keyof typeof form, string>>) => {
	const parsed = parse(changes);
	return parsed.success ? null : v.flatten<typeof NewUserForm>(parsed.issues).nested;
};

describe('new user form', () => {
	it('reads an organization id as a number and "all" as the global grant', () => {
		expect(parse({})).toMatchObject({ success: true, output: { email: 'a@example.test', role: 'viewer', organization: 12 } });
		expect(parse({ role: 'admin', organization: 'all' })).toMatchObject({ success: true, output: { role: 'admin', organization: null } });
	});

	it('refuses a role that does not exist', () => {
		expect(problems({ role: 'superuser' })).toEqual({ role: ['role_required'] });
	});

	it.each(['', 'abc', '12a', '-1', '1e3', 'ALL'])('refuses organization %j', (organization) => {
		expect(problems({ organization })).toEqual({ organization: ['organization_required'] });
	});
});
