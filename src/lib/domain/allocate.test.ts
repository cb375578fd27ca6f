import { describe, expect, it } from 'vitest';
import { allocate } from './allocate';

describe('allocate', () => {
	it.each([
		[8926, [2475, 269, 6182], [2475, 269, 6182]],
		[10, [1, 1, 1], [4, 3, 3]],
		[7, [0, 1, 0], [0, 7, 0]],
		[0, [3, 2], [0, 0]],
		[100, [0.5, 0.25, 0.25], [50, 25, 25]]
	])('splits %i over %j into %j, summing exactly', (total, weights, expected) => {
		const parts = allocate(total, weights);
		expect(parts).toEqual(expected);
		expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
	});

	it('never gives a part to a zero weight', () => {
		expect(allocate(5, [0, 1, 1])[0]).toBe(0);
	});

	it('refuses a positive total over no weight and negative input', () => {
		expect(() => allocate(3, [0, 0])).toThrow(RangeError);
		expect(() => allocate(-1, [1])).toThrow(RangeError);
		expect(() => allocate(1.5, [1])).toThrow(RangeError);
	});
});
