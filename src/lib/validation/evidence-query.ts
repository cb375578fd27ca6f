import * as v from 'valibot';

/*
 * The address of one figure behind the dashboard: /dashboard/evidence?org=&service=&indicator=&year=.
 * Every part is required; anything missing or malformed is a bad request.
 */

const ID_MAX = 2_147_483_647;

const requiredInt = (min: number, max: number) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.regex(/^\d{1,10}$/),
		v.transform(Number),
		v.number(),
		v.minValue(min),
		v.maxValue(max)
	);

/** An indicator's code as the catalogue writes it: "1.1", "4.2". */
const IndicatorCode = v.pipe(v.string(), v.trim(), v.regex(/^\d{1,3}\.\d{1,3}$/));

export const EvidenceQuery = v.object({
	org: requiredInt(1, ID_MAX),
	service: requiredInt(1, ID_MAX),
	indicator: IndicatorCode,
	year: requiredInt(1991, 2100)
});

export interface EvidenceRequest {
	organizationId: number;
	serviceId: number;
	indicatorCode: string;
	year: number;
}

export function parseEvidenceQuery(params: URLSearchParams): { ok: true; value: EvidenceRequest } | { ok: false } {
	const r = v.safeParse(EvidenceQuery, {
		org: params.get('org') ?? undefined,
		service: params.get('service') ?? undefined,
		indicator: params.get('indicator') ?? undefined,
		year: params.get('year') ?? undefined
	});
	return r.success
		? { ok: true, value: { organizationId: r.output.org, serviceId: r.output.service, indicatorCode: r.output.indicator, year: r.output.year } }
		: { ok: false };
}
