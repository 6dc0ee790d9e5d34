import type { Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { RunInTransaction } from '../db/transaction.js';
import { conflict, notFound, ruleViolation, validationError } from '../errors.js';
import type { BackendSettingsStore, StoredBackend } from './backend-settings-store.js';
import { checkDbMap, DB_BACKEND_KEY, type DbBackend } from './backends/db/backend.js';
import { ldapSettingsSchema, redactSettings, type LdapSettings } from './backends/ldap/settings.js';
import { MAX_BACKENDS } from './api-schemas.js';
import type { CustomerUserService } from './customer-user-service.js';
import { fieldMapSchema, searchRows, type FieldMap } from './field-map.js';


export interface BackendView {
  key: string;
  type: string;
  order: number;
  map: FieldMap;
  readOnly: boolean;
  updatedAt: string;
  updatedBy: string;
  version: number;
  /** A directory backend's settings, the bind password replaced by `bindPasswordSet`. */
  settings?: ReturnType<typeof redactSettings>;
}

interface GroupNames {
  findManyByName(names: readonly string[]): Promise<{ name: string }[]>;
  permissionTypes(): Promise<{ name: string }[]>;
}

const searchSignature = (map: FieldMap) => JSON.stringify(searchRows(map).map((r) => [r.key, r.storage]));

/** The first zod issue as a 400 naming the field (`map.3.type`, `customerIdFrom.rules.0.dnSuffix`). */
function parseOr400<T>(result: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }, prefix: string[] = []): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [...prefix, ...(issue?.path ?? []).map(String)].join('.') || 'body';
  throw validationError(`${field}: ${issue?.message ?? 'invalid'}`, field);
}

