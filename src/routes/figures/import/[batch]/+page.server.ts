import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { appConfig } from '$lib/server/config';
import { findOrganization } from '$lib/server/queries/organizations';
import { commitFigureImport, discardFigureImport } from '$lib/server/services/figures-import';
import { formatCount } from '$lib/ui/format';
import { getLocale } from '$lib/paraglide/runtime';
import { importSettings, maxSizeText } from '../settings.server';
import { batchFor } from './batch.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { batch } = await batchFor(locals, params.batch, 'read');
	const organization = await findOrganization(locals.db, batch.organizationId);
	return {
		batch,
		organization: organization && { id: organization.id, code: organization.code, nameKk: organization.nameKk, nameRu: organization.nameRu, nameEn: organization.nameEn },
		jumpPoints: appConfig().jumpWarningPoints,
		limits: { maxSize: maxSizeText(), maxRows: formatCount(appConfig().importMaxRows, getLocale()) }
	};
};

export const actions: Actions = {
	/** Writes the previewed file: judged again inside the writing transaction, all or nothing. */
	commit: async ({ locals, params }) => {
		const { access, batch } = await batchFor(locals, params.batch, 'figures.write');
		const out = await commitFigureImport(locals.db, access, batch.id, importSettings());
		if (out.kind === 'not_previewed') return fail(409, { message: m.import_figures_not_previewed() });
		if (out.kind === 'refused') return fail(409, { refused: out.problemCount });
		return { committed: out };
	},

	discard: async ({ locals, params }) => {
		const { access, batch } = await batchFor(locals, params.batch, 'figures.write');
		if (!(await discardFigureImport(locals.db, access, batch.id))) return fail(409, { message: m.import_figures_not_previewed() });
		return { discarded: true };
	}
};
