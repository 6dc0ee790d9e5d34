import type { Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { RunInTransaction } from '../db/transaction.js';
import { notFound, validationError } from '../errors.js';
import type { BackendSettingsStore } from './backend-settings-store.js';
import { checkDbMap, DB_BACKEND_KEY, type DbBackend } from './backends/db/backend.js';
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
}

const searchSignature = (map: FieldMap) => JSON.stringify(searchRows(map).map((r) => [r.key, r.storage]));

/** The ordered customer-user backends and their field maps, as admins see and edit them. */
export function createBackendService(deps: {
  settings: BackendSettingsStore;
  db: DbBackend;
  users: CustomerUserService;
  audit: AuditService;
  transaction: RunInTransaction;
}) {
  async function view(key: string): Promise<BackendView> {
    const stored = await deps.settings.get(key);
    if (!stored) throw notFound(`No backend ${key}.`);
    const map = key === DB_BACKEND_KEY ? await deps.db.fieldMap() : [];
    return { key, type: stored.type, order: stored.position, map, readOnly: stored.type !== 'db', updatedAt: stored.updatedAt, updatedBy: stored.updatedBy, version: stored.version };
  }

  return {
    async list(actor: Actor): Promise<BackendView[]> {
      requireCapability(actor, 'field-map.manage');
      return Promise.all((await deps.settings.list()).map((b) => view(b.key)));
    },

    async get(actor: Actor, key: string): Promise<BackendView> {
      requireCapability(actor, 'field-map.manage');
      return view(key);
    },

    /**
     * Saves the database backend's map. A custom field needs no migration: its values live in the
     * user's extra JSON under `extra.<name>`. When the searchable fields change, the index is rebuilt.
     */
    async saveDbMap(actor: Actor, input: unknown, expectedVersion: number | undefined, subject: AuditSubject): Promise<{ backend: BackendView; reindexed: number | null }> {
      requireCapability(actor, 'field-map.manage');
      const parsed = fieldMapSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = ['map', ...(issue?.path ?? [])].join('.');
        throw validationError(`${field}: ${issue?.message ?? 'invalid'}`, field);
      }
      const map = parsed.data;
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
  };
}

export type BackendService = ReturnType<typeof createBackendService>;
