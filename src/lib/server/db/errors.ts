/**
 * The name of the database rule a write broke, from either engine's error
 * (node-pg and PGlite both expose PostgreSQL's `constraint` field). Services
 * map these names to messages that say which row and field, in the user's language.
 */
export function violatedConstraint(err: unknown): string | null {
	if (typeof err !== 'object' || err === null) return null;
	const e = err as { constraint?: unknown; cause?: unknown };
	if (typeof e.constraint === 'string' && e.constraint) return e.constraint;
	return e.cause ? violatedConstraint(e.cause) : null;
}
