// npm start: builds the app when the build is missing or older than the sources,
// then serves it in this process (so signals reach the server itself).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const inputs = ['src', 'migrations', 'messages', 'static', 'package-lock.json', 'svelte.config.js', 'vite.config.ts', 'project.inlang/settings.json'];
const generated = path.join(root, 'src', 'lib', 'paraglide');

function newest(p) {
	if (p === generated || !fs.existsSync(p)) return 0;
	const stat = fs.statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...fs.readdirSync(p).map((name) => newest(path.join(p, name))));
}

const entry = path.join(root, 'build', 'index.js');
const builtAt = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
if (builtAt < Math.max(...inputs.map((i) => newest(path.join(root, i))))) {
	console.log('Building Sapa…');
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
process.env.BODY_SIZE_LIMIT ??= '32M';
// adapter-node assumes https when ORIGIN is unset, and SvelteKit then refuses every form post
// (sign-in included) on plain http. Locally the app lives at the URL it prints.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
await import(pathToFileURL(entry).href);
