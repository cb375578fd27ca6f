import { describe, expect, it } from 'vitest';
import { axisPercent, digitsFor, sharePercent, toChartPercent, valueNumber, valuePercent } from './format';

const nb = (s: string) => s.replace(/\u00a0/g, ' ');

describe('dashboard number formats', () => {
	it('writes values to one decimal, and small shares to two so they never read as 0', () => {
		expect(nb(valuePercent(97.46, 'ru'))).toBe('97,5 %');
		expect(nb(valuePercent(0.063, 'ru'))).toBe('0,06 %');
		expect(valuePercent(null, 'ru')).toBe('—');
		expect(valueNumber(100, 'en')).toBe('100');
		expect(valueNumber(0.79, 'kk')).toBe('0,79');
	});

	it('turns a share into a chart value and keeps a missing one missing', () => {
		expect(toChartPercent(0.5)).toBe(50);
		expect(toChartPercent(null)).toBeNull();
		expect(toChartPercent(Number.NaN)).toBeNull();
		expect(nb(sharePercent(0.7204, 'ru'))).toBe('72 %');
	});

	it('gives axis ticks enough decimals to differ', () => {
		expect(digitsFor(100)).toBe(0);
		expect(digitsFor(1)).toBe(1);
		expect(digitsFor(0.03)).toBe(3);
		expect(digitsFor(0)).toBe(0);
		expect(nb(axisPercent(0.015, 3, 'ru'))).toBe('0,015 %');
		expect(axisPercent(99.5, 1, 'en')).toBe('99.5%');
	});
});
