import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Status } from '../../domain/compliance';
import { rollUpCell, type RolledCell, type Texts } from '../../domain/dashboard';
import * as m from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import { formatDateTime } from '../../ui/format';
import { official } from '../../ui/official';
import type { CellsExportRequest } from '../../validation/cells-export-query';
import type { Database, OrganizationKind } from '../db/schema';
import { CONTENT_TYPE, writeCsv, writeXlsx, type ExportMeta, type Progress, type TableSpec } from '../export/table';
import { countCells, findMembers, streamCells, type CellFilters, type CellRow, type Members } from '../queries/cells-export';
import { refreshCompliance } from '../queries/compliance-rollup';
import {
	findIndicatorCatalogue, findOrganizationRef, findScopeTops, findServiceCatalogue, type IndicatorGroupRow, type OrganizationRow, type ServiceRow
} from '../queries/dashboard';

/*
 * The large export: every leaf cell of a subtree (each year's own tree) under the dashboard's
 * filters, one row per organization × service × indicator × year, each judged by the engine
 * (rollUpCell on the cell's own measures, as the dashboard judges any sum). Planned first (who,
 * which years, how many rows), then streamed batch by batch into the shared table writer.
 */

type Scope = 'all' | ReadonlySet<number>;

/** Unknown, or outside the person's scope: told apart to nobody. */
export class NotFoundError extends Error {}

export interface CellsExportPlan {
	request: CellsExportRequest;
	organization: OrganizationRow;
	/** Years that have cells anywhere (for the page's choice). */
	years: number[];
	service: ServiceRow | null;
	group: IndicatorGroupRow | null;
	members: Members;
	filters: CellFilters;
	count: number;
}

/** One row of the file. */
export interface ExportCell {
	organization: { code: string; kind: OrganizationKind; name: Texts };
	service: { code: string; title: Texts };
	indicator: { code: string; title: Texts };
	year: number;
	cell: RolledCell;
}

const visible = (scope: Scope, id: number) => scope === 'all' || scope.has(id);
const byName = new Intl.Collator('ru');

/** The person's top organization when none is named: as the dashboard picks it. */
async function defaultRoot(db: Kysely<Database>, scope: Scope): Promise<OrganizationRow | undefined> {
	const tops = await findScopeTops(db, scope);
	tops.sort((a, b) => Number(b.hasData) - Number(a.hasData) || byName.compare(a.name.ru, b.name.ru) || a.id - b.id);
	return tops[0];
}

/** Resolves the request, brings the sums up to date, and counts the rows (a count, not a read). */
export async function planCellsExport(db: Kysely<Database>, scope: Scope, req: CellsExportRequest): Promise<CellsExportPlan> {
	await refreshCompliance(db);
	const [root, services, catalogue, years] = await Promise.all([
		req.organizationId === null ? defaultRoot(db, scope) : findOrganizationRef(db, req.organizationId),
		findServiceCatalogue(db),
		findIndicatorCatalogue(db),
		db.selectFrom('compliance_year').select('year').orderBy('year').execute()
	]);
	if (!root || !visible(scope, root.id)) throw new NotFoundError('organization');
	const service = req.serviceId === null ? null : (services.find((s) => s.id === req.serviceId) ?? null);
	if (req.serviceId !== null && !service) throw new NotFoundError('service');
	const group = req.group === null ? null : (catalogue.groups.find((g) => g.code === req.group) ?? null);
	const filters: CellFilters = { kind: req.kind, serviceId: req.serviceId, group: req.group };
	const members = await findMembers(db, root.id, req.year, scope);
	const count = await countCells(db, members, filters);
	return { request: req, organization: root, years: years.map((y) => y.year), service, group, members, filters, count };
}

/** The plan's rows, judged by the engine, read `batchSize` cells at a time. */
export async function* cellsExportRows(db: Kysely<Database>, plan: CellsExportPlan, batchSize = 5000): AsyncGenerator<ExportCell> {
	for await (const c of streamCells(db, plan.members, plan.filters, batchSize)) yield exportCell(c);
}

export function exportCell(c: CellRow): ExportCell {
	return {
		organization: c.organization,
		service: c.service,
		indicator: { code: c.indicator.code, title: c.indicator.title },
		year: c.year,
		cell: rollUpCell(c, c.indicator.polarity)
	};
}

const kindLabels: Record<OrganizationKind, (i: object, o: { locale: Locale }) => string> = {
	region_department: m.kind_region_department, city_department: m.kind_city_department, school: m.kind_school,
	kindergarten: m.kind_kindergarten, supplementary: m.kind_supplementary, other: m.kind_other
};
const statusLabels: Record<Status, (i: object, o: { locale: Locale }) => string> = {
	meets_target: m.status_meets_target, meets_normative: m.status_meets_normative, breach: m.status_breach, no_data: m.status_no_data
};

export const kindText = (kind: OrganizationKind, locale: Locale) => kindLabels[kind]({}, { locale });
export const statusText = (status: Status, locale: Locale) => statusLabels[status]({}, { locale });

/**
 * The columns, every word already in `locale` (a job outlives its request, so nothing here may
 * ask the request for its language later). Names and titles are official: as written, in
 * Kazakh or Russian (English readers get the Russian original).
 */
