// npm run test:e2e: builds the app if needed, starts it on a free port with a fresh
// demo database, and runs tests/e2e/*.e2e.js in the system Chromium.
// A test file exports `default [{ name, skip?, run: async ({ browser, context, page, baseUrl }) => {} }]`
// (or a function returning that list). Each test gets a fresh context (`context`, `page`); a test may
// also make its own from `browser`. `skip`: a reason string (printed) to leave the test out of this run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const testsDir = path.join(root, 'tests', 'e2e');
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });
/** @type {import('node:child_process').ChildProcess | null} */
let server = null;
/** @type {string | null} */
let dataDir = null;
/** @type {import('playwright-core').Browser | null} */
let browser = null;
let log = '';

if (!fs.existsSync(path.join(root, 'build', 'index.js'))) {
	console.log('Building Sapa…');
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (built.status !== 0) process.exit(built.status ?? 1);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer().once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

async function startServer() {
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-e2e-'));
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	// Always the embedded database in the fresh folder, seeded with the demo data the tests read.
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, PORT: String(port), SAPA_DATA_DIR: dataDir, ORIGIN: baseUrl, SAPA_DEMO: 'auto' };
	delete env.DATABASE_URL;
	const child = (server = spawn(process.execPath, ['build'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }));
	child.stdout.on('data', (d) => (log += d));
	child.stderr.on('data', (d) => (log += d));
	/** @type {Promise<string>} */
	const exited = new Promise((r) => child.once('exit', (code, signal) => r(`exited (${signal ?? code})`)));
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (log.includes('Listening on')) {
			// /login is the one page open without a session (everything else redirects to it).
			const ok = await fetch(`${baseUrl}/login`, { redirect: 'manual' }).then((r) => r.status === 200, () => false);
			if (ok) return baseUrl;
		}
		const why = await Promise.race([exited, new Promise((r) => setTimeout(r, 250))]);
		if (why) throw new Error(`server ${why}\n--- server log ---\n${log}`);
	}
	throw new Error(`server did not become ready in 90 s\n--- server log ---\n${log}`);
}

const serverAlive = () => server?.exitCode === null && server.signalCode === null;
const serverEnd = () => server?.signalCode ?? server?.exitCode;

async function stopServer() {
	const child = server;
	if (child && serverAlive()) {
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	}
	server = null;
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
	dataDir = null;
}

let cleaning = null;
/** Closes the browser, stops the server and deletes the data folder; safe to call twice. */
function cleanup() {
	cleaning ??= (async () => {
		await browser?.close().catch(() => {});
		await stopServer();
	})();
	return cleaning;
}

// Playwright's own signal handlers would exit before the server is stopped, so they are off (see launch).
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		interrupted = true;
		console.log(`\n${signal}: stopping the server…`);
		cleanup().finally(() => process.exit(130));
	});
}

async function loadTests() {
	// E2E_ONLY=figures,auth runs only the files whose names contain one of these words (while working on them).
	const only = (process.env.E2E_ONLY ?? '').split(',').map((w) => w.trim()).filter(Boolean);
	const files = fs.readdirSync(testsDir).filter((f) => f.endsWith('.e2e.js') && (only.length === 0 || only.some((w) => f.includes(w)))).sort();
	const tests = [];
	for (const file of files) {
		const mod = await import(pathToFileURL(path.join(testsDir, file)).href);
		const list = typeof mod.default === 'function' ? await mod.default() : mod.default;
		tests.push(...(list ?? []));
	}
	return tests;
}

// Screenshots of an earlier run's failures would only mislead.
fs.readdirSync(resultsDir, { withFileTypes: true }).filter((f) => f.name.endsWith('.png')).forEach((f) => fs.rmSync(path.join(resultsDir, f.name)));

let passed = 0;
let failed = 0;
let skipped = 0;
let ready = false;
try {
	const tests = await loadTests();
	const baseUrl = await startServer();
	ready = true;
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		handleSIGINT: false,
		handleSIGTERM: false,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
	});
	for (const test of tests) {
		if (test.skip) {
			skipped++;
			console.log(`- ${test.name} (skipped: ${test.skip})`);
			continue;
		}
		const started = Date.now();
		const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: baseUrl });
		context.setDefaultTimeout(10_000);
		const page = await context.newPage();
		try {
			await test.run({ browser, context, page, baseUrl });
			passed++;
			console.log(`✓ ${test.name} (${Date.now() - started} ms)`);
		} catch (err) {
			if (interrupted) break;
			failed++;
			console.log(`✗ ${test.name}\n  ${String(err instanceof Error ? err.stack : err).replaceAll('\n', '\n  ')}`);
			// The page the test last used: its own context's if it made one, else the default page.
			const shot = [...browser.contexts()].reverse().flatMap((c) => c.pages()).find((p) => !p.isClosed());
			if (shot) {
				const file = path.join(resultsDir, `${test.name.replace(/[^\p{L}\p{N}]+/gu, '-')}.png`);
				await shot.screenshot({ path: file, fullPage: true }).then(() => console.log(`  screenshot: ${path.relative(root, file)}`), () => {});
			}
		} finally {
			for (const c of browser.contexts()) await c.close().catch(() => {});
		}
	}
} catch (err) {
	if (!interrupted) {
		failed++;
		console.error(`E2E run failed: ${err instanceof Error ? err.stack : err}`);
	}
} finally {
	if (ready && !interrupted && !serverAlive()) console.log(`--- the server stopped during the tests (${serverEnd()}) ---\n${log}`);
	else if (ready && !interrupted && failed) console.log(`--- server log (last 3000 characters) ---\n${log.slice(-3000)}`);
	await cleanup();
}
if (interrupted) await new Promise(() => {}); // the signal handler ends the process
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
