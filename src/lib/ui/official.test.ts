import { describe, expect, it } from 'vitest';
import { official } from './official';
import { formatDate, formatDateTime, formatPercent, formatSigned } from './format';

const texts = { kk: 'Уақытылылық', ru: 'Своевременность', en: 'Timeliness' };

describe('official texts', () => {
	it.each([
		['kk', 'Уақытылылық', 'kk', null],
		['ru', 'Своевременность', 'ru', null],
		['en', 'Своевременность', 'ru', 'Timeliness']
	] as const)('in %s shows %s (lang %s) with gloss %s', (locale, text, lang, gloss) => {
		expect(official(texts, locale)).toEqual({ text, lang, gloss });
	});
});

describe('formatting', () => {
	it('writes percentages the way each language does', () => {
		expect(formatPercent(99.5, 'ru')).toBe('99,5 %');
		expect(formatPercent(0.0556, 'kk')).toBe('0,06 %');
		expect(formatPercent(100, 'en')).toBe('100%');
		expect(formatPercent(null, 'ru')).toBe('—');
	});
	it('signs gaps so direction is visible', () => {
		expect(formatSigned(0.5, 'en')).toBe('+0.5');
		expect(formatSigned(-1.25, 'ru')).toBe('−1,25');
	});
	it('writes dates as dd.mm.yyyy in ru and kk', () => {
		expect(formatDate('2008-01-28', 'ru')).toBe('28.01.2008');
		expect(formatDate('2008-01-28', 'en')).toBe('28 Jan 2008');
	});
	it('writes moments in Astana time (UTC+5), the day turning with it', () => {
		const evening = new Date('2026-03-01T20:30:45Z');
		expect(formatDateTime(evening, 'ru')).toBe('02.03.2026 01:30');
		expect(formatDateTime(evening, 'en')).toBe('2 Mar 2026 01:30');
		expect(formatDateTime(evening, 'kk', { seconds: true })).toBe('02.03.2026 01:30:45');
	});
});
