import { describe, expect, it } from 'vitest';
import { buildTree, pathTo } from './org-tree';

const rows = [
	{ id: 1, parentId: null, name: 'region' },
	{ id: 2, parentId: 1, name: 'rudny' },
	{ id: 4, parentId: 2, name: 'school b' },
	{ id: 3, parentId: 2, name: 'school a' },
	{ id: 5, parentId: 99, name: 'orphan' }
];

describe('buildTree', () => {
	it('nests children under parents and sorts siblings', () => {
		const roots = buildTree(rows, (a, b) => a.name.localeCompare(b.name));
		expect(roots.map((r) => r.org.name)).toEqual(['orphan', 'region']);
		const rudny = roots[1]!.children[0]!;
		expect(rudny.children.map((c) => c.org.name)).toEqual(['school a', 'school b']);
	});

	it('makes a row whose parent is not visible a root of its own subtree', () => {
		const roots = buildTree(rows.filter((r) => r.id !== 1));
		expect(roots.map((r) => r.org.id).sort()).toEqual([2, 5]);
	});
});

describe('pathTo', () => {
	it('lists ids from the root down to the organization', () => {
		expect(pathTo(rows, 4)).toEqual([1, 2, 4]);
	});
	it('is empty for an unknown id and stops on a cycle', () => {
		expect(pathTo(rows, 42)).toEqual([]);
		expect(pathTo([{ id: 1, parentId: 2 }, { id: 2, parentId: 1 }], 1)).toEqual([2, 1]);
	});
});
