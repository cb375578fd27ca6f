import type { Migration } from 'kysely';
import { migrationsFromPaths } from './migrate';

// Vite bundles every top-level migration into the server build, so the built
// app never depends on the working directory to find them.
export const migrations = migrationsFromPaths(
	import.meta.glob<Migration>('/migrations/*.ts', { eager: true })
);
