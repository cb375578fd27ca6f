import { type Kysely, sql } from 'kysely';

/*
 * Sign-in and access: sessions the Lucia way (a random id plus a secret whose
 * SHA-256 alone is stored), sign-in attempts for throttling, account locks,
 * global admin grants, and audit actions for sign-in events.
 */

const up_: string[] = [
	`DROP TABLE user_session`,
	`CREATE TABLE auth_session (
		-- the public half of the token; the secret half is stored only as its SHA-256
		id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{24}$'),
		secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
		user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
		created_at timestamptz NOT NULL DEFAULT now(),
		expires_at timestamptz NOT NULL,
		absolute_expires_at timestamptz NOT NULL,
		ip text,
		user_agent text,
		CHECK (expires_at <= absolute_expires_at)
	)`,
	`CREATE INDEX auth_session_user_idx ON auth_session (user_id)`,
	`ALTER TABLE app_user
		ADD COLUMN last_sign_in_at timestamptz,
		ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
		ADD COLUMN throttled_until timestamptz,
		ADD COLUMN locked_at timestamptz`,
	`CREATE TABLE sign_in_attempt (
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		at timestamptz NOT NULL DEFAULT now(),
		email text NOT NULL,
		ip text NOT NULL,
		user_id integer REFERENCES app_user (id) ON DELETE SET NULL,
		outcome text NOT NULL CHECK (outcome IN ('success', 'bad_credentials', 'account_throttled', 'account_locked', 'address_throttled', 'disabled'))
	)`,
	`CREATE INDEX sign_in_attempt_ip_idx ON sign_in_attempt (ip, at)`,
	`CREATE INDEX sign_in_attempt_user_idx ON sign_in_attempt (user_id, at)`,
	// A global admin grant has no organization: it covers every tree, including ones added later.
	`ALTER TABLE role_grant ALTER COLUMN organization_id DROP NOT NULL`,
	`ALTER TABLE role_grant ADD CONSTRAINT role_grant_scope CHECK (organization_id IS NOT NULL OR role = 'admin')`,
	`CREATE UNIQUE INDEX role_grant_global_once ON role_grant (user_id) WHERE organization_id IS NULL`,
	`ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check`,
	`ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
		CHECK (action IN ('insert', 'update', 'delete', 'sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere'))`
];

const down_: string[] = [
	`ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check`,
	`ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN ('insert', 'update', 'delete'))`,
	`DROP INDEX role_grant_global_once`,
	`ALTER TABLE role_grant DROP CONSTRAINT role_grant_scope`,
	`ALTER TABLE role_grant ALTER COLUMN organization_id SET NOT NULL`,
	`DROP TABLE sign_in_attempt`,
	`ALTER TABLE app_user DROP COLUMN last_sign_in_at, DROP COLUMN failed_sign_ins, DROP COLUMN throttled_until, DROP COLUMN locked_at`,
	`DROP TABLE auth_session`,
	`CREATE TABLE user_session (
		id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
		user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
		created_at timestamptz NOT NULL DEFAULT now(),
		expires_at timestamptz NOT NULL,
		absolute_expires_at timestamptz NOT NULL,
		CHECK (expires_at <= absolute_expires_at)
	)`,
	`CREATE INDEX user_session_user_idx ON user_session (user_id)`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const s of up_) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const s of down_) await sql.raw(s).execute(db);
}
