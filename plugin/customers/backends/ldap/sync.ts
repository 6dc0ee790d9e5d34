import { principalKey } from '../../../access/actor.js';
import type { RunInTransaction } from '../../../db/transaction.js';
import { toDbTime } from '../../../db/values.js';
import type { Directory } from './directory.js';
import { allFilter } from './filters.js';
import type { GroupGrantsStore } from './group-grants-store.js';
import { applyGrantDiff, diffGrants, groupMembers, type UserRef } from './group-sync.js';
import { mapEntry, normaliseDn } from './mapper.js';
import { LIST_CAP, type SyncCounts, type SyncProgress, type SyncReport } from './operation-types.js';
import { mappedAttributes, type LdapSettings } from './settings.js';
import type { ShadowStore } from './shadow-store.js';
import type { EntryPlan, ShadowWriter } from './shadow-writer.js';

export interface SyncDeps {
  shadows: ShadowStore;
  writer: ShadowWriter;
  grants: GroupGrantsStore;
  groups: { findManyByName(names: readonly string[]): Promise<{ id: number; name: string }[]> };
  transaction: RunInTransaction;
  endSessions: (principalKey: string) => Promise<unknown>;
}

export interface SyncRun {
  key: string;
  settings: LdapSettings;
  directory: Directory;
  dryRun: boolean;
  force: boolean;
  startedAt: string;
  /** After every page and phase; the caller renews its lease here (and may stop the run by throwing). */
  onProgress: (progress: Pick<SyncProgress, 'phase' | 'entries' | 'counts'>) => Promise<void>;
}

/** What the run knows of an entry it took over: who it is (a row, or one a dry run would create) and its manager. */
interface Known {
  ref: UserRef;
  managerDn: string | null;
  currentManager: number | null;
}

const emptyCounts = (): SyncCounts => ({ entries: 0, created: 0, updated: 0, unchanged: 0, reactivated: 0, deactivated: 0, conflicts: 0, skipped: 0, managersLinked: 0, groupGrantsAdded: 0, groupGrantsRemoved: 0 });

/** Manager changes are written in transactions of this many rows. */
const MANAGER_BATCH = 500;

/**
 * One sync of a directory backend. A dry run plans exactly what a real run writes and writes nothing
 * (not even seen marks), so both report the same counts. Users: a paged search of the always-filter,
 * each page mapped, planned (logins claimed across pages) and written in one transaction. Then the
 * managers and the group grants, computed from what the run saw in both modes. Last the deactivations:
 * valid users the run did not see, unless that is more than the allowed share (refused without force)
 * or the directory listed nobody at all (always refused: a wrong base DN is no proof of absence).
 * A directory failure throws before anything is deactivated or any grant is removed.
 */
