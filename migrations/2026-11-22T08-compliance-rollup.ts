import { type Kysely, sql } from 'kysely';

/*
 * The dashboard's pre-aggregation: additive sums that stay correct when figures change.
 *
 * compliance_cell / volume_cell hold one row per leaf cell (organization × service [× indicator]
 * × year) for every service provided that year, in every year that has any figure; the cell
 * carries its own counts and the engine's verdicts as additive measures. compliance_rollup /
 * volume_rollup hold the same measures summed over each organization's subtree (itself
 * included) as organization_link gives it that year, for the organizations that have children
 * that year; a roll-up row whose measures are all zero is not kept (reads treat it as zero).
 *
 * Every write to a figure, a target, a provision or the organization tree marks what it touched
 * in compliance_dirty, in the writer's own transaction (statement-level triggers with transition
 * tables). sapa_compliance_refresh() takes the marks, serialised by an advisory lock, and
 *   - rebuilds whole years: those marked with no organization (standards, indicators, a tree
 *     change that moves sums), those with data for the first time, those with many marks;
 *   - drops the cells of years that no longer have any data;
 *   - otherwise recomputes the marked organizations' cells and adds (new − old) to the roll-up
 *     rows of each of their ancestors that year.
 * Triggers that decide from the built years or the stored cells (provisions, the tree, the
 * catalogue) take the same lock in shared mode, so they never judge from a refresh in flight.
 * Frozen: later changes are new migrations.
 */

/** pg_advisory_xact_lock key of the refresh (the start-up lock is …011). */
const LOCK = '7266191905447012';

const MEASURES = [
	'numerator', 'denominator', 'valued', 'assessed', 'meets_normative', 'breaches', 'with_target', 'meets_target',
	'normative_weighted', 'normative_denominator', 'target_weighted', 'target_denominator', 'expected', 'reported'
];
const VOLUMES = ['provider', 'state_corporation', 'egov', 'expected', 'reported'];

const list = (cols: string[], f: (c: string) => string) => cols.map(f).join(', ');
const allZero = (cols: string[], alias: string) => cols.map((c) => `${alias}.${c} = 0`).join(' AND ');
const anyNonZero = (cols: string[]) => cols.map((c) => `sum(${c}) <> 0`).join(' OR ');

/** A link, a provision or a target range covers year y. */
const covers = (alias: string, y: string) => `${alias}.year_from <= ${y} AND (${alias}.year_to IS NULL OR ${alias}.year_to >= ${y})`;

/** Figures tables: which (organization, year) a row touches. */
const figures: Array<[table: string, year: string]> = [
	['measurement', 'year'],
	['target', 'year'],
	['service_volume', 'year'],
	['complaint', 'extract(year FROM received_on)::integer']
];

function markFiguresFunction(table: string, year: string): string {
	const pick = (rows: string) => `SELECT organization_id, ${year} AS year FROM ${rows}`;
	return `CREATE FUNCTION sapa_compliance_mark_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_OP = 'INSERT' THEN
			INSERT INTO compliance_dirty (organization_id, year) SELECT DISTINCT organization_id, year FROM (${pick('new_rows')}) r ON CONFLICT DO NOTHING;
		ELSIF TG_OP = 'DELETE' THEN
			INSERT INTO compliance_dirty (organization_id, year) SELECT DISTINCT organization_id, year FROM (${pick('old_rows')}) r ON CONFLICT DO NOTHING;
		ELSE
			INSERT INTO compliance_dirty (organization_id, year)
			SELECT organization_id, year FROM (${pick('old_rows')} UNION ${pick('new_rows')}) r ON CONFLICT DO NOTHING;
		END IF;
		RETURN NULL;
	END $$`;
}

/**
 * A trigger body run with the transition tables its event has: before/after are the old and the
 * new rows, or an empty relation of the table's type where the event has none.
 */
function byEvent(table: string, statement: (before: string, after: string) => string): string {
	const none = `(SELECT * FROM ${table} WHERE false)`;
	return `IF TG_OP = 'INSERT' THEN
			${statement(none, 'new_rows')};
		ELSIF TG_OP = 'DELETE' THEN
			${statement('old_rows', none)};
		ELSE
			${statement('old_rows', 'new_rows')};
		END IF;`;
}

