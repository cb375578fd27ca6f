import type { Kysely } from 'kysely';
import type { AuditAction, Database } from '../db/schema';

/** Tables the audit triggers watch (migrations/…T01-schema.ts), as they appear in `entity`. */
export const AUDITED_ENTITIES = [
	'organization', 'service', 'indicator_group', 'indicator', 'standard', 'standard_normative', 'service_provision',
	'measurement', 'target', 'service_volume', 'complaint', 'app_user', 'role_grant', 'app_meta',
	'organization_link', 'indicator_decision', 'reporting_year', 'target_set'
] as const;

export const AUDIT_ACTIONS = ['insert', 'update', 'delete', 'sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere'] as const satisfies readonly AuditAction[];

export const AUDIT_PAGE_SIZE = 100;

export interface AuditFilters {
	entity?: string;
	action?: AuditAction;
	actorUserId?: number;
	/** Inclusive lower bound of `at`. */
	from?: Date;
	/** Exclusive upper bound of `at`. */
	to?: Date;
	/** Free text found anywhere in entity_id ('12' finds '12', '312', '12/4/2024/egov'). */
	entityId?: string;
	/** Keyset cursor: only entries older than this id. */
	before?: number;
}

/** One field that differs between the row before and after; values as short text, null when absent. */
export interface AuditChange {
	key: string;
	before: string | null;
	after: string | null;
}

export interface AuditEntryView {
	id: number;
	at: Date;
	actorUserId: number | null;
	/** The label the writer set: 'user:12', 'demo-seed', 'bootstrap', 'anonymous', 'system'. */
	actor: string;
	actorName: string | null;
	action: AuditAction;
	entity: string;
	entityId: string;
	changes: AuditChange[];
}

export interface AuditPage {
	entries: AuditEntryView[];
	/** Cursor for the next (older) page, null on the last page. */
	nextBefore: number | null;
}

/** Fields every update touches, which would only hide the real change. */
const NOISE = new Set(['updated_at']);
const MAX_VALUE = 200;

function show(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function asRecord(value: unknown): Record<string, unknown> {
	if (typeof value === 'string') {
		try {
			return asRecord(JSON.parse(value));
		} catch {
			return {};
		}
	}
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The keys whose values differ: all set keys of an insert or a delete, the changed ones of an update. */
export function diffAuditRow(before: unknown, after: unknown): AuditChange[] {
	const b = asRecord(before);
	const a = asRecord(after);
	const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !NOISE.has(k));
	return keys
		.filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
		.map((k) => ({ key: k, before: show(b[k]), after: show(a[k]) }));
}

/** Newest first, one page of AUDIT_PAGE_SIZE entries at a time (keyset on id). */
export async function listAudit(db: Kysely<Database>, filters: AuditFilters = {}): Promise<AuditPage> {
	const text = filters.entityId?.trim();
	const rows = await db
		.selectFrom('audit_log as a')
		.leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
		.select(['a.id', 'a.at', 'a.actor_user_id', 'a.actor', 'a.action', 'a.entity', 'a.entity_id', 'a.before', 'a.after', 'u.display_name'])
		.$if(filters.entity !== undefined, (q) => q.where('a.entity', '=', filters.entity!))
		.$if(filters.action !== undefined, (q) => q.where('a.action', '=', filters.action!))
		.$if(filters.actorUserId !== undefined, (q) => q.where('a.actor_user_id', '=', filters.actorUserId!))
		.$if(filters.from !== undefined, (q) => q.where('a.at', '>=', filters.from!))
		.$if(filters.to !== undefined, (q) => q.where('a.at', '<', filters.to!))
		.$if(!!text, (q) => q.where('a.entity_id', 'ilike', `%${text!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
		.$if(filters.before !== undefined, (q) => q.where('a.id', '<', filters.before!))
		.orderBy('a.id', 'desc')
		.limit(AUDIT_PAGE_SIZE + 1)
		.execute();
	const page = rows.slice(0, AUDIT_PAGE_SIZE);
	return {
		entries: page.map((r) => ({
			id: r.id,
			at: r.at,
			actorUserId: r.actor_user_id,
			actor: r.actor,
			actorName: r.display_name,
			action: r.action,
			entity: r.entity,
			entityId: r.entity_id,
			changes: diffAuditRow(r.before, r.after)
		})),
		nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1]!.id : null
	};
}
