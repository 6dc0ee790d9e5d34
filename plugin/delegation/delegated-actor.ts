import type { Actor, ActiveDelegation } from '../access/actor.js';

/** Permission types held for a group, `rw` standing for every type (as hasGroupPermission reads it). */
function holds(index: Readonly<Record<string, readonly string[]>>, group: string, type: string): boolean {
  const held = index[group] ?? [];
  return held.includes(type) || held.includes('rw');
}

/**
 * Group permissions of a delegate: only what both their own account holds and a member of the
 * organisation they work in would hold. A delegation never lifts anybody above their own rights.
 */
export function intersectPermissions(own: Readonly<Record<string, readonly string[]>>, delegated: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const group of Object.keys(own)) {
    if (!(group in delegated)) continue;
    const types = [...new Set([...(own[group] ?? []), ...(delegated[group] ?? [])])];
    const kept = types.filter((type) => holds(own, group, type) && holds(delegated, group, type));
    if (kept.length) result[group] = kept;
  }
  return result;
}

/**
 * The person working in another organisation: tenant, customers and key-user marks are the delegated
 * organisation's alone (role `key-user` makes them key user of it, nothing more); own reports and holiday
 * cover stay at home; the real login stays, so every record names the real person.
 */
export function delegatedActor(own: Actor, delegation: ActiveDelegation, memberPermissions: Readonly<Record<string, readonly string[]>>): Actor {
  const keyUser = delegation.role === 'key-user';
  return {
    ...own,
    roles: keyUser ? ['customer', 'key-user'] : ['customer'],
    customerIds: [delegation.customerId],
    keyUserOf: keyUser ? [delegation.customerId] : [],
    groupPermissions: intersectPermissions(own.groupPermissions, memberPermissions),
    effectiveCustomerId: delegation.customerId,
    delegation,
    deputyFor: [],
  };
}
