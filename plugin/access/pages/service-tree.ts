import type { NamedEntry } from '../groups/store.js';

export interface ServiceNode {
  name: string;
  /** The last segment: what the tree shows, the rest being the indentation. */
  label: string;
  entry: NamedEntry;
  children: ServiceNode[];
}

const parentOf = (name: string): string | null => (name.includes('::') ? name.slice(0, name.lastIndexOf('::')) : null);

/**
 * The catalogue as a tree by `::`. Sorting by name alone would not do: `IT Support` sorts between `IT`
 * and `IT::Email`. A service whose parent is not in the list (a list cut short) becomes a root, shown
 * with its full name so nothing hides.
 */
export function serviceTree(entries: readonly NamedEntry[]): ServiceNode[] {
  const nodes = new Map(entries.map((entry) => [entry.name.toLowerCase(), { name: entry.name, label: entry.name, entry, children: [] as ServiceNode[] }]));
  const roots: ServiceNode[] = [];
  for (const node of nodes.values()) {
    const parentName = parentOf(node.name);
    const parent = parentName === null ? undefined : nodes.get(parentName.toLowerCase());
    if (parent) {
      node.label = node.name.slice(parentName!.length + 2);
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  const sort = (list: ServiceNode[]) => {
    list.sort((a, b) => a.label.localeCompare(b.label));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}