/** The ordered customer-user backends, their field maps and directory settings, as admins see and edit them. */
export function createBackendService(deps: {
  settings: BackendSettingsStore;
  db: DbBackend;
  users: CustomerUserService;
  groups: GroupNames;
  countUsers: (source: string) => Promise<number>;
  audit: AuditService;
  transaction: RunInTransaction;
}) {
  function viewOf(stored: StoredBackend, map: FieldMap): BackendView {
    const base = { key: stored.key, type: stored.type, order: stored.position, map, readOnly: stored.type !== 'db', updatedAt: stored.updatedAt, updatedBy: stored.updatedBy, version: stored.version };
    if (stored.type !== 'ldap') return base;
    const parsed = ldapSettingsSchema.safeParse(stored.settings);
    return parsed.success ? { ...base, map: parsed.data.map, settings: redactSettings(parsed.data) } : base;
  }

  async function view(key: string): Promise<BackendView> {
    const stored = await deps.settings.get(key);
    if (!stored) throw notFound(`No backend ${key}.`);
    return viewOf(stored, key === DB_BACKEND_KEY ? await deps.db.fieldMap() : []);
  }

  /** Rules across fields that zod cannot see: login row = login attribute, mapped groups and permissions exist. */
  async function checkLdap(settings: LdapSettings): Promise<void> {
    const loginRow = settings.map.findIndex((r) => r.key === 'login');
    if (settings.map[loginRow]?.storage.toLowerCase() !== settings.loginAttribute.toLowerCase()) {
      throw validationError(`map.${loginRow}.storage: the login row reads the login attribute (${settings.loginAttribute})`, `map.${loginRow}.storage`);
    }
    const groupNames = [...new Set(settings.groupMapping.map((g) => g.group))];
    const known = new Set((await deps.groups.findManyByName(groupNames)).map((g) => g.name.toLowerCase()));
    const types = new Set((await deps.groups.permissionTypes()).map((t) => t.name));
    settings.groupMapping.forEach((row, i) => {
      if (!known.has(row.group.toLowerCase())) throw validationError(`groupMapping.${i}.group: no group ${row.group}`, `groupMapping.${i}.group`);
      const unknown = row.permissions.find((p) => !types.has(p));
      if (unknown) throw validationError(`groupMapping.${i}.permissions: no permission type ${unknown}`, `groupMapping.${i}.permissions`);
    });
    if (settings.groupMapping.length && !settings.groupSearch) throw validationError('groupSearch: needed for the group mapping (where the groups are)', 'groupSearch');
  }

  return {
    async list(actor: Actor): Promise<BackendView[]> {
      requireCapability(actor, 'field-map.manage');
      const stored = await deps.settings.list();
      const dbMap = await deps.db.fieldMap();
      return stored.map((s) => viewOf(s, s.key === DB_BACKEND_KEY ? dbMap : []));
    },

    async get(actor: Actor, key: string): Promise<BackendView> {
      requireCapability(actor, 'field-map.manage');
      return view(key);
    },

    /** Customer users that came from each backend (a directory's shadow rows; the database backend's own users). */
    async userCounts(actor: Actor): Promise<Record<string, number>> {
      requireCapability(actor, 'field-map.manage');
      const keys = (await deps.settings.list()).map((b) => b.key);
      return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await deps.countUsers(key)] as const)));
    },

    /** A directory backend's full settings, bind password included: only for connecting, never answered. */
    async ldapSettings(actor: Actor, key: string): Promise<LdapSettings> {
      requireCapability(actor, 'field-map.manage');
      const stored = await deps.settings.get(key);
      if (stored?.type !== 'ldap') throw notFound(`No directory backend ${key}.`);
      return parseOr400(ldapSettingsSchema.safeParse(stored.settings));
    },

    /**
     * Saves the database backend's map. A custom field needs no migration: its values live in the
     * user's extra JSON under `extra.<name>`. When the searchable fields change, the index is rebuilt.
     */
    async saveDbMap(actor: Actor, input: unknown, expectedVersion: number | undefined, subject: AuditSubject): Promise<{ backend: BackendView; reindexed: number | null }> {
      requireCapability(actor, 'field-map.manage');
      const map = parseOr400(fieldMapSchema.safeParse(input), ['map']);
      checkDbMap(map);
      const before = await view(DB_BACKEND_KEY);
      await deps.transaction(async (tx) => {
        const stored = await deps.settings.get(DB_BACKEND_KEY, tx);
        if (!stored) throw notFound('No database backend.');
        await deps.settings.update(DB_BACKEND_KEY, { ...stored.settings, map }, expectedVersion ?? stored.version, subject.login, tx);
        await deps.audit.record(subject, { action: 'backend.map', objectType: 'backend', objectId: DB_BACKEND_KEY, before: { map: before.map }, after: { map } }, tx);
      });
      const reindexed = searchSignature(before.map) === searchSignature(map) ? null : await deps.users.reindex(map);
      return { backend: await view(DB_BACKEND_KEY), reindexed };
    },

    /**
     * Creates or updates a directory backend. The bind password is write-only: left out, the stored one
     * stays; sent as an empty string, it is cleared. Every save bumps the version and is audited with the
     * password redacted on both sides.
     */
    async saveLdap(actor: Actor, key: string, input: Record<string, unknown>, expectedVersion: number | undefined, subject: AuditSubject): Promise<{ backend: BackendView; created: boolean }> {
      requireCapability(actor, 'field-map.manage');
      if (key === DB_BACKEND_KEY) throw ruleViolation(`${DB_BACKEND_KEY} is the database backend.`, 'key', 'not_editable');
      const stored = await deps.settings.get(key);
      if (stored && stored.type !== 'ldap') throw ruleViolation(`${key} is not a directory backend.`, 'type', 'type_mismatch');
      const previous = stored ? ldapSettingsSchema.safeParse(stored.settings) : null;
      const withPassword = Object.hasOwn(input, 'bindPassword') || !previous?.success ? input : { ...input, bindPassword: previous.data.bindPassword };
      const settings = parseOr400(ldapSettingsSchema.safeParse(withPassword));
      if (settings.bindPassword === '') delete settings.bindPassword;
      await checkLdap(settings);
      const before = previous?.success ? redactSettings(previous.data) : null;
      // The version check inside the transaction refuses a save over somebody else's in between.
      const created = await deps.transaction(async (tx) => {
        if (stored) await deps.settings.update(key, settings, expectedVersion ?? stored.version, subject.login, tx);
        else {
          const all = await deps.settings.list(tx);
          if (all.length >= MAX_BACKENDS) throw ruleViolation(`At most ${MAX_BACKENDS} backends.`, 'key', 'too_many_backends');
          await deps.settings.insert(key, 'ldap', all.length, settings, subject.login, tx);
        }
        await deps.audit.record(subject, { action: stored ? 'backend.update' : 'backend.create', objectType: 'backend', objectId: key, before, after: redactSettings(settings) }, tx);
        return !stored;
      });
      return { backend: await view(key), created };
    },

    /** The order backends are asked in (fetch: first that knows the login; search: all). */
    async reorder(actor: Actor, keys: readonly string[], subject: AuditSubject): Promise<BackendView[]> {
      requireCapability(actor, 'field-map.manage');
      await deps.transaction(async (tx) => {
        const current = (await deps.settings.list(tx)).map((b) => b.key);
        const same = keys.length === current.length && new Set(keys).size === keys.length && keys.every((k) => current.includes(k));
        if (!same) throw validationError(`order: name every backend once (${current.join(', ')})`, 'order');
        await deps.settings.setOrder(keys, tx);
        await deps.audit.record(subject, { action: 'backend.order', objectType: 'backend', objectId: keys.join(','), before: { order: current }, after: { order: keys } }, tx);
      });
      return this.list(actor);
    },

    /** Removes a directory backend that no user came from; with users, deactivate them first (or keep it). */
    async removeLdap(actor: Actor, key: string, subject: AuditSubject): Promise<void> {
      requireCapability(actor, 'field-map.manage');
      const stored = await deps.settings.get(key);
      if (stored?.type !== 'ldap') throw notFound(`No directory backend ${key}.`);
      const users = await deps.countUsers(key);
      if (users > 0) throw conflict(`${users} customer users come from ${key}; their tickets and history keep them. The backend stays.`, 'key', 'has_users');
      await deps.transaction(async (tx) => {
        await deps.settings.remove(key, tx);
        await deps.settings.setOrder((await deps.settings.list(tx)).map((b) => b.key), tx);
        await deps.audit.record(subject, { action: 'backend.remove', objectType: 'backend', objectId: key, before: redactSettings(parseOr400(ldapSettingsSchema.safeParse(stored.settings))), after: null }, tx);
      });
    },
  };
}

export type BackendService = ReturnType<typeof createBackendService>;
