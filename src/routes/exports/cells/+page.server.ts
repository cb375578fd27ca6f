import { fail, redirect } from '@sveltejs/kit';
import { ORGANIZATION_KINDS } from '$lib/domain/dashboard';
import { getLocale } from '$lib/paraglide/runtime';
import { exportJobs, TooManyJobsError } from '$lib/server/export/jobs';
import { findIndicatorCatalogue, findServiceCatalogue } from '$lib/server/queries/dashboard';
import { cellsExportContentType, cellsExportFileName, cellsExportFilters, writeCellsExport } from '$lib/server/services/cells-export';
import { cellsExportSearch } from '$lib/validation/cells-export-query';
import { cellsExportRequest } from './request.server';
import type { Actions, PageServerLoad } from './$types';

/** GET ?org=&year=&kind=&service=&group=&format=&sep=: what the file will hold (and how many rows) before it is made. */
export const load: PageServerLoad = async ({ url, locals }) => {
	const { plan } = await cellsExportRequest(locals, url);
	const [services, catalogue] = await Promise.all([findServiceCatalogue(locals.db), findIndicatorCatalogue(locals.db)]);
	const o = plan.organization;
	return {
		organization: { id: o.id, code: o.code, kind: o.kind, name: o.name },
		request: plan.request,
		count: plan.count,
		options: { years: plan.years, kinds: [...ORGANIZATION_KINDS], services, groups: catalogue.groups }
	};
};

export const actions: Actions = {
	/** Starts the job (the form's format and separator win over the address) and goes to its progress page. */
	default: async ({ url, locals, request }) => {
		const { access, plan } = await cellsExportRequest(locals, url, await request.formData());
		const locale = getLocale();
		const madeBy = locals.user ? `${locals.user.displayName} <${locals.user.email}>` : '';
		const db = locals.db;
		let id: string;
		try {
			id = exportJobs().start(
				access.userId, plan.count,
				{ name: cellsExportFileName(plan), contentType: cellsExportContentType(plan) },
				{
					organizationId: plan.organization.id, search: cellsExportSearch({ ...plan.request, organizationId: plan.organization.id }), format: plan.request.format,
					about: cellsExportFilters(plan, locale).map(([label, value]) => `${label}: ${value}`)
				},
				(out, progress) => writeCellsExport(out, db, plan, locale, new Date(), madeBy, progress)
			);
		} catch (err) {
			if (err instanceof TooManyJobsError) return fail(429, { busy: true });
			throw err;
		}
		redirect(303, `/exports/cells/${id}`);
	}
};
