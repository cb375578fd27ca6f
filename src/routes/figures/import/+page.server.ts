import { error, fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { appConfig } from '$lib/server/config';
import { listRecentImportBatches } from '$lib/server/queries/figures-import';
import { listImportableOrganizations, previewFigureImport } from '$lib/server/services/figures-import';
import { importSettings, maxSizeText } from './settings.server';
import type { Actions, PageServerLoad } from './$types';

const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const asOfYear = () => new Date().getUTCFullYear();
const Year = v.pipe(v.string(), v.trim(), v.regex(/^\d{4}$/), v.transform(Number), v.minValue(1991), v.check((y) => y <= asOfYear()));

export const load: PageServerLoad = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'figures.write');
	const orgParam = url.searchParams.get('org');
	let chosen: number | null = null;
	if (orgParam !== null) {
		const id = v.safeParse(Id, orgParam);
		if (!id.success) error(404, m.error_not_found());
		await requirePermission(locals, 'figures.write', id.output);
		chosen = id.output;
	}
	const year = v.safeParse(Year, url.searchParams.get('year') ?? '');
	const [organizations, recent] = await Promise.all([
		listImportableOrganizations(locals.db, access),
		listRecentImportBatches(locals.db, access.userId)
	]);
	const config = appConfig();
	return {
		organizations: organizations.map((o) => ({ id: o.id, code: o.code, nameKk: o.nameKk, nameRu: o.nameRu, nameEn: o.nameEn })),
		chosen: chosen ?? organizations[0]?.id ?? null,
		year: year.success ? year.output : asOfYear() - 1,
		maxYear: asOfYear(),
		maxBytes: config.importMaxBytes,
		maxRows: config.importMaxRows,
		recent
	};
};

export const actions: Actions = {
	/** Stores the upload as a batch with what checking it found, then shows the batch. */
	preview: async ({ locals, request }) => {
		const access = await requirePermission(locals, 'figures.write');
		const form = await request.formData();
		const org = v.safeParse(Id, form.get('org') ?? '');
		const year = v.safeParse(Year, form.get('year') ?? '');
		const file = form.get('file');
		const values = { org: String(form.get('org') ?? ''), year: String(form.get('year') ?? '') };
		const errors: Partial<Record<'org' | 'year' | 'file', string>> = {};
		if (!org.success) errors.org = m.import_figures_bad_org();
		if (!year.success) errors.year = m.import_figures_bad_year({ max: asOfYear() });
		if (!(file instanceof File) || file.size === 0) errors.file = m.import_figures_no_file();
		if (!org.success || !year.success || !(file instanceof File) || file.size === 0) return fail(400, { values, errors });
		await requirePermission(locals, 'figures.write', org.output);
		const out = await previewFigureImport(locals.db, access, {
			organizationId: org.output, year: year.output, fileName: file.name.replace(/^.*[\\/]/, '').slice(0, 200) || 'file',
			bytes: new Uint8Array(await file.arrayBuffer())
		}, importSettings());
		if (out.kind === 'too_large') return fail(413, { values, errors: { file: m.import_figures_p_file_too_large({ size: maxSizeText() }) } });
		redirect(303, `/figures/import/${out.batchId}`);
	}
};
