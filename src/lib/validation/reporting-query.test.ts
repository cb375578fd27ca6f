import { describe, expect, it } from 'vitest';
import { parseHistoryQuery, parseOverviewQuery } from './reporting-query';

const q = (s: string) => new URLSearchParams(s);

describe('the completeness overview’s query', () => {
	it('reads organization, year, status and page; absent or empty means "not chosen"', () => {
		expect(parseOverviewQuery(q(''))).toEqual({ ok: true, value: { organizationId: null, year: null, status: null, page: 1 } });
		expect(parseOverviewQuery(q('org=12&year=2024&status=submitted&page=2'))).toEqual({ ok: true, value: { organizationId: 12, year: 2024, status: 'submitted', page: 2 } });
		expect(parseOverviewQuery(q('org=&year=&status='))).toMatchObject({ ok: true, value: { organizationId: null, year: null, status: null } });
	});
	it.each(['org=abc', 'org=0', 'year=1990', 'year=20x5', 'status=waiting', 'page=0', 'org=99999999999'])('refuses %s', (s) => {
		expect(parseOverviewQuery(q(s)).ok).toBe(false);
	});
});

describe('the history’s query', () => {
	it('reads the filters the grid links with', () => {
		expect(parseHistoryQuery(q('service=3&indicator=7&channel=egov&page=2'))).toEqual({ ok: true, value: { serviceId: 3, indicatorId: 7, channel: 'egov', page: 2 } });
		expect(parseHistoryQuery(q(''))).toEqual({ ok: true, value: { serviceId: null, indicatorId: null, channel: null, page: 1 } });
	});
	it.each(['channel=post', 'service=-1', 'indicator=1.1', 'page=x'])('refuses %s', (s) => {
		expect(parseHistoryQuery(q(s)).ok).toBe(false);
	});
});
