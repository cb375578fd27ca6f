import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Russian is the default; a chosen language is remembered in a cookie so links stay clean.
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit()
	],
	// The bundler's own timing report is noise in every build log.
	build: { rolldownOptions: { checks: { bundlerTimings: false } } },
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		// Database tests share one migrated template per engine; keep files in one pool of forks.
		pool: 'forks',
		testTimeout: 30_000,
		hookTimeout: 120_000,
		globalSetup: ['./src/lib/server/db/test-global-setup.ts']
	}
});
