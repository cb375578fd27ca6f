import type { Kysely } from 'kysely';
import { isGlobalAdmin, roleAllows } from '../../domain/permissions';
import type { Access } from '../auth/access';
import { violatedConstraint } from '../db/errors';
import type { Database, OrganizationKind } from '../db/schema';
import { findSubtreeIds } from '../queries/access';
import { listOrganizations, type OrganizationSummary } from '../queries/organizations';
import {
	findOverlappingProvisions, insertProvision, insertProvisions, listOrganizationsOfKind, updateProvisionYears
} from '../queries/provisions';
import { withActor, type Actor } from './actor';

/*
 * Which organization provides which service, from which year to which. The
 * database refuses overlaps and narrowing a provision from under recorded
 * figures; here those refusals become problem codes the page words.
 * Callers check catalogue.manage on the organization or department first.
 */

export type ProvisionProblem = 'overlap' | 'keeps_figures' | 'years' | 'unknown';

export type ProvisionOutcome = { ok: true } | { ok: false; problem: ProvisionProblem };

export const actorOf = (a: Pick<Access, 'userId'>): Actor => ({ label: `user:${a.userId}`, userId: a.userId });

function problemOf(err: unknown): ProvisionProblem | null {
	switch (violatedConstraint(err)) {
		case 'service_provision_no_overlap': return 'overlap';
		case 'service_provision_keeps_figures': return 'keeps_figures';
		case 'service_provision_years':
		case 'service_provision_year_from_check': return 'years';
		case 'service_provision_organization_id_fkey':
		case 'service_provision_service_id_fkey': return 'unknown';
		default: return null;
	}
}

async function refusing(write: () => Promise<unknown>): Promise<ProvisionOutcome> {
	try {
		await write();
		return { ok: true };
	} catch (err) {
		const problem = problemOf(err);
		if (problem) return { ok: false, problem };
		throw err;
	}
}

export interface NewProvision {
	organizationId: number;
	serviceId: number;
	yearFrom: number;
	yearTo: number | null;
}

export function addProvision(db: Kysely<Database>, actor: Actor, p: NewProvision): Promise<ProvisionOutcome> {
	return refusing(() => withActor(db, actor, (trx) => insertProvision(trx, p)));
}

/** Ending a provision is setting its last year; the database keeps years that carry figures. */
export function changeProvisionYears(db: Kysely<Database>, actor: Actor, id: number, yearFrom: number, yearTo: number | null): Promise<ProvisionOutcome> {
	return refusing(() => withActor(db, actor, (trx) => updateProvisionYears(trx, id, yearFrom, yearTo)));
}

export interface BulkAssignment {
	departmentId: number;
	kind: OrganizationKind;
	serviceIds: readonly number[];
	yearFrom: number;
	yearTo: number | null;
}

export interface BulkPair {
	organizationId: number;
	organizationCode: string;
	serviceId: number;
}

export type BulkOutcome =
	| { ok: true; matched: number; added: BulkPair[]; skipped: BulkPair[] }
	| { ok: false; problem: ProvisionProblem };

/**
 * One provision for every open organization of the kind in the department's
 * subtree that does not already provide the service in some of those years.
 * All in one transaction: a refusal of any row leaves nothing added.
 */
export async function assignInBulk(db: Kysely<Database>, actor: Actor, input: BulkAssignment): Promise<BulkOutcome> {
	try {
		return await withActor(db, actor, async (trx) => {
			const subtree = await findSubtreeIds(trx, [input.departmentId]);
			const organizations = await listOrganizationsOfKind(trx, subtree, input.kind);
			const taken = new Set(
				(await findOverlappingProvisions(trx, organizations.map((o) => o.id), input.serviceIds, input.yearFrom, input.yearTo))
					.map((p) => `${p.organizationId}/${p.serviceId}`)
			);
			const added: BulkPair[] = [];
			const skipped: BulkPair[] = [];
			for (const o of organizations) {
				for (const serviceId of input.serviceIds) {
					const pair = { organizationId: o.id, organizationCode: o.code, serviceId };
					(taken.has(`${o.id}/${serviceId}`) ? skipped : added).push(pair);
				}
			}
			await insertProvisions(trx, added, input.yearFrom, input.yearTo);
			return { ok: true as const, matched: organizations.length, added, skipped };
		});
	} catch (err) {
		const problem = problemOf(err);
		if (problem) return { ok: false, problem };
		throw err;
	}
}

/** Organizations where the person may manage assignments: the subtrees of their admin grants. */
export async function listManageableOrganizations(db: Kysely<Database>, access: Pick<Access, 'grants'>): Promise<OrganizationSummary[]> {
	if (isGlobalAdmin(access.grants)) return listOrganizations(db, 'all');
	const roots = access.grants.filter((g) => g.organizationId !== null && roleAllows(g.role, 'catalogue.manage')).map((g) => g.organizationId!);
	return listOrganizations(db, new Set(await findSubtreeIds(db, roots)));
}
