import { fireEvent, render, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { dashboardFixture, serviceScorecardFixture } from '$lib/components/charts/fixture';
import { sortBy } from '$lib/domain/dashboard';
import * as m from '$lib/paraglide/messages';
import ScorecardTable from './ScorecardTable.svelte';

const { scorecard, filters } = dashboardFixture;
const rowCodes = (container: Element) => [...container.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-row'));
const header = (container: Element, code: string) => container.querySelector(`thead th[data-indicator="${code}"] button`)!;

describe('ScorecardTable', () => {
	it('draws a cell for every row and indicator, the total last', () => {
		const { container } = render(ScorecardTable, { props: { scorecard, filters } });
		const body = container.querySelectorAll('tbody td.cell');
		expect(body).toHaveLength(scorecard.rows.length * scorecard.indicators.length);
		expect(container.querySelectorAll('tfoot td.cell')).toHaveLength(scorecard.indicators.length);
		expect(rowCodes(container)).toEqual(scorecard.rows.map((r) => r.code));
	});

	it('tells every status in words and a symbol, not by colour alone', () => {
		const { container } = render(ScorecardTable, { props: { scorecard, filters } });
		const words: Record<string, string[]> = {
			meets_target: [m.status_meets_target()],
			meets_normative: [m.status_meets_normative(), m.status_meets_normative_no_target()],
			breach: [m.status_breach()],
			no_data: [m.status_no_data()]
		};
		for (const td of container.querySelectorAll('td.cell')) {
			const status = td.getAttribute('data-status')!;
			expect(words[status]).toContain(td.querySelector('.visually-hidden')?.textContent);
			expect(td.querySelector('[aria-hidden="true"]')?.textContent?.trim()).not.toBe('');
		}
	});

	it('marks small samples and keeps their values', () => {
		const { container } = render(ScorecardTable, { props: { scorecard, filters } });
		const small = scorecard.rows.flatMap((r) => Object.values(r.cells)).filter((c) => c.smallSample).length;
		expect(small).toBeGreaterThan(0);
		expect(container.querySelectorAll('tbody td.cell sup.n')).toHaveLength(small);
	});

	it('sorts by a column as sortBy does, worst first, and back on a second click', async () => {
		const onsort = vi.fn();
		const { container } = render(ScorecardTable, { props: { scorecard, filters, onsort } });
		await fireEvent.click(header(container, '1.1'));
		const asc = sortBy(scorecard.rows, (r) => r.cells['1.1']!.value, 'asc').map((r) => r.code);
		expect(rowCodes(container)).toEqual(asc);
		expect(onsort).toHaveBeenLastCalledWith({ key: '1.1', dir: 'asc' });
		expect(container.querySelector('thead th[data-indicator="1.1"]')!.getAttribute('aria-sort')).toBe('ascending');

		await fireEvent.click(header(container, '1.1'));
		expect(rowCodes(container)).toEqual(sortBy(scorecard.rows, (r) => r.cells['1.1']!.value, 'desc').map((r) => r.code));
		// Rows without a value stay last either way.
		expect(rowCodes(container).at(-1)).toBe('RUDNY-SCH-22');
		expect(container.querySelector('tfoot tr')!.getAttribute('data-kind')).toBe('total');
	});

	it('starts a lower-is-better column with the highest (worst) value', async () => {
		const { container } = render(ScorecardTable, { props: { scorecard, filters } });
		await fireEvent.click(header(container, '4.1'));
		expect(rowCodes(container)).toEqual(sortBy(scorecard.rows, (r) => r.cells['4.1']!.value, 'desc').map((r) => r.code));
	});

	it('opens the sort the URL asked for', () => {
		const { container } = render(ScorecardTable, { props: { scorecard, filters, sort: { key: 'rate', dir: 'desc' } } });
		expect(rowCodes(container)).toEqual(sortBy(scorecard.rows, (r) => r.rate.normativeRate, 'desc').map((r) => r.code));
	});

	it('drills into an organization, keeping the other filters', () => {
		const { container } = render(ScorecardTable, { props: { scorecard, filters: { ...filters, group: 'quality' } } });
		const row = container.querySelector('tbody tr[data-row="RUDNY-SCH-07"]')!;
		expect(within(row as HTMLElement).getByRole('link').getAttribute('href')).toBe('/dashboard?year=2025&org=11&group=quality&indicator=1.1');
	});

	it('links every cell to its evidence when the rows are services', () => {
		const services = serviceScorecardFixture();
		const { container } = render(ScorecardTable, { props: { scorecard: services, filters } });
		const links = container.querySelectorAll('tbody td.cell a');
		expect(links).toHaveLength(services.rows.length * services.indicators.length);
		const first = services.rows[0]!;
		expect(links[0]!.getAttribute('href')).toBe(`/dashboard/evidence?org=${filters.organizationId}&service=${first.id}&indicator=1.1&year=2025`);
		const name = container.querySelector('tbody tr th a')!;
		expect(name.getAttribute('href')).toBe(`/dashboard?year=2025&org=${filters.organizationId}&service=${first.id}&indicator=1.1`);
	});
});
