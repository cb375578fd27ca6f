import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { isGlobalAdmin } from '$lib/domain/permissions';
import * as m from '$lib/paraglide/messages';
import { requirePermission } from '$lib/server/auth/access';
import { AUDIT_ACTIONS, AUDITED_ENTITIES, listAudit } from '$lib/server/queries/audit';
import { listUserNames } from '$lib/server/queries/users';
import { ASTANA_UTC_OFFSET_HOURS } from '$lib/ui/format';
import { AuditQuery } from '$lib/validation/audit';
import type { PageServerLoad } from './$types';

/** Days are Astana days (UTC+5, the whole country since 2024), as the times on the page are. */
const ASTANA_MS = ASTANA_UTC_OFFSET_HOURS * 3_600_000;
const startOf = (isoDay: string, plusDays = 0) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + plusDays * 86_400_000 - ASTANA_MS);

export const load: PageServerLoad = async ({ locals, url }) => {
	const access = await requirePermission(locals, 'audit.read');
	// The log spans every organization, so only a global admin reads it (an admin of one subtree would see others').
	if (!isGlobalAdmin(access.grants)) error(403, m.error_forbidden());
	const raw = Object.fromEntries(Object.keys(AuditQuery.entries).map((k) => [k, url.searchParams.get(k) ?? '']));
	const parsed = v.safeParse(AuditQuery, raw);
	if (!parsed.success) error(400, m.error_bad_request());
	const q = parsed.output;
	const page = await listAudit(locals.db, {
		entity: q.entity || undefined,
		action: q.action || undefined,
		actorUserId: q.actor === '' ? undefined : q.actor,
		from: q.from ? startOf(q.from) : undefined,
		to: q.to ? startOf(q.to, 1) : undefined,
		entityId: q.q || undefined,
		before: q.before === '' ? undefined : q.before
	});
	return {
		filters: { entity: q.entity, action: q.action, actor: raw.actor!, from: q.from, to: q.to, q: q.q, before: raw.before! },
		entities: AUDITED_ENTITIES,
		actions: AUDIT_ACTIONS,
		actors: await listUserNames(locals.db),
		...page
	};
};
