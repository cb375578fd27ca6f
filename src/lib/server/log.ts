/**
 * One JSON line per event on stdout (errors on stderr), so a process manager
 * or log shipper can parse it. Stack traces stay on the server.
 */
type Fields = Record<string, unknown>;

function write(level: 'info' | 'warn' | 'error', msg: string, fields: Fields = {}) {
	const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
	if (level === 'error') console.error(line);
	else console.log(line);
}

export const log = {
	info: (msg: string, fields?: Fields) => write('info', msg, fields),
	warn: (msg: string, fields?: Fields) => write('warn', msg, fields),
	error: (msg: string, fields?: Fields) => write('error', msg, fields)
};
