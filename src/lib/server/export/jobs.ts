import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/*
 * Exports too large to stream while the person waits on one request: each is a job that writes
 * a temporary file and reports how many rows it has written, so a page can show progress and
 * then offer the file. Kept in this process's memory (a restart forgets them; their files are
 * swept at the next start). A job belongs to the person who started it: to anyone else it does
 * not exist. Its file is deleted 15 minutes after it finished; a person runs at most two at once.
 */

export type JobState = 'running' | 'done' | 'failed';

export interface JobStatus {
	state: JobState;
	written: number;
	total: number;
}

export interface JobFile {
	/** The file name offered to the browser. */
	name: string;
	contentType: string;
}

/** Writes the export to `out` (which it ends), calling `progress` with the rows written so far. */
export type JobRun = (out: Writable, progress: (written: number) => void) => Promise<unknown>;

export interface JobDownload extends JobFile {
	size: number;
	stream: Readable;
}

/** What the job is about, kept for the permission check of each later request. */
export type JobSubject = Record<string, unknown>;

interface Job<S extends JobSubject> {
	id: string;
	userId: number;
	subject: S;
	file: JobFile;
	path: string;
	state: JobState;
	written: number;
	total: number;
	startedAt: number;
	/** When it finished (done or failed); the file goes 15 minutes later. */
	finishedAt: number | null;
}

export class TooManyJobsError extends Error {
	constructor(readonly limit: number) {
		super(`at most ${limit} exports run at once per person`);
	}
}

export interface JobRegistryOptions {
	/** Where the files go; os.tmpdir()/sapa-exports by default. */
	dir?: string;
	/** The clock (tests inject one). */
	now?: () => number;
	/** How long a finished job's file is kept. */
	ttlMs?: number;
	maxRunningPerUser?: number;
	/** Called with a job's failure (the server logs it). */
	onError?: (err: unknown, id: string) => void;
}

export const JOB_TTL_MS = 15 * 60_000;
export const MAX_RUNNING_PER_USER = 2;

export class ExportJobs<S extends JobSubject = JobSubject> {
	readonly dir: string;
	private readonly now: () => number;
	private readonly ttlMs: number;
	private readonly maxRunning: number;
	private readonly onError: (err: unknown, id: string) => void;
	private readonly jobs = new Map<string, Job<S>>();
	private readonly pending = new Map<string, Promise<void>>();

	constructor(options: JobRegistryOptions = {}) {
		this.dir = options.dir ?? path.join(os.tmpdir(), 'sapa-exports');
		this.now = options.now ?? Date.now;
		this.ttlMs = options.ttlMs ?? JOB_TTL_MS;
		this.maxRunning = options.maxRunningPerUser ?? MAX_RUNNING_PER_USER;
		this.onError = options.onError ?? ((err, id) => console.error(`export job ${id} failed:`, err));
	}

	/**
	 * Starts `run` writing a new temporary file; returns the job's id (128 random bits: not
	 * guessable, so not enumerable). Throws TooManyJobsError when the person already runs the most.
	 */
	start(userId: number, total: number, file: JobFile, subject: S, run: JobRun): string {
		this.sweep();
		const running = [...this.jobs.values()].filter((j) => j.userId === userId && j.state === 'running').length;
		if (running >= this.maxRunning) throw new TooManyJobsError(this.maxRunning);
		fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		const id = randomBytes(16).toString('base64url');
		const job: Job<S> = {
			id, userId, subject, file, path: path.join(this.dir, `${id}.part`), state: 'running', written: 0, total,
			startedAt: this.now(), finishedAt: null
		};
		this.jobs.set(id, job);
		this.pending.set(id, this.execute(job, run).finally(() => this.pending.delete(id)));
		return id;
	}

	private async execute(job: Job<S>, run: JobRun): Promise<void> {
		const out = fs.createWriteStream(job.path, { mode: 0o600 });
		// The file itself failing (disk full, folder gone) fails the job, even while `run` waits on it.
		const broken = new Promise<never>((_, reject) => out.on('error', reject));
		broken.catch(() => {});
		try {
			await Promise.race([
				run(out, (n) => {
					job.written = n;
				}),
				broken
			]);
			if (!out.writableEnded) out.end();
			await Promise.race([finished(out), broken]);
			job.state = 'done';
			if (job.written > job.total) job.total = job.written;
		} catch (err) {
			job.state = 'failed';
			out.destroy();
			fs.rmSync(job.path, { force: true });
			this.onError(err, job.id);
		} finally {
			job.finishedAt = this.now();
		}
		// Expired while it ran (a clock jump, a test): nothing to keep.
		this.sweep();
	}

	private visible(id: string, userId: number): Job<S> | null {
		this.sweep();
		const job = this.jobs.get(id);
		return job && job.userId === userId ? job : null;
	}

	/** The job's state and rows written of the total, or null: no such job, expired, or someone else's. */
	status(id: string, userId: number): JobStatus | null {
		const job = this.visible(id, userId);
		return job && { state: job.state, written: job.written, total: job.total };
	}

	/** What the job was started about (for the caller's permission check), or null as status() is. */
	subject(id: string, userId: number): S | null {
		return this.visible(id, userId)?.subject ?? null;
	}

	/** The finished file as a stream, or null: not done, failed, expired, or someone else's. */
	file(id: string, userId: number): JobDownload | null {
		const job = this.visible(id, userId);
		if (!job || job.state !== 'done') return null;
		// Opened now: a download under way survives the file's deletion at expiry.
		let fd: number;
		try {
			fd = fs.openSync(job.path, 'r');
		} catch {
			return null;
		}
		return { ...job.file, size: fs.fstatSync(fd).size, stream: fs.createReadStream('', { fd }) };
	}

	/** Deletes the files of jobs that finished more than the time to live ago. */
	sweep(): void {
		const now = this.now();
		for (const job of this.jobs.values()) {
			if (job.finishedAt === null || now - job.finishedAt < this.ttlMs) continue;
			this.jobs.delete(job.id);
			fs.rmSync(job.path, { force: true });
		}
	}

	/** Resolves when every job started so far has finished (tests, shutdown). */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
	}

	/** Files left by an earlier process (this one never wrote them): removed once they are older than the time to live. */
	sweepOrphans(): void {
		let names: string[];
		try {
			names = fs.readdirSync(this.dir);
		} catch {
			return;
		}
		const now = this.now();
		for (const name of names) {
			if (!name.endsWith('.part') || this.jobs.has(name.slice(0, -'.part'.length))) continue;
			const file = path.join(this.dir, name);
			try {
				if (now - fs.statSync(file).mtimeMs >= this.ttlMs) fs.rmSync(file, { force: true });
			} catch {
				// gone already
			}
		}
	}
}

let shared: ExportJobs | null = null;

/** The server's registry: one per process, swept every minute (the timer never keeps the process alive). */
export function exportJobs(): ExportJobs {
	if (!shared) {
		const jobs = new ExportJobs();
		jobs.sweepOrphans();
		setInterval(() => {
			jobs.sweep();
			jobs.sweepOrphans();
		}, 60_000).unref();
		shared = jobs;
	}
	return shared;
}
