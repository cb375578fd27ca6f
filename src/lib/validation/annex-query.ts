import * as v from 'valibot';

/** An optional positive id or year from a query string: absent or empty means "not chosen". */
export const optionalInt = (min: number, max: number) =>
	v.pipe(
		v.optional(v.string(), ''),
		v.transform((s) => s.trim()),
		v.union([v.literal(''), v.pipe(v.string(), v.regex(/^\d{1,10}$/))]),
		v.transform((s) => (s === '' ? null : Number(s))),
		v.union([v.null(), v.pipe(v.number(), v.minValue(min), v.maxValue(max))])
	);

export const AnnexQuery = v.object({
	org: optionalInt(1, 2_147_483_647),
	service: optionalInt(1, 2_147_483_647),
	year: optionalInt(1991, 2100)
});

export function parseAnnexQuery(params: URLSearchParams) {
	const result = v.safeParse(AnnexQuery, {
		org: params.get('org') ?? undefined,
		service: params.get('service') ?? undefined,
		year: params.get('year') ?? undefined
	});
	return result.success
		? { ok: true as const, value: { organizationId: result.output.org, serviceId: result.output.service, year: result.output.year } }
		: { ok: false as const };
}
