/**
 * One JSON line per event on stdout (warnings and errors on stderr), so a
 * process manager or log shipper can parse it: `time`, `level`, `msg`, then
 * the event's own fields. Stack traces stay on the server.
 *
 * LOG_LEVEL (debug, info, warn, error, silent; default info) drops the lines
 * below it. It is read once, when this module loads.
 */
type Fields = Record<string, unknown>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type Level = Exclude<LogLevel, 'silent'>;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The level named by LOG_LEVEL; an unknown name is refused with the ones allowed. */
export function parseLogLevel(value: string | undefined): LogLevel {
	const v = (value ?? '').trim().toLowerCase();
	if (v === '') return 'info';
	if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
	throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
}

let threshold = rank.info;
try {
	threshold = rank[parseLogLevel(process.env.LOG_LEVEL)];
} catch {
	// Kept at info: readConfig refuses the wrong value and the start ends with that message.
}

/** Changes the level at run time (tests, scripts). */
export function setLogLevel(level: LogLevel): void {
	threshold = rank[level];
}

export function logEnabled(level: Level): boolean {
	return rank[level] >= threshold;
}

/** An error as log fields: name, message, PostgreSQL/Node code; the stack only when asked. */
export function errorFields(err: unknown, withStack = false): Fields {
	if (!(err instanceof Error)) return { message: String(err) };
	const e = err as Error & { code?: unknown };
	return {
		name: e.name,
		message: e.message,
		...(typeof e.code === 'string' ? { code: e.code } : {}),
		...(withStack && e.stack ? { stack: e.stack } : {})
	};
}

function write(level: Level, msg: string, fields: Fields = {}) {
	if (rank[level] < threshold) return;
	const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
	if (level === 'error' || level === 'warn') console.error(line);
	else console.log(line);
}

export const log = {
	debug: (msg: string, fields?: Fields) => write('debug', msg, fields),
	info: (msg: string, fields?: Fields) => write('info', msg, fields),
	warn: (msg: string, fields?: Fields) => write('warn', msg, fields),
	error: (msg: string, fields?: Fields) => write('error', msg, fields)
};
