import type { Logger } from 'pino';
import type { RunInTransaction } from '../../../db/transaction.js';
import { searchRows, type FieldMap } from '../../field-map.js';
import type { BackendSearch, CustomerUserBackend, CustomerUserRecord } from '../backend.js';
import type { DbBackend } from '../db/backend.js';
import type { CustomerUserStore } from '../db/store.js';
import { createDirectory, DirectoryUnavailable, type Directory, type DirectoryEntry } from './directory.js';
import { allFilter, loginFilter, wordsFilter } from './filters.js';
import { mapEntry, type MappedEntry } from './mapper.js';
import { mappedAttributes, type LdapSettings } from './settings.js';
import { storageMapOf, type EntryPlan, type ShadowWriter } from './shadow-writer.js';

/** Why a directory login did not give a user (logged; the person only ever hears "invalid"). */
export type DirectoryLoginRefusal = 'empty-password' | 'no-match' | 'several-matches' | 'wrong-password' | 'unusable-entry' | 'conflict' | 'invalid-in-loket';

export type DirectoryLoginResult = { ok: true; user: CustomerUserRecord } | { ok: false; refusal: DirectoryLoginRefusal; detail?: string };

export interface LdapBackendDeps {
  key: string;
  settings: LdapSettings;
  writer: ShadowWriter;
  users: CustomerUserStore;
  db: Pick<DbBackend, 'toRecords'>;
  transaction: RunInTransaction;
  logger: Logger;
}

const MAX_CACHED = 5000;

/** A small TTL memory of what was fetched recently, so typing in a search box does not hammer the directory. */
function recently(ttlMs: number) {
  const at = new Map<string, number>();
  return {
    fresh: (key: string) => ttlMs > 0 && (at.get(key) ?? -Infinity) > Date.now() - ttlMs,
    touch(key: string) {
      if (ttlMs <= 0) return;
      if (at.size >= MAX_CACHED) at.delete(at.keys().next().value!);
      at.delete(key);
      at.set(key, Date.now());
    },
    clear: () => at.clear(),
  };
}

/**
 * A directory as a customer-user backend. Directory fields are read-only; every user found gets a
 * shadow row (keyed by the directory's stable id) that carries relations, permissions, preferences and
 * a copy of the mapped fields, so sessions, tickets and search never wait for the directory.
 */
