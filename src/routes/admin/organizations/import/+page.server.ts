import { fail } from '@sveltejs/kit';
import { requirePermission } from '$lib/server/auth/access';
import {
	commitOrganizationImport, dropUpload, type ImportProblem, holdUpload, loadImportLookup, MAX_IMPORT_BYTES, readOrganizationFile, takeUpload
} from '$lib/server/import/organizations';
import { actorOf } from '$lib/server/services/assignments';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await requirePermission(locals, 'catalogue.manage');
	return { maxBytes: MAX_IMPORT_BYTES };
};

export const actions: Actions = {
	/** Reads and checks the file, and holds it on the server for the commit. */
	preview: async ({ request, locals }) => {
		const access = await requirePermission(locals, 'catalogue.manage');
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { step: 'upload' as const, missing: true });
		const fileName = file.name.slice(0, 200);
		if (file.size > MAX_IMPORT_BYTES) {
			return fail(400, { step: 'preview' as const, fileName, problems: [{ row: null, column: null, code: 'file_too_large' }] as ImportProblem[], fresh: 0, unchanged: 0, token: null });
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		const result = await readOrganizationFile(bytes, await loadImportLookup(locals.db, access));
		const fresh = result.rows.filter((r) => r.status === 'new').length;
		const token = result.problems.length === 0 ? holdUpload(access.userId, fileName, bytes) : null;
		return { step: 'preview' as const, fileName, problems: result.problems, fresh, unchanged: result.rows.length - fresh, token };
	},

	/** Writes the held file: checked again inside the transaction, all or nothing. */
	commit: async ({ request, locals }) => {
		const access = await requirePermission(locals, 'catalogue.manage');
		const token = String((await request.formData()).get('token') ?? '');
		const held = takeUpload(access.userId, token);
		if (!held) return fail(400, { step: 'upload' as const, expired: true });
		const result = await commitOrganizationImport(locals.db, actorOf(access), access, held.bytes);
		if (!result.ok) return fail(400, { step: 'preview' as const, fileName: held.fileName, problems: result.problems, fresh: 0, unchanged: 0, token: null });
		dropUpload(token);
		return { step: 'done' as const, added: result.added, unchanged: result.unchanged };
	}
};
