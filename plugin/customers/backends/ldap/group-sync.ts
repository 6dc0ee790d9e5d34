import { NoSuchObjectError } from 'ldapts';
import type { RunInTransaction } from '../../../db/transaction.js';
import type { DirectorySession } from './directory.js';
import { allFilter } from './filters.js';
import type { DirectoryGrantRow, GroupGrantsStore } from './group-grants-store.js';
import { normaliseDn } from './mapper.js';
import type { GroupMappingRow, LdapSettings } from './settings.js';

/** Where the groups are searched for when the settings name no group search (unsaved settings on the screen). */
const DEFAULT_GROUP_SEARCH = { filter: '(objectClass=*)', memberAttribute: 'member' };

/**
 * The members of one mapped LDAP group, as normalised DNs; null when the group does not exist (or the
 * group filter excludes it). Binary member values (never expected) are read as UTF-8 rather than crash.
 */
export async function groupMembers(session: DirectorySession, settings: Pick<LdapSettings, 'groupSearch'>, ldapGroupDn: string): Promise<string[] | null> {
  const { filter, memberAttribute } = settings.groupSearch ?? DEFAULT_GROUP_SEARCH;
  try {
    const { entries } = await session.search({ base: ldapGroupDn, scope: 'base', filter: allFilter(filter), attributes: [memberAttribute], sizeLimit: 1, pageSize: 1 });
    const group = entries[0];
    if (!group) return null;
    const values = group.attributes[memberAttribute.toLowerCase()] ?? [];
    return values.map((v) => normaliseDn(Buffer.isBuffer(v) ? v.toString('utf8') : v));
  } catch (err) {
    if (err instanceof NoSuchObjectError) return null;
    throw err;
  }
}

/** A user as the group phase knows them: a shadow row id, or (dry run) a user the run would create. */
export type UserRef = number | `new:${string}`;

export interface GroupDiff {
  add: { ref: UserRef; groupId: number; permission: string }[];
  remove: DirectoryGrantRow[];
}

/**
 * What the mapping grants now against what earlier syncs granted: every member the run knows (or an
 * existing shadow row at that DN) gets each mapped permission in the mapped group; grants no mapping
 * row backs any more are removed. Mapping rows naming a group that no longer exists grant nothing.
 */
export function diffGrants(
  mapping: readonly GroupMappingRow[],
  membersOf: ReadonlyMap<string, string[] | null>,
  groupIds: ReadonlyMap<string, number>,
  refOf: (dn: string) => UserRef | undefined,
  current: readonly DirectoryGrantRow[],
): GroupDiff {
  const desired = new Map<string, { ref: UserRef; groupId: number; permission: string }>();
  for (const row of mapping) {
    const groupId = groupIds.get(row.group.toLowerCase());
    if (groupId === undefined) continue;
    for (const dn of membersOf.get(row.ldapGroupDn) ?? []) {
      const ref = refOf(dn);
      if (ref === undefined) continue;
      for (const permission of row.permissions) desired.set(`${ref}|${groupId}|${permission}`, { ref, groupId, permission });
    }
  }
  const held = new Set(current.map((g) => `${g.customerUserId}|${g.groupId}|${g.permission}`));
  return {
    add: [...desired.entries()].filter(([k]) => !held.has(k)).map(([, g]) => g),
    remove: current.filter((g) => !desired.has(`${g.customerUserId}|${g.groupId}|${g.permission}`)),
  };
}

/** Writes a diff of a real run (every ref is a row id by then) in one transaction. */
export async function applyGrantDiff(deps: { grants: GroupGrantsStore; transaction: RunInTransaction }, backend: string, diff: GroupDiff): Promise<void> {
  const add = diff.add.map((g) => {
    if (typeof g.ref !== 'number') throw new Error(`group grant for an unwritten user ${g.ref}`);
    return { customerUserId: g.ref, groupId: g.groupId, permission: g.permission };
  });
  if (!add.length && !diff.remove.length) return;
  await deps.transaction(async (tx) => {
    await deps.grants.remove(backend, diff.remove, tx);
    await deps.grants.add(backend, add, tx);
  });
}