export async function runSync(deps: SyncDeps, run: SyncRun): Promise<SyncReport> {
  const { key, settings, dryRun } = run;
  const counts = emptyCounts();
  const report: SyncReport = {
    backend: key,
    dryRun,
    startedAt: run.startedAt,
    finishedAt: run.startedAt,
    counts,
    refused: null,
    lists: { created: [], updated: [], reactivated: [], deactivated: [], conflicts: [], skipped: [] },
    more: {},
  };
  const list = <K extends keyof SyncReport['lists']>(name: K, item: SyncReport['lists'][K][number]) => {
    const target = report.lists[name] as SyncReport['lists'][K][number][];
    if (target.length < LIST_CAP) target.push(item);
    else report.more[name] = (report.more[name] ?? 0) + 1;
  };
  const known = new Map<string, Known>();
  const seenIds = new Set<number>();
  const claimed = new Map<string, string>();

  function take(plans: EntryPlan[], ids: Map<string, number> | null): void {
    for (const { entry, action, reason, existing } of plans) {
      if (action === 'conflict') {
        counts.conflicts++;
        list('conflicts', { dn: entry.dn, login: entry.login, reason: reason ?? 'conflict' });
        continue;
      }
      if (action === 'skipped') {
        counts.skipped++;
        list('skipped', { dn: entry.dn, reason: reason ?? 'skipped' });
        continue;
      }
      if (action === 'unchanged') counts.unchanged++;
      else {
        const name = action === 'create' ? 'created' : action === 'update' ? 'updated' : 'reactivated';
        counts[name]++;
        list(name, entry.login!);
      }
      if (existing) seenIds.add(existing.id);
      const ref: UserRef = ids ? ids.get(entry.directoryId!)! : (existing?.id ?? `new:${entry.directoryId!}`);
      known.set(normaliseDn(entry.dn), { ref, managerDn: entry.managerDn ? normaliseDn(entry.managerDn) : null, currentManager: existing?.managerId ?? null });
    }
  }

  // Users, and the members of the mapped groups, in one directory session.
  const membersOf = await run.directory.withSession(async (session) => {
    const request = { base: settings.baseDn, scope: settings.scope, filter: allFilter(settings.filter), attributes: mappedAttributes(settings), sizeLimit: 0, pageSize: settings.pageSize };
    await session.searchPages(request, async (page) => {
      const mapped = page.map((e) => mapEntry(e, settings));
      if (dryRun) take(await deps.writer.plan(key, mapped, { claimed }), null);
      else {
        const { plans, ids } = await deps.transaction(async (tx) => {
          const planned = await deps.writer.plan(key, mapped, { tx, claimed });
          return { plans: planned, ids: await deps.writer.apply(key, settings.map, planned, run.startedAt, tx) };
        });
        take(plans, ids);
      }
      counts.entries += page.length;
      await run.onProgress({ phase: 'users', entries: counts.entries, counts });
    });
    await run.onProgress({ phase: 'groups', entries: counts.entries, counts });
    const members = new Map<string, string[] | null>();
    for (const row of settings.groupMapping) members.set(row.ldapGroupDn, await groupMembers(session, settings, row.ldapGroupDn));
    return members;
  });

  // Rows the run did not see but a manager or group member DN points at (users outside this listing).
  const outsideDns = [...known.values()].map((k) => k.managerDn).filter((dn): dn is string => dn !== null && !known.has(dn));
  for (const dns of membersOf.values()) for (const dn of dns ?? []) if (!known.has(dn)) outsideDns.push(dn);
  const outside = new Map((await deps.shadows.byDns(key, outsideDns)).map((r) => [r.dn!, r.id]));
  const refOf = (dn: string): UserRef | undefined => known.get(dn)?.ref ?? outside.get(dn);

  if (settings.managerAttribute) {
    const changes: { id: UserRef; managerId: UserRef | null }[] = [];
    for (const k of known.values()) {
      const target = k.managerDn ? (refOf(k.managerDn) ?? null) : null;
      if (target !== k.currentManager && target !== k.ref) changes.push({ id: k.ref, managerId: target });
    }
    counts.managersLinked = changes.length;
    if (!dryRun) {
      for (let i = 0; i < changes.length; i += MANAGER_BATCH) {
        await deps.transaction(async (tx) => {
          for (const c of changes.slice(i, i + MANAGER_BATCH)) await deps.shadows.setManager(Number(c.id), c.managerId === null ? null : Number(c.managerId), tx);
        });
      }
    }
  }

  const groupIds = new Map((await deps.groups.findManyByName([...new Set(settings.groupMapping.map((g) => g.group))])).map((g) => [g.name.toLowerCase(), g.id]));
  const diff = diffGrants(settings.groupMapping, membersOf, groupIds, refOf, await deps.grants.forBackend(key));
  counts.groupGrantsAdded = diff.add.length;
  counts.groupGrantsRemoved = diff.remove.length;
  if (!dryRun) await applyGrantDiff(deps, key, diff);

  await run.onProgress({ phase: 'deactivations', entries: counts.entries, counts });
  const unseen = (await deps.shadows.unseenValid(key, run.startedAt)).filter((r) => !seenIds.has(r.id));
  const validUsers = await deps.shadows.countValid(key);
  unseen.forEach((r) => list('deactivated', r.login));
  const tooMany = unseen.length > settings.maxDeactivateShare * validUsers && !run.force;
  if (unseen.length && (tooMany || counts.entries === 0)) {
    report.refused = { reason: 'too-many-deactivations', wouldDeactivate: unseen.length, validUsers, maxShare: settings.maxDeactivateShare };
  } else if (unseen.length) {
    counts.deactivated = unseen.length;
    if (!dryRun) {
      const ids = unseen.map((r) => r.id);
      await deps.transaction((tx) => deps.shadows.markMissing(ids, toDbTime(), tx));
      // After the commit: a session ending for a change that rolled back would be a needless logout.
      for (const id of ids) await deps.endSessions(principalKey({ type: 'customer-user', id }));
    }
  }
  report.finishedAt = toDbTime();
  return report;
}
