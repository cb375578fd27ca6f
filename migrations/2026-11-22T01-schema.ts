import { type Kysely, sql } from 'kysely';

/*
 * The whole data model of Sapa, version 1. Frozen: later changes are new migrations.
 *
 * The database itself refuses impossible data (CHECK, FK, UNIQUE, triggers) so a
 * bug in one code path can never store a numerator above its denominator, a
 * percentage outside 0–100, or a figure for a service the organization did not
 * provide that year. Every write to a business table lands in audit_log through
 * a trigger; the acting user comes from the transaction-local setting sapa.actor_id.
 */

const statements: string[] = [
	// ---------- helpers ----------
	`CREATE FUNCTION sapa_bin_is_valid(b text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
	DECLARE s int := 0; c int;
	BEGIN
		IF b IS NULL THEN RETURN true; END IF;
		IF b !~ '^[0-9]{12}$' THEN RETURN false; END IF;
		FOR i IN 1..11 LOOP s := s + i * substr(b, i, 1)::int; END LOOP;
		c := s % 11;
		IF c = 10 THEN
			s := 0;
			FOR i IN 1..11 LOOP s := s + (((i + 1) % 11) + 1) * substr(b, i, 1)::int; END LOOP;
			c := s % 11;
			IF c = 10 THEN RETURN false; END IF;
		END IF;
		RETURN c = substr(b, 12, 1)::int;
	END $$`,

	`CREATE FUNCTION sapa_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN NEW.updated_at := now(); RETURN NEW; END $$`,

	`CREATE TABLE app_meta (
		key text PRIMARY KEY,
		value jsonb NOT NULL,
		updated_at timestamptz NOT NULL DEFAULT now()
	)`,

	// ---------- organizations ----------
	`CREATE TABLE organization (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
		parent_id integer REFERENCES organization (id) ON DELETE RESTRICT,
		kind text NOT NULL CHECK (kind IN ('region_department', 'city_department', 'school', 'kindergarten', 'supplementary', 'other')),
		name_kk text NOT NULL CHECK (btrim(name_kk) <> ''),
		name_ru text NOT NULL CHECK (btrim(name_ru) <> ''),
		name_en text,
		bin text UNIQUE CONSTRAINT organization_bin_valid CHECK (sapa_bin_is_valid(bin)),
		active_from date NOT NULL DEFAULT DATE '2000-01-01',
		active_to date,
		is_demo boolean NOT NULL DEFAULT false,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT organization_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
		CONSTRAINT organization_active_range CHECK (active_to IS NULL OR active_to >= active_from)
	)`,
	`CREATE INDEX organization_parent_idx ON organization (parent_id)`,
	`CREATE FUNCTION sapa_organization_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF NEW.parent_id IS NOT NULL AND EXISTS (
			WITH RECURSIVE up(id, parent_id) AS (
				SELECT id, parent_id FROM organization WHERE id = NEW.parent_id
				UNION ALL
				SELECT o.id, o.parent_id FROM organization o JOIN up ON o.id = up.parent_id
			) SELECT 1 FROM up WHERE id = NEW.id
		) THEN
			RAISE EXCEPTION 'organization % cannot be placed under its own descendant %', NEW.id, NEW.parent_id
				USING ERRCODE = '23514', CONSTRAINT = 'organization_no_cycle';
		END IF;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER organization_no_cycle BEFORE UPDATE OF parent_id ON organization
		FOR EACH ROW EXECUTE FUNCTION sapa_organization_no_cycle()`,

	// ---------- catalogue: services, indicators, standards ----------
	`CREATE TABLE service (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
		title_kk text NOT NULL CHECK (btrim(title_kk) <> ''),
		title_ru text NOT NULL CHECK (btrim(title_ru) <> ''),
		title_en text,
		-- false where the Russian title was not taken from an official source text
		title_ru_verified boolean NOT NULL DEFAULT true,
		channels text[] NOT NULL DEFAULT '{}'
			CHECK (channels <@ ARRAY['state_corporation', 'egov', 'state_body', 'local_executive_body', 'education_org']::text[]),
		channels_note_kk text,
		channels_note_ru text,
		is_paid boolean NOT NULL DEFAULT false,
		term_days integer CHECK (term_days > 0),
		max_wait_submit_min integer CHECK (max_wait_submit_min > 0),
		max_wait_receive_min integer CHECK (max_wait_receive_min > 0),
		legal_basis_kk text,
		legal_basis_ru text,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now()
	)`,
	`CREATE TABLE indicator_group (
		code text PRIMARY KEY CHECK (code IN ('timeliness', 'quality', 'accessibility', 'complaints', 'politeness')),
		number integer NOT NULL UNIQUE CHECK (number > 0),
		title_kk text NOT NULL,
		title_ru text NOT NULL,
		title_en text NOT NULL
	)`,
	`CREATE TABLE indicator (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]+\\.[0-9]+$'),
		group_code text NOT NULL REFERENCES indicator_group (code),
		sort_order integer NOT NULL,
		title_kk text NOT NULL CHECK (btrim(title_kk) <> ''),
		title_ru text NOT NULL CHECK (btrim(title_ru) <> ''),
		title_en text,
		unit text NOT NULL DEFAULT 'percent' CHECK (unit IN ('percent')),
		polarity text NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better')),
		-- 'complaints_register': computed from complaints and served volumes, never typed
		source text NOT NULL DEFAULT 'reported' CHECK (source IN ('reported', 'complaints_register')),
		numerator_kk text NOT NULL, numerator_ru text NOT NULL, numerator_en text,
		denominator_kk text NOT NULL, denominator_ru text NOT NULL, denominator_en text,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now()
	)`,
	`CREATE TABLE standard (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		service_id integer NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
		act_issuer_kk text NOT NULL,
		act_issuer_ru text NOT NULL,
		act_number text NOT NULL,
		act_date date NOT NULL,
		registration_number text,
		registration_date date,
		valid_from date NOT NULL,
		-- last day in force; NULL while in force
		valid_to date,
		repeal_issuer_kk text,
		repeal_issuer_ru text,
		repeal_number text,
		repeal_date date,
		is_demo boolean NOT NULL DEFAULT false,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT standard_valid_range CHECK (valid_to IS NULL OR valid_to >= valid_from),
		CONSTRAINT standard_repeal_complete CHECK ((repeal_number IS NULL) = (repeal_date IS NULL)),
		CONSTRAINT standard_repeal_ends_validity CHECK (repeal_date IS NULL OR valid_to IS NOT NULL)
	)`,
	`CREATE INDEX standard_service_idx ON standard (service_id, valid_from)`,
	`CREATE FUNCTION sapa_standard_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF EXISTS (
			SELECT 1 FROM standard s
			WHERE s.service_id = NEW.service_id AND s.id <> NEW.id
				AND s.valid_from <= coalesce(NEW.valid_to, 'infinity'::date)
				AND coalesce(s.valid_to, 'infinity'::date) >= NEW.valid_from
		) THEN
			RAISE EXCEPTION 'two standards of service % would be in force at the same time', NEW.service_id
				USING ERRCODE = '23514', CONSTRAINT = 'standard_no_overlap';
		END IF;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER standard_no_overlap BEFORE INSERT OR UPDATE ON standard
		FOR EACH ROW EXECUTE FUNCTION sapa_standard_no_overlap()`,
	`CREATE TABLE standard_normative (
		standard_id integer NOT NULL REFERENCES standard (id) ON DELETE CASCADE,
		indicator_id integer NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
		value numeric(7, 3) NOT NULL CONSTRAINT standard_normative_percent CHECK (value BETWEEN 0 AND 100),
		PRIMARY KEY (standard_id, indicator_id)
	)`,

	// ---------- who provides what, when ----------
	`CREATE TABLE service_provision (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		service_id integer NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
		year_from integer NOT NULL CHECK (year_from BETWEEN 1991 AND 2100),
		-- last year provided; NULL while still provided
		year_to integer,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT service_provision_years CHECK (year_to IS NULL OR (year_to >= year_from AND year_to <= 2100))
	)`,
	`CREATE INDEX service_provision_lookup_idx ON service_provision (organization_id, service_id, year_from)`,
	`CREATE INDEX service_provision_service_idx ON service_provision (service_id)`,
	`CREATE FUNCTION sapa_provides(org integer, svc integer, y integer) RETURNS boolean LANGUAGE sql STABLE AS $$
		SELECT EXISTS (
			SELECT 1 FROM service_provision p
			WHERE p.organization_id = org AND p.service_id = svc
				AND p.year_from <= y AND (p.year_to IS NULL OR p.year_to >= y)
		)
	$$`,
	`CREATE FUNCTION sapa_provision_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF EXISTS (
			SELECT 1 FROM service_provision p
			WHERE p.organization_id = NEW.organization_id AND p.service_id = NEW.service_id AND p.id <> NEW.id
				AND p.year_from <= coalesce(NEW.year_to, 2100) AND coalesce(p.year_to, 2100) >= NEW.year_from
		) THEN
			RAISE EXCEPTION 'organization % already provides service % in some of these years', NEW.organization_id, NEW.service_id
				USING ERRCODE = '23514', CONSTRAINT = 'service_provision_no_overlap';
		END IF;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER service_provision_no_overlap BEFORE INSERT OR UPDATE ON service_provision
		FOR EACH ROW EXECUTE FUNCTION sapa_provision_no_overlap()`,

	// Figures may only exist for a service the organization provided that year.
	`CREATE FUNCTION sapa_require_provision() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE y integer;
	BEGIN
		y := coalesce((to_jsonb(NEW) ->> 'year')::integer,
			extract(year FROM (to_jsonb(NEW) ->> 'received_on')::date)::integer);
		IF NOT sapa_provides(NEW.organization_id, NEW.service_id, y) THEN
			RAISE EXCEPTION 'organization % did not provide service % in %', NEW.organization_id, NEW.service_id, y
				USING ERRCODE = '23514', CONSTRAINT = 'service_provided_that_year';
		END IF;
		RETURN NEW;
	END $$`,
	// ...and a provision cannot be narrowed or removed from under existing figures.
	`CREATE FUNCTION sapa_provision_keeps_figures() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE orphan text;
	BEGIN
		SELECT f.kind || ' ' || f.y INTO orphan FROM (
			SELECT 'measurement' AS kind, m.year AS y FROM measurement m
				WHERE m.organization_id = OLD.organization_id AND m.service_id = OLD.service_id
			UNION ALL
			SELECT 'volume', v.year FROM service_volume v
				WHERE v.organization_id = OLD.organization_id AND v.service_id = OLD.service_id
			UNION ALL
			SELECT 'complaint', extract(year FROM c.received_on)::integer FROM complaint c
				WHERE c.organization_id = OLD.organization_id AND c.service_id = OLD.service_id
		) f
		WHERE NOT sapa_provides(OLD.organization_id, OLD.service_id, f.y)
		LIMIT 1;
		IF orphan IS NOT NULL THEN
			RAISE EXCEPTION 'figures exist for this service outside the remaining provision years (%)', orphan
				USING ERRCODE = '23514', CONSTRAINT = 'service_provision_keeps_figures';
		END IF;
		RETURN NULL;
	END $$`,

	// ---------- yearly figures ----------
	`CREATE TABLE measurement (
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		service_id integer NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
		indicator_id integer NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
		year integer NOT NULL CHECK (year BETWEEN 1991 AND 2100),
		numerator integer NOT NULL CONSTRAINT measurement_numerator_nonnegative CHECK (numerator >= 0),
		-- 0 means "reported: no cases this year", which differs from a missing row
		denominator integer NOT NULL CONSTRAINT measurement_denominator_nonnegative CHECK (denominator >= 0),
		value numeric(7, 4) GENERATED ALWAYS AS
			(CASE WHEN denominator > 0 THEN round(numerator * 100.0 / denominator, 4) END) STORED,
		source text NOT NULL CHECK (source IN ('form', 'import', 'demo')),
		comment text,
		version integer NOT NULL DEFAULT 1 CHECK (version > 0),
		updated_by integer,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT measurement_numerator_within_denominator CHECK (numerator <= denominator),
		CONSTRAINT measurement_one_per_year UNIQUE (organization_id, service_id, indicator_id, year)
	)`,
	`CREATE INDEX measurement_year_idx ON measurement (year, service_id, indicator_id)`,
	`CREATE TABLE target (
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		service_id integer NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
		indicator_id integer NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
		year integer NOT NULL CHECK (year BETWEEN 1991 AND 2100),
		value numeric(7, 3) NOT NULL CONSTRAINT target_percent CHECK (value BETWEEN 0 AND 100),
		status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
		-- why a target is set worse than the normative (required by the target workflow)
		reason text,
		approved_by integer,
		approved_at timestamptz,
		protocol_number text,
		protocol_date date,
		version integer NOT NULL DEFAULT 1 CHECK (version > 0),
		updated_by integer,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT target_one_per_year UNIQUE (organization_id, service_id, indicator_id, year),
		CONSTRAINT target_approval_recorded CHECK (
			status = 'draft' OR (approved_at IS NOT NULL AND protocol_number IS NOT NULL AND protocol_date IS NOT NULL))
	)`,
	`CREATE INDEX target_year_idx ON target (year, service_id, indicator_id)`,
	`CREATE TABLE service_volume (
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		service_id integer NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
		year integer NOT NULL CHECK (year BETWEEN 1991 AND 2100),
		-- provider: the organization itself (its office, a state body, a local executive body)
		channel text NOT NULL CHECK (channel IN ('provider', 'state_corporation', 'egov')),
		count integer NOT NULL CONSTRAINT service_volume_count_nonnegative CHECK (count >= 0),
		source text NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'import', 'demo')),
		version integer NOT NULL DEFAULT 1 CHECK (version > 0),
		updated_by integer,
		updated_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (organization_id, service_id, year, channel)
	)`,
	`CREATE INDEX service_volume_year_idx ON service_volume (year, service_id)`,
	`CREATE TABLE complaint (
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		service_id integer NOT NULL REFERENCES service (id) ON DELETE RESTRICT,
		received_on date NOT NULL,
		summary text,
		-- NULL until the complaint has been examined
		justified boolean,
		due_on date NOT NULL,
		answered_on date,
		satisfied boolean,
		answered_within_term boolean GENERATED ALWAYS AS (answered_on <= due_on) STORED,
		is_demo boolean NOT NULL DEFAULT false,
		version integer NOT NULL DEFAULT 1 CHECK (version > 0),
		updated_by integer,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT complaint_due_after_received CHECK (due_on >= received_on),
		CONSTRAINT complaint_answered_after_received CHECK (answered_on IS NULL OR answered_on >= received_on),
		CONSTRAINT complaint_satisfied_needs_answer CHECK (satisfied IS NULL OR answered_on IS NOT NULL)
	)`,
	`CREATE INDEX complaint_lookup_idx ON complaint (organization_id, service_id, received_on)`,
	`CREATE TRIGGER measurement_service_provided BEFORE INSERT OR UPDATE ON measurement
		FOR EACH ROW EXECUTE FUNCTION sapa_require_provision()`,
	`CREATE TRIGGER target_service_provided BEFORE INSERT OR UPDATE ON target
		FOR EACH ROW EXECUTE FUNCTION sapa_require_provision()`,
	`CREATE TRIGGER service_volume_service_provided BEFORE INSERT OR UPDATE ON service_volume
		FOR EACH ROW EXECUTE FUNCTION sapa_require_provision()`,
	`CREATE TRIGGER complaint_service_provided BEFORE INSERT OR UPDATE ON complaint
		FOR EACH ROW EXECUTE FUNCTION sapa_require_provision()`,
	`CREATE TRIGGER service_provision_keeps_figures AFTER UPDATE OR DELETE ON service_provision
		FOR EACH ROW EXECUTE FUNCTION sapa_provision_keeps_figures()`,

	// ---------- people ----------
	`CREATE TABLE app_user (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
		display_name text NOT NULL CHECK (btrim(display_name) <> ''),
		password_hash text,
		locale text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'kk', 'en')),
		is_active boolean NOT NULL DEFAULT true,
		is_demo boolean NOT NULL DEFAULT false,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now()
	)`,
	`CREATE TABLE user_session (
		-- SHA-256 of the token, hex; the token itself is never stored
		id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
		user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
		created_at timestamptz NOT NULL DEFAULT now(),
		expires_at timestamptz NOT NULL,
		absolute_expires_at timestamptz NOT NULL,
		CHECK (expires_at <= absolute_expires_at)
	)`,
	`CREATE INDEX user_session_user_idx ON user_session (user_id)`,
	`CREATE TABLE role_grant (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
		-- the grant applies to this organization's whole subtree
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE RESTRICT,
		role text NOT NULL CHECK (role IN ('admin', 'head', 'working_group', 'operator', 'viewer')),
		granted_by integer REFERENCES app_user (id) ON DELETE SET NULL,
		granted_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT role_grant_once UNIQUE (user_id, organization_id, role)
	)`,
	`ALTER TABLE measurement ADD FOREIGN KEY (updated_by) REFERENCES app_user (id) ON DELETE SET NULL`,
	`ALTER TABLE target ADD FOREIGN KEY (updated_by) REFERENCES app_user (id) ON DELETE SET NULL`,
	`ALTER TABLE target ADD FOREIGN KEY (approved_by) REFERENCES app_user (id) ON DELETE SET NULL`,
	`ALTER TABLE service_volume ADD FOREIGN KEY (updated_by) REFERENCES app_user (id) ON DELETE SET NULL`,
	`ALTER TABLE complaint ADD FOREIGN KEY (updated_by) REFERENCES app_user (id) ON DELETE SET NULL`,

	// ---------- audit ----------
	`CREATE TABLE audit_log (
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		at timestamptz NOT NULL DEFAULT now(),
		-- no FK: the trail outlives the users it names
		actor_user_id integer,
		actor text NOT NULL,
		action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
		entity text NOT NULL,
		entity_id text NOT NULL,
		before jsonb,
		after jsonb
	)`,
	`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id)`,
	`CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id)`,
	`CREATE FUNCTION sapa_audit() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		rec jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
		key text := '';
	BEGIN
		-- TG_ARGV names the key columns, so composite keys read 'org/service/year/channel'
		FOR i IN 0 .. TG_NARGS - 1 LOOP
			key := key || CASE WHEN i > 0 THEN '/' ELSE '' END || coalesce(rec ->> TG_ARGV[i], '');
		END LOOP;
		INSERT INTO audit_log (actor_user_id, actor, action, entity, entity_id, before, after)
		VALUES (
			nullif(current_setting('sapa.actor_id', true), '')::integer,
			coalesce(nullif(current_setting('sapa.actor', true), ''), 'system'),
			lower(TG_OP), TG_TABLE_NAME, key,
			CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) - 'password_hash' END,
			CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) - 'password_hash' END
		);
		RETURN NULL;
	END $$`,
	`CREATE FUNCTION sapa_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = '23514', CONSTRAINT = 'audit_log_append_only';
	END $$`,
	`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
		FOR EACH ROW EXECUTE FUNCTION sapa_audit_log_append_only()`,
	`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
		FOR EACH STATEMENT EXECUTE FUNCTION sapa_audit_log_append_only()`
];

