import * as v from 'valibot';
import { STATUS_FILTERS, type StatusFilter } from '../domain/completeness';
import type { VolumeChannel } from '../server/db/schema';
import { optionalInt } from './annex-query';
import { VOLUME_CHANNELS } from './figures';

/*
 * The query strings of the completeness overview (/figures) and of a year's
 * history (/figures/[org]/[year]/history). Absent or empty means "not
 * chosen"; anything else that does not fit is a bad request.
 */


export const optionalPick = <T extends string>(options: readonly T[]) =>
	v.pipe(
		v.optional(v.string(), ''),
		v.transform((s) => s.trim()),
		v.union([v.literal(''), v.picklist(options)]),
		v.transform((s) => (s === '' ? null : (s as T)))
	);

const ID_MAX = 2_147_483_647;

export const OverviewQuery = v.object({
	org: optionalInt(1, ID_MAX),
	year: optionalInt(1991, 2100),
	status: optionalPick(STATUS_FILTERS),
	page: optionalInt(1, 100_000)
});

export interface OverviewRequest {
	organizationId: number | null;
	year: number | null;
	status: StatusFilter | null;
	page: number;
}

export function parseOverviewQuery(params: URLSearchParams): { ok: true; value: OverviewRequest } | { ok: false } {
	const r = v.safeParse(OverviewQuery, {
		org: params.get('org') ?? undefined,
		year: params.get('year') ?? undefined,
		status: params.get('status') ?? undefined,
		page: params.get('page') ?? undefined
	});
	return r.success
		? { ok: true, value: { organizationId: r.output.org, year: r.output.year, status: r.output.status, page: r.output.page ?? 1 } }
		: { ok: false };
}

export const HistoryQuery = v.object({
	service: optionalInt(1, ID_MAX),
	indicator: optionalInt(1, ID_MAX),
	channel: optionalPick(VOLUME_CHANNELS),
	page: optionalInt(1, 100_000)
});

export interface HistoryRequest {
	serviceId: number | null;
	indicatorId: number | null;
	channel: VolumeChannel | null;
	page: number;
}

export function parseHistoryQuery(params: URLSearchParams): { ok: true; value: HistoryRequest } | { ok: false } {
	const r = v.safeParse(HistoryQuery, {
		service: params.get('service') ?? undefined,
		indicator: params.get('indicator') ?? undefined,
		channel: params.get('channel') ?? undefined,
		page: params.get('page') ?? undefined
	});
	return r.success
		? { ok: true, value: { serviceId: r.output.service, indicatorId: r.output.indicator, channel: r.output.channel, page: r.output.page ?? 1 } }
		: { ok: false };
}
