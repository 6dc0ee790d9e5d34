import type { Knex } from 'knex';
import { ownKeyUserOf, type Actor } from '../access/actor.js';
import { can, requireCapability } from '../access/policy.js';
import { forbidden } from '../errors.js';
import type { AuditEntry, AuditFilter, AuditStore } from './store.js';

/** Who did it, as the audit trail records it: the real person and the organisation they acted in. */
export interface AuditSubject {
  kind: string;
  login: string;
  effectiveCustomerId: string | null;
  delegationId: number | null;
  ip: string | null;
}

export const auditSubjectOf = (actor: Actor, ip: string | null = null): AuditSubject => ({
  kind: actor.kind,
  login: actor.login,
  effectiveCustomerId: actor.effectiveCustomerId,
  delegationId: actor.delegation?.id ?? null,
  ip,
});

/** Changes made from the command line: the operator at the shell is the actor. */
export const cliSubject = (): AuditSubject => ({
  kind: 'cli',
  login: process.env.USER ?? process.env.LOGNAME ?? 'cli',
  effectiveCustomerId: null,
  delegationId: null,
  ip: null,
});

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId: string | number;
  before?: unknown;
  after?: unknown;
}

/**
 * Whose entries an actor may read: everything (admins), or the entries made in the organisations the
 * person is key user of by their own mark (not as a deputy; never from a session switched into another
 * organisation through a delegation, so a delegate never reads C's log). Anybody else: 403.
 */
export type AuditScope = { kind: 'all' } | { kind: 'customers'; customerIds: string[] };

/** What a reader asks for; the service adds the organisations the reader may see. */
export interface AuditQuery extends Omit<AuditFilter, 'effectiveCustomerIds'> {
  /** Only entries made in this organisation (exact customer ID); a key user's must be one of theirs. */
  customerId?: string;
}

function scopeOf(actor: Actor): AuditScope {
  if (can(actor, 'audit.read')) return { kind: 'all' };
  requireCapability(actor, 'audit.read-own-customer');
  const customerIds = ownKeyUserOf(actor);
  if (customerIds.length === 0) throw forbidden('Only key users read the audit log of their organisation, in their own session.');
  return { kind: 'customers', customerIds };
}

/**
 * The part of the log an actor may read, decided here so that the screen, the API and any export
 * share it: admins the whole log, key users the entries whose effective organisation is one of theirs.
 */
function visibleTo(actor: Actor, query: AuditQuery): AuditFilter {
  const scope = scopeOf(actor);
  const { customerId, ...filter } = query;
  if (scope.kind === 'all') return customerId === undefined ? filter : { ...filter, effectiveCustomerIds: [customerId] };
  if (customerId !== undefined && !scope.customerIds.includes(customerId)) throw forbidden('You may read the audit log of your own organisation only.');
  return { ...filter, effectiveCustomerIds: customerId === undefined ? scope.customerIds : [customerId] };
}

/** IP addresses are personal data for the admins' eyes: a key user reads what was done, not from where. */
const forReader = (actor: Actor, entries: AuditEntry[]): AuditEntry[] => (can(actor, 'audit.read') ? entries : entries.map((e) => ({ ...e, ip: null })));

export function createAuditService(deps: { store: AuditStore }) {
  return {
    record(subject: AuditSubject, record: AuditRecord, trx?: Knex.Transaction): Promise<AuditEntry> {
      return deps.store.append(
        {
          actorKind: subject.kind,
          actorLogin: subject.login,
          effectiveCustomerId: subject.effectiveCustomerId,
          delegationId: subject.delegationId,
          action: record.action,
          objectType: record.objectType,
          objectId: String(record.objectId),
          before: record.before,
          after: record.after,
          ip: subject.ip,
        },
        trx,
      );
    },

    /** Whose entries the actor reads (403 for somebody who reads none), for guards and the screens' choices. */
    scope: scopeOf,

    async list(actor: Actor, query: AuditQuery): Promise<AuditEntry[]> {
      return forReader(actor, await deps.store.list(visibleTo(actor, query)));
    },

    /**
     * One page, newest first. `total` counts every entry matching the filter, ignoring the `beforeId`
     * cursor, so it stays the same while paging; `hasOlder` says whether a further page exists.
     */
    async page(actor: Actor, query: AuditQuery): Promise<{ items: AuditEntry[]; total: number; hasOlder: boolean }> {
      const scoped = visibleTo(actor, query);
      const { beforeId: _cursor, ...matching } = scoped;
      const [rows, total] = await Promise.all([deps.store.list({ ...scoped, limit: scoped.limit + 1 }), deps.store.count(matching)]);
      return { items: forReader(actor, rows.slice(0, scoped.limit)), total, hasOlder: rows.length > scoped.limit };
    },

    /** For the CLI operator, who has the database anyway. */
    verify: () => deps.store.verify(),

    /**
     * Admins only (`audit.read`): the chain spans every customer, so its count would reveal other
     * customers' activity to a key user.
     */
    verifyAsActor(actor: Actor) {
      requireCapability(actor, 'audit.read');
      return deps.store.verify();
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
