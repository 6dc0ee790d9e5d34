import type { Knex } from 'knex';
import type { TableNames } from '../../../db/tables.js';
import type { Tx } from '../../../db/transaction.js';
import { rowsOf } from '../../../db/rows.js';
import { toCount, toDbTime } from '../../../db/values.js';

/** A shadow row as the planner needs it: who holds which directory id and login, and whether it changed. */
export interface ShadowRow {
  id: number;
  login: string;
  source: string;
  directoryId: string | null;
  dn: string | null;
  hash: string | null;
  validity: string;
  missingAt: string | null;
  managerId: number | null;
  version: number;
}

interface Row {
  id: number;
  login: string;
  source: string;
  directory_id: string | null;
  directory_dn: string | null;
  directory_hash: string | null;
  validity: string;
  directory_missing_at: string | null;
  manager_id: number | null;
  version: number;
}

const COLUMNS = ['id', 'login', 'source', 'directory_id', 'directory_dn', 'directory_hash', 'validity', 'directory_missing_at', 'manager_id', 'version'];

const toShadow = (r: Row): ShadowRow => ({
  id: Number(r.id),
  login: r.login,
  source: r.source,
  directoryId: r.directory_id,
  dn: r.directory_dn,
  hash: r.directory_hash,
  validity: r.validity,
  missingAt: r.directory_missing_at,
  managerId: r.manager_id === null ? null : Number(r.manager_id),
  version: Number(r.version),
});

/** Chunks keep IN lists under every driver's parameter limit (SQLite: 32,766; MariaDB: 65,535). */
const CHUNK = 500;
const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** Lookups and bulk marks on directory users' shadow rows (the rows themselves are written by the user store). */
export function createShadowStore(knex: Knex, tables: TableNames) {
  const users = (tx?: Tx) => (tx ?? knex)<Row>(tables.customer_users);

  async function many(column: 'directory_id' | 'login' | 'directory_dn', values: readonly string[], source: string | null, tx?: Tx): Promise<ShadowRow[]> {
    const out: ShadowRow[] = [];
    for (const part of chunks([...new Set(values)])) {
      const q = users(tx).whereIn(column, part).select(COLUMNS);
      if (source !== null) void q.where('source', source);
      out.push(...(await rowsOf<Row>(q)).map(toShadow));
    }
    return out;
  }

  return {
    byDirectoryIds: (source: string, ids: readonly string[], tx?: Tx) => many('directory_id', ids, source, tx),
    /**
     * Rows of any backend holding these logins (a login is unique across Loket), and agents holding
     * them as source 'agent': a customer user never takes an agent's login.
     */
    async byLogins(logins: readonly string[], tx?: Tx): Promise<ShadowRow[]> {
      const rows = await many('login', logins, null, tx);
      for (const part of chunks([...new Set(logins)])) {
        const agents = await rowsOf<{ id: number; login: string }>((tx ?? knex)(tables.agents).whereIn('login', part).select('id', 'login'));
        rows.push(...agents.map((a) => ({ id: -Number(a.id), login: a.login, source: 'agent', directoryId: null, dn: null, hash: null, validity: 'valid', missingAt: null, managerId: null, version: 0 })));
      }
      return rows;
    },
    byDns: (source: string, dns: readonly string[], tx?: Tx) => many('directory_dn', dns, source, tx),

    async existingCustomerIds(customerIds: readonly string[], tx?: Tx): Promise<Set<string>> {
      const found = new Set<string>();
      for (const part of chunks([...new Set(customerIds)])) {
        const rows = await rowsOf<{ customer_id: string }>((tx ?? knex)(tables.customers).whereIn('customer_id', part).select('customer_id'));
        rows.forEach((r) => found.add(r.customer_id));
      }
      return found;
    },

    async markSeen(ids: readonly number[], seenAt: string, tx: Tx): Promise<void> {
      for (const part of chunks(ids)) await users(tx).whereIn('id', part).update({ directory_seen_at: seenAt } as Partial<Row>);
    },

    async setManager(id: number, managerId: number | null, tx: Tx): Promise<void> {
      await users(tx).where({ id }).update({ manager_id: managerId, updated_at: toDbTime() } as Partial<Row>);
    },

    /** Valid rows of the backend that the run did not see (seen before `runStartedAt`, or never). */
    async unseenValid(source: string, runStartedAt: string, tx?: Tx): Promise<ShadowRow[]> {
      const q = users(tx)
        .where({ source, validity: 'valid' })
        .whereNotNull('directory_id')
        .where((w) => void w.whereNull('directory_seen_at').orWhere('directory_seen_at', '<', runStartedAt))
        .select(COLUMNS)
        .orderBy('login');
      return (await rowsOf<Row>(q)).map(toShadow);
    },

    async countAll(source: string, tx?: Tx): Promise<number> {
      const rows = await rowsOf<{ n: unknown }>(users(tx).where({ source }).count({ n: '*' }));
      return toCount(rows[0]?.n);
    },

    async countValid(source: string, tx?: Tx): Promise<number> {
      const rows = await rowsOf<{ n: unknown }>(users(tx).where({ source, validity: 'valid' }).count({ n: '*' }));
      return toCount(rows[0]?.n);
    },

    /** Deactivated because the directory no longer has them; a later sync that sees them again restores them. */
    async markMissing(ids: readonly number[], at: string, tx: Tx): Promise<void> {
      for (const part of chunks(ids)) {
        await users(tx).whereIn('id', part).update({ validity: 'invalid', directory_missing_at: at, updated_at: at } as Partial<Row>);
        await (tx)(tables.customer_users).whereIn('id', part).increment('version', 1);
      }
    },
  };
}

export type ShadowStore = ReturnType<typeof createShadowStore>;
