import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { getLocale } from '$lib/paraglide/runtime';
import { formatCount } from '$lib/ui/format';
import ChannelsChart from './ChannelsChart.svelte';
import { dashboardFixture } from './fixture';
import { sharePercent } from './format';
import { attributesWithNaN, chartDrawn, tableText } from './test-helpers';

const channels = dashboardFixture.channels;

describe('ChannelsChart', () => {
	it('stacks one segment per channel and year, and labels each year with its electronic share', async () => {
		const { container } = render(ChannelsChart, { props: { channels, width: 600, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('.lc-bar')).toHaveLength(channels.length * 3);
		const labels = [...container.querySelectorAll('text.channels-share-label')].map((t) => t.textContent?.trim());
		expect(labels).toEqual(channels.map((c) => sharePercent(c.electronicShare, getLocale())));
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('draws no share label, and no NaN, for a year where nothing was served', async () => {
		const quiet = channels.map((c, i) => (i === 0 ? { ...c, provider: 0, stateCorporation: 0, egov: 0, total: 0, electronicShare: null } : c));
		const { container } = render(ChannelsChart, { props: { channels: quiet, width: 600, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('text.channels-share-label')).toHaveLength(channels.length - 1);
		expect(attributesWithNaN(container)).toEqual([]);
	});

	it('leaves the share labels to the table when the bars are too close for them', async () => {
		const { container } = render(ChannelsChart, { props: { channels, width: 160, height: 220 } });
		await chartDrawn(container);
		expect(container.querySelectorAll('.lc-bar')).toHaveLength(channels.length * 3);
		expect(container.querySelectorAll('text.channels-share-label')).toHaveLength(0);
	});

	it('tabulates the counts it stacks', () => {
		const { getByTestId } = render(ChannelsChart, { props: { channels, width: 600, height: 220 } });
		const locale = getLocale();
		expect(tableText(getByTestId('channels-table'))).toEqual(
			channels.map((c) => [String(c.year), ...[c.provider, c.stateCorporation, c.egov, c.total].map((n) => formatCount(n, locale)), sharePercent(c.electronicShare, locale)])
		);
	});
});
