import {
	AlignmentType, Document, Footer, HeadingLevel, Packer, PageNumber, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType
} from 'docx';
import type { ReportBlock, ReportDocument } from '$lib/ui/annual-report-document';

/*
 * The annual report as a Word document (DOCX): the same blocks as the page,
 * on A4 with the margins of Kazakhstan's office documents (left 30 mm, right
 * 15 mm, top and bottom 20 mm), Times New Roman, the text marked as Kazakh or
 * Russian so Word and LibreOffice check the spelling in the right language.
 * Plain paragraphs and tables only, so the department can edit it before
 * signing.
 */

const MM = 56.7; // twips per millimetre
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { left: Math.round(30 * MM), right: Math.round(15 * MM), top: Math.round(20 * MM), bottom: Math.round(20 * MM) };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const LANG_TAG = { kk: 'kk-KZ', ru: 'ru-RU' } as const;
const FONT = 'Times New Roman';

function cell(text: string, opts: { width: number; bold?: boolean; right?: boolean; header?: boolean }): TableCell {
	return new TableCell({
		width: { size: opts.width, type: WidthType.DXA },
		margins: { top: 40, bottom: 40, left: 80, right: 80 },
		shading: opts.header ? { fill: 'EDEDED' } : undefined,
		children: [new Paragraph({
			alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
			children: [new TextRun({ text, bold: opts.bold, size: 20 })]
		})]
	});
}

function table(b: Extract<ReportBlock, { kind: 'table' }>): Table {
	const sum = b.widths.reduce((s, w) => s + w, 0);
	const widths = b.widths.map((w) => Math.floor((w / sum) * TEXT_WIDTH));
	const row = (values: string[], opts: { bold?: boolean; header?: boolean }) =>
		new TableRow({
			tableHeader: opts.header,
			cantSplit: true,
			children: values.map((v, i) => cell(v, { width: widths[i]!, bold: opts.bold, header: opts.header, right: !opts.header && b.numeric[i] }))
		});
	return new Table({
		width: { size: TEXT_WIDTH, type: WidthType.DXA },
		columnWidths: widths,
		layout: TableLayoutType.FIXED,
		rows: [
			row(b.head, { bold: true, header: true }),
			...b.rows.map((r) => row(r, {})),
			...(b.foot ? [row(b.foot, { bold: true })] : [])
		]
	});
}

function blockOf(b: ReportBlock): Array<Paragraph | Table> {
	switch (b.kind) {
		case 'title':
			return [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: b.text, bold: true, size: 28 })] })];
		case 'subtitle':
			return [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new TextRun({ text: b.text, bold: true })] })];
		case 'heading':
			return [new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240, after: 120 }, children: [new TextRun({ text: b.text })] })];
		case 'paragraph': {
			// What the system does not record is left in italics, to be replaced before signing.
			const runs = [...(b.text ? [new TextRun(b.text)] : []), ...(b.fill ? [new TextRun({ text: b.text ? ` ${b.fill}` : b.fill, italics: true })] : [])];
			return [new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: Math.round(12.5 * MM) }, spacing: { before: 60, after: 60 }, children: runs })];
		}
		case 'list':
			return b.items.map((text, i) =>
				new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: Math.round(12.5 * MM) }, spacing: { after: 40 }, children: [new TextRun(`${i + 1}. ${text}`)] }));
		case 'table':
			// An empty paragraph after the table keeps two tables (or a table and a heading) apart in Word.
			return [table(b), new Paragraph({ spacing: { after: 60 }, children: [] })];
	}
}

/** The report as DOCX bytes. */
export async function annualReportDocx(doc: ReportDocument): Promise<Buffer> {
	const language = { value: LANG_TAG[doc.lang] };
	const document = new Document({
		creator: 'Sapa',
		title: doc.title,
		styles: {
			default: {
				document: { run: { font: FONT, size: 24, language }, paragraph: { spacing: { line: 264 } } },
				heading1: { run: { font: FONT, size: 26, bold: true, color: '000000', language }, paragraph: { keepNext: true } }
			}
		},
		sections: [{
			properties: {
				page: { size: PAGE, margin: MARGIN }
			},
			footers: {
				default: new Footer({
					children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: [PageNumber.CURRENT], size: 18 })] })]
				})
			},
			children: doc.blocks.flatMap(blockOf)
		}]
	});
	return Packer.toBuffer(document);
}
