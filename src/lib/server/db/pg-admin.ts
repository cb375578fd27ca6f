import pg from 'pg';

/** The same server URL pointing at another database. */
export function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Runs one statement on its own short-lived connection (CREATE/DROP DATABASE cannot run in a pool transaction). */
export async function runAdminStatement(url: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}
