import { describe, expect, it } from 'vitest';
import { parseAnnualReportQuery, reportLangFor } from './annual-report-query';

const parse = (q: string) => parseAnnualReportQuery(new URLSearchParams(q));

describe('the annual report address', () => {
	it('reads org, year and lang; empty means not chosen', () => {
		expect(parse('org=5&year=2020&lang=kk')).toEqual({ ok: true, value: { organizationId: 5, year: 2020, lang: 'kk' } });
		expect(parse('org=&year=&lang=')).toEqual({ ok: true, value: { organizationId: null, year: null, lang: null } });
	});

	it('refuses what does not fit, naming the organization when that part alone is valid', () => {
		expect(parse('org=5&year=1')).toEqual({ ok: false, organizationId: 5 });
		expect(parse('org=5&lang=en')).toEqual({ ok: false, organizationId: 5 });
		expect(parse('org=x&year=2020')).toEqual({ ok: false, organizationId: null });
	});

	it('picks the official language: the one asked for, else Kazakh for Kazakh and Russian otherwise', () => {
		expect(reportLangFor('ru', 'kk')).toBe('ru');
		expect(reportLangFor(null, 'kk')).toBe('kk');
		expect(reportLangFor(null, 'en')).toBe('ru');
		expect(reportLangFor(null, 'ru')).toBe('ru');
	});
});