export function createLdapBackend(deps: LdapBackendDeps) {
  const { key, settings } = deps;
  const directory = createDirectory(key, settings);
  const storageMap = storageMapOf(settings.map);
  const attributes = mappedAttributes(settings);
  const searchAttributes = searchRows(settings.map).map((r) => r.storage).filter((a) => a.toLowerCase() !== settings.idAttribute.toLowerCase());
  const logins = recently(settings.cacheTtlSeconds * 1000);
  const searches = recently(settings.cacheTtlSeconds * 1000);

  async function find(filter: string, sizeLimit: number): Promise<{ entries: DirectoryEntry[]; truncated: boolean }> {
    return directory.withSession((s) => s.search({ base: settings.baseDn, scope: settings.scope, filter, attributes, sizeLimit, pageSize: settings.pageSize }));
  }

  /** Writes what the entries say into shadow rows; conflicts and unusable entries are left out and logged. */
  async function upsert(mapped: MappedEntry[]): Promise<EntryPlan[]> {
    return deps.transaction(async (tx) => {
      const plans = await deps.writer.plan(key, mapped, { tx });
      const ids = await deps.writer.apply(key, settings.map, plans, null, tx);
      if (settings.managerAttribute) await deps.writer.linkManagers(key, plans, ids, tx);
      for (const p of plans.filter((x) => x.action === 'conflict')) deps.logger.warn({ backend: key, dn: p.entry.dn, reason: p.reason }, 'directory entry not taken over');
      return plans;
    });
  }

  const records = async (stored: Parameters<DbBackend['toRecords']>[0]): Promise<CustomerUserRecord[]> => deps.db.toRecords(stored, storageMap);

  async function shadowByLogin(login: string): Promise<CustomerUserRecord | null> {
    const stored = await deps.users.findByLogin(login);
    return stored?.source === key ? ((await records([stored]))[0] ?? null) : null;
  }

  const backend: CustomerUserBackend & {
    settings: LdapSettings;
    storageMap: FieldMap;
    directory: Directory;
    /** Attributes every read asks for (the map's, login, id, manager, customer attribute). */
    attributes: string[];
    authenticate(login: string, password: string): Promise<DirectoryLoginResult>;
  } = {
    key,
    type: 'ldap',
    capabilities: { writable: false, localPasswords: false },
    settings,
    storageMap,
    directory,
    attributes,
    fieldMap: () => Promise.resolve(settings.map),
    recordMap: () => Promise.resolve(storageMap),

    /** From the directory when not fetched within the cache TTL; the shadow row when the directory is down. */
    async findByLogin(login) {
      if (!logins.fresh(login)) {
        try {
          const { entries } = await find(loginFilter(settings.filter, settings.loginAttribute, login), 2);
          if (entries.length === 1) await upsert([mapEntry(entries[0]!, settings)]);
          logins.touch(login);
        } catch (err) {
          if (!(err instanceof DirectoryUnavailable)) throw err;
          deps.logger.warn({ backend: key, reason: err.reason }, 'directory unavailable; answering from shadow rows');
        }
      }
      return shadowByLogin(login);
    },

    /**
     * Asks the directory for entries that may match (size- and time-limited, paged), brings their shadow
     * rows up to date, then answers from the shadow rows with Loket's own matching, scope and filters.
     */
    async search(query: BackendSearch) {
      const wordsKey = JSON.stringify(query.words);
      if (!searches.fresh(wordsKey)) {
        try {
          const filter = query.words.length ? wordsFilter(settings.filter, searchAttributes, query.words) : allFilter(settings.filter);
          const { entries } = await find(filter, query.cap + 1);
          await upsert(entries.map((e) => mapEntry(e, settings)));
          searches.touch(wordsKey);
        } catch (err) {
          if (!(err instanceof DirectoryUnavailable)) throw err;
          deps.logger.warn({ backend: key, reason: err.reason }, 'directory unavailable; searching shadow rows only');
        }
      }
      const found = await deps.users.search({ ...query, source: key });
      return { items: await records(found.items), total: found.total, capped: found.capped };
    },

    /**
     * RFC 4513 simple bind as the one entry the login finds. An empty password is refused before any
     * bind; zero or several entries refuse; a user invalid in Loket is refused although the directory
     * said yes. DirectoryUnavailable propagates: the login page says "temporarily unavailable".
     */
    async authenticate(login, password) {
      if (password === '') return { ok: false, refusal: 'empty-password' };
      const { entries } = await find(loginFilter(settings.filter, settings.loginAttribute, login), 2);
      if (entries.length !== 1) return { ok: false, refusal: entries.length ? 'several-matches' : 'no-match' };
      const entry = entries[0]!;
      if (!(await directory.checkPassword(entry.dn, password))) return { ok: false, refusal: 'wrong-password' };
      const mapped = mapEntry(entry, settings);
      if (mapped.problems.length) return { ok: false, refusal: 'unusable-entry', detail: mapped.problems.join(', ') };
      const [plan] = await upsert([mapped]);
      if (!plan || plan.action === 'conflict' || plan.action === 'skipped') return { ok: false, refusal: 'conflict', detail: plan?.reason ?? 'unknown' };
      logins.touch(mapped.login!);
      const user = await shadowByLogin(mapped.login!);
      if (user?.validity !== 'valid' || user.anonymisedAt) return { ok: false, refusal: 'invalid-in-loket' };
      return { ok: true, user };
    },
  };
  return backend;
}

export type LdapBackend = ReturnType<typeof createLdapBackend>;
