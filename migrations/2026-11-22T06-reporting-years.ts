import { type Kysely, sql } from 'kysely';

/*
 * Capturing a year's figures: each organization's reporting year moves
 * open → submitted (by an operator) → approved (by a head above it), or back
 * to open when a head returns or reopens it with a reason. While a year is
 * submitted or approved, the database itself refuses any change to that
 * organization's figures for that year (measurements, volumes, complaints
 * received that year), whatever the application does.
 *
 * Spreadsheet imports are kept as batches: the file as uploaded (so what was
 * imported can always be shown), who uploaded it, and how it ended.
 */

const up_: string[] = [
	`ALTER TABLE service_volume ADD COLUMN comment text`,
	`ALTER TABLE service_volume ADD CONSTRAINT service_volume_comment_length CHECK (comment IS NULL OR length(comment) <= 2000)`,
	`ALTER TABLE measurement ADD CONSTRAINT measurement_comment_length CHECK (comment IS NULL OR length(comment) <= 2000)`,

	`CREATE TABLE reporting_year (
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		year integer NOT NULL CHECK (year BETWEEN 1991 AND 2100),
		status text NOT NULL CHECK (status IN ('open', 'submitted', 'approved')),
		-- the last step taken; its reason when it was a return or a reopening
		last_step text NOT NULL CHECK (last_step IN ('submit', 'return', 'approve', 'reopen')),
		reason text,
		step_by integer REFERENCES app_user (id) ON DELETE SET NULL,
		step_at timestamptz NOT NULL DEFAULT now(),
		version integer NOT NULL DEFAULT 1 CHECK (version > 0),
		PRIMARY KEY (organization_id, year),
		CONSTRAINT reporting_year_reason_required CHECK (
			last_step NOT IN ('return', 'reopen') OR (reason IS NOT NULL AND btrim(reason) <> '')),
		CONSTRAINT reporting_year_reason_length CHECK (reason IS NULL OR length(reason) <= 2000),
		CONSTRAINT reporting_year_step_matches_status CHECK (
			(last_step = 'submit' AND status = 'submitted') OR (last_step = 'approve' AND status = 'approved')
			OR (last_step IN ('return', 'reopen') AND status = 'open'))
	)`,
	`CREATE INDEX reporting_year_year_idx ON reporting_year (year, status)`,
	`CREATE TRIGGER reporting_year_audit AFTER INSERT OR UPDATE OR DELETE ON reporting_year
		FOR EACH ROW EXECUTE FUNCTION sapa_audit('organization_id', 'year')`,

	// A submitted or approved year is closed to its organization's figures.
	`CREATE FUNCTION sapa_year_is_open() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		rec jsonb;
		y integer;
		st text;
	BEGIN
		FOREACH rec IN ARRAY CASE TG_OP
			WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)]
			WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)]
			ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END
		LOOP
			y := coalesce((rec ->> 'year')::integer, extract(year FROM (rec ->> 'received_on')::date)::integer);
			SELECT r.status INTO st FROM reporting_year r
				WHERE r.organization_id = (rec ->> 'organization_id')::integer AND r.year = y;
			IF st IN ('submitted', 'approved') THEN
				RAISE EXCEPTION 'the % reporting year of organization % is %: its figures cannot change', y, rec ->> 'organization_id', st
					USING ERRCODE = '23514', CONSTRAINT = 'reporting_year_locked';
			END IF;
		END LOOP;
		RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
	END $$`,
	`CREATE TRIGGER measurement_year_open BEFORE INSERT OR UPDATE OR DELETE ON measurement
		FOR EACH ROW EXECUTE FUNCTION sapa_year_is_open()`,
	`CREATE TRIGGER service_volume_year_open BEFORE INSERT OR UPDATE OR DELETE ON service_volume
		FOR EACH ROW EXECUTE FUNCTION sapa_year_is_open()`,
	`CREATE TRIGGER complaint_year_open BEFORE INSERT OR UPDATE OR DELETE ON complaint
		FOR EACH ROW EXECUTE FUNCTION sapa_year_is_open()`,

	// A value's history is read from the audit log by organization and year.
	`CREATE INDEX audit_log_figure_idx ON audit_log (entity, ((coalesce(after, before) ->> 'organization_id')), ((coalesce(after, before) ->> 'year')))
		WHERE entity IN ('measurement', 'service_volume', 'reporting_year')`,
	`CREATE TABLE import_batch (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		kind text NOT NULL CHECK (kind IN ('figures')),
		-- the organization (with its subtree) and year the file was uploaded for
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		year integer NOT NULL CHECK (year BETWEEN 1991 AND 2100),
		file_name text NOT NULL CHECK (length(file_name) <= 255),
		file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
		file_bytes bytea NOT NULL,
		row_count integer,
		problem_count integer NOT NULL DEFAULT 0,
		status text NOT NULL DEFAULT 'previewed' CHECK (status IN ('previewed', 'committed', 'refused', 'discarded')),
		-- what the commit did (counts of new, changed, unchanged values) or why it was refused
		result jsonb,
		created_by integer NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
		created_at timestamptz NOT NULL DEFAULT now(),
		finished_at timestamptz
	)`,
	`CREATE INDEX import_batch_owner_idx ON import_batch (created_by, created_at)`
];

const down_: string[] = [
	`DROP TABLE import_batch`,
	`DROP INDEX audit_log_figure_idx`,
	`DROP TRIGGER complaint_year_open ON complaint`,
	`DROP TRIGGER service_volume_year_open ON service_volume`,
	`DROP TRIGGER measurement_year_open ON measurement`,
	`DROP FUNCTION sapa_year_is_open()`,
	`DROP TABLE reporting_year`,
	`ALTER TABLE measurement DROP CONSTRAINT measurement_comment_length`,
	`ALTER TABLE service_volume DROP COLUMN comment`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const s of up_) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const s of down_) await sql.raw(s).execute(db);
}
