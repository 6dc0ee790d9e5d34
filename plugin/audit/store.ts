import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { dialectOf } from '../db/knex-factory.js';
import type { TableNames } from '../db/tables.js';
import { fromDbJson, toCount, toDbJson, toDbTime } from '../db/values.js';

export interface AuditEntryInput {
  actorKind: string;
  actorLogin: string;
  effectiveCustomerId: string | null;
  delegationId: number | null;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditEntry extends AuditEntryInput {
  id: number;
  at: string;
  prevHash: string;
  hash: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor_kind: string;
  actor_login: string;
  effective_customer_id: string | null;
  delegation_id: number | null;
  action: string;
  object_type: string;
  object_id: string;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

/** The hash covers every field but the hash itself, in a fixed order. */
function entryHash(row: Omit<AuditRow, 'hash' | 'id'> & { id: number }): string {
  const canonical = JSON.stringify([
    row.id, row.at, row.actor_kind, row.actor_login, row.effective_customer_id, row.delegation_id,
    row.action, row.object_type, row.object_id, row.before_json, row.after_json, row.ip, row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: Number(row.id),
  at: row.at,
  actorKind: row.actor_kind,
  actorLogin: row.actor_login,
  effectiveCustomerId: row.effective_customer_id,
  delegationId: row.delegation_id === null ? null : Number(row.delegation_id),
  action: row.action,
  objectType: row.object_type,
  objectId: row.object_id,
  before: fromDbJson(row.before_json, null),
  after: fromDbJson(row.after_json, null),
  ip: row.ip,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export interface AuditFilter {
  actor?: string;
  objectType?: string;
  objectId?: string;
  /** UTC ISO timestamp; entries at or after it. */
  since?: string;
  /** Paging towards older entries: only ids below this one. */
  beforeId?: number;
  /** Only entries made in one of these organisations (effective customer, compared exactly); `[]` matches nothing. */
  effectiveCustomerIds?: readonly string[];
  limit: number;
}

/**
 * Entries whose effective organisation is one of `ids`, exactly. The column has the table's default
 * collation (case- and accent-insensitive on MySQL/MariaDB), so there the bytes are compared as well:
 * a key user of `acme` never reads what was done in `Acme`.
 */
function whereEffectiveCustomerIn(q: Knex.QueryBuilder, ids: readonly string[], exactBytes: boolean): void {
  if (ids.length === 0) {
    q.whereRaw('1 = 0');
    return;
  }
  q.whereIn('effective_customer_id', [...ids]);
  if (exactBytes) {
    q.whereRaw(`CAST(CONVERT(?? USING utf8mb4) AS BINARY) IN (${ids.map(() => 'CAST(? AS BINARY)').join(', ')})`, ['effective_customer_id', ...ids]);
  }
}

/** One set of conditions for a page and for counting matches, so the two cannot drift apart. */
function applyFilter(q: Knex.QueryBuilder, filter: Omit<AuditFilter, 'limit'>, exactBytes: boolean): Knex.QueryBuilder {
  if (filter.effectiveCustomerIds !== undefined) whereEffectiveCustomerIn(q, filter.effectiveCustomerIds, exactBytes);
  if (filter.actor) q.where('actor_login', filter.actor);
  if (filter.objectType) q.where('object_type', filter.objectType);
  if (filter.objectId) q.where('object_id', filter.objectId);
  if (filter.since) q.where('at', '>=', filter.since);
  if (filter.beforeId !== undefined) q.where('id', '<', filter.beforeId);
  return q;
}

/**
 * Append-only, hash-chained. The chain head lives in its own one-row table and is locked for the append,
 * so concurrent writers on MySQL extend the chain one after another instead of forking it.
 */
export function createAuditStore(knex: Knex, tables: TableNames) {
  const lockHead = dialectOf(knex) === 'mysql';
  const exactBytes = dialectOf(knex) === 'mysql';
  async function append(trx: Knex.Transaction, input: AuditEntryInput): Promise<AuditEntry> {
    let headQuery = trx(tables.audit_head).where({ id: 1 });
    if (lockHead) headQuery = headQuery.forUpdate();
    const head = (await headQuery.first()) as { last_id: number; last_hash: string } | undefined;
    // The head row comes from a data migration: creating it here could race (deadlock on MySQL).
    if (!head) throw new Error('audit chain head is missing; run the migrations');
    const base = {
      at: toDbTime(),
      actor_kind: input.actorKind,
      actor_login: input.actorLogin,
      effective_customer_id: input.effectiveCustomerId,
      delegation_id: input.delegationId,
      action: input.action,
      object_type: input.objectType,
      object_id: input.objectId,
      before_json: input.before === undefined ? null : toDbJson(input.before),
      after_json: input.after === undefined ? null : toDbJson(input.after),
      ip: input.ip,
      prev_hash: head.last_hash,
    };
    // The id is part of the hash, so insert first, then seal the row.
    const [rawId] = await trx(tables.audit_log).insert({ ...base, hash: '' });
    const id = Number(rawId);
    const hash = entryHash({ ...base, id });
    await trx(tables.audit_log).where({ id }).update({ hash });
    await trx(tables.audit_head).where({ id: 1 }).update({ last_id: id, last_hash: hash });
    return toEntry({ ...base, id, hash });
  }

  return {
    /** Appends inside the caller's transaction (so the change and its record commit together) or its own. */
    async append(input: AuditEntryInput, trx?: Knex.Transaction): Promise<AuditEntry> {
      if (trx) return append(trx, input);
      return knex.transaction((own) => append(own, input));
    },

    async list(filter: AuditFilter): Promise<AuditEntry[]> {
      const rows = (await applyFilter(knex(tables.audit_log).orderBy('id', 'desc').limit(filter.limit), filter, exactBytes)) as AuditRow[];
      return rows.map(toEntry);
    },

    async count(filter: Omit<AuditFilter, 'limit'>): Promise<number> {
      const row = (await applyFilter(knex(tables.audit_log).count({ n: '*' }), filter, exactBytes).first()) as { n: unknown } | undefined;
      return toCount(row?.n);
    },

    /** Walks the chain in id order; returns the first id whose link or content does not match. */
    async verify(batchSize = 1000): Promise<{ ok: boolean; checked: number; brokenAt: number | null }> {
      let prev = GENESIS;
      let lastId = 0;
      let checked = 0;
      for (;;) {
        const rows: AuditRow[] = await knex<AuditRow>(tables.audit_log).where('id', '>', lastId).orderBy('id').limit(batchSize);
        if (rows.length === 0) return { ok: true, checked, brokenAt: null };
        for (const row of rows) {
          const id = Number(row.id);
          if (row.prev_hash !== prev || entryHash({ ...row, id, delegation_id: row.delegation_id }) !== row.hash) {
            return { ok: false, checked, brokenAt: id };
          }
          prev = row.hash;
          lastId = id;
          checked++;
        }
      }
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
