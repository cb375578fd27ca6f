/**
 * Below this many observations a share swings by whole percentage points on a
 * single case, so the value is marked (never hidden) as a small sample.
 */
export const SMALL_SAMPLE_BELOW = 30;

export function isSmallSample(denominator: number | null | undefined): boolean {
	return denominator !== null && denominator !== undefined && denominator > 0 && denominator < SMALL_SAMPLE_BELOW;
}
