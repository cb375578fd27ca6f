import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import * as m from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatCount } from '$lib/ui/format';
import IndicatorTrendChart from './IndicatorTrendChart.svelte';
import { dashboardFixture } from './fixture';
import { valuePercent } from './format';
import { attributesWithNaN, chartDrawn, tableText } from './test-helpers';

const points = dashboardFixture.trend.points;
/** A year without figures in the middle: a gap, not a dip to 0. */
const withGap = points.map((p, i) => (i === 2 ? { ...p, counts: null, value: null, smallSample: false } : p));

describe('IndicatorTrendChart', () => {
	it('marks one point per year with a value and draws the references as lines', async () => {
		const { container } = render(IndicatorTrendChart, { props: { points, label: '1.1', width: 600, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('.point-value')).toHaveLength(points.filter((p) => p.value !== null).length);
		for (const key of ['value', 'normative', 'target']) expect(container.querySelectorAll(`svg.lc-layout-svg path.line-${key}`)).toHaveLength(1);
		// The references are told apart by their dashes as well as their colours.
		expect(container.querySelector('path.line-normative')!.getAttribute('stroke-dasharray')).toBe('6 4');
		expect(container.querySelector('path.line-target')!.getAttribute('stroke-dasharray')).toBe('2 3');
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('leaves a gap for a year without a value, with no NaN anywhere', async () => {
		const { container } = render(IndicatorTrendChart, { props: { points: withGap, label: '1.1', width: 600, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('.point-value')).toHaveLength(points.length - 1);
		// Two runs of the value line: before and after the gap.
		const d = container.querySelector('svg.lc-layout-svg path.line-value')!.getAttribute('d')!;
		expect(d.match(/M/g)).toHaveLength(2);
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('draws no line for a reference that never existed', async () => {
		const noTarget = points.map((p) => ({ ...p, target: null }));
		const { container } = render(IndicatorTrendChart, { props: { points: noTarget, label: '1.1', width: 600, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('svg.lc-layout-svg path.line-target')).toHaveLength(0);
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('tabulates value, counts and references per year', () => {
		const { getByTestId } = render(IndicatorTrendChart, { props: { points: withGap, label: '1.1', width: 600, height: 220 } });
		const locale = getLocale();
		const rows = tableText(getByTestId('trend-table'));
		expect(rows.map((r) => r[0])).toEqual(points.map((p) => String(p.year)));
		withGap.forEach((p, i) => {
			expect(rows[i]![1]).toContain(valuePercent(p.value, locale));
			expect(rows[i]![2]).toBe(p.counts ? m.dash_cell_counts({ numerator: formatCount(p.counts.numerator, locale), denominator: formatCount(p.counts.denominator, locale) }) : '—');
			expect(rows[i]![3]).toBe(valuePercent(p.normative, locale));
			expect(rows[i]![4]).toBe(valuePercent(p.target, locale));
		});
	});
});
