import { describe, expect, it } from 'vitest';
import { parseEvidenceQuery } from './evidence-query';

const parse = (qs: string) => parseEvidenceQuery(new URLSearchParams(qs));

describe('evidence query', () => {
	it('reads the organization, service, indicator code and year', () => {
		expect(parse('org=12&service=18&indicator=4.1&year=2024')).toEqual({
			ok: true, value: { organizationId: 12, serviceId: 18, indicatorCode: '4.1', year: 2024 }
		});
		expect(parse('year=2024&indicator=%201.1%20&service=1&org=1&sort=x')).toEqual({
			ok: true, value: { organizationId: 1, serviceId: 1, indicatorCode: '1.1', year: 2024 }
		});
	});

	it.each([
		'', 'service=1&indicator=1.1&year=2024', 'org=1&indicator=1.1&year=2024', 'org=1&service=1&year=2024', 'org=1&service=1&indicator=1.1',
		'org=&service=1&indicator=1.1&year=2024', 'org=0&service=1&indicator=1.1&year=2024', 'org=-1&service=1&indicator=1.1&year=2024',
		'org=abc&service=1&indicator=1.1&year=2024', 'org=99999999999&service=1&indicator=1.1&year=2024', 'org=1&service=1e3&indicator=1.1&year=2024',
		'org=1&service=1&indicator=1&year=2024', 'org=1&service=1&indicator=1.1.1&year=2024', "org=1&service=1&indicator=1.1'&year=2024",
		'org=1&service=1&indicator=x.y&year=2024', 'org=1&service=1&indicator=1.1&year=1800', 'org=1&service=1&indicator=1.1&year=20x4',
		'org=1&service=1&indicator=1.1&year=2101'
	])('refuses %s', (qs) => {
		expect(parse(qs).ok).toBe(false);
	});
});
