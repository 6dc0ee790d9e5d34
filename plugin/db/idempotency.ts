import type { Knex } from 'knex';
import { conflict } from '../errors.js';
import { rowsOf } from './rows.js';
import type { TableNames } from './tables.js';
import { toDbTime } from './values.js';

/**
 * Idempotency keys: a request carrying a key that was seen before (same owner, same operation) answers
 * with the first result instead of doing the work twice. The key row is written in the same transaction
 * as the work, so a key exists exactly when its result does; two concurrent requests with one key meet
 * at the unique index and the second one reads the first one's result.
 */
export interface IdempotencyClaim {
  owner: string;
  key: string;
  requestHash: string;
}

export function createIdempotencyStore(tables: TableNames) {
  const keys = (db: Knex) => db(tables.idempotency_keys);
  return {
    /** The stored result for this key, or null; a different request under the same key is a 409. */
    async find(db: Knex, operation: string, claim: IdempotencyClaim): Promise<string | null> {
      const [row] = await rowsOf<{ request_hash: string; result: string }>(keys(db).where({ owner: claim.owner, operation, idempotency_key: claim.key }).select('request_hash', 'result'));
      if (!row) return null;
      if (row.request_hash !== claim.requestHash) {
        throw conflict('This Idempotency-Key was used for a different request.', 'Idempotency-Key', 'idempotency_key_reused');
      }
      return row.result;
    },

    /** Inside the work's transaction: fails on the unique index when another request holds the key. */
    async record(tx: Knex.Transaction, operation: string, claim: IdempotencyClaim, result: string): Promise<void> {
      await keys(tx).insert({ owner: claim.owner, operation, idempotency_key: claim.key, request_hash: claim.requestHash, result, created_at: toDbTime() });
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
