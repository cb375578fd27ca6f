import * as excelNamespace from 'exceljs';
import type { OrganizationKind } from '../db/schema';

/*
 * Writers for the organization tree as a spreadsheet. Pure: they take rows and
 * labels and return bytes. The same column names are what the importer reads,
 * so an exported file can be edited and loaded back.
 */

// exceljs is CommonJS: under Node's ESM loader only its default export exists.
const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;

export const ORGANIZATION_COLUMNS = ['code', 'parent_code', 'parent_bin', 'kind', 'name_kk', 'name_ru', 'name_en', 'bin', 'active_from'] as const;
export type OrganizationColumn = (typeof ORGANIZATION_COLUMNS)[number];

export interface OrganizationExportRow {
	code: string;
	parentCode: string | null;
	parentBin: string | null;
	kind: OrganizationKind;
	nameKk: string;
	nameRu: string;
	nameEn: string | null;
	bin: string | null;
	activeFrom: string;
}

const WIDTHS: Record<OrganizationColumn, number> = {
	code: 16, parent_code: 16, parent_bin: 15, kind: 18, name_kk: 48, name_ru: 48, name_en: 40, bin: 15, active_from: 12
};

/**
 * A cell a spreadsheet program would read as a formula gets a leading
 * apostrophe (CWE-1236, CSV injection); the importer takes it off again.
 */
export function neutralizeCell(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cells(row: OrganizationExportRow): string[] {
	const values: Record<OrganizationColumn, string | null> = {
		code: row.code, parent_code: row.parentCode, parent_bin: row.parentBin, kind: row.kind, name_kk: row.nameKk,
		name_ru: row.nameRu, name_en: row.nameEn, bin: row.bin, active_from: row.activeFrom
	};
	return ORGANIZATION_COLUMNS.map((c) => neutralizeCell(values[c] ?? ''));
}

function csvField(value: string): string {
	return /[";,\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** UTF-8 with a byte-order mark and `;` between fields, as Excel in ru/kk locales opens it directly. */
export function organizationsToCsv(rows: readonly OrganizationExportRow[]): Uint8Array {
	const lines = [ORGANIZATION_COLUMNS.join(';'), ...rows.map((r) => cells(r).map(csvField).join(';'))];
	return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n');
}

/**
 * Row 1: column titles in the reader's language; row 2: the machine names the
 * importer looks for. Both stay frozen above the data.
 */
export async function organizationsToXlsx(rows: readonly OrganizationExportRow[], titles: Record<OrganizationColumn, string>, sheetName: string): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Sapa';
	const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
	sheet.columns = ORGANIZATION_COLUMNS.map((c) => ({ key: c, width: WIDTHS[c] }));
	const title = sheet.addRow(ORGANIZATION_COLUMNS.map((c) => titles[c]));
	title.font = { bold: true };
	title.alignment = { wrapText: true, vertical: 'top' };
	const machine = sheet.addRow([...ORGANIZATION_COLUMNS]);
	machine.font = { italic: true, color: { argb: 'FF666666' }, size: 9 };
	for (const row of rows) {
		// Every cell is text: codes and BINs keep their leading zeros.
		const added = sheet.addRow(cells(row));
		added.eachCell((cell) => { cell.numFmt = '@'; });
	}
	sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: ORGANIZATION_COLUMNS.length } };
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer as ArrayBuffer);
}

/** A file name with the date, e.g. organizations-2026-11-22.xlsx. */
export function exportFileName(extension: 'csv' | 'xlsx', today: Date): string {
	return `organizations-${today.toISOString().slice(0, 10)}.${extension}`;
}
