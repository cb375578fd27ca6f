import { type Kysely, sql } from 'kysely';

/*
 * The organization tree changes every year (schools open, move, close, merge)
 * while earlier years' figures must keep rolling up the way they did then.
 * organization.parent_id stays the tree of today; organization_link keeps the
 * parent per range of reporting years, so a year's subtree is read from links.
 * Frozen: later changes are new migrations.
 */

const up_: string[] = [
	`CREATE TABLE organization_link (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		organization_id integer NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
		parent_id integer REFERENCES organization (id) ON DELETE RESTRICT,
		year_from integer NOT NULL,
		-- last reporting year under this parent; NULL while it still holds
		year_to integer,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now(),
		CONSTRAINT organization_link_years CHECK (year_to IS NULL OR year_to >= year_from),
		CONSTRAINT organization_link_not_own_parent CHECK (parent_id IS NULL OR parent_id <> organization_id)
	)`,
	`CREATE INDEX organization_link_org_idx ON organization_link (organization_id, year_from)`,
	`CREATE INDEX organization_link_parent_idx ON organization_link (parent_id, year_from)`,
	`CREATE FUNCTION sapa_organization_link_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF EXISTS (
			SELECT 1 FROM organization_link l
			WHERE l.organization_id = NEW.organization_id AND l.id <> NEW.id
				AND l.year_from <= coalesce(NEW.year_to, 2147483647) AND coalesce(l.year_to, 2147483647) >= NEW.year_from
		) THEN
			RAISE EXCEPTION 'organization % already has a parent in some of these years', NEW.organization_id
				USING ERRCODE = '23514', CONSTRAINT = 'organization_link_no_overlap';
		END IF;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER organization_link_no_overlap BEFORE INSERT OR UPDATE ON organization_link
		FOR EACH ROW EXECUTE FUNCTION sapa_organization_link_no_overlap()`,
	// Every organization, however inserted (app, demo seed, import, tests), starts with its first link.
	`CREATE FUNCTION sapa_organization_open_link() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO organization_link (organization_id, parent_id, year_from)
		VALUES (NEW.id, NEW.parent_id, extract(year FROM NEW.active_from)::integer);
		RETURN NULL;
	END $$`,
	`CREATE TRIGGER organization_open_link AFTER INSERT ON organization
		FOR EACH ROW EXECUTE FUNCTION sapa_organization_open_link()`,
	`CREATE TRIGGER organization_link_touch BEFORE UPDATE ON organization_link
		FOR EACH ROW EXECUTE FUNCTION sapa_touch_updated_at()`,
	`CREATE TRIGGER organization_link_audit AFTER INSERT OR UPDATE OR DELETE ON organization_link
		FOR EACH ROW EXECUTE FUNCTION sapa_audit('id')`,
	`SELECT set_config('sapa.actor', 'migration:organization-history', true)`,
	`INSERT INTO organization_link (organization_id, parent_id, year_from)
		SELECT id, parent_id, extract(year FROM active_from)::integer FROM organization ORDER BY id`,
	`ALTER TABLE organization ADD COLUMN merged_into_id integer REFERENCES organization (id) ON DELETE RESTRICT,
		ADD CONSTRAINT organization_not_merged_into_self CHECK (merged_into_id IS NULL OR merged_into_id <> id)`
];

const down_: string[] = [
	`ALTER TABLE organization DROP CONSTRAINT organization_not_merged_into_self, DROP COLUMN merged_into_id`,
	`DROP TRIGGER organization_open_link ON organization`,
	`DROP TABLE organization_link`,
	`DROP FUNCTION sapa_organization_open_link()`,
	`DROP FUNCTION sapa_organization_link_no_overlap()`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const statement of up_) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const statement of down_) await sql.raw(statement).execute(db);
}
