import { sql, type Kysely, type Transaction } from 'kysely';
import { readActorLabel, readHistoryChange, historySource, type ActorLabel, type HistoryChange, type HistoryEntity, type HistorySource } from '../../domain/figure-history';
import type { AuditAction, Database, VolumeChannel } from '../db/schema';

/*
 * Every change to one organization's figures of one year, from the audit
 * log: measurements, service volumes and the reporting year's steps by the
 * index audit_log_figure_idx (entity, organization, year as written in the
 * row), and complaints received that year (by received_on before or after the
 * change: complaints are few, read through audit_log_entity_idx).
 */

type Db = Kysely<Database> | Transaction<Database>;

export const HISTORY_PAGE_SIZE = 100;

export interface HistoryFilters {
	organizationId: number;
	year: number;
	serviceId?: number;
	indicatorId?: number;
	channel?: VolumeChannel;
	/** 1-based. */
	page?: number;
}

export interface HistoryEntry {
	id: number;
	at: Date;
	action: AuditAction;
	entity: HistoryEntity;
	/** The signed-in person, when the writer named one; their current display name if they still exist. */
	actorUserId: number | null;
	actorName: string | null;
	actor: ActorLabel;
	service: { id: number; code: string; titleKk: string; titleRu: string; titleEn: string | null } | null;
	indicator: { id: number; code: string } | null;
	channel: VolumeChannel | null;
	/** The complaint's id, for complaint entries. */
	complaintId: number | null;
	change: HistoryChange;
	source: HistorySource | null;
}

export interface HistoryPage {
	entries: HistoryEntry[];
	total: number;
	page: number;
	pages: number;
}

interface Raw {
	id: number | string;
	at: Date | string;
	action: AuditAction;
	entity: HistoryEntity;
	entity_id: string;
	actor: string;
	actor_user_id: number | null;
	before: unknown;
	after: unknown;
	display_name: string | null;
	service_id: number | null;
	service_code: string | null;
	title_kk: string | null;
	title_ru: string | null;
	title_en: string | null;
	indicator_id: number | null;
	indicator_code: string | null;
	channel: VolumeChannel | null;
	total: number | string;
}

/** Newest first, HISTORY_PAGE_SIZE entries a page. */
export async function listFigureHistory(db: Db, f: HistoryFilters): Promise<HistoryPage> {
	const org = String(f.organizationId);
	const page = Math.max(1, f.page ?? 1);
	const row = sql`coalesce(a.after, a.before)`;
	const filters = [
		f.serviceId === undefined ? sql`true` : sql`${row} ->> 'service_id' = ${String(f.serviceId)}`,
		f.indicatorId === undefined ? sql`true` : sql`${row} ->> 'indicator_id' = ${String(f.indicatorId)}`,
		f.channel === undefined ? sql`true` : sql`${row} ->> 'channel' = ${f.channel}`
	];
	const first = `${f.year}-01-01`;
	const last = `${f.year}-12-31`;
	// The expressions match audit_log_figure_idx word for word, so the planner uses it.
	const r = await sql<Raw>`
		WITH hits AS (
			SELECT a.id FROM audit_log a
			WHERE a.entity IN ('measurement', 'service_volume', 'reporting_year')
				AND (coalesce(a.after, a.before) ->> 'organization_id') = ${org}
				AND (coalesce(a.after, a.before) ->> 'year') = ${String(f.year)}
				AND ${sql.join(filters, sql` AND `)}
			UNION ALL
			SELECT a.id FROM audit_log a
			WHERE a.entity = 'complaint'
				AND (coalesce(a.after, a.before) ->> 'organization_id') = ${org}
				AND ((a.after ->> 'received_on') BETWEEN ${first} AND ${last} OR (a.before ->> 'received_on') BETWEEN ${first} AND ${last})
				AND ${sql.join(filters, sql` AND `)}
		),
		counted AS (SELECT count(*)::integer AS total FROM hits),
		paged AS (SELECT id FROM hits ORDER BY id DESC LIMIT ${HISTORY_PAGE_SIZE} OFFSET ${(page - 1) * HISTORY_PAGE_SIZE})
		SELECT a.id, a.at, a.action, a.entity, a.entity_id, a.actor, a.actor_user_id, a.before, a.after,
			u.display_name, s.id AS service_id, s.code AS service_code, s.title_kk, s.title_ru, s.title_en,
			i.id AS indicator_id, i.code AS indicator_code, coalesce(a.after, a.before) ->> 'channel' AS channel,
			counted.total
		FROM counted
		LEFT JOIN paged ON true
		LEFT JOIN audit_log a ON a.id = paged.id
		LEFT JOIN app_user u ON u.id = a.actor_user_id
		LEFT JOIN service s ON s.id = (coalesce(a.after, a.before) ->> 'service_id')::integer
		LEFT JOIN indicator i ON i.id = (coalesce(a.after, a.before) ->> 'indicator_id')::integer
		ORDER BY a.id DESC`.execute(db);
	const total = Number(r.rows[0]?.total ?? 0);
	const entries = r.rows.filter((x) => x.id !== null).map((x): HistoryEntry => ({
		id: Number(x.id),
		at: x.at instanceof Date ? x.at : new Date(x.at),
		action: x.action,
		entity: x.entity,
		actorUserId: x.actor_user_id,
		actorName: x.display_name,
		actor: readActorLabel(x.actor),
		service: x.service_id === null ? null : { id: x.service_id, code: x.service_code!, titleKk: x.title_kk!, titleRu: x.title_ru!, titleEn: x.title_en },
		indicator: x.indicator_id === null ? null : { id: x.indicator_id, code: x.indicator_code! },
		channel: x.entity === 'service_volume' ? x.channel : null,
		complaintId: x.entity === 'complaint' ? Number(x.entity_id) : null,
		change: readHistoryChange(x.entity, x.before, x.after)!,
		source: historySource(x.before, x.after)
	}));
	return { entries, total, page, pages: Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE)) };
}
