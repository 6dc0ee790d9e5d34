import type { Knex } from 'knex';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';

export type TokenPurpose = 'set-password';

/** One-time tokens for customer users, stored as SHA-256 hashes only. */
export function createTokenStore(knex: Knex, tables: TableNames) {
  const tokens = (tx?: Tx) => (tx ?? knex)(tables.customer_user_tokens);
  return {
    async insert(customerUserId: number, purpose: TokenPurpose, tokenHash: string, expiresAt: Date, tx?: Tx): Promise<void> {
      await tokens(tx).insert({
        customer_user_id: customerUserId,
        purpose,
        token_hash: tokenHash,
        created_at: toDbTime(),
        expires_at: toDbTime(expiresAt),
      });
    },

    /** A newer link makes older unused ones worthless. */
    async retireOpen(customerUserId: number, purpose: TokenPurpose, tx?: Tx): Promise<void> {
      await tokens(tx).where({ customer_user_id: customerUserId, purpose }).whereNull('used_at').update({ used_at: toDbTime() });
    },

    /** Marks the token used and returns its user, once: a second use (or a race) gets null. */
    async consume(tokenHash: string, purpose: TokenPurpose, now: Date, tx: Tx): Promise<number | null> {
      const row = (await tokens(tx).where({ token_hash: tokenHash, purpose }).whereNull('used_at').where('expires_at', '>', toDbTime(now)).first()) as
        | { id: number; customer_user_id: number; token_hash: string }
        | undefined;
      if (row?.token_hash !== tokenHash) return null;
      const used = await tokens(tx).where({ id: row.id }).whereNull('used_at').update({ used_at: toDbTime(now) });
      return used === 1 ? Number(row.customer_user_id) : null;
    },

    /** Whether a token is still usable, without using it (the form page shows or refuses). */
    async isOpen(tokenHash: string, purpose: TokenPurpose, now: Date): Promise<boolean> {
      const row: { token_hash: string } | undefined = await tokens()
        .where({ token_hash: tokenHash, purpose })
        .whereNull('used_at')
        .where('expires_at', '>', toDbTime(now))
        .first('token_hash');
      return row?.token_hash === tokenHash;
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
