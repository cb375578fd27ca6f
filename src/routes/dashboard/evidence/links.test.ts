import { describe, expect, it } from 'vitest';
import { dashboardAt, evidenceLinks, type EvidenceKey } from './links';

const key: EvidenceKey = { organizationId: 12, serviceId: 18, indicatorId: 1, indicatorCode: '1.1', computed: false, year: 2024 };

describe('evidence links', () => {
	it('leads to the pages that hold the figure, with the query names those pages read', () => {
		expect(evidenceLinks(key)).toEqual({
			grid: '/figures/12/2024',
			history: '/figures/12/2024/history?service=18&indicator=1',
			complaints: '/figures/12/2024/complaints?service=18',
			annex: '/annex?org=12&service=18&year=2024',
			dashboard: '/dashboard?org=12&year=2024&service=18'
		});
	});

	it('files a computed indicator\'s history under its service only', () => {
		expect(evidenceLinks({ ...key, indicatorId: 8, indicatorCode: '4.1', computed: true }).history).toBe('/figures/12/2024/history?service=18');
	});

	it('keeps the trend indicator when going up to an ancestor', () => {
		expect(dashboardAt(3, key)).toBe('/dashboard?org=3&year=2024&service=18&indicator=1.1');
	});
});
