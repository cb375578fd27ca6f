import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password';

describe('password policy', () => {
	it.each([
		['short12', 'too_short'],
		['x'.repeat(129), 'too_long'],
		['password', 'too_common'],
		['qwerty123', 'too_common'],
		['Password1', 'too_common'],
		['йцукенгш', 'too_common'],
		['aigerim.s', 'same_as_email']
	])('refuses %s (%s)', (password, problem) => {
		expect(passwordProblem(password, 'aigerim.s@rudny.kz')).toBe(problem);
	});

	it('accepts 8–128 uncommon characters, Kazakh letters included', () => {
		expect(passwordProblem('Қостанай-көктем-2026')).toBeNull();
		expect(passwordProblem('x'.repeat(127) + 'Ә')).toBeNull();
	});

	it('generated passwords pass the policy and differ', () => {
		const a = generatePassword();
		expect(passwordProblem(a)).toBeNull();
		expect(a).not.toBe(generatePassword());
	});
});

describe('argon2id hashing', () => {
	it('stores argon2id with at least 19 MiB, 2 iterations, 1 lane, and verifies only the right password', async () => {
		const hashed = await hashPassword('Қостанай-көктем-2026');
		expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(hashed, 'Қостанай-көктем-2026')).toBe(true);
		expect(await verifyPassword(hashed, 'қостанай-көктем-2026')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});
});
