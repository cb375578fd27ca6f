import path from 'node:path';

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
		importMaxRows: intFrom(env.SAPA_IMPORT_MAX_ROWS, 200_000, 'SAPA_IMPORT_MAX_ROWS')
	};
}

let cached: AppConfig | null = null;
/** The configuration of this process, read on first use. */
export function appConfig(): AppConfig {
	cached ??= readConfig();
	return cached;
}
