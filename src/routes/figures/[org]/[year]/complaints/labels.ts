import type { ComplaintState } from '$lib/domain/complaint-rules';
import * as m from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { official, type OfficialText } from '$lib/ui/official';

export function justifiedLabel(justified: boolean | null): string {
	return justified === null ? m.complaints_justified_pending() : justified ? m.complaints_justified_yes() : m.complaints_justified_no();
}

export function yesNo(value: boolean | null): string {
	return value === null ? '—' : value ? m.complaints_yes() : m.complaints_no();
}

export const stateLabel: Record<ComplaintState, () => string> = {
	answered_in_term: m.complaints_state_answered_in_term,
	answered_late: m.complaints_state_answered_late,
	overdue: m.complaints_state_overdue,
	open: m.complaints_state_open
};

/** A service's official title in the interface's language. */
export function serviceTitle(s: { titleKk: string; titleRu: string; titleEn: string | null }, locale: Locale): OfficialText {
	return official({ kk: s.titleKk, ru: s.titleRu, en: s.titleEn }, locale);
}
