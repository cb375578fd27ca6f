import * as m from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { formatPercent, formatSigned } from '$lib/ui/format';

/*
 * How the dashboard writes its numbers: indicator values and shares to one
 * decimal, changes of a share in percentage points. Charts and tables use the
 * same functions so the table under a chart reads as the chart does.
 */

/** A number with up to `digits` decimals, written as $lib/ui/format writes them (Russian rules for kk too). */
function plain(value: number, digits: number, locale: Locale): string {
	return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: digits }).format(value);
}

/** An indicator value (already 0..100) to one decimal; below 1 % two decimals, so 0.06 % is not shown as 0. */
export function valuePercent(value: number | null, locale: Locale): string {
	if (value === null) return '—';
	const digits = Math.abs(value) < 1 && value !== 0 ? 100 : 10;
	return formatPercent(Math.round(value * digits) / digits, locale);
}

/** An indicator value as a bare number, for a table whose heading already says %: '98,3', '100'. */
export function valueNumber(value: number | null, locale: Locale): string {
	if (value === null) return '—';
	return plain(value, Math.abs(value) < 1 && value !== 0 ? 2 : 1, locale);
}

/** A share 0..1 as a percentage to one decimal. */
export function sharePercent(share: number | null, locale: Locale): string {
	return share === null ? '—' : formatPercent(Math.round(share * 1000) / 10, locale);
}

/** A share 0..1 as a chart value 0..100; null stays null (a gap, never NaN). */
export function toChartPercent(share: number | null): number | null {
	return share === null || !Number.isFinite(share) ? null : share * 100;
}

/** A change of a share (0..1) in percentage points, signed: '+4,3 п. п.'. */
export function pointsChange(delta: number, locale: Locale): string {
	return `${formatSigned(Math.round(delta * 1000) / 10, locale)} ${m.dash_pp()}`;
}

/** Decimals an axis needs for ticks about a fifth of its span apart to read differently. */
export function digitsFor(span: number): number {
	if (!(span > 0)) return 0;
	return Math.min(4, Math.max(0, Math.ceil(-Math.log10(span / 5))));
}

/** An axis tick in per cent with a fixed number of decimals: '0,015 %', '99,5 %'. */
export function axisPercent(value: number, digits: number, locale: Locale): string {
	const n = plain(value, digits, locale);
	return locale === 'en' ? `${n}%` : `${n} %`;
}
