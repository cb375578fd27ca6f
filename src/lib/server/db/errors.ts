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

/** Node socket errors that mean the database server cannot be reached or went away. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs of a server that is down, restarting or full rather than of a bad request:
 * class 08 (connection exception), 57P01–57P03 (terminated by an administrator, crash, starting up or
 * shutting down), 53300 (too many connections), 57014 (cancelled: statement_timeout).
 */
function unavailableState(code: string): boolean {
	return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || code === '57014';
}

/** node-pg's own words when a connection ends under a query or cannot be made in time. */
const UNREACHABLE_MESSAGES = [
	'Connection terminated',
	'connection timeout',
	'timeout exceeded when trying to connect',
	'Client has encountered a connection error and is not queryable',
	'Cannot use a pool after calling end on the pool',
	'driver has already been destroyed'
];

/**
 * True when a failure says the database is out of reach (down, restarting, dropped the
 * connection, too busy), not that the request or the data was wrong. The request then
 * gets a 503 and may be tried again; nothing half-written stays, since every write runs
 * in a transaction the server rolls back when its connection goes.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
	if (typeof err !== 'object' || err === null || depth > 5) return false;
	const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
	if (typeof e.code === 'string' && (UNREACHABLE_CODES.has(e.code) || (/^[0-9A-Z]{5}$/.test(e.code) && unavailableState(e.code)))) return true;
	if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.some((m) => (e.message as string).includes(m))) return true;
	if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
	return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}
