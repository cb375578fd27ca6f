import * as v from 'valibot';
import type { OrganizationKindCode } from '../domain/completeness';
import { INDICATOR_GROUPS, ORGANIZATION_KINDS, type IndicatorGroup } from '../domain/dashboard';
import { optionalInt } from './annex-query';
import { optionalPick } from './reporting-query';

/*
 * The export of every cell of a subtree: /exports/cells?org=&year=&kind=&service=&group=&format=&sep=.
 * The filters are the dashboard's (an absent year means every year, each in its own tree);
 * format and separator may also come in the form that starts the job. Absent or empty means
 * "not chosen"; anything else that does not fit is a bad request.
 */

const ID_MAX = 2_147_483_647;
export const CELLS_EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type CellsExportFormat = (typeof CELLS_EXPORT_FORMATS)[number];
export const CELLS_EXPORT_SEPARATORS = ['semicolon', 'comma'] as const;
export type CellsExportSeparator = (typeof CELLS_EXPORT_SEPARATORS)[number];

const CellsExportQuery = v.object({
	org: optionalInt(1, ID_MAX),
	year: optionalInt(1991, 2100),
	kind: optionalPick(ORGANIZATION_KINDS),
	service: optionalInt(1, ID_MAX),
	group: optionalPick(INDICATOR_GROUPS),
	format: optionalPick(CELLS_EXPORT_FORMATS),
	sep: optionalPick(CELLS_EXPORT_SEPARATORS)
});

export interface CellsExportRequest {
	organizationId: number | null;
	/** null: every year with figures, each year's cells from that year's tree. */
	year: number | null;
	kind: OrganizationKindCode | null;
	serviceId: number | null;
	group: IndicatorGroup | null;
	format: CellsExportFormat;
	separator: CellsExportSeparator;
}

export type ParsedCellsExport = { ok: true; value: CellsExportRequest } | { ok: false; organizationId: number | null };

const get = (params: URLSearchParams, form: FormData | null, key: string) => {
	const fromForm = form?.get(key);
	return typeof fromForm === 'string' ? fromForm : (params.get(key) ?? undefined);
};

/**
 * Reads the address (and, for the form that starts the job, its format and separator, which
 * win over the address). On failure the organization is still given when it alone parses, so
 * the caller can check it first (404 outside the scope before 400).
 */
export function parseCellsExportQuery(params: URLSearchParams, form: FormData | null = null): ParsedCellsExport {
	const r = v.safeParse(CellsExportQuery, {
		org: params.get('org') ?? undefined,
		year: params.get('year') ?? undefined,
		kind: params.get('kind') ?? undefined,
		service: params.get('service') ?? undefined,
		group: params.get('group') ?? undefined,
		format: get(params, form, 'format'),
		sep: get(params, form, 'sep')
	});
	if (!r.success) {
		const org = v.safeParse(CellsExportQuery.entries.org, params.get('org') ?? undefined);
		return { ok: false, organizationId: org.success ? org.output : null };
	}
	const o = r.output;
	return {
		ok: true,
		value: {
			organizationId: o.org, year: o.year, kind: o.kind, serviceId: o.service, group: o.group,
			format: o.format ?? 'xlsx', separator: o.sep ?? 'semicolon'
		}
	};
}

/** The address of the export page for a request (the filters only; format and separator too when not the defaults). */
export function cellsExportSearch(req: CellsExportRequest): string {
	const p = new URLSearchParams();
	if (req.organizationId !== null) p.set('org', String(req.organizationId));
	if (req.year !== null) p.set('year', String(req.year));
	if (req.kind !== null) p.set('kind', req.kind);
	if (req.serviceId !== null) p.set('service', String(req.serviceId));
	if (req.group !== null) p.set('group', req.group);
	if (req.format !== 'xlsx') p.set('format', req.format);
	if (req.separator !== 'semicolon') p.set('sep', req.separator);
	return p.toString();
}

/** A job's id as the registry makes them: 128 random bits, base64url. */
export const JOB_ID = /^[A-Za-z0-9_-]{22}$/;
