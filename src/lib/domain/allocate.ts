/**
 * Splits a whole-number total into whole-number parts proportional to the
 * weights, so that the parts add up to the total exactly (largest-remainder
 * method). Used wherever published totals must be met to the unit.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
	if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0, got ${total}`);
	if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError('weights must be finite and ≥ 0');
	const sum = weights.reduce((a, b) => a + b, 0);
	if (weights.length === 0 || sum === 0) {
		if (total === 0) return weights.map(() => 0);
		throw new RangeError('cannot allocate a positive total over zero weights');
	}
	const exact = weights.map((w) => (total * w) / sum);
	const parts = exact.map(Math.floor);
	let left = total - parts.reduce((a, b) => a + b, 0);
	// Ties go to the earlier index so the result is deterministic.
	const order = exact
		.map((x, i) => ({ i, r: x - Math.floor(x) }))
		.sort((a, b) => b.r - a.r || a.i - b.i);
	for (const { i } of order) {
		if (left === 0) break;
		if (weights[i]! > 0) {
			parts[i]! += 1;
			left -= 1;
		}
	}
	return parts;
}
