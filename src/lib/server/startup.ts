import type { AppConfig } from './config';
import type { DatabaseHandle } from './db/connect';
import { migrateToLatest, withStartupLock, type MigrationModules } from './db/migrate';
import { openDatabase } from './db/open';
import { isDemoSeeded, seedDemo } from './demo/seed';
import { log } from './log';
import { ensureFirstAdmin } from './services/bootstrap';

/**
 * Opens the database, applies pending migrations and, for a new embedded
 * database, adds the demo data. A PostgreSQL database (DATABASE_URL) gets demo
 * data only when SAPA_DEMO=always asks for it.
 */
export async function startSapa(config: AppConfig, migrations: MigrationModules): Promise<DatabaseHandle> {
	const started = performance.now();
	const handle = await openDatabase(config);
	try {
		// Instances starting together on one PostgreSQL database take turns (migrations, first admin).
		await withStartupLock(handle.db, handle.engine, async (db) => {
			const applied = await migrateToLatest(db, migrations);
			if (applied.length) log.info('migrations applied', { applied });
			const admin = await ensureFirstAdmin(db, process.env);
			if (admin?.generatedPassword) {
				// Shown once: only its argon2id hash is stored.
				console.log(`\nFirst administrator created.\n  email:    ${admin.email}\n  password: ${admin.generatedPassword}\nThis password is shown only now. Sign in and change it, or set SAPA_ADMIN_PASSWORD before the first start.\n`);
			} else if (admin) {
				log.info('first administrator created', { email: admin.email });
			}
			if (await wantsDemo(config, handle)) {
				const result = await seedDemo(db);
				if (result.seeded) log.info('demo data added', { counts: result.counts });
			}
		});
	} catch (err) {
		await handle.close();
		throw err;
	}
	log.info('database ready', {
		engine: handle.engine,
		where: handle.engine === 'pglite' ? config.dataDir : 'DATABASE_URL',
		ms: Math.round(performance.now() - started)
	});
	return handle;
}

async function wantsDemo(config: AppConfig, handle: DatabaseHandle): Promise<boolean> {
	if (config.demo === 'never') return false;
	if (config.demo === 'always') return true;
	if (handle.engine !== 'pglite' || (await isDemoSeeded(handle.db))) return false;
	// 'auto': only an embedded database that holds no figures yet, i.e. a new data folder.
	const any = await handle.db.selectFrom('measurement').select('id').limit(1).executeTakeFirst();
	return !any;
}
