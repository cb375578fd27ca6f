import { PassThrough } from 'node:stream';
import * as excelNamespace from 'exceljs';
import type { VolumeChannel } from '../db/schema';
import { FIGURE_COLUMNS, volumeItem, type FigureColumn } from '../import/figures';
import type { TemplateOrganization, TemplateSource } from '../queries/figures-import';
import { neutralizeCell } from './organizations';

/*
 * The figures template: one row per value the year asks of each organization
 * in a subtree (every provided service × every reported indicator, and the
 * three channels of served volumes), prefilled with what is stored, so a
 * downloaded file loads back unchanged. Pure: source and words in, bytes out.
 */

const ExcelJS = ((excelNamespace as unknown as { default?: typeof excelNamespace }).default ?? excelNamespace) as typeof excelNamespace;
const CHANNELS: readonly VolumeChannel[] = ['provider', 'state_corporation', 'egov'];

export interface TemplateRow {
	orgCode: string;
	orgName: string;
	serviceCode: string;
	serviceTitle: string;
	year: number;
	item: string;
	itemTitle: string;
	numerator: number | null;
	denominator: number | null;
	count: number | null;
	comment: string | null;
}

/** The words of the template in the reader's language. */
export interface TemplateTexts {
	organization(o: TemplateOrganization): string;
	service(s: TemplateSource['services'][number]): string;
	indicator(i: TemplateSource['indicators'][number]): string;
	channel(c: VolumeChannel): string;
	noServices: string;
}

/**
 * Rows in reading order: the chosen organization first, then the rest of its
 * subtree by code. An organization that provided nothing that year keeps one
 * row without a service, so the file shows it was not forgotten (a row with
 * no values is skipped on import).
 */
export function templateRows(source: TemplateSource, rootId: number, year: number, texts: TemplateTexts): TemplateRow[] {
	const servicesOf = new Map<number, number[]>();
	for (const p of source.provisions) servicesOf.set(p.organizationId, [...(servicesOf.get(p.organizationId) ?? []), p.serviceId]);
	const organizations = [...source.organizations].sort((a, b) => Number(b.id === rootId) - Number(a.id === rootId) || a.code.localeCompare(b.code));
	const blank = { numerator: null, denominator: null, count: null, comment: null };
	const rows: TemplateRow[] = [];
	for (const o of organizations) {
		const orgName = texts.organization(o);
		const provided = new Set(servicesOf.get(o.id) ?? []);
		const services = source.services.filter((s) => provided.has(s.id));
		if (services.length === 0) {
			rows.push({ orgCode: o.code, orgName, serviceCode: '', serviceTitle: texts.noServices, year, item: '', itemTitle: '', ...blank });
			continue;
		}
		for (const s of services) {
			const base = { orgCode: o.code, orgName, serviceCode: s.code, serviceTitle: texts.service(s), year };
			for (const i of source.indicators) {
				const f = source.figures.get(`${o.id}:${s.id}:${i.id}`);
				rows.push({ ...base, item: i.code, itemTitle: texts.indicator(i), ...blank, ...(f && { numerator: f.numerator, denominator: f.denominator, comment: f.comment }) });
			}
			for (const c of CHANNELS) {
				const v = source.volumes.get(`${o.id}:${s.id}:${c}`);
				rows.push({ ...base, item: volumeItem(c), itemTitle: texts.channel(c), ...blank, ...(v && { count: v.count, comment: v.comment }) });
			}
		}
	}
	return rows;
}

function values(r: TemplateRow): Record<FigureColumn, string | number | null> {
	const text = (s: string | null) => (s === null || s === '' ? null : neutralizeCell(s));
	return {
		org_code: r.orgCode, org_name: text(r.orgName), service_code: r.serviceCode || null, service_title: text(r.serviceTitle), year: r.year,
		item: r.item || null, item_title: text(r.itemTitle), numerator: r.numerator, denominator: r.denominator, count: r.count, comment: text(r.comment)
	};
}

function csvField(value: string | number | null): string {
	const s = value === null ? '' : String(value);
	return /[";,\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** UTF-8 with a byte-order mark and `;` between fields: what Excel in ru/kk locales opens directly. */
export function templateToCsv(rows: readonly TemplateRow[], titles: Record<FigureColumn, string>): Uint8Array {
	const lines = [FIGURE_COLUMNS.map((c) => csvField(titles[c])).join(';')];
	for (const r of rows) {
		const v = values(r);
		lines.push(FIGURE_COLUMNS.map((c) => csvField(v[c])).join(';'));
	}
	return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n');
}

const WIDTHS: Record<FigureColumn, number> = {
	org_code: 16, org_name: 40, service_code: 10, service_title: 48, year: 7, item: 18, item_title: 48,
	numerator: 12, denominator: 13, count: 14, comment: 36
};
const TEXT_COLUMNS = new Set<FigureColumn>(['org_code', 'org_name', 'service_code', 'service_title', 'item', 'item_title', 'comment']);

/**
 * The header frozen in view, codes and items kept as text (so "1.1" never
 * turns into a number or a date), counts as numbers. Written as a stream:
 * a region's template of many thousand rows stays small in memory.
 */
export async function templateToXlsx(rows: readonly TemplateRow[], titles: Record<FigureColumn, string>, sheetName: string): Promise<Uint8Array> {
	const sink = new PassThrough();
	const chunks: Buffer[] = [];
	sink.on('data', (c: Buffer) => chunks.push(c));
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: true });
	workbook.creator = 'Sapa';
	const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = FIGURE_COLUMNS.map((c) => ({ key: c, width: WIDTHS[c], style: TEXT_COLUMNS.has(c) ? { numFmt: '@' } : { numFmt: '0' } }));
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FIGURE_COLUMNS.length } };
	const header = sheet.addRow(FIGURE_COLUMNS.map((c) => titles[c]));
	header.font = { bold: true };
	header.alignment = { wrapText: true, vertical: 'top' };
	header.commit();
	for (const r of rows) {
		const v = values(r);
		sheet.addRow(FIGURE_COLUMNS.map((c) => v[c])).commit();
	}
	sheet.commit();
	await workbook.commit();
	return new Uint8Array(Buffer.concat(chunks));
}

/** figures-RUDNY-EDU-2024.xlsx */
export function templateFileName(orgCode: string, year: number, extension: 'csv' | 'xlsx'): string {
	return `figures-${orgCode.replace(/[^A-Za-z0-9._-]/g, '_')}-${year}.${extension}`;
}
