import * as v from 'valibot';
import { AUDIT_ACTIONS, AUDITED_ENTITIES } from '$lib/server/queries/audit';

const blank = v.literal('');
const id = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
const day = v.pipe(v.string(), v.isoDate());

/** The audit page's filters as the query string has them; '' is "any". */
export const AuditQuery = v.object({
	entity: v.union([blank, v.picklist(AUDITED_ENTITIES)]),
	action: v.union([blank, v.picklist(AUDIT_ACTIONS)]),
	actor: v.union([blank, id]),
	from: v.union([blank, day]),
	to: v.union([blank, day]),
	q: v.pipe(v.string(), v.trim(), v.maxLength(100)),
	before: v.union([blank, id])
});
