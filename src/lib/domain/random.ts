/**
 * Deterministic seeded PRNG (mulberry32) for demo data and tests: the same
 * seed must give the same data on every machine, which Math.random cannot.
 * Not cryptographically secure; never use it for tokens or passwords.
 */

export type Rng = {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform integer in [min, max], both inclusive. */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	/** True with probability p (0..1). */
	chance(p: number): boolean;
};

export function createRng(seed: number): Rng {
	if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
	// Coerce to uint32 so fractional or huge seeds still give a stable stream.
	let state = seed >>> 0;

	function next(): number {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	function int(min: number, max: number): number {
		if (!Number.isInteger(min) || !Number.isInteger(max)) {
			throw new RangeError('int bounds must be integers');
		}
		if (min > max) throw new RangeError('min must not exceed max');
		return min + Math.floor(next() * (max - min + 1));
	}

	function pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new RangeError('cannot pick from an empty list');
		return items[int(0, items.length - 1)]!;
	}

	function chance(p: number): boolean {
		if (!(p >= 0 && p <= 1)) throw new RangeError('probability must be within 0..1');
		// Strict < makes chance(0) never true and chance(1) always true, since next() < 1.
		return next() < p;
	}

	return { next, int, pick, chance };
}
