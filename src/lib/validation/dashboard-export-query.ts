import * as v from 'valibot';
import type { ComplianceView } from '../domain/compliance-table';
import { parseDashboardQuery, type DashboardRequest } from './dashboard-query';

/*
 * A compliance table's address: the dashboard's own filters, plus which table
 * (view=year: organizations × indicators; view=years: the organization over
 * the years), the file's format and the CSV separator.
 */

const ExportOptions = v.object({
	view: v.optional(v.picklist(['year', 'years']), 'year'),
	format: v.optional(v.picklist(['xlsx', 'csv']), 'xlsx'),
	sep: v.optional(v.picklist(['semicolon', 'comma']), 'semicolon')
});

export interface DashboardExportRequest {
	dashboard: DashboardRequest;
	view: ComplianceView;
	format: 'xlsx' | 'csv';
	delimiter: ';' | ',';
}

export function parseDashboardExportQuery(params: URLSearchParams): { ok: true; value: DashboardExportRequest } | { ok: false } {
	const dashboard = parseDashboardQuery(params);
	const options = v.safeParse(ExportOptions, {
		view: params.get('view') ?? undefined,
		format: params.get('format') ?? undefined,
		sep: params.get('sep') ?? undefined
	});
	if (!dashboard.ok || !options.success) return { ok: false };
	const o = options.output;
	return { ok: true, value: { dashboard: dashboard.value, view: o.view, format: o.format, delimiter: o.sep === 'comma' ? ',' : ';' } };
}
