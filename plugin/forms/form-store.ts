import type { Knex } from 'knex';
import { translateDbError } from '../db/errors.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { fromDbJson, toDbJson, toDbTime } from '../db/values.js';
import { formDefinitionSchema, type FormDefinition } from './definition.js';
import type { FormVersion, StoredForm } from './types.js';

interface FormRow {
  form_key: string;
  version: number;
  validity: string;
  definition_json: string;
  updated_at: string;
  updated_by: string;
}

/**
 * A stored definition is parsed again on read: an old version that no longer fits the schema must
 * not reach the engine unchecked (it throws, which the error handler logs as a bug).
 */
const parseDefinition = (json: unknown): FormDefinition => formDefinitionSchema.parse(fromDbJson<unknown>(json, null));

const toForm = (row: FormRow): StoredForm => ({
  key: row.form_key,
  version: Number(row.version),
  validity: row.validity === 'valid' ? 'valid' : 'invalid',
  definition: parseDefinition(row.definition_json),
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});

/** Form definitions, the current one per key and every saved version. */
export function createFormStore(knex: Knex, tables: TableNames) {
  const db = (tx?: Tx) => tx ?? knex;
  const columns = ['form_key', 'version', 'validity', 'definition_json', 'updated_at', 'updated_by'];

  return {
    async all(): Promise<StoredForm[]> {
      return (await rowsOf<FormRow>(knex(tables.forms).select(columns).orderBy('form_key'))).map(toForm);
    },

    async find(key: string, tx?: Tx): Promise<StoredForm | null> {
      const [row] = await rowsOf<FormRow>(db(tx)(tables.forms).where('form_key', key).select(columns));
      return row ? toForm(row) : null;
    },

    /** Inserts the first version or bumps the version when it is still `expectedVersion`; false on a lost race. */
    async save(key: string, definition: FormDefinition, expectedVersion: number | null, by: string, tx: Tx): Promise<number | null> {
      const now = toDbTime();
      const json = toDbJson(definition);
      let version: number;
      try {
        if (expectedVersion === null) {
          await tx(tables.forms).insert({ form_key: key, version: 1, validity: 'valid', definition_json: json, created_at: now, updated_at: now, updated_by: by });
          version = 1;
        } else {
          const changed = await tx(tables.forms).where({ form_key: key, version: expectedVersion }).update({ version: expectedVersion + 1, definition_json: json, updated_at: now, updated_by: by });
          if (!changed) return null;
          version = expectedVersion + 1;
        }
        await tx(tables.form_versions).insert({ form_key: key, version, definition_json: json, saved_at: now, saved_by: by });
      } catch (err) {
        throw translateDbError(err, { field: 'key', what: 'This form key' });
      }
      return version;
    },

    async setValidity(key: string, validity: 'valid' | 'invalid', by: string, tx: Tx): Promise<void> {
      await tx(tables.forms).where('form_key', key).update({ validity, updated_at: toDbTime(), updated_by: by });
    },

    async versions(key: string): Promise<FormVersion[]> {
      const rows = await rowsOf<{ version: number; saved_at: string; saved_by: string; definition_json: string }>(
        knex(tables.form_versions).where('form_key', key).orderBy('version', 'desc').select('version', 'saved_at', 'saved_by', 'definition_json'),
      );
      return rows.map((r) => ({ version: Number(r.version), savedAt: r.saved_at, savedBy: r.saved_by, definition: parseDefinition(r.definition_json) }));
    },

    /** The definition a run was submitted with. */
    async version(key: string, version: number, tx?: Tx): Promise<FormDefinition | null> {
      const [row] = await rowsOf<{ definition_json: string }>(db(tx)(tables.form_versions).where({ form_key: key, version }).select('definition_json'));
      return row ? parseDefinition(row.definition_json) : null;
    },
  };
}

export type FormStore = ReturnType<typeof createFormStore>;
