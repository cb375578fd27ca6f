/**
 * The organization tree from flat rows. A row whose parent is not among the
 * rows becomes a root: a person who sees only a subtree gets that subtree's
 * top as a root, never a dangling branch.
 */
export interface TreeRow {
	id: number;
	parentId: number | null;
}

export interface TreeNode<T extends TreeRow> {
	org: T;
	children: TreeNode<T>[];
}

export function buildTree<T extends TreeRow>(rows: readonly T[], order: (a: T, b: T) => number = () => 0): TreeNode<T>[] {
	const nodes = new Map<number, TreeNode<T>>(rows.map((r) => [r.id, { org: r, children: [] }]));
	const roots: TreeNode<T>[] = [];
	for (const node of nodes.values()) {
		const parent = node.org.parentId === null ? undefined : nodes.get(node.org.parentId);
		(parent ? parent.children : roots).push(node);
	}
	const sort = (list: TreeNode<T>[]) => {
		list.sort((a, b) => order(a.org, b.org));
		for (const n of list) sort(n.children);
	};
	sort(roots);
	return roots;
}

/** Ids from the root down to and including `id` (empty when unknown). */
export function pathTo<T extends TreeRow>(rows: readonly T[], id: number): number[] {
	const byId = new Map(rows.map((r) => [r.id, r]));
	const path: number[] = [];
	const seen = new Set<number>();
	for (let cur = byId.get(id); cur && !seen.has(cur.id); cur = cur.parentId === null ? undefined : byId.get(cur.parentId)) {
		seen.add(cur.id);
		path.unshift(cur.id);
	}
	return path;
}
