/** Keys of `next` whose value differs from `current` (arrays compared in order, by value). */
export function changedKeys(current: Record<string, unknown>, next: Record<string, unknown>): string[] {
  return Object.keys(next).filter((k) => next[k] !== undefined && JSON.stringify(current[k] ?? null) !== JSON.stringify(next[k] ?? null));
}

/** The before/after pair of an audit record, limited to what changed. */
export function auditDiff(before: Record<string, unknown>, after: Record<string, unknown>, keys: string[]) {
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])),
  };
}
