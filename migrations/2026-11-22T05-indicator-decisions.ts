import { type Kysely, sql } from 'kysely';

/*
 * An indicator's polarity and unit decide how every figure recorded against it
 * is judged. Once figures exist, changing either rewrites history, so the
 * database refuses it unless the same transaction records who decided it and
 * why (indicator_decision, audited like every business table).
 */

const up_: string[] = [
	`CREATE TABLE indicator_decision (
		id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		indicator_id integer NOT NULL REFERENCES indicator (id) ON DELETE RESTRICT,
		decided_at timestamptz NOT NULL DEFAULT now(),
		decided_by integer REFERENCES app_user (id) ON DELETE SET NULL,
		field text NOT NULL CHECK (field IN ('polarity', 'unit')),
		old_value text,
		new_value text,
		reason text NOT NULL CONSTRAINT indicator_decision_reason_required CHECK (btrim(reason) <> '')
	)`,
	`CREATE INDEX indicator_decision_indicator_idx ON indicator_decision (indicator_id, decided_at)`,
	`CREATE TRIGGER indicator_decision_audit AFTER INSERT OR UPDATE OR DELETE ON indicator_decision
		FOR EACH ROW EXECUTE FUNCTION sapa_audit('id')`,
	// now() is the transaction's start time, so a decision "made now" is one inserted in this transaction.
	`CREATE FUNCTION sapa_indicator_change_needs_decision() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE f text;
	BEGIN
		-- Figures: measurements typed against it or, for an indicator computed from the
		-- complaints register, any complaint or served volume it is computed from.
		IF NOT EXISTS (SELECT 1 FROM measurement m WHERE m.indicator_id = NEW.id)
			AND NOT (OLD.source = 'complaints_register' AND (EXISTS (SELECT 1 FROM complaint) OR EXISTS (SELECT 1 FROM service_volume)))
		THEN RETURN NEW; END IF;
		FOREACH f IN ARRAY ARRAY['polarity', 'unit'] LOOP
			IF (to_jsonb(OLD) ->> f) IS DISTINCT FROM (to_jsonb(NEW) ->> f) AND NOT EXISTS (
				SELECT 1 FROM indicator_decision d
				WHERE d.indicator_id = NEW.id AND d.field = f AND d.decided_at = now()
					AND d.new_value IS NOT DISTINCT FROM (to_jsonb(NEW) ->> f)
			) THEN
				RAISE EXCEPTION 'indicator % has figures: changing its % needs a recorded decision', NEW.code, f
					USING ERRCODE = '23514', CONSTRAINT = 'indicator_change_needs_decision';
			END IF;
		END LOOP;
		RETURN NEW;
	END $$`,
	`CREATE TRIGGER indicator_change_needs_decision BEFORE UPDATE OF polarity, unit ON indicator
		FOR EACH ROW EXECUTE FUNCTION sapa_indicator_change_needs_decision()`
];

const down_: string[] = [
	`DROP TRIGGER indicator_change_needs_decision ON indicator`,
	`DROP FUNCTION sapa_indicator_change_needs_decision()`,
	`DROP TABLE indicator_decision`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const s of up_) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const s of down_) await sql.raw(s).execute(db);
}
