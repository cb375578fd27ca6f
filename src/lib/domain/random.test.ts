import { describe, it, expect } from 'vitest';
import { createRng } from './random';

const take = (seed: number, n: number) => {
	const rng = createRng(seed);
	return Array.from({ length: n }, () => rng.next());
};

describe('createRng: determinism', () => {
	it.each([0, 1, 42, 2024, 0xffffffff])('seed %s gives the same sequence every time', (seed) => {
		expect(take(seed, 50)).toEqual(take(seed, 50));
	});

	it.each<[number, number]>([
		[1, 2],
		[0, 1],
		[42, 43],
		[2024, 2025]
	])('seeds %s and %s give different sequences', (a, b) => {
		expect(take(a, 10)).not.toEqual(take(b, 10));
	});

	it('matches the reference mulberry32 output for seed 1', () => {
		// Pinned so a refactor cannot silently change every generated demo data set.
		expect(take(1, 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
	});

	it('does not repeat within a short run', () => {
		const xs = take(7, 1000);
		expect(new Set(xs).size).toBe(1000);
	});
});

describe('createRng: ranges', () => {
	it('next() stays in [0, 1)', () => {
		for (const x of take(99, 10000)) {
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
		}
	});

	it.each<[number, number]>([
		[1, 6],
		[-3, 3],
		[0, 0],
		[100, 101]
	])('int(%s, %s) is inclusive and reaches both ends', (min, max) => {
		const rng = createRng(5);
		const seen = new Set<number>();
		for (let i = 0; i < 2000; i++) {
			const v = rng.int(min, max);
			expect(Number.isInteger(v)).toBe(true);
			expect(v).toBeGreaterThanOrEqual(min);
			expect(v).toBeLessThanOrEqual(max);
			seen.add(v);
		}
		expect(seen.size).toBe(max - min + 1);
	});

	it('pick returns every item eventually and only items from the list', () => {
		const rng = createRng(11);
		const items = ['kk', 'ru', 'en'] as const;
		const seen = new Set<string>();
		for (let i = 0; i < 300; i++) {
			const v = rng.pick(items);
			expect(items).toContain(v);
			seen.add(v);
		}
		expect(seen.size).toBe(3);
	});

	it.each<[number, (hits: number) => boolean]>([
		[0, (h) => h === 0],
		[1, (h) => h === 10000],
		[0.25, (h) => h > 2300 && h < 2700]
	])('chance(%s) hits at the expected rate', (p, ok) => {
		const rng = createRng(3);
		let hits = 0;
		for (let i = 0; i < 10000; i++) if (rng.chance(p)) hits++;
		expect(ok(hits)).toBe(true);
	});

	it.each<[string, () => unknown]>([
		['int with min > max', () => createRng(1).int(5, 1)],
		['int with fractional bounds', () => createRng(1).int(0.5, 2)],
		['pick from an empty list', () => createRng(1).pick([])],
		['chance above 1', () => createRng(1).chance(1.5)],
		['chance below 0', () => createRng(1).chance(-0.1)],
		['chance NaN', () => createRng(1).chance(NaN)],
		['non-finite seed', () => createRng(NaN)]
	])('throws RangeError for %s', (_name, fn) => {
		expect(fn).toThrow(RangeError);
	});
});
