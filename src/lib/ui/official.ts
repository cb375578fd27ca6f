import type { Locale } from '$lib/paraglide/runtime';

export interface Texts {
	kk: string;
	ru: string;
	en: string | null;
}

export interface OfficialText {
	text: string;
	/** The language the text is written in, for the lang attribute. */
	lang: 'kk' | 'ru';
	/** An English gloss under the official text in the English interface. */
	gloss: string | null;
}

/**
 * Official titles are shown as written: Kazakh in the Kazakh interface,
 * Russian in the Russian one. English has no official text, so it shows the
 * Russian original with an English gloss beneath.
 */
export function official(texts: Texts, locale: Locale): OfficialText {
	if (locale === 'kk') return { text: texts.kk, lang: 'kk', gloss: null };
	return { text: texts.ru, lang: 'ru', gloss: locale === 'en' ? texts.en : null };
}

export function orgName(o: { nameKk: string; nameRu: string; nameEn: string | null }, locale: Locale): OfficialText {
	return official({ kk: o.nameKk, ru: o.nameRu, en: o.nameEn }, locale);
}
