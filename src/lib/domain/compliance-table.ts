import type { RolledCell, Texts } from './dashboard';
import type { DashboardData, IndicatorInfo, ScorecardRow } from './dashboard-view';

/*
 * The dashboard's compliance tables as flat rows, one per unit × indicator
 * (or year × indicator), for a file or a printed page: the same cells the
 * scorecard shows, nothing recomputed, so an export matches the screen to
 * the digit. Pure: dashboard data in, rows out; words are the caller's.
 */

export type ComplianceView = 'year' | 'years';

/** A scorecard cell, with what it is about. */
export interface ComplianceTableRow extends RolledCell {
	/** What the row is about: an organization (or the scope's own services), a service, the total, or a year. */
	unit: { kind: ScorecardRow['kind'] | 'year'; code: string; name: Texts | null };
	year: number;
	indicator: { code: string; title: Texts };
}

function rowsOf(unit: ComplianceTableRow['unit'], year: number, row: ScorecardRow, indicators: readonly IndicatorInfo[]): ComplianceTableRow[] {
	return indicators.map((i) => {
		const c = row.cells[i.code];
		if (!c) throw new Error(`scorecard row ${row.code} has no cell for indicator ${i.code}`);
		return {
			unit, year, indicator: { code: i.code, title: i.title },
			counts: c.counts, value: c.value, normative: c.normative, target: c.target, assessment: c.assessment, smallSample: c.smallSample
		};
	});
}

/**
 * Organizations (or services) × indicators for the dashboard's year, rows in
 * the order given (the screen's sort), then the total row; indicators in the
 * standard's order, as the columns run.
 */
export function yearTable(data: DashboardData, rows: readonly ScorecardRow[] = data.scorecard.rows): ComplianceTableRow[] {
	const { indicators, total } = data.scorecard;
	const year = data.filters.year;
	return [...rows, total].flatMap((r) => rowsOf({ kind: r.kind, code: r.code, name: r.name }, year, r, indicators));
}

/** The scope organization over the years: each year's total row (the dashboard of that year), oldest first. */
export function yearsTable(perYear: readonly DashboardData[]): ComplianceTableRow[] {
	return [...perYear]
		.sort((a, b) => a.filters.year - b.filters.year)
		.flatMap((d) => rowsOf({ kind: 'year', code: String(d.filters.year), name: null }, d.filters.year, d.scorecard.total, d.scorecard.indicators));
}
