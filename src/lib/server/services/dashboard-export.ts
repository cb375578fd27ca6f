import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { yearsTable, yearTable, type ComplianceTableRow, type ComplianceView } from '../../domain/compliance-table';
import type { DashboardData, ScorecardRow } from '../../domain/dashboard-view';
import * as m from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import { formatDateTime } from '../../ui/format';
import { official } from '../../ui/official';
import type { DashboardRequest } from '../../validation/dashboard-query';
import type { Database } from '../db/schema';
import { writeCsv, writeXlsx, type CsvDelimiter, type ExportMeta, type TableSpec } from '../export/table';
import { kindText, statusText } from './cells-export';
import { loadDashboard } from './dashboard';

/*
 * The dashboard's compliance tables, for a file or a printed page: the
 * dashboard itself is loaded (same filters, same scope, same engine), and its
 * scorecard flattened, so what leaves matches what is on screen.
 */

type Scope = 'all' | ReadonlySet<number>;

export interface ComplianceTable {
	view: ComplianceView;
	/** The dashboard of the year asked (for the filters' words). */
	data: DashboardData;
	/** The years covered (one for view=year). */
	years: number[];
	rows: ComplianceTableRow[];
}

/**
 * `order` puts the scorecard's rows in the screen's order (its sort lives in
 * the page's address). view=years loads the dashboard of every year with
 * data and takes each year's total row.
 */
export async function loadComplianceTable(
	db: Kysely<Database>, scope: Scope, req: DashboardRequest, view: ComplianceView, asOfYear: number,
	order: (rows: readonly ScorecardRow[]) => ScorecardRow[] = (rows) => [...rows]
): Promise<ComplianceTable> {
	const data = await loadDashboard(db, scope, req, asOfYear);
	if (view === 'year') return { view, data, years: [data.filters.year], rows: yearTable(data, order(data.scorecard.rows)) };
	const request = { ...req, organizationId: data.filters.organizationId };
	const perYear: DashboardData[] = [];
	for (const year of data.options.years) perYear.push(year === data.filters.year ? data : await loadDashboard(db, scope, { ...request, year }, asOfYear));
	return { view, data, years: data.options.years, rows: yearsTable(perYear) };
}

/** A row's unit in words: the organization or service as written, the total and the own services marked. */
export function unitName(row: ComplianceTableRow, locale: Locale): string {
	if (!row.unit.name) return row.unit.code;
	const name = official(row.unit.name, locale).text;
	if (row.unit.kind === 'total') return m.dx_total({ name }, { locale });
	if (row.unit.kind === 'own') return m.dx_own({ name }, { locale });
	return name;
}

/** The status word as the scorecard says it: "normative met" tells "no target set" apart. */
export function statusWord(row: ComplianceTableRow, locale: Locale): string {
	const a = row.assessment;
	if (a.status === 'meets_normative' && a.vsTarget === 'no_target') return m.status_meets_normative_no_target({}, { locale });
	return statusText(a.status, locale);
}

export function complianceTableSpec(view: ComplianceView, locale: Locale): TableSpec<ComplianceTableRow> {
	const o = { locale };
	const text = (t: { kk: string; ru: string; en: string | null }) => official(t, locale).text;
	const unit: TableSpec<ComplianceTableRow>['columns'] = view === 'year'
		? [
				{ header: m.dx_col_unit_code({}, o), type: 'text', width: 16, value: (r) => r.unit.code },
				{ header: m.dx_col_unit({}, o), type: 'text', width: 48, value: (r) => unitName(r, locale) }
			]
		: [{ header: m.cx_col_year({}, o), type: 'integer', width: 8, value: (r) => r.year }];
	return {
		sheet: m.dx_sheet({}, o),
		statusText: (s) => statusText(s, locale),
		columns: [
			...unit,
			{ header: m.cx_col_indicator_code({}, o), type: 'text', width: 10, value: (r) => r.indicator.code },
			{ header: m.cx_col_indicator({}, o), type: 'text', width: 52, value: (r) => text(r.indicator.title) },
			{ header: m.cx_col_numerator({}, o), type: 'integer', value: (r) => r.counts?.numerator ?? null },
			{ header: m.cx_col_denominator({}, o), type: 'integer', value: (r) => r.counts?.denominator ?? null },
			{ header: m.cx_col_value({}, o), type: 'percent', value: (r) => r.value },
			{ header: m.cx_col_normative({}, o), type: 'percent', value: (r) => r.normative },
			{ header: m.cx_col_target({}, o), type: 'percent', value: (r) => r.target },
			{ header: m.cx_col_status({}, o), type: 'status', width: 30, value: (r) => r.assessment.status, text: (r) => statusWord(r, locale) },
			{ header: m.cx_col_gap_normative({}, o), type: 'points', width: 14, value: (r) => r.assessment.gapToNormative },
			{ header: m.cx_col_gap_target({}, o), type: 'points', width: 14, value: (r) => r.assessment.gapToTarget },
			{ header: m.dx_col_small({}, o), type: 'text', width: 10, value: (r) => (r.smallSample ? m.dx_small({}, o) : null) }
		]
	};
}

