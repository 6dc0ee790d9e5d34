import type { Knex } from 'knex';
import type { PrincipalType } from '../access/actor.js';
import type { TableNames } from '../db/tables.js';
import { toDbTime } from '../db/values.js';

export interface ApiToken {
  id: number;
  principalType: PrincipalType;
  principalId: number;
  name: string;
  hint: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Login of the owner, for lists. */
  ownerLogin: string | null;
}

interface TokenRow {
  id: number;
  principal_kind: string;
  principal_id: number;
  name: string;
  token_hash: string;
  token_hint: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  owner_login?: string | null;
}

const toToken = (row: TokenRow): ApiToken => ({
  id: Number(row.id),
  principalType: row.principal_kind as PrincipalType,
  principalId: Number(row.principal_id),
  name: row.name,
  hint: row.token_hint,
  createdAt: row.created_at,
  createdBy: row.created_by,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  ownerLogin: row.owner_login ?? null,
});

export function createApiTokenStore(knex: Knex, tables: TableNames) {
  const tokens = () => knex<TokenRow>(tables.api_tokens);
  /** Tokens with their owner's login (agents now; customer users join here in their issue). */
  const withOwner = () =>
    knex(`${tables.api_tokens} as t`)
      .leftJoin(`${tables.agents} as a`, (j) => j.on('a.id', 't.principal_id').andOnVal('t.principal_kind', 'agent'))
      .select<TokenRow[]>('t.*', 'a.login as owner_login');
  return {
    async insert(input: {
      principalType: PrincipalType;
      principalId: number;
      name: string;
      hash: string;
      hint: string;
      createdBy: string;
      expiresAt: string | null;
    }): Promise<ApiToken> {
      const [id] = await tokens().insert({
        principal_kind: input.principalType,
        principal_id: input.principalId,
        name: input.name,
        token_hash: input.hash,
        token_hint: input.hint,
        created_at: toDbTime(),
        created_by: input.createdBy,
        expires_at: input.expiresAt,
      });
      const row = await tokens().where({ id: Number(id) }).first();
      if (!row) throw new Error('token vanished after insert');
      return toToken(row);
    },

    async findByHash(hash: string): Promise<ApiToken | null> {
      const row = await tokens().where({ token_hash: hash }).first();
      return row ? toToken(row) : null;
    },

    async listFor(principalType: PrincipalType, principalId: number): Promise<ApiToken[]> {
      const rows = await withOwner()
        .where({ 't.principal_kind': principalType, 't.principal_id': principalId })
        .orderBy('t.id', 'desc');
      return rows.map(toToken);
    },

    async listAll(limit: number): Promise<ApiToken[]> {
      return (await withOwner().orderBy('t.id', 'desc').limit(limit)).map(toToken);
    },

    async findById(id: number): Promise<ApiToken | null> {
      const [row] = await withOwner().where('t.id', id).limit(1);
      return row ? toToken(row) : null;
    },

    /** Last use is recorded at most once a minute per token, to keep API reads from writing every time. */
    async touch(id: number, now: Date): Promise<void> {
      const cutoff = toDbTime(now.getTime() - 60_000);
      await tokens()
        .where({ id })
        .andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', cutoff))
        .update({ last_used_at: toDbTime(now) });
    },

    async revoke(id: number): Promise<void> {
      await tokens().where({ id }).whereNull('revoked_at').update({ revoked_at: toDbTime() });
    },
  };
}

export type ApiTokenStore = ReturnType<typeof createApiTokenStore>;
