import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
// `algorithm: 2` is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// The commonest passwords of public breach lists, plus the Cyrillic ones people type here.
const common = new Set<string>([
	...(dictionary['passwords-common'] as string[]),
	'пароль', 'пароль123', 'йцукен', 'йцукенг', 'йцукенгш', 'qwerty123', 'qazwsx123', 'кузнечик', 'солнышко', 'любовь', 'наташа', 'фыва', 'фывапролд', 'ячсмит'
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'same_as_email';

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email = ''): PasswordProblem | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN) return 'too_short';
	if (length > PASSWORD_MAX) return 'too_long';
	const lower = password.toLowerCase();
	if (common.has(lower) || common.has(password)) return 'too_common';
	if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) return 'same_as_email';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
	try {
		return await verify(hashed, password);
	} catch {
		return false;
	}
}

/** A hash of nothing in particular, verified when the account does not exist so timing does not reveal which emails exist. */
let decoy: Promise<string> | null = null;
export async function verifyDecoy(password: string): Promise<void> {
	decoy ??= hashPassword('decoy password that nobody has');
	await verifyPassword(await decoy, password);
}

/** A readable random password (for the first admin and resets): 4 groups of 5 base32 letters, ~100 bits. */
export function generatePassword(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
	const bytes = crypto.getRandomValues(new Uint8Array(20));
	const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
	return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
