import type { Tx } from '../../../db/transaction.js';
import { isBuiltIn, type FieldMap } from '../../field-map.js';
import { searchTermsFor, writeOf } from '../db/backend.js';
import type { CustomerUserStore } from '../db/store.js';
import { normaliseDn, type MappedEntry } from './mapper.js';
import type { ShadowRow, ShadowStore } from './shadow-store.js';

export type PlanAction = 'create' | 'update' | 'reactivate' | 'unchanged' | 'conflict' | 'skipped';

export interface EntryPlan {
  entry: MappedEntry;
  action: PlanAction;
  /** Why a conflict or skip: login-taken, duplicate-login, unknown-customer, or the entry's problems. */
  reason?: string;
  existing?: ShadowRow;
}

/**
 * The map as the shadow row stores it: built-in fields in their columns, custom fields in the extra
 * JSON under their key (a directory attribute name is no column name).
 */
export const storageMapOf = (map: FieldMap): FieldMap => map.map((row) => (isBuiltIn(row.key) ? row : { ...row, storage: `extra.${row.key}` }));

/**
 * Plans and writes directory entries into shadow rows. Identity is the directory id; a login is unique
 * across Loket, so an entry whose login another user (another backend, or another entry) holds is a
 * conflict and is listed, never merged. Entries that cannot be users (no id, no login, no customer,
 * missing required fields) are skipped and listed.
 */
export function createShadowWriter(deps: { shadows: ShadowStore; users: CustomerUserStore }) {
  /**
   * `claimed` carries logins already planned earlier in the same run (a paged sync), so the second
   * entry with a login the directory holds twice is a conflict.
   */
  async function plan(backend: string, entries: MappedEntry[], opts: { tx?: Tx; claimed?: Map<string, string> } = {}): Promise<EntryPlan[]> {
    const usable = entries.filter((e) => !e.problems.length);
    const [byId, byLogin, customers] = await Promise.all([
      deps.shadows.byDirectoryIds(backend, usable.map((e) => e.directoryId!), opts.tx),
      deps.shadows.byLogins(usable.map((e) => e.login!), opts.tx),
      deps.shadows.existingCustomerIds(usable.map((e) => e.customerId!), opts.tx),
    ]);
    const existingById = new Map(byId.map((r) => [r.directoryId!, r]));
    const holderOf = new Map(byLogin.map((r) => [r.login, r]));
    const claimed = opts.claimed ?? new Map<string, string>();
    const inBatch = new Map<string, number>();
    for (const e of usable) inBatch.set(e.login!, (inBatch.get(e.login!) ?? 0) + 1);

    return entries.map((entry): EntryPlan => {
      if (entry.problems.length) return { entry, action: 'skipped', reason: entry.problems.join(', ') };
      const login = entry.login!;
      const existing = existingById.get(entry.directoryId!);
      const holder = holderOf.get(login);
      const otherClaim = claimed.get(login);
      if ((otherClaim !== undefined && otherClaim !== entry.directoryId) || (inBatch.get(login) ?? 0) > 1) {
        claimed.set(login, otherClaim ?? entry.directoryId!);
        return { entry, action: 'conflict', reason: 'duplicate-login', ...(existing ? { existing } : {}) };
      }
      claimed.set(login, entry.directoryId!);
      if (holder && holder.id !== existing?.id) {
        return { entry, action: 'conflict', reason: holder.source === backend ? 'login-taken' : `login-taken:${holder.source}`, ...(existing ? { existing } : {}) };
      }
      if (!customers.has(entry.customerId!)) return { entry, action: 'conflict', reason: 'unknown-customer', ...(existing ? { existing } : {}) };
      if (!existing) return { entry, action: 'create' };
      if (existing.missingAt) return { entry, action: 'reactivate', existing };
      return { entry, action: existing.hash === entry.hash ? 'unchanged' : 'update', existing };
    });
  }

  /**
   * Writes the planned creates, updates and reactivations (conflicts and skips write nothing) inside
   * `tx`, marks everything planned as seen when `seenAt` is given, and answers directory id → row id.
   */
  async function apply(backend: string, map: FieldMap, plans: EntryPlan[], seenAt: string | null, tx: Tx): Promise<Map<string, number>> {
    const storageMap = storageMapOf(map);
    const ids = new Map<string, number>();
    const seen: number[] = [];
    for (const p of plans) {
      const { entry } = p;
      if (p.action === 'conflict' || p.action === 'skipped') continue;
      if (p.action === 'unchanged') {
        ids.set(entry.directoryId!, p.existing!.id);
        seen.push(p.existing!.id);
        continue;
      }
      const write = {
        ...writeOf(storageMap, entry.fields),
        emailUnique: null,
        directory: { id: entry.directoryId!, dn: normaliseDn(entry.dn), hash: entry.hash, ...(seenAt ? { seenAt } : {}), ...(p.action === 'reactivate' ? { missingAt: null } : {}) },
        ...(p.action === 'reactivate' ? { validity: 'valid' as const } : {}),
      };
      const terms = searchTermsFor(map, entry.fields);
      if (p.action === 'create') {
        const id = await deps.users.insert(entry.login!, { ...write, source: backend, validity: 'valid' }, terms, tx);
        ids.set(entry.directoryId!, id);
      } else {
        await deps.users.update(p.existing!.id, p.existing!.version, write, terms, tx);
        ids.set(entry.directoryId!, p.existing!.id);
      }
    }
    if (seenAt && seen.length) await deps.shadows.markSeen(seen, seenAt, tx);
    return ids;
  }

  /**
   * With a manager attribute the directory owns the manager relation: each written user's manager is
   * the shadow row at that DN (or none). Managers not (yet) shadowed are left for the next pass.
   */
  async function linkManagers(backend: string, plans: EntryPlan[], ids: Map<string, number>, tx: Tx): Promise<number> {
    const withManager = plans.filter((p) => ids.has(p.entry.directoryId ?? ''));
    const dns = withManager.map((p) => p.entry.managerDn).filter((dn): dn is string => dn !== null).map(normaliseDn);
    const managers = new Map((await deps.shadows.byDns(backend, dns, tx)).map((r) => [r.dn!, r.id]));
    const current = new Map((await deps.shadows.byDirectoryIds(backend, withManager.map((p) => p.entry.directoryId!), tx)).map((r) => [r.id, r.managerId]));
    let changed = 0;
    for (const p of withManager) {
      const id = ids.get(p.entry.directoryId!)!;
      const managerId = p.entry.managerDn ? (managers.get(normaliseDn(p.entry.managerDn)) ?? null) : null;
      if ((current.get(id) ?? null) === managerId || managerId === id) continue;
      await deps.shadows.setManager(id, managerId, tx);
      changed++;
    }
    return changed;
  }

  return { plan, apply, linkManagers };
}

export type ShadowWriter = ReturnType<typeof createShadowWriter>;
