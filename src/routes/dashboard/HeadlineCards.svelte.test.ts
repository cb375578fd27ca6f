import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { dashboardFixture } from '$lib/components/charts/fixture';
import type { HeadlineCard } from '$lib/domain/dashboard';
import * as m from '$lib/paraglide/messages';
import HeadlineCards from './HeadlineCards.svelte';

const words = { better: m.dash_change_better(), worse: m.dash_change_worse(), same: m.dash_change_same() };
const card = (container: Element, key: string) => container.querySelector(`li[data-key="${key}"]`)!;

describe('HeadlineCards', () => {
	it('gives every card its verdict in words and the direction of the change as an arrow', () => {
		const cards = dashboardFixture.headline;
		const { container } = render(HeadlineCards, { props: { cards, year: 2025 } });
		for (const c of cards) {
			const change = card(container, c.key).querySelector('.change')!;
			expect(change.getAttribute('data-verdict')).toBe(c.change.verdict);
			expect(change.textContent).toContain(words[c.change.verdict!]);
			expect(change.querySelector('.arrow')!.textContent).toBe(c.change.delta! > 0 ? '▲' : c.change.delta! < 0 ? '▼' : '=');
		}
	});

	it('judges by the measure’s direction, not the sign: fewer breaches is better, shown with a falling arrow', () => {
		const breaches = dashboardFixture.headline.find((c) => c.key === 'breaches')!;
		expect(breaches.change).toEqual({ delta: -4, verdict: 'better' });
		const { container } = render(HeadlineCards, { props: { cards: [breaches], year: 2025 } });
		const change = card(container, 'breaches').querySelector('.change')!;
		expect(change.classList.contains('ok')).toBe(true);
		expect(change.textContent).toContain('▼');
		expect(change.textContent).toContain(words.better);
		expect(card(container, 'breaches').querySelector('.value')!.textContent).toBe('26');
	});

	it('says so when there is nothing to compare with, and writes no number it does not have', () => {
		const lonely: HeadlineCard[] = [
			{ key: 'target_rate', value: null, previous: null, betterWhen: 'higher', change: { delta: null, verdict: null }, numerator: 0, denominator: 0 },
			{ key: 'completeness', value: 1, previous: 1, betterWhen: 'higher', change: { delta: 0, verdict: 'same' }, numerator: 10, denominator: 10 }
		];
		const { container } = render(HeadlineCards, { props: { cards: lonely, year: 2025 } });
		expect(card(container, 'target_rate').querySelector('.value')!.textContent).toBe('—');
		expect(card(container, 'target_rate').textContent).toContain(m.dash_change_none({ year: 2024 }));
		expect(card(container, 'completeness').textContent).toContain(words.same);
		expect(container.textContent).not.toContain('NaN');
	});
});