/** One AFTER … FOR EACH STATEMENT trigger per event: a trigger with transition tables has a single event. */
function statementTriggers(table: string, fn: string, events: Array<'INSERT' | 'UPDATE' | 'DELETE'> = ['INSERT', 'UPDATE', 'DELETE']): string[] {
	return events.map((event) => {
		const referencing = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
		return `CREATE TRIGGER ${table}_compliance_${event.toLowerCase()} AFTER ${event} ON ${table}
			REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
	});
}

/** The same for the TRUNCATE of any source table: every built year is rebuilt. */
const truncated = ['measurement', 'target', 'service_volume', 'complaint', 'service_provision', 'organization_link', 'standard', 'standard_normative'];

/**
 * The leaf cells of year y for the given organizations (all when orgs is NULL), by the engine's
 * rules: compliance.ts assess (float comparison with the engine's tolerance), complaints.ts
 * complaintIndicatorCounts, queries/standards.ts findStandardForYear, only approved targets.
 */
const cellsFunction = `CREATE FUNCTION sapa_compliance_cells(y integer, orgs integer[])
	RETURNS TABLE (organization_id integer, year integer, service_id integer, indicator_id integer, kind text,
		numerator bigint, denominator bigint, valued integer, assessed integer, meets_normative integer, breaches integer,
		with_target integer, meets_target integer, normative_weighted numeric, normative_denominator bigint,
		target_weighted numeric, target_denominator bigint, expected integer, reported integer)
	LANGUAGE sql STABLE AS $$
	WITH prov AS (
		SELECT DISTINCT p.organization_id, p.service_id FROM service_provision p
		WHERE ${covers('p', 'y')} AND (orgs IS NULL OR p.organization_id = ANY (orgs))
	), std AS (
		SELECT DISTINCT ON (s.service_id) s.service_id, s.id FROM standard s
		WHERE s.valid_from <= make_date(y, 12, 31) AND (s.valid_to IS NULL OR s.valid_to >= make_date(y, 1, 1))
		ORDER BY s.service_id, s.valid_from DESC
	), vol AS (
		SELECT v.organization_id, v.service_id, sum(v.count)::bigint AS served FROM service_volume v
		WHERE v.year = y AND (orgs IS NULL OR v.organization_id = ANY (orgs))
		GROUP BY v.organization_id, v.service_id
	), cmp AS (
		SELECT c.organization_id, c.service_id,
			count(*) FILTER (WHERE c.justified) AS justified,
			count(*) FILTER (WHERE c.justified AND c.satisfied AND c.answered_within_term) AS in_term
		FROM complaint c
		WHERE c.received_on >= make_date(y, 1, 1) AND c.received_on <= make_date(y, 12, 31) AND (orgs IS NULL OR c.organization_id = ANY (orgs))
		GROUP BY c.organization_id, c.service_id
	), counted AS (
		SELECT pr.organization_id, pr.service_id, i.id AS indicator_id, o.kind, i.polarity,
			i.source = 'reported' AS typed, m.id IS NOT NULL AS has_value,
			CASE WHEN i.source = 'reported' THEN m.numerator::bigint
				WHEN i.code = '4.1' AND v.served IS NOT NULL AND coalesce(c.justified, 0) <= v.served THEN coalesce(c.justified, 0)
				WHEN i.code = '4.2' THEN coalesce(c.in_term, 0) END AS num,
			CASE WHEN i.source = 'reported' THEN m.denominator::bigint
				WHEN i.code = '4.1' AND v.served IS NOT NULL AND coalesce(c.justified, 0) <= v.served THEN v.served
				WHEN i.code = '4.2' THEN coalesce(c.justified, 0) END AS den,
			n.value AS normative, t.value AS target
		FROM prov pr
		JOIN organization o ON o.id = pr.organization_id
		CROSS JOIN indicator i
		LEFT JOIN std ON std.service_id = pr.service_id
		LEFT JOIN standard_normative n ON n.standard_id = std.id AND n.indicator_id = i.id
		LEFT JOIN measurement m ON m.organization_id = pr.organization_id AND m.service_id = pr.service_id AND m.indicator_id = i.id AND m.year = y
		LEFT JOIN target t ON t.organization_id = pr.organization_id AND t.service_id = pr.service_id AND t.indicator_id = i.id AND t.year = y
			AND t.status = 'approved'
		LEFT JOIN vol v ON v.organization_id = pr.organization_id AND v.service_id = pr.service_id
		LEFT JOIN cmp c ON c.organization_id = pr.organization_id AND c.service_id = pr.service_id
	), judged AS (
		SELECT x.*, coalesce(x.den, 0) > 0 AS is_valued,
			-- the engine's percentOf and meets, in the same binary floating point
			CASE WHEN x.den > 0 THEN x.num * 100::float8 / x.den END AS val
		FROM counted x
	), flagged AS (
		SELECT j.*,
			j.is_valued AND j.normative IS NOT NULL AS has_norm,
			j.is_valued AND j.target IS NOT NULL AS has_target,
			CASE WHEN j.polarity = 'higher_is_better' THEN j.val >= j.normative::float8 - 1e-9 ELSE j.val <= j.normative::float8 + 1e-9 END AS norm_met,
			CASE WHEN j.polarity = 'higher_is_better' THEN j.val >= j.target::float8 - 1e-9 ELSE j.val <= j.target::float8 + 1e-9 END AS target_met
		FROM judged j
	)
	SELECT f.organization_id, y, f.service_id, f.indicator_id, f.kind,
		coalesce(f.num, 0), coalesce(f.den, 0),
		f.is_valued::integer,
		f.has_norm::integer,
		(f.has_norm AND f.norm_met)::integer,
		(f.has_norm AND NOT f.norm_met)::integer,
		f.has_target::integer,
		(f.has_target AND f.target_met)::integer,
		CASE WHEN f.has_norm THEN f.den * f.normative ELSE 0 END,
		CASE WHEN f.has_norm THEN f.den ELSE 0 END,
		CASE WHEN f.has_target THEN f.den * f.target ELSE 0 END,
		CASE WHEN f.has_target THEN f.den ELSE 0 END,
		f.typed::integer,
		(f.typed AND f.has_value)::integer
	FROM flagged f
	$$`;

const volumeCellsFunction = `CREATE FUNCTION sapa_volume_cells(y integer, orgs integer[])
	RETURNS TABLE (organization_id integer, year integer, service_id integer, kind text,
		provider bigint, state_corporation bigint, egov bigint, expected integer, reported integer)
	LANGUAGE sql STABLE AS $$
	WITH prov AS (
		SELECT DISTINCT p.organization_id, p.service_id FROM service_provision p
		WHERE ${covers('p', 'y')} AND (orgs IS NULL OR p.organization_id = ANY (orgs))
	)
	SELECT pr.organization_id, y, pr.service_id, o.kind,
		coalesce(sum(v.count) FILTER (WHERE v.channel = 'provider'), 0)::bigint,
		coalesce(sum(v.count) FILTER (WHERE v.channel = 'state_corporation'), 0)::bigint,
		coalesce(sum(v.count) FILTER (WHERE v.channel = 'egov'), 0)::bigint,
		3,
		count(v.channel)::integer
	FROM prov pr
	JOIN organization o ON o.id = pr.organization_id
	LEFT JOIN service_volume v ON v.organization_id = pr.organization_id AND v.service_id = pr.service_id AND v.year = y
	GROUP BY pr.organization_id, pr.service_id, o.kind
	$$`;

/**
 * Replaces year y's cells by the freshly computed ones, writing only the cells that differ
 * (a tree change leaves every cell as it was); a year built for the first time is a plain insert.
 */
function rebuildCellsSql(cell: 'compliance_cell' | 'volume_cell', fn: string, keys: string[], cols: string[]): string {
	const on = ['organization_id', 'year', ...keys].map((k) => `c.${k} = n.${k}`).join(' AND ');
	const all = ['kind', ...cols];
	return `IF NOT EXISTS (SELECT 1 FROM ${cell} WHERE year = y) THEN
			INSERT INTO ${cell} SELECT * FROM ${fn}(y, NULL);
		ELSE
		WITH n AS MATERIALIZED (SELECT * FROM ${fn}(y, NULL)),
		gone AS (
			DELETE FROM ${cell} c WHERE c.year = y AND NOT EXISTS (SELECT 1 FROM n WHERE ${on})
		), changed AS (
			UPDATE ${cell} c SET ${list(all, (k) => `${k} = n.${k}`)}
			FROM n WHERE c.year = y AND ${on} AND (${list(all, (k) => `c.${k}`)}) IS DISTINCT FROM (${list(all, (k) => `n.${k}`)})
		)
		INSERT INTO ${cell} SELECT n.* FROM n WHERE NOT EXISTS (SELECT 1 FROM ${cell} c WHERE ${on});
		END IF`;
}

/**
 * Year y's roll-ups from its cells. Each cell is first summed into its holder: the organization
 * itself when it has children that year, else its parent (which has); holders are then summed
 * into every ancestor with children, themselves included.
 */
function rollupFromCellsSql(cell: string, rollup: string, keys: string[], cols: string[]): string {
	return `WITH RECURSIVE links AS MATERIALIZED (
			SELECT l.organization_id AS org, l.parent_id AS parent FROM organization_link l WHERE ${covers('l', 'y')}
		), parents AS MATERIALIZED (
			SELECT DISTINCT parent AS id FROM links WHERE parent IS NOT NULL
		), held AS (
			SELECT CASE WHEN p.id IS NOT NULL THEN c.organization_id ELSE l.parent END AS holder, ${keys.map((k) => `c.${k}`).join(', ')}, c.kind,
				${list(cols, (k) => `sum(c.${k}) AS ${k}`)}
			FROM ${cell} c
			LEFT JOIN parents p ON p.id = c.organization_id
			LEFT JOIN links l ON l.org = c.organization_id
			WHERE c.year = y
			GROUP BY 1, ${keys.map((k) => `c.${k}`).join(', ')}, c.kind
		), up(holder, anc, depth) AS (
			SELECT id, id, 0 FROM parents
			UNION ALL
			SELECT up.holder, l.parent, up.depth + 1 FROM up JOIN links l ON l.org = up.anc WHERE l.parent IS NOT NULL AND up.depth < 64
		)
		INSERT INTO ${rollup} (organization_id, year, ${keys.join(', ')}, kind, ${cols.join(', ')})
		SELECT up.anc, y, ${keys.map((k) => `h.${k}`).join(', ')}, h.kind, ${list(cols, (k) => `sum(h.${k})`)}
		FROM held h JOIN up ON up.holder = h.holder
		GROUP BY up.anc, ${keys.map((k) => `h.${k}`).join(', ')}, h.kind
		HAVING ${anyNonZero(cols)}`;
}

/**
 * Adds (new − old) of the marked organizations' cells to the roll-ups of their ancestors
 * (pairs org_a/anc_a), drops roll-up rows that became all zero, then replaces the cells.
 */
function applySql(cell: 'compliance_cell' | 'volume_cell', rollup: string, fn: string, keys: string[], cols: string[]): string[] {
	const k = keys.join(', ');
	return [
		`WITH anc AS (SELECT * FROM unnest(org_a, anc_a) AS a(org, anc)),
		delta AS (
			SELECT organization_id, ${k}, kind, ${list(cols, (c) => `sum(${c}) AS ${c}`)}
			FROM (
				SELECT organization_id, ${k}, kind, ${cols.join(', ')} FROM ${fn}(y, orgs)
				UNION ALL
				SELECT organization_id, ${k}, kind, ${list(cols, (c) => `-${c}`)} FROM ${cell} WHERE year = y AND organization_id = ANY (orgs)
			) x
			GROUP BY organization_id, ${k}, kind
			HAVING ${anyNonZero(cols)}
		), ins AS (
		INSERT INTO ${rollup} AS r (organization_id, year, ${k}, kind, ${cols.join(', ')})
		SELECT a.anc, y, ${keys.map((c) => `d.${c}`).join(', ')}, d.kind, ${list(cols, (c) => `sum(d.${c})`)}
		FROM delta d JOIN anc a ON a.org = d.organization_id
		GROUP BY a.anc, ${keys.map((c) => `d.${c}`).join(', ')}, d.kind
		ON CONFLICT (organization_id, year, ${k}, kind) DO UPDATE SET ${list(cols, (c) => `${c} = r.${c} + EXCLUDED.${c}`)}
		RETURNING ${allZero(cols, 'r')} AS zero
		)
		SELECT coalesce(bool_or(zero), false) INTO zeroed FROM ins`,
		// Only when a row just reached zero (a service no longer provided, an organization moved out).
		`IF zeroed THEN
			DELETE FROM ${rollup} r WHERE r.year = y AND r.organization_id = ANY (ancs) AND ${allZero(cols, 'r')};
		END IF`,
		`DELETE FROM ${cell} WHERE year = y AND organization_id = ANY (orgs)`,
		`INSERT INTO ${cell} SELECT * FROM ${fn}(y, orgs)`
	];
}

const cellKeys = ['service_id', 'indicator_id'];
const volumeKeys = ['service_id'];

const up_: string[] = [
	`SELECT set_config('sapa.actor', 'migration:compliance-rollup', true)`,

	`CREATE TABLE compliance_cell (
		organization_id integer NOT NULL,
		year integer NOT NULL,
		service_id integer NOT NULL,
		indicator_id integer NOT NULL,
		kind text NOT NULL,
		numerator bigint NOT NULL, denominator bigint NOT NULL,
		valued integer NOT NULL, assessed integer NOT NULL, meets_normative integer NOT NULL, breaches integer NOT NULL,
		with_target integer NOT NULL, meets_target integer NOT NULL,
		normative_weighted numeric NOT NULL, normative_denominator bigint NOT NULL,
		target_weighted numeric NOT NULL, target_denominator bigint NOT NULL,
		expected integer NOT NULL, reported integer NOT NULL,
		PRIMARY KEY (organization_id, year, service_id, indicator_id)
	)`,
	`CREATE INDEX compliance_cell_year_idx ON compliance_cell (year)`,
	`CREATE TABLE compliance_rollup (
		organization_id integer NOT NULL,
		year integer NOT NULL,
		service_id integer NOT NULL,
		indicator_id integer NOT NULL,
		kind text NOT NULL,
		numerator bigint NOT NULL, denominator bigint NOT NULL,
		valued bigint NOT NULL, assessed bigint NOT NULL, meets_normative bigint NOT NULL, breaches bigint NOT NULL,
		with_target bigint NOT NULL, meets_target bigint NOT NULL,
		normative_weighted numeric NOT NULL, normative_denominator bigint NOT NULL,
		target_weighted numeric NOT NULL, target_denominator bigint NOT NULL,
		expected bigint NOT NULL, reported bigint NOT NULL,
		PRIMARY KEY (organization_id, year, service_id, indicator_id, kind)
	)`,
	`CREATE INDEX compliance_rollup_year_idx ON compliance_rollup (year, organization_id)`,
	`CREATE TABLE volume_cell (
		organization_id integer NOT NULL,
		year integer NOT NULL,
		service_id integer NOT NULL,
		kind text NOT NULL,
		provider bigint NOT NULL, state_corporation bigint NOT NULL, egov bigint NOT NULL,
		expected integer NOT NULL, reported integer NOT NULL,
		PRIMARY KEY (organization_id, year, service_id)
	)`,
	`CREATE INDEX volume_cell_year_idx ON volume_cell (year)`,
	`CREATE TABLE volume_rollup (
		organization_id integer NOT NULL,
		year integer NOT NULL,
		service_id integer NOT NULL,
		kind text NOT NULL,
		provider bigint NOT NULL, state_corporation bigint NOT NULL, egov bigint NOT NULL,
		expected bigint NOT NULL, reported bigint NOT NULL,
		PRIMARY KEY (organization_id, year, service_id, kind)
	)`,
	`CREATE INDEX volume_rollup_year_idx ON volume_rollup (year, organization_id)`,
	// The years built: every year that has a figure, once refreshed.
	`CREATE TABLE compliance_year (
		year integer PRIMARY KEY,
		built_at timestamptz NOT NULL DEFAULT now()
	)`,
	// Marks: organization NULL = the whole year. A transaction marks each unit once (tx in the key);
	// marks of different transactions never wait on each other nor hide one another from a refresh.
	`CREATE TABLE compliance_dirty (
		organization_id integer,
		year integer NOT NULL,
		tx xid8 NOT NULL DEFAULT pg_current_xact_id()
	)`,
	`CREATE UNIQUE INDEX compliance_dirty_once ON compliance_dirty ((coalesce(organization_id, 0)), year, tx)`,
	// Complaints by date, for the years that have data.
	`CREATE INDEX complaint_received_idx ON complaint (received_on)`,

	// ---------- the years with data ----------
	`CREATE FUNCTION sapa_compliance_year_has_data(y integer) RETURNS boolean LANGUAGE sql STABLE AS $$
		SELECT EXISTS (SELECT 1 FROM measurement WHERE year = y)
			OR EXISTS (SELECT 1 FROM service_volume WHERE year = y)
			OR EXISTS (SELECT 1 FROM complaint WHERE received_on >= make_date(y, 1, 1) AND received_on <= make_date(y, 12, 31))
	$$`,
	// Loose index scans: a handful of probes whatever the size of the tables.
	`CREATE FUNCTION sapa_compliance_data_years() RETURNS SETOF integer LANGUAGE sql STABLE AS $$
		WITH RECURSIVE m(y) AS (
			SELECT min(year) FROM measurement
			UNION ALL SELECT (SELECT min(year) FROM measurement WHERE year > m.y) FROM m WHERE m.y IS NOT NULL
		), v(y) AS (
			SELECT min(year) FROM service_volume
			UNION ALL SELECT (SELECT min(year) FROM service_volume WHERE year > v.y) FROM v WHERE v.y IS NOT NULL
		), c(d) AS (
			SELECT min(received_on) FROM complaint
			UNION ALL SELECT (SELECT min(received_on) FROM complaint WHERE received_on >= make_date(extract(year FROM c.d)::integer + 1, 1, 1)) FROM c WHERE c.d IS NOT NULL
		)
		SELECT y FROM m WHERE y IS NOT NULL
		UNION SELECT y FROM v WHERE y IS NOT NULL
		UNION SELECT extract(year FROM d)::integer FROM c WHERE d IS NOT NULL
		ORDER BY 1
	$$`,

	cellsFunction,
	volumeCellsFunction,

	// ---------- whole year ----------
	// Whole-year statements join hundreds of thousands of rows: hash joins whatever the (possibly
	// stale) statistics of the cell tables say; no JIT (its compile time exceeds what it saves here).
	`CREATE FUNCTION sapa_compliance_build_year(y integer) RETURNS integer LANGUAGE plpgsql
		SET plan_cache_mode = force_custom_plan SET enable_nestloop = off SET jit = off SET work_mem = '64MB' AS $$
	DECLARE units integer := 0;
	BEGIN
		PERFORM pg_advisory_xact_lock(${LOCK});
		-- Marks of this year visible now are covered by what follows (later statements see at least as much).
		DELETE FROM compliance_dirty WHERE year = y;
		IF sapa_compliance_year_has_data(y) THEN
			${rebuildCellsSql('compliance_cell', 'sapa_compliance_cells', cellKeys, MEASURES)};
			${rebuildCellsSql('volume_cell', 'sapa_volume_cells', volumeKeys, VOLUMES)};
			DELETE FROM compliance_rollup WHERE year = y;
			DELETE FROM volume_rollup WHERE year = y;
			${rollupFromCellsSql('compliance_cell', 'compliance_rollup', cellKeys, MEASURES)};
			${rollupFromCellsSql('volume_cell', 'volume_rollup', volumeKeys, VOLUMES)};
			INSERT INTO compliance_year (year) VALUES (y) ON CONFLICT (year) DO UPDATE SET built_at = now();
			SELECT count(DISTINCT organization_id) INTO units FROM volume_cell WHERE year = y;
		ELSE
			SELECT count(DISTINCT organization_id) INTO units FROM volume_cell WHERE year = y;
			DELETE FROM compliance_cell WHERE year = y;
			DELETE FROM volume_cell WHERE year = y;
			DELETE FROM compliance_rollup WHERE year = y;
			DELETE FROM volume_rollup WHERE year = y;
			DELETE FROM compliance_year WHERE year = y;
		END IF;
		RETURN units;
	END $$`,
	`CREATE FUNCTION sapa_compliance_rebuild(y integer) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM sapa_compliance_build_year(y);
	END $$`,

	// ---------- some organizations of a year ----------
	`CREATE FUNCTION sapa_compliance_apply(y integer, orgs integer[]) RETURNS void LANGUAGE plpgsql
		SET plan_cache_mode = force_custom_plan SET jit = off AS $$
	DECLARE org_a integer[]; anc_a integer[]; ancs integer[]; zeroed boolean;
	BEGIN
		-- Each organization with its ancestors that year (itself included) that have children that year.
		WITH RECURSIVE up(org, anc, depth) AS (
			SELECT o, o, 0 FROM unnest(orgs) o
			UNION ALL
			SELECT up.org, l.parent_id, up.depth + 1 FROM up
			JOIN organization_link l ON l.organization_id = up.anc AND ${covers('l', 'y')}
			WHERE l.parent_id IS NOT NULL AND up.depth < 64
		)
		SELECT array_agg(up.org), array_agg(up.anc), array_agg(DISTINCT up.anc) INTO org_a, anc_a, ancs FROM up
		WHERE EXISTS (SELECT 1 FROM organization_link c WHERE c.parent_id = up.anc AND ${covers('c', 'y')});
		org_a := coalesce(org_a, '{}'); anc_a := coalesce(anc_a, '{}'); ancs := coalesce(ancs, '{}');
		${applySql('compliance_cell', 'compliance_rollup', 'sapa_compliance_cells', cellKeys, MEASURES).join(';\n\t\t')};
		${applySql('volume_cell', 'volume_rollup', 'sapa_volume_cells', volumeKeys, VOLUMES).join(';\n\t\t')};
	END $$`,

	// ---------- refresh ----------
	`CREATE FUNCTION sapa_compliance_refresh() RETURNS integer LANGUAGE plpgsql AS $$
	DECLARE
		years integer[];
		y integer;
		whole boolean;
		orgs integer[];
		built boolean;
		units integer := 0;
	BEGIN
		IF NOT EXISTS (SELECT 1 FROM compliance_dirty) THEN RETURN 0; END IF;
		PERFORM pg_advisory_xact_lock(${LOCK});
		SELECT array_agg(DISTINCT d.year ORDER BY d.year) INTO years FROM compliance_dirty d;
		FOREACH y IN ARRAY coalesce(years, '{}') LOOP
			WITH taken AS (DELETE FROM compliance_dirty WHERE year = y RETURNING organization_id)
			SELECT coalesce(bool_or(organization_id IS NULL), false), array_agg(DISTINCT organization_id) FILTER (WHERE organization_id IS NOT NULL)
			INTO whole, orgs FROM taken;
			built := EXISTS (SELECT 1 FROM compliance_year WHERE year = y);
			IF NOT sapa_compliance_year_has_data(y) THEN
				-- A year without any figure has no cells (a draft target alone makes no data year).
				IF built THEN units := units + sapa_compliance_build_year(y); END IF;
			ELSIF whole OR NOT built OR cardinality(orgs) > 1000 THEN
				units := units + sapa_compliance_build_year(y);
			ELSIF cardinality(orgs) > 0 THEN
				PERFORM sapa_compliance_apply(y, orgs);
				units := units + cardinality(orgs);
			END IF;
		END LOOP;
		RETURN units;
	END $$`,

	// ---------- marks ----------
	...figures.map(([table, year]) => markFiguresFunction(table, year)),
	...figures.flatMap(([table]) => statementTriggers(table, `sapa_compliance_mark_${table}`)),

	// A provision changes the organization's cells in the built years of its old and new ranges.
	`CREATE FUNCTION sapa_compliance_mark_provision() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		IF TG_OP = 'INSERT' THEN
			INSERT INTO compliance_dirty (organization_id, year)
			SELECT DISTINCT r.organization_id, cy.year FROM new_rows r JOIN compliance_year cy ON ${covers('r', 'cy.year')} ON CONFLICT DO NOTHING;
		ELSIF TG_OP = 'DELETE' THEN
			INSERT INTO compliance_dirty (organization_id, year)
			SELECT DISTINCT r.organization_id, cy.year FROM old_rows r JOIN compliance_year cy ON ${covers('r', 'cy.year')} ON CONFLICT DO NOTHING;
		ELSE
			INSERT INTO compliance_dirty (organization_id, year)
			SELECT DISTINCT r.organization_id, cy.year
			FROM (SELECT organization_id, year_from, year_to FROM old_rows UNION ALL SELECT organization_id, year_from, year_to FROM new_rows) r
			JOIN compliance_year cy ON ${covers('r', 'cy.year')} ON CONFLICT DO NOTHING;
		END IF;
		RETURN NULL;
	END $$`,
	...statementTriggers('service_provision', 'sapa_compliance_mark_provision'),

	// An organization's kind is carried by its cells.
	`CREATE FUNCTION sapa_compliance_mark_organization() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		INSERT INTO compliance_dirty (organization_id, year)
		SELECT n.id, cy.year FROM new_rows n JOIN old_rows o ON o.id = n.id CROSS JOIN compliance_year cy
		WHERE n.kind IS DISTINCT FROM o.kind
		ON CONFLICT DO NOTHING;
		RETURN NULL;
	END $$`,
	...statementTriggers('organization', 'sapa_compliance_mark_organization', ['UPDATE']),

	// The tree of a year: (organization, year, parent) before and after. A change rebuilds the year
	// only when it moves stored sums: the organization has cells or roll-ups that year, or its parent
	// gains or loses the roll-up rows that having children gives it. A new, empty school does not.
	`CREATE FUNCTION sapa_compliance_mark_link() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		${byEvent('organization_link', (before, after) => `INSERT INTO compliance_dirty (organization_id, year)
		WITH before AS (
			SELECT r.organization_id AS org, cy.year, r.parent_id AS parent FROM ${before} r JOIN compliance_year cy ON ${covers('r', 'cy.year')}
		), after AS (
			SELECT r.organization_id AS org, cy.year, r.parent_id AS parent FROM ${after} r JOIN compliance_year cy ON ${covers('r', 'cy.year')}
		), changed AS (
			(SELECT * FROM before EXCEPT SELECT * FROM after)
			UNION
			(SELECT * FROM after EXCEPT SELECT * FROM before)
		)
		SELECT DISTINCT NULL::integer, ch.year FROM changed ch
		WHERE EXISTS (SELECT 1 FROM volume_cell v WHERE v.organization_id = ch.org AND v.year = ch.year)
			OR EXISTS (SELECT 1 FROM volume_rollup u WHERE u.organization_id = ch.org AND u.year = ch.year)
			OR (ch.parent IS NOT NULL
				AND EXISTS (SELECT 1 FROM volume_cell v WHERE v.organization_id = ch.parent AND v.year = ch.year)
				AND EXISTS (SELECT 1 FROM organization_link k WHERE k.parent_id = ch.parent AND ${covers('k', 'ch.year')})
					<> EXISTS (SELECT 1 FROM volume_rollup u WHERE u.organization_id = ch.parent AND u.year = ch.year))
		ON CONFLICT DO NOTHING`)}
		RETURN NULL;
	END $$`,
	...statementTriggers('organization_link', 'sapa_compliance_mark_link'),

	// The standard in force, and its normatives, judge whole years.
	`CREATE FUNCTION sapa_compliance_mark_standard() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		${byEvent('standard', (before, after) => `INSERT INTO compliance_dirty (organization_id, year)
		WITH changed AS (
			(SELECT id, service_id, valid_from, valid_to FROM ${before} b EXCEPT SELECT id, service_id, valid_from, valid_to FROM ${after} a)
			UNION ALL
			(SELECT id, service_id, valid_from, valid_to FROM ${after} a EXCEPT SELECT id, service_id, valid_from, valid_to FROM ${before} b)
		)
		SELECT DISTINCT NULL::integer, cy.year FROM changed s JOIN compliance_year cy
			ON cy.year >= extract(year FROM s.valid_from) AND (s.valid_to IS NULL OR cy.year <= extract(year FROM s.valid_to))
		ON CONFLICT DO NOTHING`)}
		RETURN NULL;
	END $$`,
	...statementTriggers('standard', 'sapa_compliance_mark_standard'),
	`CREATE FUNCTION sapa_compliance_mark_normative() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		${byEvent('standard_normative', (before, after) => `INSERT INTO compliance_dirty (organization_id, year)
		WITH touched AS (SELECT standard_id FROM ${before} b UNION SELECT standard_id FROM ${after} a)
		SELECT DISTINCT NULL::integer, cy.year FROM touched t JOIN standard s ON s.id = t.standard_id JOIN compliance_year cy
			ON cy.year >= extract(year FROM s.valid_from) AND (s.valid_to IS NULL OR cy.year <= extract(year FROM s.valid_to))
		ON CONFLICT DO NOTHING`)}
		RETURN NULL;
	END $$`,
	...statementTriggers('standard_normative', 'sapa_compliance_mark_normative'),
	// An indicator added, removed, or changed in what judges it (code, polarity, source): every built year.
	`CREATE FUNCTION sapa_compliance_mark_indicator() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		${byEvent('indicator', (before, after) => `INSERT INTO compliance_dirty (organization_id, year)
		SELECT NULL, cy.year FROM compliance_year cy
		WHERE EXISTS (
			(SELECT id, code, polarity, source FROM ${before} b EXCEPT SELECT id, code, polarity, source FROM ${after} a)
			UNION ALL
			(SELECT id, code, polarity, source FROM ${after} a EXCEPT SELECT id, code, polarity, source FROM ${before} b)
		)
		ON CONFLICT DO NOTHING`)}
		RETURN NULL;
	END $$`,
	...statementTriggers('indicator', 'sapa_compliance_mark_indicator'),
	`CREATE FUNCTION sapa_compliance_mark_all() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_advisory_xact_lock_shared(${LOCK});
		INSERT INTO compliance_dirty (organization_id, year) SELECT NULL, year FROM compliance_year ON CONFLICT DO NOTHING;
		-- Figures of years not built yet are found by the marks their rows left, or by a rebuild.
		RETURN NULL;
	END $$`,
	...truncated.map((t) => `CREATE TRIGGER ${t}_compliance_truncate AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION sapa_compliance_mark_all()`),

	// ---------- what is already there ----------
	`SELECT sapa_compliance_rebuild(y) FROM sapa_compliance_data_years() y`
];

const triggers: Array<[string, string]> = [
	...figures.flatMap(([t]) => ['insert', 'update', 'delete'].map((e): [string, string] => [t, `${t}_compliance_${e}`])),
	...['service_provision', 'organization_link', 'standard', 'standard_normative', 'indicator'].flatMap((t) =>
		['insert', 'update', 'delete'].map((e): [string, string] => [t, `${t}_compliance_${e}`])),
	['organization', 'organization_compliance_update'],
	...truncated.map((t): [string, string] => [t, `${t}_compliance_truncate`])
];

const down_: string[] = [
	...triggers.map(([table, name]) => `DROP TRIGGER ${name} ON ${table}`),
	...[...figures.map(([t]) => `sapa_compliance_mark_${t}()`), 'sapa_compliance_mark_provision()', 'sapa_compliance_mark_organization()',
		'sapa_compliance_mark_link()', 'sapa_compliance_mark_standard()', 'sapa_compliance_mark_normative()', 'sapa_compliance_mark_indicator()',
		'sapa_compliance_mark_all()', 'sapa_compliance_refresh()', 'sapa_compliance_apply(integer, integer[])', 'sapa_compliance_rebuild(integer)',
		'sapa_compliance_build_year(integer)', 'sapa_volume_cells(integer, integer[])', 'sapa_compliance_cells(integer, integer[])',
		'sapa_compliance_data_years()', 'sapa_compliance_year_has_data(integer)'].map((f) => `DROP FUNCTION ${f}`),
	`DROP INDEX complaint_received_idx`,
	`DROP TABLE compliance_dirty`,
	`DROP TABLE compliance_year`,
	`DROP TABLE volume_rollup`,
	`DROP TABLE volume_cell`,
	`DROP TABLE compliance_rollup`,
	`DROP TABLE compliance_cell`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const s of up_) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const s of down_) await sql.raw(s).execute(db);
}
