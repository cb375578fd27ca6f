/*
 * npm run migrate            apply every pending migration
 * npm run migrate -- down    undo the latest migration
 * npm run migrate -- status  list migrations and whether they ran
 */
import { readConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db/open';
import { createMigrator, migrateDown, migrateToLatest } from '../src/lib/server/db/migrate';
import { loadMigrations } from './load-migrations';

const command = process.argv[2] ?? 'up';
const config = readConfig();
const handle = await openDatabase(config);
try {
	const migrations = await loadMigrations();
	if (command === 'up') {
		const done = await migrateToLatest(handle.db, migrations);
		console.log(done.length ? `Applied: ${done.join(', ')}` : 'Database is up to date.');
	} else if (command === 'down') {
		const done = await migrateDown(handle.db, migrations);
		console.log(done.length ? `Reverted: ${done.join(', ')}` : 'Nothing to revert.');
	} else if (command === 'status') {
		for (const m of await createMigrator(handle.db, migrations).getMigrations()) {
			console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}`);
		}
	} else {
		console.error(`Unknown command "${command}": use up, down or status.`);
		process.exitCode = 2;
	}
} catch (err) {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
} finally {
	await handle.close();
}
