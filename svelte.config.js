import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		typescript: {
			// Migrations and command-line scripts are type-checked with the app.
			config(tsconfig) {
				tsconfig.include.push('../migrations/**/*.ts', '../scripts/**/*.ts');
				return tsconfig;
			}
		}
	}
};

export default config;
