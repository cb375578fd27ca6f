import { describe, expect, it } from 'vitest';
import { parseDashboardQuery } from './dashboard-query';

const parse = (q: string) => parseDashboardQuery(new URLSearchParams(q));
const none = { year: null, organizationId: null, kind: null, serviceId: null, group: null, indicator: null };

describe('the dashboard address', () => {
	it('leaves everything unchosen when absent or empty', () => {
		expect(parse('')).toEqual({ ok: true, value: none });
		expect(parse('year=&org=&kind=&service=&group=&indicator=')).toEqual({ ok: true, value: none });
		expect(parse('year=%20&kind=%20')).toEqual({ ok: true, value: none });
	});

	it('reads every filter', () => {
		expect(parse('year=2024&org=12&kind=school&service=3&group=quality&indicator=3.1')).toEqual({
			ok: true, value: { year: 2024, organizationId: 12, kind: 'school', serviceId: 3, group: 'quality', indicator: '3.1' }
		});
	});

	it('ignores what belongs to the page (sort, dir) and unknown parameters', () => {
		expect(parse('sort=rate&dir=desc&utm=x')).toEqual({ ok: true, value: none });
	});

	it.each([
		'year=abc', 'year=1990', 'year=2101', 'year=2024.5', 'year=-1',
		'org=0', 'org=x', 'org=99999999999', 'service=0', 'service=1e3',
		'kind=ministry', 'kind=School', 'group=speed', 'group=1',
		'indicator=1', 'indicator=1.1.1', 'indicator=a.b', 'indicator=1.1;drop'
	])('refuses %s', (q) => {
		expect(parse(q)).toEqual({ ok: false });
	});
});
