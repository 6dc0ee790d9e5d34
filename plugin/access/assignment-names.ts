import type { Tx } from '../db/transaction.js';
import { ruleViolation } from '../errors.js';
import type { CatalogueStore } from './catalogue/store.js';
import type { GroupAssignments } from './groups/schema.js';
import type { GroupStore } from './groups/store.js';

/** The first of each key, in order. */
function distinctBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Group, permission-type and service names as requests send them, turned into stored ids; an unknown
 * name is a 422 naming the entry's position, so a form or a script can point at it.
 */
export function createNameChecks(deps: { groups: GroupStore; catalogue: CatalogueStore }) {
  /** Names → ids, refusing unknown groups and permission types with 422 naming the entry. */
  async function checkGroups(groups: GroupAssignments['groups'], tx?: Tx): Promise<{ groupId: number; group: string; permission: string }[]> {
    const found = new Map((await deps.groups.groups.findManyByName(groups.map((g) => g.group), tx)).map((g) => [g.name.toLowerCase(), g]));
    const types = new Set((await deps.groups.permissionTypes(tx)).map((t) => t.name));
    const grants = groups.flatMap((entry, i) => {
      const group = found.get(entry.group.toLowerCase());
      if (!group) throw ruleViolation(`groups.${i}.group: there is no group ${entry.group}.`, `groups.${i}.group`, 'unknown_group');
      const unknown = entry.permissions.find((p) => !types.has(p));
      if (unknown !== undefined) throw ruleViolation(`groups.${i}.permissions: there is no permission type ${unknown}.`, `groups.${i}.permissions`, 'unknown_permission');
      return entry.permissions.map((permission) => ({ groupId: group.id, group: group.name, permission }));
    });
    // One group listed twice (also as `IT` and `it`) merges instead of tripping the primary key.
    return distinctBy(grants, (g) => `${g.groupId}:${g.permission}`);
  }

  async function checkServices(names: readonly string[], tx?: Tx): Promise<{ id: number; name: string }[]> {
    const found = new Map((await deps.catalogue.services.findManyByName(names, tx)).map((s) => [s.name.toLowerCase(), s]));
    // Checked before de-duplicating, so the field names the entry's position as sent.
    const checked = names.map((name, i) => {
      const service = found.get(name.toLowerCase());
      if (!service) throw ruleViolation(`services.${i}: there is no service ${name}.`, `services.${i}`, 'unknown_service');
      return { id: service.id, name: service.name };
    });
    return distinctBy(checked, (s) => String(s.id));
  }

  return { checkGroups, checkServices };
}

export type NameChecks = ReturnType<typeof createNameChecks>;
