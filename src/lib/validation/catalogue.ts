import * as v from 'valibot';

/*
 * Forms of the shared catalogue (services, standards, indicators). Messages are
 * codes; the service layer turns them into text in the user's language.
 */

export const CHANNELS = ['state_corporation', 'egov', 'state_body', 'local_executive_body', 'education_org'] as const;
export const POLARITIES = ['higher_is_better', 'lower_is_better'] as const;
export const UNITS = ['percent'] as const;
export const GROUPS = ['timeliness', 'quality', 'accessibility', 'complaints', 'politeness'] as const;

export type FieldCode = 'required' | 'too_long' | 'date_invalid' | 'positive_whole' | 'percent_invalid' | 'percent_range' | 'percent_decimals' | 'choice_invalid';

const text = (max: number) => v.pipe(v.optional(v.string(), ''), v.trim(), v.nonEmpty<string, FieldCode>('required'), v.maxLength<string, number, FieldCode>(max, 'too_long'));
const optionalText = (max: number) =>
	v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength<string, number, FieldCode>(max, 'too_long'), v.transform((s) => (s === '' ? null : s)));
const date = v.pipe(v.optional(v.string(), ''), v.trim(), v.nonEmpty<string, FieldCode>('required'), v.isoDate<string, FieldCode>('date_invalid'));
const optionalDate = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.check((s) => s === '' || /^\d{4}-\d{2}-\d{2}$/.test(s), 'date_invalid' satisfies FieldCode),
	v.transform((s) => (s === '' ? null : s))
);
const optionalPositive = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.check((s) => s === '' || /^[1-9]\d{0,5}$/.test(s), 'positive_whole' satisfies FieldCode),
	v.transform((s) => (s === '' ? null : Number(s)))
);
const checkbox = v.pipe(v.optional(v.string(), ''), v.transform((s) => s !== ''));

/** A percentage as typed: '99', '99.5' or '99,5'; 0–100 with at most three decimals (numeric(7,3)). */
export const Percent = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.nonEmpty<string, FieldCode>('required'),
	v.check((s) => /^-?\d{1,6}([.,]\d+)?$/.test(s), 'percent_invalid' satisfies FieldCode),
	v.check((s) => !/[.,]\d{4,}$/.test(s), 'percent_decimals' satisfies FieldCode),
	v.transform((s) => Number(s.replace(',', '.'))),
	v.check((n) => n >= 0 && n <= 100, 'percent_range' satisfies FieldCode)
);

export const ServiceForm = v.object({
	titleKk: text(1000),
	titleRu: text(1000),
	titleEn: optionalText(1000),
	titleRuVerified: checkbox,
	channels: v.array(v.picklist(CHANNELS, 'choice_invalid' satisfies FieldCode)),
	isPaid: v.pipe(v.picklist(['paid', 'free'], 'choice_invalid' satisfies FieldCode), v.transform((s) => s === 'paid')),
	termDays: optionalPositive,
	maxWaitSubmitMin: optionalPositive,
	maxWaitReceiveMin: optionalPositive,
	legalBasisKk: optionalText(4000),
	legalBasisRu: optionalText(4000)
});

export const StandardForm = v.object({
	actIssuerKk: text(500),
	actIssuerRu: text(500),
	actNumber: text(100),
	actDate: date,
	registrationNumber: optionalText(100),
	registrationDate: optionalDate,
	validFrom: date,
	/** indicator id -> normative */
	normatives: v.record(v.pipe(v.string(), v.regex(/^\d{1,9}$/)), Percent)
});

export const RepealForm = v.object({
	standard: v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number)),
	issuerKk: text(500),
	issuerRu: text(500),
	number: text(100),
	date,
	/** the last day in force, when it is not the day before the repeal date */
	lastDay: optionalDate
});

export const IndicatorForm = v.object({
	groupCode: v.picklist(GROUPS, 'choice_invalid' satisfies FieldCode),
	titleKk: text(1000),
	titleRu: text(1000),
	titleEn: optionalText(1000),
	numeratorKk: text(1000),
	numeratorRu: text(1000),
	numeratorEn: optionalText(1000),
	denominatorKk: text(1000),
	denominatorRu: text(1000),
	denominatorEn: optionalText(1000),
	polarity: v.picklist(POLARITIES, 'choice_invalid' satisfies FieldCode),
	unit: v.picklist(UNITS, 'choice_invalid' satisfies FieldCode),
	reason: optionalText(2000)
});

export type ServiceInput = v.InferOutput<typeof ServiceForm>;
export type StandardInput = v.InferOutput<typeof StandardForm>;
export type RepealInput = v.InferOutput<typeof RepealForm>;
export type IndicatorInput = v.InferOutput<typeof IndicatorForm>;

/** The first problem code per field ('normatives.7' for a nested one). */
export function fieldCodes(issues: v.BaseIssue<unknown>[]): Record<string, FieldCode> {
	const out: Record<string, FieldCode> = {};
	for (const issue of issues) {
		const key = (issue.path ?? []).map((p) => String(p.key)).join('.');
		if (key && !(key in out)) out[key] = (issue.message as FieldCode) ?? 'required';
	}
	return out;
}

/** The day before an ISO date, in the calendar (no time zones involved). */
export function dayBefore(iso: string): string {
	const d = new Date(`${iso}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() - 1);
	return d.toISOString().slice(0, 10);
}
