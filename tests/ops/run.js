// npm run test:ops: the operations tests (faults, shutdown, crash, several instances, backups)
// against the built app (built first if build/ is missing). Node's own test runner, one file at a
// time (they start servers and PostgreSQL clusters). PostgreSQL parts use TEST_DATABASE_URL and a
// private cluster; what cannot run here is skipped with the reason printed.
// OPS_ONLY=backup,faults runs only the files whose names contain one of these words.
// Ends with the line "N passed, N failed" (", N skipped" when some were).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const dir = path.join(root, 'tests', 'ops');

if (!fs.existsSync(path.join(root, 'build', 'index.js'))) {
	console.log('Building Sapa…');
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (built.status !== 0) process.exit(built.status ?? 1);
}

const only = (process.env.OPS_ONLY ?? '').split(',').map((w) => w.trim()).filter(Boolean);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js') && (only.length === 0 || only.some((w) => f.includes(w)))).sort();
if (!process.env.TEST_DATABASE_URL) console.log('TEST_DATABASE_URL is not set: the tests that need a shared PostgreSQL server are skipped.');

const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-ops-run-')), 'report.tap');
const started = Date.now();
const child = spawn(
	process.execPath,
	['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`,
		...files.map((f) => path.join(dir, f))],
	{ cwd: root, stdio: 'inherit' }
);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.once(signal, () => child.kill(signal));
const code = await new Promise((r) => child.once('exit', (c) => r(c ?? 1)));

const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
fs.rmSync(path.dirname(tap), { recursive: true, force: true });
const total = (/** @type {string} */ key) => Number(/** @type {RegExpMatchArray} */ (report.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
const passed = total('pass');
const failed = total('fail') + total('cancelled') + (code !== 0 && total('fail') === 0 && total('cancelled') === 0 ? 1 : 0);
const skipped = total('skipped');
// Skipped tests: their reasons again, where they cannot be missed.
for (const m of report.matchAll(/^\s*ok \d+ - (.*) # SKIP ?(.*)$/gm)) console.log(`skipped: ${m[1]}${m[2] ? ` (${m[2]})` : ''}`);
console.log(`ops tests took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
