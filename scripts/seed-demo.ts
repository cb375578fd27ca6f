/*
 * npm run seed:demo                       demo data into the embedded database (./data or SAPA_DATA_DIR)
 * npm run seed:demo -- --into-postgres    the same into DATABASE_URL: never done without this flag
 */
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db/open';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { seedDemo } from '../src/lib/server/demo/seed';
import { loadMigrations } from './load-migrations';

const config = readConfig();
if (config.databaseUrl && !process.argv.includes('--into-postgres')) {
	console.error('DATABASE_URL is set: demo data goes into a PostgreSQL database only with --into-postgres.');
	process.exit(2);
}
const handle = await openDatabase(config);
try {
	await migrateToLatest(handle.db, await loadMigrations());
	const started = performance.now();
	const result = await seedDemo(handle.db);
	if (result.seeded) console.log(`Demo data added in ${Math.round(performance.now() - started)} ms:`, result.counts);
	else console.log('Demo data is already there; nothing changed.');
} catch (err) {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
} finally {
	await handle.close();
}
