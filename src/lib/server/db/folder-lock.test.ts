import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, lockHolder, type LockOwner } from './folder-lock';

const dirs: string[] = [];
const tmp = () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sapa-lock-'));
	dirs.push(d);
	return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A process id that was just in use and is not any more. */
function deadPid(): number {
	const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
	return Number(r.stdout.toString());
}

function leaveLock(dir: string, owner: Partial<LockOwner> | null, ageMs = 0) {
	const lock = path.join(dir, 'sapa.lock');
	fs.mkdirSync(lock, { recursive: true });
	if (owner) {
		const full: LockOwner = { pid: deadPid(), host: os.hostname(), startTicks: null, bootId: null, since: new Date().toISOString(), purpose: 'server', ...owner };
		fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify(full));
	}
	if (ageMs) {
		const t = new Date(Date.now() - ageMs);
		fs.utimesSync(lock, t, t);
	}
}

describe('data folder lock', () => {
	it('one holder at a time, released for the next', () => {
		const dir = tmp();
		const release = lockDataDir(dir);
		expect(lockHolder(dir)?.pid).toBe(process.pid);
		expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
		expect(() => lockDataDir(dir)).toThrow(/already in use by another Sapa process \(process \d+, server/);
		release();
		release();
		expect(lockHolder(dir)).toBeNull();
		lockDataDir(dir, 'backup')();
	});

	it('a lock left by a process that died (kill -9) is taken over at once', () => {
		const dir = tmp();
		leaveLock(dir, {});
		expect(lockHolder(dir)).toBeNull();
		const release = lockDataDir(dir);
		expect(lockHolder(dir)?.pid).toBe(process.pid);
		release();
	});

	it('a lock from before the last reboot is taken over, even if its process number is alive now', () => {
		const dir = tmp();
		leaveLock(dir, { pid: process.pid === 1 ? 2 : 1, bootId: 'another-boot' });
		const boot = fs.existsSync('/proc/sys/kernel/random/boot_id');
		if (boot) lockDataDir(dir)();
		else expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
	});

	it('a live process keeps its lock', () => {
		const dir = tmp();
		leaveLock(dir, { pid: process.ppid, startTicks: null });
		expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
		expect(lockHolder(dir)?.pid).toBe(process.ppid);
	});

	it('a lock held from another machine is never taken over, and the message names the machine', () => {
		const dir = tmp();
		leaveLock(dir, { host: 'other-server', pid: 4242 });
		expect(() => lockDataDir(dir)).toThrow(/process 4242 on other-server.*If other-server is gone for good, delete/);
	});

	it('a lock folder without its owner note: young, in use (being made); old, left over', () => {
		const young = tmp();
		leaveLock(young, null);
		expect(() => lockDataDir(young)).toThrow(DataDirLockedError);
		const old = tmp();
		leaveLock(old, null, 60_000);
		lockDataDir(old)();
	});
});
