import path from 'node:path';
import { parseLogLevel, type LogLevel } from './log';

/**
 * All configuration comes from environment variables, read once.
 * Server modules import this with relative paths (not $env) so the
 * command-line scripts run under tsx share exactly the same rules.
 */
export interface AppConfig {
	databaseUrl: string | null;
	dataDir: string;
	poolMax: number;
	connectTimeoutMs: number;
	/** 'auto': seed demo data only into a brand-new embedded database. */
	demo: 'auto' | 'always' | 'never';
	/** Warn when a value moves more than this many percentage points against last year. */
	jumpWarningPoints: number;
	/** Figures import: the largest file accepted, in bytes, and the most data rows. */
	importMaxBytes: number;
	importMaxRows: number;
	/** PostgreSQL: a statement running longer is cancelled (server-side statement_timeout). */
	statementTimeoutMs: number;
	/** PostgreSQL: a session left idle inside a transaction this long is ended by the server. */
	idleInTransactionTimeoutMs: number;
	/** Where `npm run backup` writes and `npm run restore` looks first. */
	backupDir: string;
	/** LOG_LEVEL, checked here so a wrong value stops the start with a message (log.ts applies it). */
	logLevel: LogLevel;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
	return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
	const demo = env.SAPA_DEMO ?? 'auto';
	if (demo !== 'auto' && demo !== 'always' && demo !== 'never') {
		throw new Error(`SAPA_DEMO must be auto, always or never, got "${demo}"`);
	}
	return {
		databaseUrl: env.DATABASE_URL?.trim() || null,
		dataDir: path.resolve(env.SAPA_DATA_DIR?.trim() || 'data'),
		poolMax: intFrom(env.DATABASE_POOL_MAX, 10, 'DATABASE_POOL_MAX'),
		connectTimeoutMs: intFrom(env.DATABASE_CONNECT_TIMEOUT_MS, 5000, 'DATABASE_CONNECT_TIMEOUT_MS'),
		demo,
		jumpWarningPoints: intFrom(env.SAPA_JUMP_WARNING_POINTS, 20, 'SAPA_JUMP_WARNING_POINTS'),
		importMaxBytes: intFrom(env.SAPA_IMPORT_MAX_BYTES, 25 * 1024 * 1024, 'SAPA_IMPORT_MAX_BYTES'),
		importMaxRows: intFrom(env.SAPA_IMPORT_MAX_ROWS, 200_000, 'SAPA_IMPORT_MAX_ROWS'),
		statementTimeoutMs: intFrom(env.DATABASE_STATEMENT_TIMEOUT_MS, 120_000, 'DATABASE_STATEMENT_TIMEOUT_MS'),
		idleInTransactionTimeoutMs: intFrom(env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, 60_000, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
		backupDir: path.resolve(env.SAPA_BACKUP_DIR?.trim() || 'backups'),
		logLevel: parseLogLevel(env.LOG_LEVEL)
	};
}

let cached: AppConfig | null = null;
/** The configuration of this process, read on first use. */
export function appConfig(): AppConfig {
	cached ??= readConfig();
	return cached;
}
