import { describe, expect, it } from 'vitest';
import { parseAnnexQuery } from './annex-query';

const parse = (qs: string) => parseAnnexQuery(new URLSearchParams(qs));

describe('annex query', () => {
	it('reads ids and year, treating absent or empty as not chosen', () => {
		expect(parse('org=5&service=12&year=2024')).toEqual({ ok: true, value: { organizationId: 5, serviceId: 12, year: 2024 } });
		expect(parse('org=&year=')).toEqual({ ok: true, value: { organizationId: null, serviceId: null, year: null } });
	});

	it.each(['org=abc', 'org=-1', 'org=0', 'year=1800', 'year=20x4', 'service=1e3', 'org=99999999999'])('refuses %s', (qs) => {
		expect(parse(qs).ok).toBe(false);
	});
});
