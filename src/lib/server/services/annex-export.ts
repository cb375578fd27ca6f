import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { annexTable, groupHeading, indicatorHeading, rollUpAnnex, type AnnexPart, type AnnexTableRow } from '../../domain/annex-table';
import * as m from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import type { Database } from '../db/schema';
import { writeCsv, writeXlsx, type Column, type CsvDelimiter, type ExportMeta, type TableSpec } from '../export/table';
import { findSubtreeIds } from '../queries/access';
import { findOrganization, type OrganizationSummary } from '../queries/organizations';
import { listServicesProvided, type ServiceSummary } from '../queries/services';
import { buildAnnex } from './annex';
import { statusText } from './cells-export';
import { exportMeta } from './dashboard-export';

/*
 * The annex table as a file: for one organization and service it is the
 * annex the screen shows (buildAnnex); over a subtree and/or every service
 * the organization × service annexes are rolled up (domain/annex-table).
 */

type Scope = 'all' | ReadonlySet<number>;
export type AnnexLanguage = 'kk' | 'ru' | 'both';

/** Roll-ups beyond this many organization × service annexes are refused (the dashboard serves those). */
export const MAX_ANNEX_PARTS = 2000;

export class NotFoundError extends Error {}
export class TooLargeError extends Error {}

export interface AnnexExportRequest {
	organizationId: number;
	/** null: every service provided that year. */
	serviceId: number | null;
	year: number;
	subtree: boolean;
}

export interface AnnexExport {
	request: AnnexExportRequest;
	organization: OrganizationSummary;
	service: ServiceSummary | null;
	organizations: number;
	parts: number;
	rows: AnnexTableRow[];
}

export async function loadAnnexExport(db: Kysely<Database>, scope: Scope, req: AnnexExportRequest): Promise<AnnexExport> {
	const organization = await findOrganization(db, req.organizationId);
	if (!organization || (scope !== 'all' && !scope.has(organization.id))) throw new NotFoundError('organization');
	const ids = req.subtree ? (await findSubtreeIds(db, [organization.id])).filter((id) => scope === 'all' || scope.has(id)) : [organization.id];
	const units: Array<{ organizationId: number; service: ServiceSummary }> = [];
	let service: ServiceSummary | null = null;
	for (const id of ids) {
		for (const s of await listServicesProvided(db, id, req.year)) {
			if (req.serviceId !== null && s.id !== req.serviceId) continue;
			if (s.id === req.serviceId) service = s;
			units.push({ organizationId: id, service: s });
		}
		if (units.length > MAX_ANNEX_PARTS) throw new TooLargeError(String(units.length));
	}
	if (req.serviceId !== null && !service) throw new NotFoundError('service');
	const parts: AnnexPart[][] = [];
	for (const u of units) {
		const annex = await buildAnnex(db, { organizationId: u.organizationId, serviceId: u.service.id, year: req.year });
		parts.push(annex.rows.map((r) => ({
			code: r.code, group: r.group, title: r.title, polarity: r.polarity, normative: r.normative,
			target: r.target?.status === 'approved' ? r.target.value : null,
			nextTarget: r.nextTarget ? { value: r.nextTarget.value, status: r.nextTarget.status } : null,
			counts: r.counts
		})));
	}
	return {
		request: req, organization, service, organizations: new Set(units.map((u) => u.organizationId)).size, parts: units.length,
		rows: annexTable(rollUpAnnex(parts))
	};
}

/**
 * The standard's four columns, exactly (the indicator, its normative value,
 * the target for the following year, the current value in the reporting
 * year), the titles in Kazakh, Russian or both side by side; the status
 * after them, apart, as Sapa's own reading.
 */
/** A row of the file: the table's rows, and under the header the column numbers the standard prints (1 2 3 4). */
export type AnnexFileRow = AnnexTableRow | { kind: 'numbers' };

export function annexTableSpec(lang: AnnexLanguage, locale: Locale): TableSpec<AnnexFileRow> {
	const langs: Array<'kk' | 'ru'> = lang === 'both' ? ['kk', 'ru'] : [lang];
	const headerLocale = (l: 'kk' | 'ru') => ({ locale: l });
	const words = (f: (i: object, o: { locale: Locale }) => string) => langs.map((l) => f({}, headerLocale(l))).join(' / ');
	const titles: Column<AnnexFileRow>[] = langs.map((l) => ({
		header: m.ax_col_indicator({}, headerLocale(l)), type: 'text', width: 70,
		value: (r) => (r.kind === 'numbers' ? '1' : r.kind === 'group' ? groupHeading(r, l) : indicatorHeading(r, l))
	}));
	const num = (column: number, f: (r: Extract<AnnexTableRow, { kind: 'indicator' }>) => number | null) => (r: AnnexFileRow) =>
		(r.kind === 'numbers' ? column : r.kind === 'group' ? null : f(r));
	return {
		sheet: m.ax_sheet({}, { locale }),
		statusText: (s) => statusText(s, locale),
		columns: [
			...titles,
			{ header: words(m.ax_col_normative), type: 'number', width: 16, value: num(2, (r) => r.normative) },
			{ header: words(m.ax_col_next_target), type: 'number', width: 18, value: num(3, (r) => r.nextTarget) },
			{ header: words(m.ax_col_current), type: 'number', width: 16, value: num(4, (r) => (r.value === null ? null : Math.round(r.value * 100) / 100)) },
			{ header: m.ax_col_status({}, { locale }), type: 'status', width: 26, value: (r) => (r.kind === 'indicator' ? r.assessment.status : null) }
		]
	};
}

export function annexExportMeta(x: AnnexExport, lang: AnnexLanguage, locale: Locale, madeAt: Date, madeBy: string): ExportMeta {
	const o = { locale };
	const name = locale === 'kk' ? x.organization.nameKk : x.organization.nameRu;
	const service = x.service ? `${x.service.code} · ${locale === 'kk' ? x.service.titleKk : x.service.titleRu}` : m.ax_all_services(o);
	return exportMeta(`${m.ax_title({}, o)}: ${name}, ${x.request.year}`, [
		[m.dx_organization({}, o), `${x.organization.code} · ${name}${x.request.subtree ? ` (${m.ax_with_subtree({}, o)})` : ''}`],
		[m.cx_filter_service({}, o), service],
		[m.cx_filter_year({}, o), String(x.request.year)],
		[m.ax_parts({}, o), m.ax_parts_value({ parts: x.parts, organizations: x.organizations }, o)],
		[m.ax_language({}, o), lang === 'both' ? 'қазақша / русский' : lang === 'kk' ? 'қазақша' : 'русский']
	], locale, madeAt, madeBy);
}

export function annexFileName(x: AnnexExport, format: 'xlsx' | 'csv'): string {
	const parts = ['sapa-annex', x.organization.code, x.request.subtree ? 'subtree' : null, x.service?.code ?? 'all-services', String(x.request.year)]
		.filter((p): p is string => p !== null);
	return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
}

export function writeAnnexExport(
	out: Writable, x: AnnexExport, lang: AnnexLanguage, format: 'xlsx' | 'csv', delimiter: CsvDelimiter, locale: Locale, madeAt: Date, madeBy: string
): Promise<number> {
	const spec = annexTableSpec(lang, locale);
	const rows: AnnexFileRow[] = [{ kind: 'numbers' }, ...x.rows];
	return format === 'xlsx' ? writeXlsx(out, spec, rows, annexExportMeta(x, lang, locale, madeAt, madeBy)) : writeCsv(out, spec, rows, delimiter);
}
