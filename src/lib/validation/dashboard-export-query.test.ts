import { describe, expect, it } from 'vitest';
import { parseDashboardExportQuery } from './dashboard-export-query';

describe('a compliance table address', () => {
	it('reads the dashboard filters and the export options, with defaults', () => {
		const r = parseDashboardExportQuery(new URLSearchParams('year=2024&org=5&group=timeliness&view=years&format=csv&sep=comma'));
		expect(r).toEqual({ ok: true, value: {
			dashboard: { year: 2024, organizationId: 5, kind: null, serviceId: null, group: 'timeliness', indicator: null },
			view: 'years', format: 'csv', delimiter: ','
		} });
		expect(parseDashboardExportQuery(new URLSearchParams('org=5'))).toMatchObject({ ok: true, value: { view: 'year', format: 'xlsx', delimiter: ';' } });
	});

	it('refuses what does not fit', () => {
		for (const q of ['format=pdf', 'view=all', 'sep=tab', 'year=abc', 'org=-1']) expect(parseDashboardExportQuery(new URLSearchParams(q)).ok).toBe(false);
	});
});
