import type { Category } from '../schema.js';

export interface CategoryNode {
  slug: string;
  name: string;
  count: number;
  children: CategoryNode[];
}

/**
 * The categories a reader sees, nested for the home page. The input is already in display order
 * (position, then name). A category whose parent the reader cannot see is shown at the top level, so
 * nothing the reader may read becomes unreachable.
 */
export function categoryForest(visible: readonly { category: Category; count: number }[]): CategoryNode[] {
  const nodes = new Map(visible.map(({ category, count }) => [category.id, { slug: category.slug, name: category.name, count, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const { category } of visible) {
    const node = nodes.get(category.id)!;
    const parent = category.parentId === null ? undefined : nodes.get(category.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
