import type { CategoryTree } from '../category-service.js';
import type { Category } from '../schema.js';

/** One category in tree order, with its depth: the selects indent by it, the tree page nests by it. */
export interface CategoryOption {
  slug: string;
  name: string;
  depth: number;
  parent: string | null;
  group: string | null;
  position: number;
  validity: Category['validity'];
}

/** The categories depth first, each parent before its children, siblings by position then name. */
export function categoryOptions(tree: CategoryTree): CategoryOption[] {
  const options: CategoryOption[] = [];
  const seen = new Set<number>();
  const visit = (parentId: number | null, depth: number): void => {
    const parent = parentId === null ? null : (tree.byId.get(parentId)?.slug ?? null);
    for (const c of tree.children(parentId)) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      options.push({ slug: c.slug, name: c.name, depth, parent, group: c.group, position: c.position, validity: c.validity });
      visit(c.id, depth + 1);
    }
  };
  visit(null, 0);
  return options;
}

/** A select option's text, indented by depth with no-break spaces (silent for screen readers). */
export const indentedName = (option: CategoryOption): string => `${'\u00a0'.repeat(option.depth * 4)}${option.name}`;