/** The filters behind the table, in words: the filters sheet, and the heading of the printed page. */
export function complianceTableFilters(table: ComplianceTable, locale: Locale, sortLabel: string | null): Array<[string, string]> {
	const o = { locale };
	const d = table.data;
	const org = [...d.scope.path, d.scope.organization].map((p) => official(p.name, locale).text).join(' › ');
	const service = d.options.services.find((s) => s.id === d.filters.serviceId);
	const group = d.options.groups.find((g) => g.code === d.filters.group);
	const filters: Array<[string, string]> = [
		[m.dx_view({}, o), table.view === 'year' ? m.dx_view_year({}, o) : m.dx_view_years({}, o)],
		[m.dx_organization({}, o), `${d.scope.organization.code} · ${org}`],
		table.view === 'year' ? [m.cx_filter_year({}, o), String(d.filters.year)] : [m.dx_years({}, o), table.years.join(', ')],
		[m.cx_filter_kind({}, o), d.filters.kind ? kindText(d.filters.kind, locale) : m.cx_any({}, o)],
		[m.cx_filter_service({}, o), service ? `${service.code} · ${official(service.title, locale).text}` : m.cx_any({}, o)],
		[m.cx_filter_group({}, o), group ? `${group.number}. ${official(group.title, locale).text}` : m.cx_any({}, o)]
	];
	if (sortLabel && table.view === 'year') filters.push([m.dx_sort({}, o), sortLabel]);
	return filters;
}

export function complianceTableTitle(table: ComplianceTable, locale: Locale): string {
	const name = official(table.data.scope.organization.name, locale).text;
	const title = table.view === 'year' ? m.dx_title_year({ year: table.data.filters.year }, { locale }) : m.dx_title_years({}, { locale });
	return `${title}: ${name}`;
}

export function complianceTableMeta(table: ComplianceTable, locale: Locale, madeAt: Date, madeBy: string, sortLabel: string | null): ExportMeta {
	return exportMeta(complianceTableTitle(table, locale), complianceTableFilters(table, locale, sortLabel), locale, madeAt, madeBy);
}

/** The filters sheet of an export: its title, the filters in words, when and by whom it was made. */
export function exportMeta(title: string, filters: Array<[string, string]>, locale: Locale, madeAt: Date, madeBy: string): ExportMeta {
	const o = { locale };
	return {
		title, filters,
		filtersSheet: m.cx_filters_sheet({}, o),
		madeAtLabel: m.dx_made_at({}, o),
		madeAt,
		madeAtText: formatDateTime(madeAt, locale),
		madeByLabel: m.dx_made_by({}, o),
		madeBy
	};
}

/** sapa-compliance-2024-RUDNY-EDU.xlsx, sapa-compliance-years-RUDNY-EDU.csv (codes are ASCII). */
export function complianceTableFileName(table: ComplianceTable, format: 'xlsx' | 'csv'): string {
	const d = table.data;
	const parts = ['sapa-compliance', table.view === 'year' ? String(d.filters.year) : 'years', d.scope.organization.code, d.filters.kind, d.filters.group]
		.filter((p): p is string => typeof p === 'string' && p !== '');
	return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
}

export function writeComplianceTable(
	out: Writable, table: ComplianceTable, format: 'xlsx' | 'csv', delimiter: CsvDelimiter, locale: Locale, madeAt: Date, madeBy: string, sortLabel: string | null
): Promise<number> {
	const spec = complianceTableSpec(table.view, locale);
	return format === 'xlsx'
		? writeXlsx(out, spec, table.rows, complianceTableMeta(table, locale, madeAt, madeBy, sortLabel))
		: writeCsv(out, spec, table.rows, delimiter);
}
