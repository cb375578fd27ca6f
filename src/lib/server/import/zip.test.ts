import { deflateRawSync } from 'node:zlib';
import * as excelNamespace from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkZip, inspectZip, isZip, type ZipLimits } from './zip';

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

const limits: ZipLimits = { maxUncompressedBytes: 8 * 1024 * 1024, maxEntries: 50, maxRatio: 100 };

interface Part { name: string; content: Uint8Array; declaredSize?: number; inDirectory?: boolean }

/** A minimal zip writer, so tests can build archives that lie about themselves. */
function buildZip(parts: Part[]): Uint8Array {
	const chunks: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	let listed = 0;
	for (const p of parts) {
		const name = Buffer.from(p.name);
		const data = deflateRawSync(p.content);
		const size = p.declaredSize ?? p.content.byteLength;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(data.byteLength, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.byteLength, 26);
		if (p.inDirectory !== false) {
			const c = Buffer.alloc(46);
			c.writeUInt32LE(0x02014b50, 0);
			c.writeUInt16LE(20, 4);
			c.writeUInt16LE(20, 6);
			c.writeUInt16LE(8, 10);
			c.writeUInt32LE(data.byteLength, 20);
			c.writeUInt32LE(size, 24);
			c.writeUInt16LE(name.byteLength, 28);
			c.writeUInt32LE(offset, 42);
			central.push(c, name);
			listed++;
		}
		chunks.push(local, name, data);
		offset += 30 + name.byteLength + data.byteLength;
	}
	const dir = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(listed, 8);
	end.writeUInt16LE(listed, 10);
	end.writeUInt32LE(dir.byteLength, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...chunks, dir, end]));
}

const text = (s: string) => new TextEncoder().encode(s);

describe('zip inspection (before exceljs sees the bytes)', () => {
	it('accepts a workbook written by exceljs, buffered or streamed', async () => {
		const wb = new ExcelJS.Workbook();
		wb.addWorksheet('s').addRow(['org_code', 'Қазақ әліпбиі', 2024]);
		const buffered = new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
		expect(isZip(buffered)).toBe(true);
		expect(checkZip(buffered, limits)).toMatchObject({ ok: true });

		const { PassThrough } = await import('node:stream');
		const sink = new PassThrough();
		const chunks: Buffer[] = [];
		sink.on('data', (c: Buffer) => chunks.push(c));
		const streamed = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true });
		const sheet = streamed.addWorksheet('s');
		for (let i = 0; i < 100; i++) sheet.addRow(['ORG', i]).commit();
		sheet.commit();
		await streamed.commit();
		const verdict = checkZip(new Uint8Array(Buffer.concat(chunks)), limits);
		expect(verdict).toMatchObject({ ok: true });
	});

	it('accepts a small honest archive and sums its declared sizes', () => {
		const zip = buildZip([{ name: 'a.xml', content: text('<a/>') }, { name: 'b.xml', content: text('<b>Қазақ</b>') }]);
		const verdict = inspectZip(zip, limits);
		expect(verdict.ok && verdict.uncompressedBytes).toBe(4 + text('<b>Қазақ</b>').byteLength);
		expect(checkZip(zip, limits).ok).toBe(true);
	});

	it('refuses a zip bomb whose directory declares more than the limit (zip_too_large)', () => {
		const zeros = new Uint8Array(9 * 1024 * 1024);
		expect(checkZip(buildZip([{ name: 'xl/worksheets/sheet1.xml', content: zeros }]), limits)).toEqual({ ok: false, problem: 'zip_too_large' });
	});

	it('refuses entries that add up past the limit', () => {
		const part = new Uint8Array(3 * 1024 * 1024).fill(65);
		const zip = buildZip([1, 2, 3].map((n) => ({ name: `xl/worksheets/sheet${n}.xml`, content: part })));
		expect(inspectZip(zip, { ...limits, maxRatio: 1e9 })).toEqual({ ok: false, problem: 'zip_too_large' });
	});

	it('refuses an absurd compression ratio even within the size limit (zip_ratio)', () => {
		const zeros = new Uint8Array(4 * 1024 * 1024);
		expect(checkZip(buildZip([{ name: 'xl/worksheets/sheet1.xml', content: zeros }]), limits)).toEqual({ ok: false, problem: 'zip_ratio' });
	});

	it('refuses an archive whose directory under-declares what an entry inflates to', () => {
		const zeros = new Uint8Array(4 * 1024 * 1024);
		const zip = buildZip([{ name: 'xl/worksheets/sheet1.xml', content: zeros, declaredSize: 1000 }]);
		expect(inspectZip(zip, limits).ok).toBe(true);
		expect(checkZip(zip, limits)).toEqual({ ok: false, problem: 'zip_unreadable' });
	});

	it('refuses a local entry the directory does not list (a streaming reader would read it)', () => {
		const zip = buildZip([
			{ name: 'xl/workbook.xml', content: text('<w/>') },
			{ name: 'xl/worksheets/sheet1.xml', content: text('<hidden/>'), inDirectory: false }
		]);
		expect(inspectZip(zip, limits).ok).toBe(true);
		expect(checkZip(zip, limits)).toEqual({ ok: false, problem: 'zip_unreadable' });
	});

	it('refuses too many entries', () => {
		const zip = buildZip(Array.from({ length: 51 }, (_, i) => ({ name: `p${i}.xml`, content: text('<p/>') })));
		expect(checkZip(zip, limits)).toEqual({ ok: false, problem: 'zip_entries' });
	});

	it('refuses bytes that are not a zip archive, or a truncated one', () => {
		expect(checkZip(text('org_code;year\n'), limits)).toEqual({ ok: false, problem: 'zip_unreadable' });
		const zip = buildZip([{ name: 'a.xml', content: text('<a/>') }]);
		expect(checkZip(zip.subarray(0, zip.byteLength - 5), limits)).toEqual({ ok: false, problem: 'zip_unreadable' });
	});
});
