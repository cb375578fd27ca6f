import { waitFor } from '@testing-library/svelte';
import { expect } from 'vitest';

/** Every attribute anywhere under the element that reads NaN (a null drawn as a number). */
export function attributesWithNaN(root: Element): string[] {
	const bad: string[] = [];
	for (const el of root.querySelectorAll('*')) {
		for (const a of el.attributes) if (a.value.includes('NaN')) bad.push(`<${el.tagName} ${a.name}="${a.value}">`);
	}
	return bad;
}

/** LayerChart draws after mount: wait for its SVG. */
export async function chartDrawn(container: Element): Promise<SVGSVGElement> {
	await waitFor(() => expect(container.querySelector('svg.lc-layout-svg')).not.toBeNull());
	return container.querySelector('svg.lc-layout-svg')!;
}

/** The body cells of a data table, row by row, as text. */
export function tableText(table: Element): string[][] {
	return [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent?.replace(/[ \t\n\r]+/g, ' ').trim() ?? ''));
}
