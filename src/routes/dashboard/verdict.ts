import type { Verdict } from '$lib/domain/dashboard';
import * as m from '$lib/paraglide/messages';

/*
 * A change over the year, shown twice over: the arrow says only which way the
 * number moved; the word and the colour say whether that is good, as the
 * measure's direction judged it (fewer breaches falls and is better).
 */

export const arrowOf = (delta: number): string => (delta > 0 ? '▲' : delta < 0 ? '▼' : '=');

export function verdictView(verdict: Verdict): { cls: 'ok' | 'bad' | 'none'; word: string } {
	if (verdict === 'better') return { cls: 'ok', word: m.dash_change_better() };
	if (verdict === 'worse') return { cls: 'bad', word: m.dash_change_worse() };
	return { cls: 'none', word: m.dash_change_same() };
}
