import type { Knex } from 'knex';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { fromDbJson, toDbJson, toDbTime } from '../db/values.js';
import { conflict } from '../errors.js';

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
