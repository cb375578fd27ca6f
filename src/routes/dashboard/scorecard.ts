import type { Assessment } from '$lib/domain/compliance';
import { sortBy, type SortDirection } from '$lib/domain/dashboard';
import type { IndicatorInfo, ScorecardRow } from '$lib/domain/dashboard-view';
import * as m from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { official } from '$lib/ui/official';
import type { ScorecardSort } from './links';

/** What a scorecard column sorts by; missing values go last whatever the direction (sortBy). */
export function sortKeyOf(key: string, locale: Locale): (row: ScorecardRow) => number | string | null {
	if (key === 'name') return (row) => official(row.name, locale).text;
	if (key === 'rate') return (row) => row.rate.normativeRate;
	if (key === 'breaches') return (row) => (row.rate.assessed === 0 ? null : row.rate.breaches);
	return (row) => row.cells[key]?.value ?? null;
}

export function sortRows(rows: readonly ScorecardRow[], sort: ScorecardSort | null, locale: Locale): ScorecardRow[] {
	return sort ? sortBy(rows, sortKeyOf(sort.key, locale), sort.dir) : [...rows];
}

/** A first click shows the worst first: the lowest share, the most breaches, the worst value for the indicator's direction. */
export function firstDirection(key: string, indicators: readonly IndicatorInfo[]): SortDirection {
	if (key === 'name' || key === 'rate') return 'asc';
	if (key === 'breaches') return 'desc';
	return indicators.find((i) => i.code === key)?.polarity === 'lower_is_better' ? 'desc' : 'asc';
}

export function nextSort(current: ScorecardSort | null, key: string, indicators: readonly IndicatorInfo[]): ScorecardSort {
	if (current?.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
	return { key, dir: firstDirection(key, indicators) };
}

export interface StatusView {
	cls: 'ok' | 'warn' | 'bad' | 'none';
	icon: string;
	label: string;
}

/** A status as a symbol, a word and a colour class: never colour alone (the same marks as StatusBadge). */
export function statusView(a: Assessment): StatusView {
	switch (a.status) {
		case 'meets_target':
			return { cls: 'ok', icon: '✓', label: m.status_meets_target() };
		case 'meets_normative':
			return { cls: 'warn', icon: '◐', label: a.vsTarget === 'no_target' ? m.status_meets_normative_no_target() : m.status_meets_normative() };
		case 'breach':
			return { cls: 'bad', icon: '✕', label: m.status_breach() };
		default:
			return { cls: 'none', icon: '–', label: m.status_no_data() };
	}
}
