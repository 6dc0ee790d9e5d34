import type { Actor } from '../access/actor.js';
import type { AuditSubject } from '../audit/service.js';
import type { ActionType, FormDefinition } from './definition.js';

/**
 * The forms engine as screens, API and jobs see it. `FormsService` keeps the definitions and answers
 * who may use what on whom; `RunsService` takes submissions through approval to execution; both decide
 * access themselves (one policy: `plugin/forms/scope.ts`).
 */

export interface FormSummary {
  key: string;
  version: number;
  validity: 'valid' | 'invalid';
  title: string;
  description: string;
  category: FormDefinition['category'];
  target: FormDefinition['target'];
  needsApproval: boolean;
}

export interface StoredForm {
  key: string;
  version: number;
  validity: 'valid' | 'invalid';
  definition: FormDefinition;
  updatedAt: string;
  updatedBy: string;
}

export interface FormVersion {
  version: number;
  savedAt: string;
  savedBy: string;
  definition: FormDefinition;
}

/** An option of a select or a target picker; only ever what the requester may see. */
export interface Choice {
  value: string;
  label: string;
}

/** What a run acts on, resolved from stored data (never from what the request claims beyond the id). */
export type RunTarget =
  | { kind: 'customer-user'; id: number; login: string; customerId: string; name: string }
  | { kind: 'customer'; customerId: string; name: string }
  | null;

export type RunState = 'awaiting-approval' | 'running' | 'completed' | 'failed' | 'rejected' | 'expired' | 'cancelled';

export type ApprovalState = 'pending' | 'waiting' | 'approved' | 'rejected' | 'expired' | 'superseded';

export interface ApprovalView {
  id: number;
  runId: number;
  step: number;
  /** 'pending' may be decided now; 'waiting' belongs to a later step (sequence) and may not be decided yet. */
  state: ApprovalState;
  approver: { kind: 'agent' | 'customer-user'; id: number; login: string; name: string };
  /** Why this person: manager-of-target, key-user, agents-in-group:<g>. */
  reason: string;
  /** SHA-256 of the run's payload this approval is bound to. */
  payloadHash: string;
  expiresAt: string;
  decidedAt: string | null;
  comment: string | null;
}

export interface ActionResult {
  index: number;
  type: ActionType;
  /** What the action does (dry-run description), in the requester's language where it matters. */
  description: string;
  outcome: 'done' | 'failed' | 'not-run';
  detail: string | null;
}

export interface FormRun {
  id: number;
  form: { key: string; version: number; title: string };
  requester: { kind: 'agent' | 'customer-user'; id: number; login: string; name: string };
  target: RunTarget;
  values: Record<string, string | boolean | null>;
  payloadHash: string;
  state: RunState;
  ticketNumber: string | null;
  approvals: ApprovalView[];
  /** Every action with what it will do (before execution) or did (after). */
  actions: ActionResult[];
  error: string | null;
  delegationId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FormsService {
  /** Forms the actor may use (admins: every valid form), optionally of one category. */
  usable(actor: Actor, opts?: { category?: FormDefinition['category'] }): Promise<FormSummary[]>;
  /** Admins: every form, also invalid ones. */
  listAll(actor: Actor): Promise<FormSummary[]>;
  /** The definition, for those who may use it (or admins); 404 otherwise. */
  get(actor: Actor, key: string): Promise<StoredForm>;
  /** Admins: create or update (new version); 409 edit_conflict on a stale expectedVersion. Audited. */
  save(actor: Actor, key: string, input: unknown, expectedVersion: number | undefined, subject: AuditSubject): Promise<StoredForm>;
  setValidity(actor: Actor, key: string, validity: 'valid' | 'invalid', subject: AuditSubject): Promise<StoredForm>;
  versions(actor: Actor, key: string): Promise<FormVersion[]>;
  /** Targets the actor may pick for this form (scope rule), searched by words, at most `limit`. */
  targets(actor: Actor, key: string, opts: { search?: string; limit: number }): Promise<Choice[]>;
  /** The options of a select field, filtered to the actor's scope (customer users in scope, entitled services…). */
  choices(actor: Actor, key: string, field: string, opts: { search?: string; limit: number; target?: string }): Promise<Choice[]>;
}

export interface RunsService {
  /**
   * Validates against the stored form, target and scope (403 out of scope, 422 failed check, 400 bad value),
   * records the run and its request ticket, opens the first approval step or executes at once.
   * The same idempotency key answers the first run (`replayed`), another body with it 409.
   */
  submit(actor: Actor, key: string, input: { target?: string | undefined; values: Record<string, unknown> }, idempotencyKey: string | null, subject: AuditSubject): Promise<{ run: FormRun; replayed: boolean }>;
  /** Requester, approvers, agents who see the request ticket, admins; 404 for anybody else. */
  get(actor: Actor, id: number): Promise<FormRun>;
  /** Runs the actor requested (`mine`) or may see (`all`: admins; key users for their customers); `formKey` narrows to one form. */
  list(actor: Actor, opts: { scope: 'mine' | 'all'; state?: RunState; formKey?: string; limit: number; offset: number }): Promise<{ items: FormRun[]; total: number }>;
  /** The requester withdraws a run still awaiting approval. */
  cancel(actor: Actor, id: number, subject: AuditSubject): Promise<FormRun>;
  /**
   * Approvals waiting for the actor (pending and decidable now), newest first: their own, and those of
   * the people they stand in for as holiday deputy right now (`onBehalfOf` names that approver of record).
   */
  myApprovals(actor: Actor): Promise<{ approval: ApprovalView; run: FormRun; onBehalfOf: ApprovalView['approver'] | null }[]>;
  /**
   * Decides one approval, as its approver or as their holiday deputy while the period runs (recorded as
   * "<deputy> (deputy of <approver>)", the audit entry's `onBehalfOf`). Refused: neither (404), the requester (403 self_approval), already
   * decided (409 already_decided: no replays), a later step (409 not_yet), expired (409 expired), or a
   * payload hash that is not the run's (409 payload_changed). The last needed approval executes the run.
   */
  decide(actor: Actor, approvalId: number, decision: { approve: boolean; comment?: string; payloadHash?: string }, subject: AuditSubject): Promise<FormRun>;
  /**
   * Background job: expires overdue approvals (and their runs), sends reminders, and recovers runs left
   * 'running' by a process that died mid-execution (carried out again once); answers counts.
   */
  sweep(now?: Date): Promise<{ expired: number; reminded: number; recovered: number }>;
}
