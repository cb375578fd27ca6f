import type { AppConfig } from '../config';
import { openPglite, openPostgres, type DatabaseHandle } from './connect';

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite in the data folder. */
export async function openDatabase(config: AppConfig, purpose = 'server'): Promise<DatabaseHandle> {
	if (config.databaseUrl) {
		return openPostgres(config.databaseUrl, {
			poolMax: config.poolMax,
			connectTimeoutMs: config.connectTimeoutMs,
			statementTimeoutMs: config.statementTimeoutMs,
			idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs
		});
	}
	return openPglite({ dataDir: config.dataDir, purpose });
}
