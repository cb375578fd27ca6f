import * as m from '$lib/paraglide/messages';
import { locales, type Locale } from '$lib/paraglide/runtime';
import type { FigureColumn, ImportProblem, ImportWarning } from '$lib/server/import/figures';
import type { VolumeChannel } from '$lib/server/db/schema';
import { figureProblemMessage, figureWarningMessage } from '$lib/validation/figures';

/*
 * The words of the figures import: column titles (the template's header in
 * the reader's language, and every language's title accepted on upload),
 * problems and warnings. Codes come from the server; text is made here.
 */

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

const COLUMN_TITLES: Record<FigureColumn, Message> = {
	org_code: m.import_figures_col_org_code,
	org_name: m.import_figures_col_org_name,
	service_code: m.import_figures_col_service_code,
	service_title: m.import_figures_col_service_title,
	year: m.import_figures_col_year,
	item: m.import_figures_col_item,
	item_title: m.import_figures_col_item_title,
	numerator: m.import_figures_col_numerator,
	denominator: m.import_figures_col_denominator,
	count: m.import_figures_col_count,
	comment: m.import_figures_col_comment
};

export function columnTitle(column: FigureColumn, locale?: Locale): string {
	return COLUMN_TITLES[column]({}, locale ? { locale } : undefined);
}

/** Every title a column answers to on upload, in all interface languages. */
export function headerLabels(): Record<FigureColumn, string[]> {
	return Object.fromEntries(
		(Object.keys(COLUMN_TITLES) as FigureColumn[]).map((c) => [c, locales.map((l) => columnTitle(c, l))])
	) as Record<FigureColumn, string[]>;
}

export function channelItemTitle(channel: VolumeChannel): string {
	switch (channel) {
		case 'provider': return m.import_figures_item_provider();
		case 'state_corporation': return m.import_figures_item_state_corporation();
		case 'egov': return m.import_figures_item_egov();
	}
}

export interface MessageContext {
	/** The year chosen on the upload form. */
	year: number;
	maxSize: string;
	maxRows: string;
}

export function problemMessage(p: ImportProblem, ctx: MessageContext): string {
	const value = p.value ?? '';
	switch (p.code) {
		case 'file_too_large': return m.import_figures_p_file_too_large({ size: ctx.maxSize });
		case 'zip_too_large': return m.import_figures_p_zip_too_large();
		case 'zip_ratio': return m.import_figures_p_zip_ratio();
		case 'zip_entries': return m.import_figures_p_zip_entries();
		case 'not_spreadsheet': return m.import_figures_p_not_spreadsheet();
		case 'unreadable': return m.import_figures_p_unreadable();
		case 'no_header': return m.import_figures_p_no_header();
		case 'unknown_column': return m.import_figures_p_unknown_column({ value });
		case 'duplicate_column': return m.import_figures_p_duplicate_column();
		case 'missing_column': return m.import_figures_p_missing_column();
		case 'no_value_columns': return m.import_figures_p_no_value_columns();
		case 'too_many_rows': return m.import_figures_p_too_many_rows({ rows: ctx.maxRows });
		case 'no_rows': return m.import_figures_p_no_rows();
		case 'commit_failed': return m.import_figures_p_commit_failed();
		case 'required': return m.import_figures_p_required();
		case 'year_mismatch': return m.import_figures_p_year_mismatch({ year: ctx.year });
		case 'unknown_org': return m.import_figures_p_unknown_org();
		case 'outside_scope': return m.import_figures_p_outside_scope();
		case 'unknown_service': return m.import_figures_p_unknown_service();
		case 'unknown_item': return m.import_figures_p_unknown_item();
		case 'count_on_indicator': return m.import_figures_p_count_on_indicator();
		case 'ratio_on_volume': return m.import_figures_p_ratio_on_volume();
		case 'duplicate_in_file': return m.import_figures_p_duplicate_in_file({ row: p.detail ?? '' });
		case 'changed_since_preview': return m.import_figures_p_changed_since_preview();
		default: return figureProblemMessage(p.code);
	}
}

export function warningMessage(w: ImportWarning, jumpPoints: number): string {
	return figureWarningMessage(w.code, jumpPoints);
}

/** "25 MB": the upload limit as people read it. */
export function formatBytes(bytes: number, locale: Locale): string {
	const mb = bytes / (1024 * 1024);
	const n = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1 }).format(mb);
	return locale === 'en' ? `${n} MB` : `${n} МБ`;
}

export type BatchStatus = 'previewed' | 'committed' | 'refused' | 'discarded';

export function batchStatusLabel(status: BatchStatus): string {
	switch (status) {
		case 'previewed': return m.import_figures_status_previewed();
		case 'committed': return m.import_figures_status_committed();
		case 'refused': return m.import_figures_status_refused();
		case 'discarded': return m.import_figures_status_discarded();
	}
}
