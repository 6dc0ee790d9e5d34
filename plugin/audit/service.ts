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
      requireCapability(actor, 'audit.read');
      return deps.store.list(filter);
    },

    verify: () => deps.store.verify(),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
