import type { Locale } from '$lib/paraglide/runtime';

// Kazakh writes numbers as Russian does (decimal comma, space between thousands). Browsers'
// ICU data for 'kk' differs (Chromium gives a decimal point), so hydration would change what
// the server rendered: the Russian rules serve both, identically on server and client.
const tags: Record<Locale, string> = { ru: 'ru-RU', kk: 'ru-RU', en: 'en-GB' };
const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, digits: number): Intl.NumberFormat {
	const key = `${locale}:${digits}`;
	let f = cache.get(key);
	if (!f) {
		f = new Intl.NumberFormat(tags[locale], { maximumFractionDigits: digits, minimumFractionDigits: 0 });
		cache.set(key, f);
	}
	return f;
}

/** 99.5 -> '99,5 %' (ru, kk) or '99.5%' (en); up to two decimals so 0.06 % stays visible. */
export function formatPercent(value: number | null, locale: Locale): string {
	if (value === null) return '—';
	const n = numberFormat(locale, 2).format(value);
	return locale === 'en' ? `${n}%` : `${n} %`;
}

export function formatCount(value: number, locale: Locale): string {
	return numberFormat(locale, 0).format(value);
}

/** Signed, so the reader sees the direction: '+0,5' / '−1,2'. */
export function formatSigned(value: number, locale: Locale): string {
	const n = numberFormat(locale, 2).format(Math.abs(value));
	return value > 0 ? `+${n}` : value < 0 ? `−${n}` : n;
}

/** '2008-01-28' -> '28.01.2008' (ru, kk) or '28 Jan 2008' (en). */
export function formatDate(iso: string, locale: Locale): string {
	const [y, mo, d] = iso.split('-');
	if (locale === 'en') {
		return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
	}
	return `${d}.${mo}.${y}`;
}

/** Kazakhstan keeps one time zone, UTC+5, since 2024: a fixed offset gives the same text on server and browser. */
export const ASTANA_UTC_OFFSET_HOURS = 5;

/** An instant in Astana time: '02.03.2026 01:30' (ru, kk) or '2 Mar 2026 01:30' (en); `seconds` adds ':SS'. */
export function formatDateTime(d: Date, locale: Locale, { seconds = false }: { seconds?: boolean } = {}): string {
	const iso = new Date(d.getTime() + ASTANA_UTC_OFFSET_HOURS * 3_600_000).toISOString();
	return `${formatDate(iso.slice(0, 10), locale)} ${iso.slice(11, seconds ? 19 : 16)}`;
}
