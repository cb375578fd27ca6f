/**
 * Kazakhstan BIN (business identification number) / IIN (individual
 * identification number): 12 digits, the last being a mod-11 check digit.
 * Both share the same check-digit scheme, so one validator serves both.
 */

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
// Used only when the first pass yields 10, which cannot be a single digit.
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

const ELEVEN_DIGITS = /^[0-9]{11}$/;
const TWELVE_DIGITS = /^[0-9]{12}$/;

function weightedMod11(digits: readonly number[], weights: readonly number[]): number {
	let sum = 0;
	for (let i = 0; i < weights.length; i++) sum += digits[i]! * weights[i]!;
	return sum % 11;
}

/**
 * Check digit for the first 11 digits, or null when the input is malformed or
 * when both passes give 10: such prefixes have no valid BIN at all.
 */
export function binCheckDigit(first11: string): number | null {
	// Regex rather than Number(): Number accepts spaces, signs, "1e5" and the like.
	if (!ELEVEN_DIGITS.test(first11)) return null;
	const digits = Array.from(first11, (ch) => ch.charCodeAt(0) - 48);
	const first = weightedMod11(digits, FIRST_WEIGHTS);
	if (first !== 10) return first;
	const second = weightedMod11(digits, SECOND_WEIGHTS);
	return second === 10 ? null : second;
}

export function isValidBin(s: string): boolean {
	if (!TWELVE_DIGITS.test(s)) return false;
	const check = binCheckDigit(s.slice(0, 11));
	return check !== null && check === s.charCodeAt(11) - 48;
}

/** Completes an 11-digit prefix into a valid BIN; mainly for fixtures and demo data. */
export function makeBin(first11: string): string | null {
	const check = binCheckDigit(first11);
	return check === null ? null : first11 + String(check);
}
