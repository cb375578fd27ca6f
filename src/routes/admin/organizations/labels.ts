import * as m from '$lib/paraglide/messages';

export { kindLabel } from '$lib/ui/labels';

export function yearsLabel(from: number, to: number | null): string {
	if (to === null) return m.orgs_years_open({ from });
	return from === to ? String(from) : `${from}–${to}`;
}
