import { describe, it, expect } from 'vitest';
import { binCheckDigit, isValidBin, makeBin } from './bin';

// Check digits computed independently (by hand / a separate script).
const VALID: Array<[string, string]> = [
	['first pass: legal-entity BIN 0405-4-0-00012', '040540000123'],
	['first pass: BIN 9901-4-0-00038', '990140000384'],
	['first pass: IIN-shaped 850715-3-00012', '850715300122'],
	['first pass: all zeros', '000000000000'],
	['second pass (first gives 10): 1203-4-0-00567', '120340005670'],
	['second pass (first gives 10): 12345678901', '123456789013'],
	['second pass (first gives 10): 10054000094', '100540000941']
];

describe('isValidBin', () => {
	it.each(VALID)('accepts %s', (_name, bin) => {
		expect(isValidBin(bin)).toBe(true);
	});

	it.each<[string, string]>([
		['empty string', ''],
		['11 digits', '04054000012'],
		['13 digits', '0405400001230'],
		['letters', '04054000012A'],
		['letter in the middle', '0405A0000123'],
		['spaces around', ' 040540000123'],
		['inner space', '040540 00123'],
		['sign', '+40540000123'],
		['exponent notation', '4.0540000e12'],
		['non-ASCII digits', '٠٤٠٥٤٠٠٠٠١٢٣'],
		['wrong check digit (off by one)', '040540000124'],
		['wrong check digit on a second-pass number', '120340005671'],
		['transposed digits', '400540000123'],
		['prefix with no possible check digit, any last digit', '100540000930']
	])('rejects %s', (_name, bin) => {
		expect(isValidBin(bin)).toBe(false);
	});

	it('accepts exactly one last digit for each completable prefix', () => {
		const prefix = '04054000012';
		const accepted = [...'0123456789'].filter((d) => isValidBin(prefix + d));
		expect(accepted).toEqual(['3']);
	});

	it('accepts no last digit for a prefix where both passes give 10', () => {
		const accepted = [...'0123456789'].filter((d) => isValidBin('10054000093' + d));
		expect(accepted).toEqual([]);
	});
});

describe('binCheckDigit', () => {
	it.each<[string, number | null]>([
		['04054000012', 3],
		['12034000567', 0],
		['12345678901', 3],
		['10054000093', null],
		['0405400001', null],
		['040540000123', null],
		['0405400001x', null]
	])('%s -> %s', (first11, expected) => {
		expect(binCheckDigit(first11)).toBe(expected);
	});
});

describe('makeBin', () => {
	it.each(VALID)('rebuilds %s from its first 11 digits', (_name, bin) => {
		expect(makeBin(bin.slice(0, 11))).toBe(bin);
	});

	it.each<[string, string]>([
		['no check digit exists', '10054000093'],
		['too short', '123'],
		['not digits', 'abcdefghijk']
	])('returns null when %s', (_name, first11) => {
		expect(makeBin(first11)).toBeNull();
	});

	it('always produces numbers that validate', () => {
		let made = 0;
		for (let i = 0; i < 2000; i++) {
			const prefix = String(i * 7919 + 10000000000).slice(-11);
			const bin = makeBin(prefix);
			if (bin !== null) {
				made++;
				expect(isValidBin(bin)).toBe(true);
			}
		}
		// Only prefixes where both passes give 10 (about 1 in 121) cannot be completed.
		expect(made).toBeGreaterThan(1900);
	});
});
