import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportJobs, JOB_TTL_MS, TooManyJobsError } from './jobs';

/* The registry of export jobs: ownership, progress, failure, the limit per person, expiry by an injected clock. */

let dir: string;
let clock: number;
const now = () => clock;
const file = { name: 'cells.csv', contentType: 'text/csv; charset=utf-8' };
const subject = { organizationId: 7 };
const quiet = () => {};

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-jobs-test-'));
	clock = 1_000_000;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A run that writes `rows` lines, reporting each, and waits for `gate` (when given) before ending. */
function lines(rows: number, gate?: Promise<void>) {
	return async (out: Writable, progress: (n: number) => void) => {
		for (let i = 1; i <= rows; i++) {
			out.write(`row ${i}\n`);
			progress(i);
		}
		await gate;
		out.end();
	};
}

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

describe('export jobs', () => {
	it('runs a job to done, shows its progress to its owner and serves the file', async () => {
		const jobs = new ExportJobs({ dir, now, onError: quiet });
		const gate = deferred();
		const id = jobs.start(1, 3, file, subject, lines(3, gate.promise));
		expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
		await new Promise((r) => setImmediate(r));
		expect(jobs.status(id, 1)).toEqual({ state: 'running', written: 3, total: 3 });
		expect(jobs.file(id, 1)).toBeNull();
		gate.resolve();
		await jobs.settled();
		expect(jobs.status(id, 1)).toEqual({ state: 'done', written: 3, total: 3 });
		expect(jobs.subject(id, 1)).toEqual(subject);
		const download = jobs.file(id, 1);
		expect(download).not.toBeNull();
		expect(download!.name).toBe('cells.csv');
		expect(download!.contentType).toBe(file.contentType);
		const body = await text(download!.stream);
		expect(body).toBe('row 1\nrow 2\nrow 3\n');
		expect(download!.size).toBe(Buffer.byteLength(body));
		expect(path.dirname(fs.readdirSync(dir).map((f) => path.join(dir, f))[0]!)).toBe(dir);
	});

	it('makes ids that differ every time', async () => {
		const jobs = new ExportJobs({ dir, now, onError: quiet, maxRunningPerUser: 100 });
		const ids = new Set(Array.from({ length: 50 }, () => jobs.start(1, 0, file, subject, lines(0))));
		expect(ids.size).toBe(50);
		await jobs.settled();
	});

	it('shows a job to nobody but its owner', async () => {
		const jobs = new ExportJobs({ dir, now, onError: quiet });
		const id = jobs.start(1, 2, file, subject, lines(2));
		await jobs.settled();
		expect(jobs.status(id, 2)).toBeNull();
		expect(jobs.subject(id, 2)).toBeNull();
		expect(jobs.file(id, 2)).toBeNull();
		expect(jobs.status('AAAAAAAAAAAAAAAAAAAAAA', 1)).toBeNull();
		expect(jobs.status(id, 1)?.state).toBe('done');
	});

	it('marks a job that throws as failed and removes its partial file', async () => {
		const errors: unknown[] = [];
		const jobs = new ExportJobs({ dir, now, onError: (e) => errors.push(e) });
		const id = jobs.start(1, 10, file, subject, async (out, progress) => {
			out.write('row 1\n');
			progress(1);
			throw new Error('the database went away');
		});
		await jobs.settled();
		expect(jobs.status(id, 1)).toEqual({ state: 'failed', written: 1, total: 10 });
		expect(jobs.file(id, 1)).toBeNull();
		expect(errors).toHaveLength(1);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	it('runs at most two jobs per person at once; a finished one frees its place; others are not limited', async () => {
		const jobs = new ExportJobs({ dir, now, onError: quiet });
		const gates = [deferred(), deferred()];
		jobs.start(1, 1, file, subject, lines(1, gates[0]!.promise));
		jobs.start(1, 1, file, subject, lines(1, gates[1]!.promise));
		expect(() => jobs.start(1, 1, file, subject, lines(1))).toThrow(TooManyJobsError);
		const other = jobs.start(2, 1, file, subject, lines(1));
		expect(jobs.status(other, 2)?.state).toBe('running');
		gates[0]!.resolve();
		await new Promise((r) => setTimeout(r, 20));
		const third = jobs.start(1, 1, file, subject, lines(1));
		gates[1]!.resolve();
		await jobs.settled();
		expect(jobs.status(third, 1)?.state).toBe('done');
	});

	it('forgets a job and deletes its file 15 minutes after it finished, not before', async () => {
		const jobs = new ExportJobs({ dir, now, onError: quiet });
		const gate = deferred();
		const id = jobs.start(1, 1, file, subject, lines(1, gate.promise));
		clock += JOB_TTL_MS * 2; // a long run never expires while it runs
		expect(jobs.status(id, 1)?.state).toBe('running');
		gate.resolve();
		await jobs.settled();
		expect(fs.readdirSync(dir)).toHaveLength(1);
		clock += JOB_TTL_MS - 1;
		expect(jobs.status(id, 1)?.state).toBe('done');
		const download = jobs.file(id, 1);
		expect(download).not.toBeNull();
		clock += 1;
		expect(jobs.status(id, 1)).toBeNull();
		expect(jobs.file(id, 1)).toBeNull();
		expect(fs.readdirSync(dir)).toEqual([]);
		// A download begun before the expiry still reads the whole file.
		expect(await text(download!.stream)).toBe('row 1\n');
	});

	it('sweeps files an earlier process left, once they are older than the time to live', () => {
		const old = path.join(dir, 'Zm9yZ290dGVuLWpvYi1pZA.part');
		const fresh = path.join(dir, 'ZnJlc2gtam9iLWlkLWhlcmU.part');
		fs.writeFileSync(old, 'x');
		fs.writeFileSync(fresh, 'x');
		const t = Date.now();
		fs.utimesSync(old, new Date(t - JOB_TTL_MS - 60_000), new Date(t - JOB_TTL_MS - 60_000));
		new ExportJobs({ dir, now: () => t, onError: quiet }).sweepOrphans();
		expect(fs.readdirSync(dir)).toEqual([path.basename(fresh)]);
	});

	it('fails the job when its file cannot be written', async () => {
		const errors: unknown[] = [];
		const jobs = new ExportJobs({ dir: path.join(dir, 'gone'), now, onError: (e) => errors.push(e) });
		const id = jobs.start(1, 1, file, subject, lines(1, new Promise((r) => setTimeout(r, 50))));
		fs.rmSync(path.join(dir, 'gone'), { recursive: true, force: true });
		await jobs.settled();
		expect(jobs.status(id, 1)?.state).toBe('failed');
		expect(errors).toHaveLength(1);
	});
});
