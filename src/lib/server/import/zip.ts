import { inflateRawSync } from 'node:zlib';

/*
 * A look inside an XLSX (a zip archive) before any spreadsheet library opens
 * it, so a "zip bomb" (a few kilobytes that inflate to gigabytes) is refused
 * instead of filling the server's memory. The central directory at the end of
 * the archive declares every entry's sizes; those are checked against the
 * limits first. A declaration can lie, so each entry is then inflated with a
 * hard cap at its declared size, and the archive's local entries must follow
 * one another exactly as the directory lists them: a streaming reader (which
 * reads local headers, not the directory) then meets nothing undeclared.
 */

export interface ZipEntry {
	name: string;
	flags: number;
	method: number;
	compressedSize: number;
	uncompressedSize: number;
	localOffset: number;
}

export interface ZipLimits {
	/** The most bytes all entries together may inflate to. */
	maxUncompressedBytes: number;
	maxEntries: number;
	/** The highest uncompressed/compressed ratio of an entry larger than RATIO_FLOOR_BYTES. */
	maxRatio: number;
}

/** Small entries may compress absurdly well without harm (an empty sheet, a 0-filled style table). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export type ZipProblem = 'zip_unreadable' | 'zip_too_large' | 'zip_ratio' | 'zip_entries';
export type ZipVerdict = { ok: true; entries: ZipEntry[]; uncompressedBytes: number } | { ok: false; problem: ZipProblem };

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const ZIP64_MARK = 0xffffffff;

export function isZip(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function view(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The end-of-central-directory record: within the last 22 + 65 535 (comment) bytes. */
function findEndRecord(dv: DataView): number {
	const last = dv.byteLength - 22;
	for (let at = last; at >= Math.max(0, last - 0xffff); at--) {
		if (dv.getUint32(at, true) === SIG_EOCD && at + 22 + dv.getUint16(at + 20, true) === dv.byteLength) return at;
	}
	return -1;
}

/** Reads the central directory and checks the declared sizes against the limits. Nothing is inflated. */
export function inspectZip(bytes: Uint8Array, limits: ZipLimits): ZipVerdict {
	const bad = (problem: ZipProblem): ZipVerdict => ({ ok: false, problem });
	if (bytes.byteLength < 22) return bad('zip_unreadable');
	const dv = view(bytes);
	const end = findEndRecord(dv);
	if (end < 0) return bad('zip_unreadable');
	const count = dv.getUint16(end + 10, true);
	const size = dv.getUint32(end + 12, true);
	const offset = dv.getUint32(end + 16, true);
	// ZIP64 markers: no spreadsheet within the upload limit needs them.
	if (count === 0xffff || size === ZIP64_MARK || offset === ZIP64_MARK) return bad('zip_unreadable');
	if (count > limits.maxEntries) return bad('zip_entries');
	if (offset + size > end) return bad('zip_unreadable');

	const entries: ZipEntry[] = [];
	let total = 0;
	let at = offset;
	for (let i = 0; i < count; i++) {
		if (at + 46 > end || dv.getUint32(at, true) !== SIG_CENTRAL) return bad('zip_unreadable');
		const nameLength = dv.getUint16(at + 28, true);
		const entry: ZipEntry = {
			flags: dv.getUint16(at + 8, true),
			method: dv.getUint16(at + 10, true),
			compressedSize: dv.getUint32(at + 20, true),
			uncompressedSize: dv.getUint32(at + 24, true),
			localOffset: dv.getUint32(at + 42, true),
			name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength))
		};
		if (entry.compressedSize === ZIP64_MARK || entry.uncompressedSize === ZIP64_MARK || entry.localOffset === ZIP64_MARK) return bad('zip_unreadable');
		total += entry.uncompressedSize;
		if (entry.uncompressedSize > limits.maxUncompressedBytes || total > limits.maxUncompressedBytes) return bad('zip_too_large');
		if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)) return bad('zip_ratio');
		entries.push(entry);
		at += 46 + nameLength + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
	}
	return { ok: true, entries, uncompressedBytes: total };
}

/**
 * Inflates every entry with a cap at its declared size (more output fails),
 * and checks that the local entries lie back to back from the start of the
 * file to the central directory, as declared. False: the archive lies or is broken.
 */
export function verifyZipEntries(bytes: Uint8Array, entries: readonly ZipEntry[]): boolean {
	const dv = view(bytes);
	const end = findEndRecord(dv);
	const directoryOffset = dv.getUint32(end + 16, true);
	const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
	let expected = 0;
	for (const e of ordered) {
		// Encrypted entries, or methods other than stored and deflate, are not spreadsheets we read.
		if (e.flags & 0x1 || (e.method !== 0 && e.method !== 8)) return false;
		const at = e.localOffset;
		if (at !== expected || at + 30 > bytes.byteLength || dv.getUint32(at, true) !== SIG_LOCAL) return false;
		const dataStart = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
		const dataEnd = dataStart + e.compressedSize;
		if (dataEnd > directoryOffset) return false;
		const data = bytes.subarray(dataStart, dataEnd);
		if (e.method === 0) {
			if (e.compressedSize !== e.uncompressedSize) return false;
		} else {
			try {
				const out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
				if (out.byteLength !== e.uncompressedSize) return false;
			} catch {
				return false;
			}
		}
		expected = dataEnd;
		// Bit 3: sizes follow the data in a descriptor (12 bytes, or 16 with its optional signature).
		if (e.flags & 0x8) expected += dataEnd + 4 <= bytes.byteLength && dv.getUint32(dataEnd, true) === SIG_DESCRIPTOR ? 16 : 12;
	}
	return expected === directoryOffset;
}

/** Both checks: the declared sizes within the limits, then the declaration held true. */
export function checkZip(bytes: Uint8Array, limits: ZipLimits): ZipVerdict {
	const verdict = inspectZip(bytes, limits);
	if (!verdict.ok) return verdict;
	return verifyZipEntries(bytes, verdict.entries) ? verdict : { ok: false, problem: 'zip_unreadable' };
}
