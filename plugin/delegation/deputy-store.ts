import type { Knex } from 'knex';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import type { Deputy } from './types.js';

interface DeputyRow {
  id: number;
  customer_id: string;
  principal_id: number;
  principal_login: string;
  principal_first: string | null;
  principal_last: string | null;
  deputy_id: number;
  deputy_login: string;
  deputy_first: string | null;
  deputy_last: string | null;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

const nameOf = (login: string, first: string | null, last: string | null) => [first, last].filter((v) => v).join(' ') || login;

const toDeputy = (r: DeputyRow): Deputy => ({
  id: Number(r.id),
  customerId: r.customer_id,
  principal: { id: Number(r.principal_id), login: r.principal_login, name: nameOf(r.principal_login, r.principal_first, r.principal_last) },
  deputy: { id: Number(r.deputy_id), login: r.deputy_login, name: nameOf(r.deputy_login, r.deputy_first, r.deputy_last) },
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
});

export interface NewDeputy {
  customerId: string;
  principalId: number;
  deputyId: number;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdAt: string;
  createdBy: string;
}

/** Holiday deputies: who stands in for whom, when. */
export function createDeputyStore(knex: Knex, tables: TableNames) {
  const db = (tx?: Tx) => tx ?? knex;
  const select = (tx?: Tx) =>
    db(tx)(`${tables.deputies} as d`)
      .join(`${tables.customer_users} as p`, 'p.id', 'd.principal_id')
      .join(`${tables.customer_users} as u`, 'u.id', 'd.deputy_id')
      .select(
        'd.id', 'd.customer_id', 'd.principal_id', 'p.login as principal_login', 'p.first_name as principal_first', 'p.last_name as principal_last',
        'd.deputy_id', 'u.login as deputy_login', 'u.first_name as deputy_first', 'u.last_name as deputy_last',
        'd.starts_at', 'd.ends_at', 'd.reason', 'd.created_at', 'd.created_by', 'd.revoked_at', 'd.revoked_by',
      );

  return {
    async insert(d: NewDeputy, tx?: Tx): Promise<number> {
      const [id] = await db(tx)(tables.deputies).insert({
        customer_id: d.customerId, principal_id: d.principalId, deputy_id: d.deputyId, starts_at: d.startsAt, ends_at: d.endsAt, reason: d.reason, created_at: d.createdAt, created_by: d.createdBy,
      });
      return Number(id);
    },

    async findById(id: number, tx?: Tx): Promise<Deputy | null> {
      const [row] = await rowsOf<DeputyRow>(select(tx).where('d.id', id));
      return row ? toDeputy(row) : null;
    },

    /** Deputies where the person is the one away or the stand-in, newest first. */
    async listForPerson(customerUserId: number): Promise<Deputy[]> {
      return (await rowsOf<DeputyRow>(select().where((q) => q.where('d.principal_id', customerUserId).orWhere('d.deputy_id', customerUserId)).orderBy('d.id', 'desc').limit(200))).map(toDeputy);
    },

    async listForCustomer(customerId: string): Promise<Deputy[]> {
      return (await rowsOf<DeputyRow>(select().where('d.customer_id', customerId).orderBy('d.id', 'desc').limit(500))).map(toDeputy);
    },

    /** Deputies in force at `now` where the person stands in for somebody. */
    async activeFor(deputyId: number, now: string): Promise<Deputy[]> {
      return (await rowsOf<DeputyRow>(select().where('d.deputy_id', deputyId).whereNull('d.revoked_at').where('d.starts_at', '<=', now).where('d.ends_at', '>', now).orderBy('d.id'))).map(toDeputy);
    },

    /** Stand-ins in force at `now` for the people away. */
    async activeOf(principalIds: readonly number[], now: string): Promise<Deputy[]> {
      if (!principalIds.length) return [];
      return (await rowsOf<DeputyRow>(select().whereIn('d.principal_id', [...principalIds]).whereNull('d.revoked_at').where('d.starts_at', '<=', now).where('d.ends_at', '>', now).orderBy('d.id'))).map(toDeputy);
    },

    /** Periods of one person away that overlap [startsAt, endsAt) and are not revoked. */
    async overlapping(principalId: number, startsAt: string, endsAt: string, tx?: Tx): Promise<number> {
      const rows = await rowsOf<{ id: number }>(db(tx)(tables.deputies).where('principal_id', principalId).whereNull('revoked_at').where('starts_at', '<', endsAt).where('ends_at', '>', startsAt).select('id'));
      return rows.length;
    },

    async revoke(id: number, at: string, by: string, tx?: Tx): Promise<boolean> {
      return (await db(tx)(tables.deputies).where('id', id).whereNull('revoked_at').update({ revoked_at: at, revoked_by: by })) > 0;
    },
  };
}

export type DeputyStore = ReturnType<typeof createDeputyStore>;
