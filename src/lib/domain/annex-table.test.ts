import { describe, expect, it } from 'vitest';
import { annexTable, rollUpAnnex, type AnnexPart } from './annex-table';

const group = (n: number) => ({ code: `g${n}`, number: n, title: { kk: `Топ ${n}`, ru: `Группа ${n}`, en: null } });
const part = (code: string, counts: [number, number] | null, normative: number | null, next: number | null = normative, nextStatus: 'draft' | 'approved' = 'approved'): AnnexPart => ({
	code, group: group(Number(code[0])), title: { kk: `${code} kk`, ru: `${code} ru`, en: null }, polarity: 'higher_is_better',
	normative, target: null, nextTarget: next === null ? null : { value: next, status: nextStatus },
	counts: counts ? { numerator: counts[0], denominator: counts[1] } : null
});

describe('rolling annexes up', () => {
	it('one part is the annex as it is', () => {
		const [r] = rollUpAnnex([[part('1.1', [99, 100], 100)]]);
		expect(r).toMatchObject({ code: '1.1', value: 99, normative: 100, nextTarget: 100, parts: 1, assessment: { status: 'breach' } });
	});

	it('sums numerators and denominators, weights references by cases, marks a draft next target', () => {
		const [r] = rollUpAnnex([[part('3.1', [198, 200], 99)], [part('3.1', [100, 100], 96, 97, 'draft')]]);
		expect(r!.counts).toEqual({ numerator: 298, denominator: 300 });
		expect(r!.value).toBeCloseTo(99.3333333, 6);
		// (200 × 99 + 100 × 96) / 300 = 98
		expect(r!.normative).toBe(98);
		expect(r!.nextTarget).toBe(98.333333);
		expect(r!.nextTargetDraft).toBe(true);
		expect(r!.assessment.status).toBe('meets_normative');
	});

	it('has no reference when a valued part lacks one, and keeps a shared one when nothing is valued', () => {
		expect(rollUpAnnex([[part('1.1', [1, 2], 100)], [part('1.1', [1, 2], null)]])[0]!.normative).toBeNull();
		expect(rollUpAnnex([[part('1.1', null, 100)], [part('1.1', null, 100)]])[0]).toMatchObject({ normative: 100, value: null, counts: null });
	});

	it('lays the table out with a heading row before each group', () => {
		const rows = annexTable(rollUpAnnex([[part('1.1', null, 1), part('1.2', null, 1), part('2.1', null, 1)]]));
		expect(rows.map((r) => (r.kind === 'group' ? `g${r.number}` : r.code))).toEqual(['g1', '1.1', '1.2', 'g2', '2.1']);
	});
});
