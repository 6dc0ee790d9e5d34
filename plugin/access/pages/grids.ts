import type { Validity } from '../../agents/schema.js';
import type { GroupAssignments } from '../groups/schema.js';
import type { NamedEntry } from '../groups/store.js';
import { grantValue } from './forms.js';

/** One checkbox of a grid or list; `id` is unique on the page (the prefix names the grid). */
export interface Checkbox {
  id: string;
  value: string;
  checked: boolean;
}

export interface GridRow {
  group: string;
  validity: Validity | null;
  cells: (Checkbox & { permission: string })[];
}

export interface GroupGrid {
  prefix: string;
  types: string[];
  rows: GridRow[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * Group × permission type with the owner's grants ticked. Every listed group gets a row; a granted
 * group missing from the list (a list cut short) still gets one, so saving never drops a grant unseen.
 */
export function groupGrid(prefix: string, groups: readonly NamedEntry[], grants: GroupAssignments['groups'], types: readonly string[]): GroupGrid {
  const held = new Map(grants.map((g) => [lower(g.group), new Set(g.permissions)]));
  const listed = new Set(groups.map((g) => lower(g.name)));
  const entries: { name: string; validity: Validity | null }[] = [
    ...groups.map((g) => ({ name: g.name, validity: g.validity })),
    ...grants.filter((g) => !listed.has(lower(g.group))).map((g) => ({ name: g.group, validity: null })),
  ];
  return {
    prefix,
    types: [...types],
    rows: entries.map((entry, i) => ({
      group: entry.name,
      validity: entry.validity,
      cells: types.map((permission) => ({
        id: `${prefix}-${i}-${permission}`,
        value: grantValue(permission, entry.name),
        permission,
        checked: held.get(lower(entry.name))?.has(permission) ?? false,
      })),
    })),
  };
}

export interface ServiceChoice extends Checkbox {
  name: string;
  validity: Validity | null;
}

/** Every service with the owner's ticked; assigned ones missing from the list are kept as well. */
export function serviceChecklist(prefix: string, services: readonly NamedEntry[], assigned: readonly string[]): ServiceChoice[] {
  const ticked = new Set(assigned.map(lower));
  const listed = new Set(services.map((s) => lower(s.name)));
  const entries: { name: string; validity: Validity | null }[] = [
    ...services.map((s) => ({ name: s.name, validity: s.validity })),
    ...assigned.filter((name) => !listed.has(lower(name))).map((name) => ({ name, validity: null })),
  ];
  return entries.map((entry, i) => ({ id: `${prefix}-${i}`, value: entry.name, name: entry.name, validity: entry.validity, checked: ticked.has(lower(entry.name)) }));
}

/** The grants of a grid as a read-only list: group and the types held. */
export const grantedRows = (grants: GroupAssignments['groups']) => grants.filter((g) => g.permissions.length > 0);
