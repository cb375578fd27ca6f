import * as v from 'valibot';
import { REPORT_LANGS, type ReportLang } from '../domain/annual-report';
import { optionalInt } from './annex-query';
import { optionalPick } from './reporting-query';

/*
 * The annual report's address: /reports/annual?org=&year=&lang=kk|ru (and the
 * same for /reports/annual/docx). Absent or empty means "not chosen": the
 * person's department, the latest year with figures, the language of the
 * interface (Russian for the English interface). Anything else is a bad request.
 */

export const AnnualReportQuery = v.object({
	org: optionalInt(1, 2_147_483_647),
	year: optionalInt(1991, 2100),
	lang: optionalPick(REPORT_LANGS)
});

export interface AnnualReportQueryValue {
	organizationId: number | null;
	year: number | null;
	lang: ReportLang | null;
}

/**
 * Refused: `organizationId` is the organization the address names when that part alone is valid,
 * so the route checks it first (outside the person's scope the answer is 404, whatever else is wrong).
 */
export function parseAnnualReportQuery(params: URLSearchParams): { ok: true; value: AnnualReportQueryValue } | { ok: false; organizationId: number | null } {
	const org = params.get('org') ?? undefined;
	const r = v.safeParse(AnnualReportQuery, { org, year: params.get('year') ?? undefined, lang: params.get('lang') ?? undefined });
	if (!r.success) {
		const named = v.safeParse(AnnualReportQuery.entries.org, org);
		return { ok: false, organizationId: named.success ? named.output : null };
	}
	return { ok: true, value: { organizationId: r.output.org, year: r.output.year, lang: r.output.lang } };
}

/** The official language of the report: the one asked for, else the interface's (Kazakh stays Kazakh; Russian and English read Russian). */
export function reportLangFor(asked: ReportLang | null, locale: string): ReportLang {
	return asked ?? (locale === 'kk' ? 'kk' : 'ru');
}
