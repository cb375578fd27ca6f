import type { OrganizationKind } from '$lib/server/db/schema';
import * as m from '$lib/paraglide/messages';

const kinds: Record<OrganizationKind, () => string> = {
	region_department: m.kind_region_department, city_department: m.kind_city_department, school: m.kind_school,
	kindergarten: m.kind_kindergarten, supplementary: m.kind_supplementary, other: m.kind_other
};

/** An organization kind in the interface language. */
export const kindLabel = (kind: OrganizationKind): string => kinds[kind]();
