import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * One process per embedded-database folder. Two PGlite instances writing the same files
 * would corrupt them, so the app, `npm run backup` and `npm run restore` all take this lock.
 *
 * The lock is a directory, `<folder>/sapa.lock`, made with mkdir (atomic), holding
 * owner.json: process id, host, the process's start time and the machine's boot id. A lock
 * whose owner is gone (kill -9, a crash, a reboot) is taken over at once, on the same
 * machine; no heartbeat, no waiting for it to go stale. A lock held from another machine
 * (a shared folder) is never taken over: the message says which one holds it.
 */

export interface LockOwner {
	pid: number;
	host: string;
	/** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat field 22). */
	startTicks: string | null;
	/** Linux: changes at every boot, so a lock left before a reboot is recognisably old. */
	bootId: string | null;
	since: string;
	/** What holds it: 'server', 'backup', 'restore'. */
	purpose: string;
}

export class DataDirLockedError extends Error {
	constructor(
		dir: string,
		readonly owner: LockOwner | null
	) {
		const who = owner
			? ` (process ${owner.pid}${owner.host !== os.hostname() ? ` on ${owner.host}` : ''}, ${owner.purpose}, since ${owner.since})`
			: '';
		super(
			`The data folder ${dir} is already in use by another Sapa process${who}. ` +
				`Stop that process, or set SAPA_DATA_DIR to another folder.` +
				(owner && owner.host !== os.hostname()
					? ` If ${owner.host} is gone for good, delete ${path.join(dir, LOCK_DIR)} by hand.`
					: '')
		);
		this.name = 'DataDirLockedError';
	}
}

const LOCK_DIR = 'sapa.lock';
const OWNER = 'owner.json';
/** A lock directory without owner.json (its maker died between mkdir and write) counts as left over after this long. */
const ORPHAN_MS = 10_000;

function readText(file: string): string | null {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

function procStartTicks(pid: number): string | null {
	const stat = readText(`/proc/${pid}/stat`);
	if (!stat) return null;
	// Field 2 (the command) may hold spaces and parentheses: count from the last ')'.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return fields[19] ?? null; // field 22 overall
}

const bootId = () => readText('/proc/sys/kernel/random/boot_id')?.trim() || null;

function describeSelf(purpose: string): LockOwner {
	return {
		pid: process.pid,
		host: os.hostname(),
		startTicks: procStartTicks(process.pid),
		bootId: bootId(),
		since: new Date().toISOString(),
		purpose
	};
}

function readOwner(lockDir: string): LockOwner | null {
	const text = readText(path.join(lockDir, OWNER));
	if (!text) return null;
	try {
		return JSON.parse(text) as LockOwner;
	} catch {
		return null;
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** 'gone' only when sure; a lock of another machine is always 'alive' (cannot be checked from here). */
function ownerState(lockDir: string, owner: LockOwner | null): 'alive' | 'gone' {
	if (!owner) {
		const age = (() => {
			try {
				return Date.now() - fs.statSync(lockDir).mtimeMs;
			} catch {
				return 0;
			}
		})();
		return age > ORPHAN_MS ? 'gone' : 'alive';
	}
	if (owner.host !== os.hostname()) return 'alive';
	const boot = bootId();
	if (owner.bootId && boot && owner.bootId !== boot) return 'gone';
	if (!processAlive(owner.pid)) return 'gone';
	// The same number may now belong to another process: compare start times where Linux tells them.
	const ticks = procStartTicks(owner.pid);
	if (owner.startTicks && ticks && owner.startTicks !== ticks) return 'gone';
	return 'alive';
}

function tryMake(lockDir: string, purpose: string): boolean {
	try {
		fs.mkdirSync(lockDir);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw err;
	}
	fs.writeFileSync(path.join(lockDir, OWNER), JSON.stringify(describeSelf(purpose)));
	return true;
}

/**
 * Takes the folder's lock or throws DataDirLockedError. Returns the release function
 * (idempotent). Locks are per folder, not per process: a second open in the same process
 * is refused too.
 */
export function lockDataDir(dir: string, purpose = 'server'): () => void {
	fs.mkdirSync(dir, { recursive: true });
	const lockDir = path.join(dir, LOCK_DIR);
	if (!tryMake(lockDir, purpose)) {
		const owner = readOwner(lockDir);
		if (ownerState(lockDir, owner) === 'alive') throw new DataDirLockedError(dir, owner);
		// Left by a process that is gone. Only one taker at a time: an exclusive-create file guards
		// the check-remove-make sequence, so two processes starting after a crash cannot both win.
		const guard = path.join(dir, `${LOCK_DIR}.takeover`);
		let fd: number;
		try {
			fd = fs.openSync(guard, 'wx');
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			// A taker that died mid-way leaves the guard; an old one is removed for the next try.
			try {
				if (Date.now() - fs.statSync(guard).mtimeMs > ORPHAN_MS) fs.rmSync(guard, { force: true });
			} catch {
				/* already gone */
			}
			throw new DataDirLockedError(dir, owner);
		}
		try {
			const again = readOwner(lockDir);
			if (fs.existsSync(lockDir) && ownerState(lockDir, again) === 'alive') throw new DataDirLockedError(dir, again);
			fs.rmSync(lockDir, { recursive: true, force: true });
			if (!tryMake(lockDir, purpose)) throw new DataDirLockedError(dir, readOwner(lockDir));
		} finally {
			fs.closeSync(fd);
			fs.rmSync(guard, { force: true });
		}
	}
	let released = false;
	return () => {
		if (released) return;
		released = true;
		// Only our own lock is removed, never one taken over meanwhile.
		const owner = readOwner(lockDir);
		if (owner && owner.pid === process.pid && owner.host === os.hostname()) fs.rmSync(lockDir, { recursive: true, force: true });
	};
}

/** Who holds the folder's lock, when someone alive does (for messages and `npm run backup`). */
export function lockHolder(dir: string): LockOwner | null {
	const lockDir = path.join(dir, LOCK_DIR);
	if (!fs.existsSync(lockDir)) return null;
	const owner = readOwner(lockDir);
	return ownerState(lockDir, owner) === 'alive' ? owner : null;
}
