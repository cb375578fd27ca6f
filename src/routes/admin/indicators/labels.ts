import * as m from '$lib/paraglide/messages';
import type { PolarityCode } from '$lib/server/db/schema';

export const polarityLabel: Record<PolarityCode, () => string> = {
	higher_is_better: m.catalogue_polarity_higher_is_better,
	lower_is_better: m.catalogue_polarity_lower_is_better
};

export const unitLabel: Record<'percent', () => string> = { percent: m.catalogue_unit_percent };

export const sourceLabel: Record<'reported' | 'complaints_register', () => string> = {
	reported: m.catalogue_source_reported,
	complaints_register: m.catalogue_source_complaints_register
};
