import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { getLocale } from '$lib/paraglide/runtime';
import { formatCount } from '$lib/ui/format';
import ComplianceByYearChart from './ComplianceByYearChart.svelte';
import { dashboardFixture } from './fixture';
import { sharePercent } from './format';
import { attributesWithNaN, chartDrawn, tableText } from './test-helpers';

const years = dashboardFixture.byYear;

describe('ComplianceByYearChart', () => {
	it('draws one bar per rate that exists, and none for a year with nothing to judge', async () => {
		const { container } = render(ComplianceByYearChart, { props: { years, width: 600, height: 220 } });
		await chartDrawn(container);
		// The fixture's first year has no normative at all, and targets exist from 2024 only.
		expect(years[0]!.normativeRate).toBeNull();
		expect(container.querySelectorAll('.bar-normative')).toHaveLength(years.filter((y) => y.normativeRate !== null).length);
		expect(container.querySelectorAll('.bar-target')).toHaveLength(years.filter((y) => y.targetRate !== null).length);
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('draws nothing, and no NaN, when every rate is missing', async () => {
		const empty = years.map((y) => ({ ...y, normativeRate: null, targetRate: null, assessed: 0, withTarget: 0 }));
		const { container } = render(ComplianceByYearChart, { props: { years: empty, width: 600, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('.lc-bar')).toHaveLength(0);
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('tabulates the same numbers it draws', async () => {
		const { getByTestId } = render(ComplianceByYearChart, { props: { years, width: 600, height: 220 } });
		const locale = getLocale();
		expect(tableText(getByTestId('by-year-table'))).toEqual(
			years.map((y) => [String(y.year), sharePercent(y.normativeRate, locale), sharePercent(y.targetRate, locale), formatCount(y.assessed, locale)])
		);
	});
});
