import type { Knex } from 'knex';
import type { Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
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
 * The part of the log an actor may read, decided here so that the screen, the API and any export
 * share it. Admins read everything. Extension point: key users will get `audit.read` for their own
 * customers; narrow the filter to their customers' entries (effective customer) here, never in a route.
 */
function visibleTo(actor: Actor, filter: AuditFilter): AuditFilter {
  requireCapability(actor, 'audit.read');
  return filter;
}

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

    list(actor: Actor, filter: AuditFilter): Promise<AuditEntry[]> {
      return deps.store.list(visibleTo(actor, filter));
    },

    /**
     * One page, newest first. `total` counts every entry matching the filter, ignoring the `beforeId`
     * cursor, so it stays the same while paging; `hasOlder` says whether a further page exists.
     */
    async page(actor: Actor, filter: AuditFilter): Promise<{ items: AuditEntry[]; total: number; hasOlder: boolean }> {
      const scoped = visibleTo(actor, filter);
      const { beforeId: _cursor, ...matching } = scoped;
      const [rows, total] = await Promise.all([deps.store.list({ ...scoped, limit: scoped.limit + 1 }), deps.store.count(matching)]);
      return { items: rows.slice(0, scoped.limit), total, hasOlder: rows.length > scoped.limit };
    },

    /** For the CLI operator, who has the database anyway. */
    verify: () => deps.store.verify(),

    /**
     * The chain spans every customer: when key users get `audit.read`, this needs a capability of its
     * own (or a check that the actor sees everything), since its count reveals other customers' activity.
     */
    verifyAsActor(actor: Actor) {
      requireCapability(actor, 'audit.read');
      return deps.store.verify();
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
