import type { Kysely } from 'kysely';
import { complaintIndicatorCounts } from '../../domain/complaints';
import { percentOf, type Counts } from '../../domain/compliance';
import type { EvidenceData, IndicatorInfo, OrganizationRef, TrendPoint } from '../../domain/dashboard-view';
import { isSmallSample } from '../../domain/sample';
import type { Scope } from '../auth/access';
import type { Database } from '../db/schema';
import { listComplaints } from '../queries/complaints';
import { findMeasurementRecord, listAncestorsInYear, listCellYears, type CellYearRow } from '../queries/evidence';
import { listFigureHistory } from '../queries/figure-history';
import { listGridIndicators } from '../queries/figures';
import { findOrganization } from '../queries/organizations';
import { listServicesProvided } from '../queries/services';
import { buildAnnex } from './annex';

/*
 * The end of the dashboard's drill-down: one organization, service, indicator
 * and year, with everything behind the number. The cell itself is the annex's
 * row (the engine's own assessment); the rest is its paper trail.
 */

export interface EvidenceRequest {
	organizationId: number;
	serviceId: number;
	indicatorCode: string;
	year: number;
}

const inScope = (scope: Scope, id: number) => scope === 'all' || scope.has(id);

/** The counts of one year's cell: typed, or computed from the register for 4.1 / 4.2. */
function countsOf(row: CellYearRow, indicator: IndicatorInfo): Counts | null {
	if (indicator.computed) return complaintIndicatorCounts(indicator.code, row.tally);
	return row.numerator === null || row.denominator === null ? null : { numerator: row.numerator, denominator: row.denominator };
}

export function trendPointOf(row: CellYearRow, indicator: IndicatorInfo): TrendPoint {
	const counts = countsOf(row, indicator);
	return {
		year: row.year,
		counts,
		value: counts ? percentOf(counts) : null,
		normative: row.normative,
		// A draft is no target.
		target: row.targetStatus === 'approved' ? row.targetValue : null,
		smallSample: isSmallSample(counts?.denominator)
	};
}

/**
 * Null when there is nothing to show: an unknown (or unseen) organization,
 * service or indicator, or a service the organization did not provide that year.
 * The caller has already checked that the person may read the organization.
 */
export async function loadEvidence(db: Kysely<Database>, scope: Scope, req: EvidenceRequest): Promise<EvidenceData | null> {
	const { organizationId, serviceId, year } = req;
	if (!inScope(scope, organizationId)) return null;
	const [organization, indicators, services] = await Promise.all([
		findOrganization(db, organizationId),
		listGridIndicators(db),
		listServicesProvided(db, organizationId, year)
	]);
	const ind = indicators.find((i) => i.code === req.indicatorCode);
	const service = services.find((s) => s.id === serviceId);
	if (!organization || !ind || !service) return null;

	const indicator: IndicatorInfo = {
		id: ind.id, code: ind.code, group: ind.groupCode, title: ind.title, polarity: ind.polarity, computed: ind.computed,
		numerator: ind.numeratorText, denominator: ind.denominatorText
	};
	const key = { organizationId, serviceId, indicatorId: ind.id, year };
	const [annex, measurement, history, complaints, years, ancestors] = await Promise.all([
		buildAnnex(db, { organizationId, serviceId, year }),
		findMeasurementRecord(db, key),
		// Only this figure's changes: the service and indicator filters leave out volumes, complaints and the year's steps.
		listFigureHistory(db, { organizationId, year, serviceId, indicatorId: ind.id }),
		listComplaints(db, organizationId, year, serviceId),
		listCellYears(db, key),
		listAncestorsInYear(db, organizationId, year)
	]);
	const row = annex.rows.find((r) => r.code === ind.code);
	if (!row) return null;

	const ref = (o: { id: number; code: string; kind: OrganizationRef['kind']; nameKk: string; nameRu: string; nameEn: string | null }): OrganizationRef => ({
		id: o.id, code: o.code, kind: o.kind, name: { kk: o.nameKk, ru: o.nameRu, en: o.nameEn }
	});
	return {
		organization: ref(organization),
		// From the highest ancestor the person may see down to the parent.
		path: ancestors.filter((a) => inScope(scope, a.id)).reverse().map(ref),
		service: { id: service.id, code: service.code, title: { kk: service.titleKk, ru: service.titleRu, en: service.titleEn } },
		indicator,
		year,
		cell: {
			counts: row.counts,
			value: row.value,
			normative: row.normative,
			target: row.target?.status === 'approved' ? row.target.value : null,
			assessment: row.assessment,
			smallSample: row.smallSample
		},
		standard: annex.standard ? { actNumber: annex.standard.actNumber, actDate: annex.standard.actDate, actIssuer: annex.standard.actIssuer } : null,
		target: row.target,
		measurement: measurement
			? { comment: measurement.comment, source: measurement.source, version: measurement.version, updatedAt: measurement.updatedAt.toISOString(), updatedBy: measurement.updatedBy }
			: null,
		history: history.entries.flatMap((e) => {
			if (e.change.kind !== 'figure' || (e.action !== 'insert' && e.action !== 'update' && e.action !== 'delete')) return [];
			// A deletion shows the value that went; any other change the value it left.
			const state = e.action === 'delete' ? e.change.before : e.change.after;
			return [{
				at: e.at.toISOString(),
				actor: e.actorName,
				numerator: state?.numerator ?? null,
				denominator: state?.denominator ?? null,
				comment: state?.comment ?? null,
				action: e.action,
				source: e.source
			}];
		}),
		complaints: complaints.map((c) => ({
			id: c.id, receivedOn: c.receivedOn, dueOn: c.dueOn, answeredOn: c.answeredOn, justified: c.justified,
			satisfied: c.satisfied, inTerm: c.answeredWithinTerm, summary: c.summary
		})),
		years: years.map((y) => trendPointOf(y, indicator))
	};
}