/** Tables audited, with their key columns. */
const audited: Array<[string, string[]]> = [
	['organization', ['id']],
	['service', ['id']],
	['indicator_group', ['code']],
	['indicator', ['id']],
	['standard', ['id']],
	['standard_normative', ['standard_id', 'indicator_id']],
	['service_provision', ['id']],
	['measurement', ['id']],
	['target', ['id']],
	['service_volume', ['organization_id', 'service_id', 'year', 'channel']],
	['complaint', ['id']],
	['app_user', ['id']],
	['role_grant', ['id']],
	['app_meta', ['key']]
];

const touched = ['organization', 'service', 'indicator', 'standard', 'service_provision', 'measurement', 'target', 'service_volume', 'complaint', 'app_user'];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const statement of statements) await sql.raw(statement).execute(db);
	for (const table of touched) {
		await sql.raw(`CREATE TRIGGER ${table}_touch BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION sapa_touch_updated_at()`).execute(db);
	}
	for (const [table, keys] of audited) {
		const args = keys.map((k) => `'${k}'`).join(', ');
		await sql.raw(`CREATE TRIGGER ${table}_audit AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION sapa_audit(${args})`).execute(db);
	}
}

export async function down(db: Kysely<unknown>): Promise<void> {
	const tables = ['audit_log', 'role_grant', 'user_session', 'complaint', 'service_volume', 'target', 'measurement', 'app_user', 'service_provision', 'standard_normative', 'standard', 'indicator', 'indicator_group', 'service', 'organization', 'app_meta'];
	for (const t of tables) await sql.raw(`DROP TABLE IF EXISTS ${t} CASCADE`).execute(db);
	const fns = ['sapa_audit_log_append_only()', 'sapa_audit()', 'sapa_provision_keeps_figures()', 'sapa_require_provision()', 'sapa_provision_no_overlap()', 'sapa_provides(integer, integer, integer)', 'sapa_standard_no_overlap()', 'sapa_organization_no_cycle()', 'sapa_touch_updated_at()', 'sapa_bin_is_valid(text)'];
	for (const f of fns) await sql.raw(`DROP FUNCTION IF EXISTS ${f}`).execute(db);
}
