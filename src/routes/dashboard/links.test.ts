import { describe, expect, it } from 'vitest';
import type { DashboardFilters } from '$lib/domain/dashboard-view';
import { dashboardHref, evidenceHref, readSort } from './links';

const filters: DashboardFilters = { year: 2025, organizationId: 2, kind: null, serviceId: null, group: null, indicator: '1.1' };

describe('dashboard links', () => {
	it('keep every set filter and change only what is asked', () => {
		expect(dashboardHref({ ...filters, kind: 'school', group: 'quality' }, { organizationId: 10 })).toBe(
			'/dashboard?year=2025&org=10&kind=school&group=quality&indicator=1.1'
		);
	});

	it('drill into a service and carry the scorecard sort', () => {
		expect(dashboardHref(filters, { serviceId: 104 }, { key: '2.1', dir: 'asc' })).toBe('/dashboard?year=2025&org=2&service=104&indicator=1.1&sort=2.1&dir=asc');
	});

	it('point a cell at its evidence', () => {
		expect(evidenceHref(12, 104, '4.1', 2025)).toBe('/dashboard/evidence?org=12&service=104&indicator=4.1&year=2025');
	});

	it('read a sort only when both key and direction make sense', () => {
		expect(readSort(new URLSearchParams('sort=1.1&dir=desc'))).toEqual({ key: '1.1', dir: 'desc' });
		expect(readSort(new URLSearchParams('sort=1.1&dir=up'))).toBeNull();
		expect(readSort(new URLSearchParams('dir=asc'))).toBeNull();
	});
});
