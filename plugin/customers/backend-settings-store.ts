import type { Knex } from 'knex';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { fromDbJson, toDbJson, toDbTime } from '../db/values.js';
import { conflict } from '../errors.js';
import { translateDbError } from '../db/errors.js';

export interface StoredBackend {
  key: string;
  type: string;
  position: number;
  settings: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

interface BackendRow {
  backend_key: string;
  type: string;
  position: number;
  settings_json: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

const toBackend = (row: BackendRow): StoredBackend => ({
  key: row.backend_key,
  type: row.type,
  position: Number(row.position),
  settings: fromDbJson<Record<string, unknown>>(row.settings_json, {}),
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
  version: Number(row.version),
});

/** The ordered list of customer-user backends and their settings (field map included). */
export function createBackendSettingsStore(knex: Knex, tables: TableNames) {
  const table = (tx?: Tx) => (tx ?? knex)<BackendRow>(tables.customer_user_backends);
  return {
    async list(tx?: Tx): Promise<StoredBackend[]> {
      return (await table(tx).orderBy('position').orderBy('backend_key')).map(toBackend);
    },

    async get(key: string, tx?: Tx): Promise<StoredBackend | null> {
      const row = await table(tx).where({ backend_key: key }).first();
      return row ? toBackend(row) : null;
    },

    async insert(key: string, type: string, position: number, settings: Record<string, unknown>, by: string, tx: Tx): Promise<void> {
      try {
        await table(tx).insert({ backend_key: key, type, position, settings_json: toDbJson(settings), updated_at: toDbTime(), updated_by: by, version: 1 });
      } catch (err) {
        throw translateDbError(err, { field: 'key', what: 'A backend with this key' });
      }
    },

    /** Positions 0..n-1 in the given order (the caller passes every key). */
    async setOrder(keys: readonly string[], tx: Tx): Promise<void> {
      for (const [position, key] of keys.entries()) await table(tx).where({ backend_key: key }).update({ position });
    },

    async remove(key: string, tx: Tx): Promise<void> {
      await table(tx).where({ backend_key: key }).del();
    },

    async update(key: string, settings: Record<string, unknown>, expectedVersion: number, by: string, tx: Tx): Promise<void> {
      const changed = await table(tx)
        .where({ backend_key: key, version: expectedVersion })
        .update({ settings_json: toDbJson(settings), updated_at: toDbTime(), updated_by: by, version: expectedVersion + 1 });
      if (changed === 0) {
        throw conflict('Someone else changed these settings since you opened them. Reload, then edit again.', 'version', 'edit_conflict');
      }
    },
  };
}

export type BackendSettingsStore = ReturnType<typeof createBackendSettingsStore>;
