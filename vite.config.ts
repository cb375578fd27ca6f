import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { svelteTesting } from '@testing-library/svelte/vite';
import { configDefaults, defineConfig } from 'vitest/config';

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
		testTimeout: 30_000,
		hookTimeout: 120_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'node',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
					exclude: [...configDefaults.exclude, 'src/**/*.svelte.test.ts'],
					environment: 'node',
					// Database tests share one migrated template per engine; keep files in one pool of forks.
					pool: 'forks',
					globalSetup: ['./src/lib/server/db/test-global-setup.ts']
				}
			},
			{
				// Component tests (`*.svelte.test.ts`): a DOM, Svelte's browser build, no database.
				extends: true,
				plugins: [svelteTesting()],
				test: {
					name: 'dom',
					include: ['src/**/*.svelte.test.ts'],
					environment: 'jsdom',
					setupFiles: ['./src/lib/components/dom-test-setup.ts'],
					// A forked jsdom worker that has drawn charts lingers after the run; threads end cleanly.
					pool: 'threads'
				}
			}
		]
	}
});
