import { describe, expect, it } from 'vitest';
import { indicators, services } from '../../../../migrations/data/catalogue-v1';
import { buildDemoPlan, DEMO_YEARS } from './plan';

const catalogue = {
	services: services.map((s) => ({ code: s.code, channels: s.channels })),
	indicators: indicators.map((i) => ({ code: i.code, source: i.source }))
};
const plan = buildDemoPlan(catalogue);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('demo plan', () => {
	it('meets the report: 8,926 services in 2020 = 2,475 by the provider + 269 via the State Corporation + 6,182 electronically', () => {
		const v2020 = plan.volumes.filter((v) => v.year === 2020);
		expect(sum(v2020.map((v) => v.count))).toBe(8926);
		expect(sum(v2020.filter((v) => v.channel === 'provider').map((v) => v.count))).toBe(2475);
		expect(sum(v2020.filter((v) => v.channel === 'state_corporation').map((v) => v.count))).toBe(269);
		expect(sum(v2020.filter((v) => v.channel === 'egov').map((v) => v.count))).toBe(6182);
	});

	it.each([['S04', 1402], ['S19', 1842], ['S12', 1156], ['S21', 2011], ['S14', 1292]])('meets the report\'s 2021 volume of %s: %i', (code, count) => {
		expect(sum(plan.volumes.filter((v) => v.year === 2021 && v.serviceCode === code).map((v) => v.count))).toBe(count);
	});

	it('has the report\'s organizations: 22 schools and 16 kindergartens, all marked demo by name', () => {
		const rudny = plan.organizations.filter((o) => o.parentCode === 'RUDNY-EDU');
		expect(rudny.filter((o) => o.kind === 'school')).toHaveLength(22);
		expect(rudny.filter((o) => o.kind === 'kindergarten')).toHaveLength(16);
		expect(plan.organizations.every((o) => /демо/.test(o.nameRu) && /демо/.test(o.nameKk))).toBe(true);
	});

	it('records no complaints in 2020 and 2021, as the report says', () => {
		expect(plan.complaints.filter((c) => c.receivedOn.startsWith('2020') || c.receivedOn.startsWith('2021'))).toEqual([]);
	});

	it('is deterministic and valid: same seed same data, counts within bounds, 2019–2025', () => {
		expect(buildDemoPlan(catalogue)).toEqual(plan);
		expect(plan.measurements.every((m) => Number.isInteger(m.numerator) && m.numerator >= 0 && m.numerator <= m.denominator)).toBe(true);
		expect(new Set(plan.measurements.map((m) => m.year))).toEqual(new Set(DEMO_YEARS));
	});

	it('includes shortfalls so a dashboard has something to show', () => {
		const short = plan.measurements.filter((m) => m.numerator < m.denominator);
		expect(short.length).toBeGreaterThan(100);
		expect(plan.complaints.some((c) => c.justified)).toBe(true);
		expect(plan.targets.some((t) => t.status === 'draft')).toBe(true);
	});
});
