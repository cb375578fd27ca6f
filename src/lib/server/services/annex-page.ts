import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { findOrganization, listOrganizations, listOrganizationsInYear, type OrganizationSummary } from '../queries/organizations';
import { findLatestMeasuredYear, listProvisionYears, listServicesProvided, rankServicesByVolume, type ServiceSummary } from '../queries/services';
import { buildAnnex, type Annex } from './annex';

export interface AnnexPageRequest {
	organizationId: number | null;
	serviceId: number | null;
	year: number | null;
}

export interface AnnexPage {
	organizations: OrganizationSummary[];
	organization: OrganizationSummary | null;
	years: number[];
	year: number | null;
	services: ServiceSummary[];
	service: ServiceSummary | null;
	annex: Annex | null;
}

/** Unknown, or outside the person's scope: the two are told apart to nobody. */
export class NotFoundError extends Error {}

/**
 * Resolves what the annex screen shows: a missing year falls back to the
 * latest reported one, a missing or unavailable service to the first one the
 * organization provided that year.
 */
export async function loadAnnexPage(db: Kysely<Database>, scope: 'all' | ReadonlySet<number>, req: AnnexPageRequest, asOfYear: number): Promise<AnnexPage> {
	const organizations = await listOrganizations(db, scope);
	// Someone who sees a single organization (a school's operator) starts on it.
	const only = organizations.length === 1 ? organizations[0]!.id : null;
	const organizationId = req.organizationId ?? only;
	if (organizationId === null) {
		const year = req.year ?? asOfYear;
		return { organizations: await listOrganizationsInYear(db, scope, year), organization: null, years: [], year, services: [], service: null, annex: null };
	}

	const organization = (await findOrganization(db, organizationId)) ?? null;
	if (!organization || (scope !== 'all' && !scope.has(organization.id))) throw new NotFoundError('organization');
	// Next year too: the annex carries next year's targets, and services assigned from next year show there.
	const years = await listProvisionYears(db, organization.id, asOfYear + 1);
	const fallbackYear = (await findLatestMeasuredYear(db, organization.id)) ?? years[0] ?? asOfYear - 1;
	const year = req.year ?? fallbackYear;
	const services = await listServicesProvided(db, organization.id, year);
	const requested = services.find((s) => s.id === req.serviceId);
	const busiestId = requested ? undefined : (await rankServicesByVolume(db, organization.id, year))[0];
	const service = requested ?? services.find((s) => s.id === busiestId) ?? services[0] ?? null;
	const annex = service ? await buildAnnex(db, { organizationId: organization.id, serviceId: service.id, year }) : null;
	// The tree beside the annex is the tree of the year shown.
	return { organizations: await listOrganizationsInYear(db, scope, year), organization, years, year, services, service, annex };
}
