import type { z } from 'zod';
import type { AuditService, AuditSubject } from '../../audit/service.js';
import type { CatalogueStore } from '../../access/catalogue/store.js';
import type { GroupStore } from '../../access/groups/store.js';
import type { CustomerUserRecord } from '../../customers/backends/backend.js';
import type { DbBackend } from '../../customers/backends/db/backend.js';
import type { CustomerUserStore } from '../../customers/backends/db/store.js';
import type { createCustomerUserRules } from '../../customers/customer-user-rules.js';
import type { FieldMap } from '../../customers/field-map.js';
import type { Tx } from '../../db/transaction.js';
import type { ActionType } from '../definition.js';
import type { Party, RunStore } from '../run-store.js';
import type { WebhookSender } from '../webhook.js';

/** What actions write through: the existing stores, always with the run's transaction. */
export interface ActionPorts {
  groups: GroupStore;
  catalogue: CatalogueStore;
  runs: RunStore;
  users: {
    store: CustomerUserStore;
    db: DbBackend;
    rules: ReturnType<typeof createCustomerUserRules>;
    recordMap(backend: string): Promise<FieldMap>;
  };
  audit: AuditService;
  webhook: WebhookSender;
  emailUnique: boolean;
  /** Is the login an agent's? Read with the run's transaction. */
  agentLoginTaken(login: string, tx: Tx): Promise<boolean>;
  /** After commit: mails a set-password link to the user (a failure is logged, never undoes the run). */
  /** After commit; the audit entry names who asked (the run's subject), not the engine. */
  sendPasswordLink(userId: number, subject: AuditSubject): Promise<void>;
  /** After commit: a plain mail. */
  sendMail(to: string, subject: string, text: string): Promise<void>;
  /** After commit: a ticket in a queue for the customer user, by the form run. */
  createTicket(input: { queue: string; title: string; body: string; customerUserId: number; runId: number }): Promise<string>;
}

/** One run's execution: the stored target, who asked, and the work to do once the transaction commits. */
export interface ActionContext {
  runId: number;
  formKey: string;
  requester: Party;
  target: CustomerUserRecord | null;
  targetCustomerId: string | null;
  values: Record<string, string | boolean | null>;
  subject: AuditSubject;
  tx: Tx;
  /** Sent or done only after commit (mails, sessions to end, follow-up tickets). */
  afterCommit(work: () => Promise<unknown>): void;
  /** After commit: the user's sessions end (their validity or permissions changed). */
  endSessionsOf(customerUserId: number): void;
  /** The database backend's field map, read before the transaction (SQLite has one connection). */
  map: FieldMap;
  /** Users created earlier in this run, by login (a later send-password-link names them). */
  created: Map<string, CustomerUserRecord>;
}

export interface ActionModule<I> {
  type: ActionType;
  /** The typed input, parsed from the resolved value references. */
  input: z.ZodType<I>;
  /** The dry-run text: what the action will do. */
  describe(input: I): string;
  /** Does the work inside ctx.tx; answers what it did. Throws to roll the whole run back. */
  execute(ctx: ActionContext, input: I, ports: ActionPorts): Promise<string>;
}

/** Registers a module without losing its input type at the call site. */
export const defineAction = <I>(module: ActionModule<I>): ActionModule<I> => module;
