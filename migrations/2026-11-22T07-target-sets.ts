import { type Kysely, sql } from 'kysely';

/*
 * The working group's target sets (point 20 of every standard): for one year
 * and one scope (an organization's subtree and some services) the group
 * drafts targets, approves them with the protocol of its meeting, and may
 * reopen them with a reason. Each target belongs to at most one set through
 * target.target_set_id; the workflow writes targets only inside sets, and
 * every target that existed before this migration is put into one.
 *
 * What the database itself guarantees:
 * - a target of an approved set cannot be inserted, changed or deleted
 *   ('target_set_locked'); an approved set changes only by being reopened;
 * - approving records a protocol number and date ('target_set_approval_recorded');
 *   reopening records a reason ('target_set_reopen_reason', 'target_set_reopen_recorded');
 * - a target in a set lies in the set's year, services and subtree ('target_set_scope');
 * - at commit, every target of a set has the set's status ('target_set_status_sync'),
 *   so the annex, the entry grid and the engine, which read target.status, see
 *   exactly what the set says. A set's scope is fixed once created ('target_set_scope_fixed').
 *
 * Frozen: later changes are new migrations.
 */

const up_: string[] = [
	`SELECT set_config('sapa.actor', 'migration:target-sets', true)`,

	`CREATE TABLE target_set (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		year integer NOT NULL CHECK (year BETWEEN 1991 AND 2100),
		-- the scope: this organization's subtree (as linked in that year) ...
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		-- ... and these services; kept in the row so the audit log shows the scope with the set
		service_ids integer[] NOT NULL,
		status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
		protocol_number text,
		protocol_date date,
		-- the working group as the protocol lists it (free text)
		members text,
		approved_by integer REFERENCES app_user (id) ON DELETE SET NULL,
		approved_at timestamptz,
		-- the last reopening of an approved set
		reopen_reason text,
		reopened_by integer REFERENCES app_user (id) ON DELETE SET NULL,
		reopened_at timestamptz,
		version integer NOT NULL DEFAULT 1 CHECK (version > 0),
		created_by integer REFERENCES app_user (id) ON DELETE SET NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT target_set_services_given CHECK (cardinality(service_ids) >= 1 AND array_position(service_ids, NULL) IS NULL),
		CONSTRAINT target_set_approval_recorded CHECK (status = 'draft' OR (
			approved_at IS NOT NULL AND protocol_number IS NOT NULL AND btrim(protocol_number) <> '' AND protocol_date IS NOT NULL)),
		CONSTRAINT target_set_reopen_reason CHECK (reopened_at IS NULL OR (reopen_reason IS NOT NULL AND btrim(reopen_reason) <> '')),
		CONSTRAINT target_set_protocol_number_length CHECK (protocol_number IS NULL OR length(protocol_number) <= 100),
		CONSTRAINT target_set_members_length CHECK (members IS NULL OR length(members) <= 4000),
		CONSTRAINT target_set_reopen_reason_length CHECK (reopen_reason IS NULL OR length(reopen_reason) <= 2000)
	)`,
	`CREATE INDEX target_set_year_idx ON target_set (year, organization_id)`,
	`CREATE TRIGGER target_set_touch BEFORE UPDATE ON target_set FOR EACH ROW EXECUTE FUNCTION sapa_touch_updated_at()`,
	`CREATE TRIGGER target_set_audit AFTER INSERT OR UPDATE OR DELETE ON target_set
		FOR EACH ROW EXECUTE FUNCTION sapa_audit('id')`,

	`ALTER TABLE target ADD COLUMN target_set_id integer REFERENCES target_set (id) ON DELETE RESTRICT`,
	`CREATE INDEX target_set_member_idx ON target (target_set_id)`,
	`ALTER TABLE target ADD CONSTRAINT target_reason_length CHECK (reason IS NULL OR length(reason) <= 2000)`,

	// Existing targets: one set per year, top-level organization (in that year's tree), status and protocol.
	`WITH RECURSIVE pairs AS (
		SELECT DISTINCT organization_id AS org, year FROM target
	), up(org, year, id, depth) AS (
		SELECT org, year, org, 0 FROM pairs
		UNION ALL
		SELECT up.org, up.year, l.parent_id, up.depth + 1
		FROM up JOIN organization_link l ON l.organization_id = up.id
			AND l.year_from <= up.year AND (l.year_to IS NULL OR l.year_to >= up.year)
		WHERE l.parent_id IS NOT NULL AND up.depth < 64
	), roots AS (
		SELECT DISTINCT ON (org, year) org, year, id AS root FROM up ORDER BY org, year, depth DESC
	), made AS (
		INSERT INTO target_set (year, organization_id, service_ids, status, protocol_number, protocol_date, approved_by, approved_at, created_at)
		SELECT t.year, r.root, array_agg(DISTINCT t.service_id ORDER BY t.service_id), t.status, t.protocol_number, t.protocol_date,
			max(t.approved_by), max(t.approved_at), min(t.created_at)
		FROM target t JOIN roots r ON r.org = t.organization_id AND r.year = t.year
		GROUP BY t.year, r.root, t.status, t.protocol_number, t.protocol_date
		RETURNING id, year, organization_id, status, protocol_number, protocol_date
	)
	UPDATE target t SET target_set_id = made.id
	FROM roots r, made
	WHERE r.org = t.organization_id AND r.year = t.year
		AND made.year = t.year AND made.organization_id = r.root AND made.status = t.status
		AND made.protocol_number IS NOT DISTINCT FROM t.protocol_number AND made.protocol_date IS NOT DISTINCT FROM t.protocol_date`,

	// Is an organization inside root's subtree in that year (by organization_link)?
	`CREATE FUNCTION sapa_in_subtree(org integer, root integer, y integer) RETURNS boolean LANGUAGE sql STABLE AS $$
		WITH RECURSIVE up(id, depth) AS (
			SELECT org, 0
			UNION ALL
			SELECT l.parent_id, up.depth + 1 FROM organization_link l JOIN up ON l.organization_id = up.id
			WHERE l.parent_id IS NOT NULL AND l.year_from <= y AND (l.year_to IS NULL OR l.year_to >= y) AND up.depth < 64
		) SELECT EXISTS (SELECT 1 FROM up WHERE id = root)
	$$`,

	// A target of an approved set is frozen; a target in a set lies within its scope.
	`CREATE FUNCTION sapa_target_in_open_set() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE s record;
	BEGIN
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.target_set_id IS NOT NULL THEN
			SELECT status INTO s FROM target_set WHERE id = OLD.target_set_id;
			IF s.status = 'approved' THEN
				RAISE EXCEPTION 'target % belongs to the approved target set %: reopen the set first', OLD.id, OLD.target_set_id
					USING ERRCODE = '23514', CONSTRAINT = 'target_set_locked';
			END IF;
		END IF;
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		IF NEW.target_set_id IS NOT NULL THEN
			SELECT id, status, year, organization_id, service_ids INTO s FROM target_set WHERE id = NEW.target_set_id;
			IF s.status = 'approved' THEN
				RAISE EXCEPTION 'the target set % is approved: reopen it first', NEW.target_set_id
					USING ERRCODE = '23514', CONSTRAINT = 'target_set_locked';
			END IF;
			IF (TG_OP = 'INSERT' OR NEW.target_set_id IS DISTINCT FROM OLD.target_set_id OR NEW.organization_id <> OLD.organization_id
					OR NEW.service_id <> OLD.service_id OR NEW.year <> OLD.year)
				AND (NEW.year <> s.year OR NOT (NEW.service_id = ANY (s.service_ids)) OR NOT sapa_in_subtree(NEW.organization_id, s.organization_id, NEW.year)) THEN
				RAISE EXCEPTION 'target of organization % service % year % lies outside target set %', NEW.organization_id, NEW.service_id, NEW.year, s.id
					USING ERRCODE = '23514', CONSTRAINT = 'target_set_scope';
			END IF;
		END IF;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER target_set_locked BEFORE INSERT OR UPDATE OR DELETE ON target
		FOR EACH ROW EXECUTE FUNCTION sapa_target_in_open_set()`,

	// An approved set changes only by being reopened (with a new reason); its scope never changes.
	`CREATE FUNCTION sapa_target_set_guard() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		-- columns a deleted user is cleared from (ON DELETE SET NULL); not a change of the decision
		people text[] := ARRAY['approved_by', 'reopened_by', 'created_by', 'updated_at'];
	BEGIN
		IF TG_OP = 'DELETE' THEN
			IF OLD.status = 'approved' THEN
				RAISE EXCEPTION 'the target set % is approved and cannot be deleted', OLD.id
					USING ERRCODE = '23514', CONSTRAINT = 'target_set_locked';
			END IF;
			RETURN OLD;
		END IF;
		IF NEW.year <> OLD.year OR NEW.organization_id <> OLD.organization_id OR NEW.service_ids <> OLD.service_ids THEN
			RAISE EXCEPTION 'the scope of target set % is fixed', OLD.id
				USING ERRCODE = '23514', CONSTRAINT = 'target_set_scope_fixed';
		END IF;
		IF OLD.status = 'approved' AND NEW.status = 'approved' AND (to_jsonb(NEW) - people) <> (to_jsonb(OLD) - people) THEN
			RAISE EXCEPTION 'the target set % is approved: reopen it first', OLD.id
				USING ERRCODE = '23514', CONSTRAINT = 'target_set_locked';
		END IF;
		IF OLD.status = 'approved' AND NEW.status = 'draft' AND (NEW.reopened_at IS NULL OR NEW.reopened_at IS NOT DISTINCT FROM OLD.reopened_at) THEN
			RAISE EXCEPTION 'reopening target set % must record when and why', OLD.id
				USING ERRCODE = '23514', CONSTRAINT = 'target_set_reopen_recorded';
		END IF;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER target_set_guard BEFORE UPDATE OR DELETE ON target_set
		FOR EACH ROW EXECUTE FUNCTION sapa_target_set_guard()`,

	// At commit: a set's targets carry its status (approval writes the targets, then the set; reopening the reverse).
	`CREATE FUNCTION sapa_target_status_matches_set() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE bad bigint;
	BEGIN
		IF TG_TABLE_NAME = 'target' THEN
			SELECT t.id INTO bad FROM target t JOIN target_set s ON s.id = t.target_set_id
				WHERE t.id = NEW.id AND t.status <> s.status;
		ELSE
			SELECT t.id INTO bad FROM target t JOIN target_set s ON s.id = t.target_set_id
				WHERE s.id = NEW.id AND t.status <> s.status LIMIT 1;
		END IF;
		IF bad IS NOT NULL THEN
			RAISE EXCEPTION 'target % does not have the status of its target set', bad
				USING ERRCODE = '23514', CONSTRAINT = 'target_set_status_sync';
		END IF;
		RETURN NULL;
	END $$`,
	`CREATE CONSTRAINT TRIGGER target_status_sync AFTER INSERT OR UPDATE ON target
		DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sapa_target_status_matches_set()`,
	`CREATE CONSTRAINT TRIGGER target_set_status_sync AFTER UPDATE OF status ON target_set
		DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sapa_target_status_matches_set()`
];

const down_: string[] = [
	`DROP TRIGGER target_set_status_sync ON target_set`,
	`DROP TRIGGER target_status_sync ON target`,
	`DROP TRIGGER target_set_locked ON target`,
	`DROP FUNCTION sapa_target_status_matches_set()`,
	`DROP FUNCTION sapa_target_in_open_set()`,
	`DROP FUNCTION sapa_in_subtree(integer, integer, integer)`,
	`ALTER TABLE target DROP CONSTRAINT target_reason_length`,
	`ALTER TABLE target DROP COLUMN target_set_id`,
	`DROP TABLE target_set`,
	`DROP FUNCTION sapa_target_set_guard()`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const s of up_) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const s of down_) await sql.raw(s).execute(db);
}
