import * as v from 'valibot';

export const SignInForm = v.object({
	email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(3), v.maxLength(320), v.includes('@')),
	password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024))
});

/** A local path to return to after signing in; anything else goes to the start page. */
export function safeNext(next: string | null | undefined): string {
	return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') && !next.startsWith('/login') ? next : '/dashboard';
}
