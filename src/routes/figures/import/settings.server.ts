import { getLocale } from '$lib/paraglide/runtime';
import { appConfig } from '$lib/server/config';
import type { ImportSettings } from '$lib/server/services/figures-import';
import { formatBytes, headerLabels } from '$lib/ui/figure-import';

/** The import's limits and rules for this request: configuration, this year, header titles in every language. */
export function importSettings(): ImportSettings {
	const config = appConfig();
	return {
		maxBytes: config.importMaxBytes,
		maxRows: config.importMaxRows,
		jumpPoints: config.jumpWarningPoints,
		asOfYear: new Date().getUTCFullYear(),
		labels: headerLabels()
	};
}

/** "25 МБ" in the reader's language. */
export function maxSizeText(): string {
	return formatBytes(appConfig().importMaxBytes, getLocale());
}
