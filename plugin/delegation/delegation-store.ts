import type { Knex } from 'knex';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { toCount } from '../db/values.js';
import type { Delegation, DelegationRole, UsageRow } from './types.js';

interface DelegationRow {
  id: number;
  customer_id: string;
  email: string;
  role: string;
  starts_at: string;
  ends_at: string | null;
  reason: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  reviewed_at: string | null;
  version: number;
}

const toDelegation = (r: DelegationRow): Delegation => ({
  id: Number(r.id),
  customerId: r.customer_id,
  email: r.email,
  role: r.role as DelegationRole,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  reviewedAt: r.reviewed_at,
  version: Number(r.version),
});

export type NewDelegation = Omit<Delegation, 'id' | 'revokedAt' | 'revokedBy' | 'reviewedAt' | 'version' | 'updatedAt'>;

/** Delegations and the record of switches into and out of them. */
export function createDelegationStore(knex: Knex, tables: TableNames) {
  const db = (tx?: Tx) => tx ?? knex;
  const LIST_CAP = 500;

  return {
    async insert(d: NewDelegation, tx?: Tx): Promise<number> {
      const [id] = await db(tx)(tables.delegations).insert({
        customer_id: d.customerId, email: d.email, email_key: d.email.toLowerCase(), role: d.role, starts_at: d.startsAt, ends_at: d.endsAt,
        reason: d.reason, created_at: d.createdAt, created_by: d.createdBy, updated_at: d.createdAt,
      });
      return Number(id);
    },

    async findById(id: number, tx?: Tx): Promise<Delegation | null> {
      const [row] = await rowsOf<DelegationRow>(db(tx)(tables.delegations).where('id', id));
      return row ? toDelegation(row) : null;
    },

    /** Every delegation of one customer, newest first (the history included). */
    async listForCustomer(customerId: string): Promise<Delegation[]> {
      return (await rowsOf<DelegationRow>(knex(tables.delegations).where('customer_id', customerId).orderBy('id', 'desc').limit(LIST_CAP))).map(toDelegation);
    },

    /** Delegations granted to an address (any case), newest first. */
    async listForEmail(email: string): Promise<Delegation[]> {
      return (await rowsOf<DelegationRow>(knex(tables.delegations).where('email_key', email.toLowerCase()).orderBy('id', 'desc').limit(LIST_CAP))).map(toDelegation);
    },

    /** Changes a delegation only while it is not revoked (and, when given, at the version the caller saw). */
    async update(id: number, patch: Partial<Pick<Delegation, 'endsAt' | 'revokedAt' | 'revokedBy' | 'reviewedAt'>>, at: string, expectVersion?: number, tx?: Tx): Promise<boolean> {
      const q = db(tx)(tables.delegations).where('id', id).whereNull('revoked_at');
      if (expectVersion !== undefined) q.where('version', expectVersion);
      const row: Record<string, unknown> = { updated_at: at, version: knex.raw('version + 1') };
      if (patch.endsAt !== undefined) row.ends_at = patch.endsAt;
      if (patch.revokedAt !== undefined) row.revoked_at = patch.revokedAt;
      if (patch.revokedBy !== undefined) row.revoked_by = patch.revokedBy;
      if (patch.reviewedAt !== undefined) row.reviewed_at = patch.reviewedAt;
      return (await q.update(row)) > 0;
    },

    async recordSwitch(s: { delegationId: number; customerId: string; customerUserId: number; login: string; direction: 'in' | 'out' | 'ended'; via: 'session' | 'api'; at: string }, tx?: Tx): Promise<void> {
      await db(tx)(tables.delegation_switches).insert({
        delegation_id: s.delegationId, customer_id: s.customerId, customer_user_id: s.customerUserId, login: s.login, direction: s.direction, via: s.via, at: s.at,
      });
    },

    /** Has this person used the delegation through the API (header) since `since`? */
    async usedByApiSince(delegationId: number, customerUserId: number, since: string): Promise<boolean> {
      const [row] = await rowsOf<{ id: number }>(knex(tables.delegation_switches).where({ delegation_id: delegationId, customer_user_id: customerUserId, via: 'api', direction: 'in' }).where('at', '>=', since).select('id').limit(1));
      return row !== undefined;
    },

    /**
     * Delegated activity counted to the organisation it happened in (the seed's charge-back): switches in,
     * tickets filed and messages written under a delegation, form runs, audited changes; since `since`.
     */
    async usage(customerId: string, since: string): Promise<UsageRow[]> {
      const delegations = (await rowsOf<DelegationRow>(knex(tables.delegations).where('customer_id', customerId).orderBy('id', 'desc').limit(LIST_CAP))).map(toDelegation);
      if (!delegations.length) return [];
      const ids = delegations.map((d) => d.id);
      const countBy = async (table: string, at: string, extra?: (q: Knex.QueryBuilder) => void): Promise<Map<number, { n: number; last: string | null }>> => {
        const q = knex(table).whereIn('delegation_id', ids).where(at, '>=', since).groupBy('delegation_id').select('delegation_id').count({ n: '*' }).max({ last: at });
        extra?.(q);
        const rows = await rowsOf<{ delegation_id: number; n: unknown; last: string | null }>(q);
        return new Map(rows.map((r) => [Number(r.delegation_id), { n: toCount(r.n), last: r.last }]));
      };
      const [switches, tickets, messages, runs, audited] = [
        await countBy(tables.delegation_switches, 'at', (q) => q.where('direction', 'in')),
        await countBy(tables.tickets, 'created_at', (q) => q.where('customer_id', customerId)),
        await countBy(tables.ticket_messages, 'created_at'),
        await countBy(tables.form_runs, 'created_at'),
        await countBy(tables.audit_log, 'at', (q) => q.where('effective_customer_id', customerId)),
      ];
      return delegations.map((d) => {
        const parts = [switches, tickets, messages, runs, audited].map((m) => m.get(d.id));
        const last = parts.map((p) => p?.last ?? null).filter((v): v is string => v !== null).sort().at(-1) ?? null;
        return {
          delegationId: d.id, email: d.email, role: d.role,
          switchesIn: parts[0]?.n ?? 0, ticketsFiled: parts[1]?.n ?? 0, messagesWritten: parts[2]?.n ?? 0, formRuns: parts[3]?.n ?? 0, auditedChanges: parts[4]?.n ?? 0,
          lastActivityAt: last,
        };
      });
    },
  };
}

export type DelegationStore = ReturnType<typeof createDelegationStore>;