export function cellsTableSpec(locale: Locale): TableSpec<ExportCell> {
	const o = { locale };
	const kinds = Object.fromEntries(Object.keys(kindLabels).map((k) => [k, kindText(k as OrganizationKind, locale)])) as Record<OrganizationKind, string>;
	const statuses = Object.fromEntries(Object.keys(statusLabels).map((s) => [s, statusText(s as Status, locale)])) as Record<Status, string>;
	const text = (t: Texts) => official(t, locale).text;
	return {
		sheet: m.cx_sheet({}, o),
		statusText: (s) => statuses[s],
		columns: [
			{ header: m.cx_col_org_code({}, o), type: 'text', width: 16, value: (r) => r.organization.code },
			{ header: m.cx_col_org_name({}, o), type: 'text', width: 44, value: (r) => text(r.organization.name) },
			{ header: m.cx_col_kind({}, o), type: 'text', width: 22, value: (r) => kinds[r.organization.kind] },
			{ header: m.cx_col_service_code({}, o), type: 'text', width: 10, value: (r) => r.service.code },
			{ header: m.cx_col_service({}, o), type: 'text', width: 44, value: (r) => text(r.service.title) },
			{ header: m.cx_col_indicator_code({}, o), type: 'text', width: 10, value: (r) => r.indicator.code },
			{ header: m.cx_col_indicator({}, o), type: 'text', width: 48, value: (r) => text(r.indicator.title) },
			{ header: m.cx_col_year({}, o), type: 'integer', width: 8, value: (r) => r.year },
			{ header: m.cx_col_numerator({}, o), type: 'integer', value: (r) => r.cell.counts?.numerator ?? null },
			{ header: m.cx_col_denominator({}, o), type: 'integer', value: (r) => r.cell.counts?.denominator ?? null },
			{ header: m.cx_col_value({}, o), type: 'percent', value: (r) => r.cell.value },
			{ header: m.cx_col_normative({}, o), type: 'percent', value: (r) => r.cell.normative },
			{ header: m.cx_col_target({}, o), type: 'percent', value: (r) => r.cell.target },
			{ header: m.cx_col_status({}, o), type: 'status', value: (r) => r.cell.assessment.status },
			{ header: m.cx_col_gap_normative({}, o), type: 'points', width: 14, value: (r) => r.cell.assessment.gapToNormative },
			{ header: m.cx_col_gap_target({}, o), type: 'points', width: 14, value: (r) => r.cell.assessment.gapToTarget }
		]
	};
}

/** The filters behind the file, as words: the filters sheet of the XLSX. */
export function cellsExportFilters(plan: CellsExportPlan, locale: Locale): Array<[string, string]> {
	const o = { locale };
	const req = plan.request;
	return [
		[m.cx_org_label({}, o), `${plan.organization.code} · ${official(plan.organization.name, locale).text} (${m.cx_subtree_note({}, o)})`],
		[m.cx_filter_year({}, o), req.year === null ? m.cx_all_years({}, o) : String(req.year)],
		[m.cx_filter_kind({}, o), req.kind === null ? m.cx_any({}, o) : kindText(req.kind, locale)],
		[m.cx_filter_service({}, o), plan.service ? `${plan.service.code} · ${official(plan.service.title, locale).text}` : m.cx_any({}, o)],
		[m.cx_filter_group({}, o), plan.group ? `${plan.group.number}. ${official(plan.group.title, locale).text}` : m.cx_any({}, o)]
	];
}

export function cellsExportMeta(plan: CellsExportPlan, locale: Locale, madeAt: Date, madeBy: string): ExportMeta {
	const o = { locale };
	return {
		title: `${m.cx_title({}, o)}: ${official(plan.organization.name, locale).text}`,
		filters: cellsExportFilters(plan, locale),
		filtersSheet: m.cx_filters_sheet({}, o),
		madeAtLabel: m.cx_made_at({}, o),
		madeAt,
		madeAtText: formatDateTime(madeAt, locale),
		madeByLabel: m.cx_made_by({}, o),
		madeBy
	};
}

/** sapa-cells-RUDNY-EDU-2024.xlsx (ASCII: organization codes are). */
export function cellsExportFileName(plan: CellsExportPlan): string {
	const req = plan.request;
	const parts = ['sapa-cells', plan.organization.code, req.year === null ? 'all-years' : String(req.year), req.kind, plan.service?.code, req.group]
		.filter((p): p is string => typeof p === 'string' && p !== '');
	return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.${req.format}`;
}

export const cellsExportContentType = (plan: CellsExportPlan) => CONTENT_TYPE[plan.request.format];

/** Writes the whole file to `out`: XLSX or CSV as the plan asks. Returns the rows written. */
export function writeCellsExport(
	out: Writable, db: Kysely<Database>, plan: CellsExportPlan, locale: Locale, madeAt: Date, madeBy: string,
	onProgress?: Progress, batchSize = 5000
): Promise<number> {
	const spec = cellsTableSpec(locale);
	const rows = cellsExportRows(db, plan, batchSize);
	return plan.request.format === 'xlsx'
		? writeXlsx(out, spec, rows, cellsExportMeta(plan, locale, madeAt, madeBy), onProgress)
		: writeCsv(out, spec, rows, plan.request.separator === 'comma' ? ',' : ';', onProgress);
}

