import type { Knex } from 'knex';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { fromDbJson, toCount, toDbJson, toDbTime } from '../db/values.js';
import type { ActionResult, ApprovalState, ApprovalView, RunState, RunTarget } from './types.js';

export type PartyKind = 'agent' | 'customer-user';

export interface Party {
  kind: PartyKind;
  id: number;
  login: string;
  name: string;
}

/** A run as stored; the service adds the form title and the approvals for views. */
export interface RunRecord {
  id: number;
  formKey: string;
  formVersion: number;
  requester: Party;
  target: RunTarget;
  values: Record<string, string | boolean | null>;
  payloadHash: string;
  state: RunState;
  ticketId: number | null;
  ticketNumber: string | null;
  actions: ActionResult[];
  error: string | null;
  delegationId: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ApprovalRecord extends ApprovalView {
  remindedAt: string | null;
  decidedBy: string | null;
}

export type NewRun = Omit<RunRecord, 'id' | 'ticketId' | 'ticketNumber' | 'createdAt' | 'updatedAt' | 'version'>;
export type NewApproval = Omit<ApprovalRecord, 'id' | 'runId' | 'decidedAt' | 'comment' | 'remindedAt' | 'decidedBy'>;

interface RunRow {
  id: number;
  form_key: string;
  form_version: number;
  requester_kind: string;
  requester_id: number;
  requester_login: string;
  requester_name: string;
  target_kind: string;
  target_id: number | null;
  target_login: string | null;
  target_customer_id: string | null;
  target_label: string | null;
  values_json: string;
  payload_hash: string;
  state: string;
  ticket_id: number | null;
  ticket_number: string | null;
  actions_json: string;
  error: string | null;
  delegation_id: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

interface ApprovalRow {
  id: number;
  run_id: number;
  step: number;
  approver_kind: string;
  approver_id: number;
  approver_login: string;
  approver_name: string;
  reason: string;
  state: string;
  payload_hash: string;
  expires_at: string;
  reminded_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  comment: string | null;
}

const partyKind = (kind: string): PartyKind => (kind === 'agent' ? 'agent' : 'customer-user');

function targetOf(row: RunRow): RunTarget {
  if (row.target_kind === 'customer-user' && row.target_id !== null) {
    return { kind: 'customer-user', id: Number(row.target_id), login: row.target_login ?? '', customerId: row.target_customer_id ?? '', name: row.target_label ?? '' };
  }
  if (row.target_kind === 'customer') return { kind: 'customer', customerId: row.target_customer_id ?? '', name: row.target_label ?? '' };
  return null;
}

const toRun = (row: RunRow): RunRecord => ({
  id: Number(row.id),
  formKey: row.form_key,
  formVersion: Number(row.form_version),
  requester: { kind: partyKind(row.requester_kind), id: Number(row.requester_id), login: row.requester_login, name: row.requester_name },
  target: targetOf(row),
  values: fromDbJson<Record<string, string | boolean | null>>(row.values_json, {}),
  payloadHash: row.payload_hash,
  state: row.state as RunState,
  ticketId: row.ticket_id === null ? null : Number(row.ticket_id),
  ticketNumber: row.ticket_number,
  actions: fromDbJson<ActionResult[]>(row.actions_json, []),
  error: row.error,
  delegationId: row.delegation_id === null ? null : Number(row.delegation_id),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: Number(row.version),
});

const toApproval = (row: ApprovalRow): ApprovalRecord => ({
  id: Number(row.id),
  runId: Number(row.run_id),
  step: Number(row.step),
  state: row.state as ApprovalState,
  approver: { kind: partyKind(row.approver_kind), id: Number(row.approver_id), login: row.approver_login, name: row.approver_name },
  reason: row.reason,
  payloadHash: row.payload_hash,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
  comment: row.comment,
  remindedAt: row.reminded_at,
  decidedBy: row.decided_by,
});

export interface RunFilter {
  requester?: { kind: PartyKind; id: number };
  /** Runs whose target belongs to one of these customers (key users' "all"). */
  targetCustomerIds?: readonly string[];
  state?: RunState;
  /** Runs of one form (any version). */
  formKey?: string;
  limit: number;
  offset: number;
}

/** Runs, approvals, request-ticket participants and webhook dead letters. */
export function createRunStore(knex: Knex, tables: TableNames) {
  const db = (tx?: Tx) => tx ?? knex;
  const runs = (tx?: Tx) => db(tx)(`${tables.form_runs} as r`).leftJoin(`${tables.tickets} as t`, 't.id', 'r.ticket_id');
  const runColumns = ['r.*', 't.number as ticket_number'];

  function filtered(filter: RunFilter): Knex.QueryBuilder {
    const q = runs();
    if (filter.requester) void q.where({ 'r.requester_kind': filter.requester.kind, 'r.requester_id': filter.requester.id });
    if (filter.targetCustomerIds) void q.whereIn('r.target_customer_id', filter.targetCustomerIds.length ? [...filter.targetCustomerIds] : ['\u0000']);
    if (filter.state) void q.where('r.state', filter.state);
    if (filter.formKey !== undefined) void q.where('r.form_key', filter.formKey);
    return q;
  }

  return {
    async insertRun(run: NewRun, tx: Tx): Promise<number> {
      const now = toDbTime();
      const target = run.target;
      const [id] = await tx<Record<string, unknown>, number[]>(tables.form_runs).insert({
        form_key: run.formKey,
        form_version: run.formVersion,
        requester_kind: run.requester.kind,
        requester_id: run.requester.id,
        requester_login: run.requester.login,
        requester_name: run.requester.name.slice(0, 200),
        target_kind: target?.kind ?? 'none',
        target_id: target?.kind === 'customer-user' ? target.id : null,
        target_login: target?.kind === 'customer-user' ? target.login : null,
        target_customer_id: target?.customerId ?? null,
        target_label: target ? target.name.slice(0, 300) : null,
        values_json: toDbJson(run.values),
        payload_hash: run.payloadHash,
        state: run.state,
        actions_json: toDbJson(run.actions),
        error: run.error,
        delegation_id: run.delegationId,
        created_at: now,
        updated_at: now,
      });
      return Number(id);
    },

    async findRun(id: number, tx?: Tx): Promise<RunRecord | null> {
      const [row] = await rowsOf<RunRow>(runs(tx).where('r.id', id).select(runColumns));
      return row ? toRun(row) : null;
    },

    async findRunsByTicket(ticketIds: readonly number[]): Promise<RunRecord[]> {
      if (!ticketIds.length) return [];
      return (await rowsOf<RunRow>(runs().whereIn('r.ticket_id', [...ticketIds]).select(runColumns))).map(toRun);
    },

    async listRuns(filter: RunFilter): Promise<{ items: RunRecord[]; total: number }> {
      const [rows, count] = await Promise.all([
        rowsOf<RunRow>(filtered(filter).select(runColumns).orderBy([{ column: 'r.created_at', order: 'desc' }, { column: 'r.id', order: 'desc' }]).limit(filter.limit).offset(filter.offset)),
        rowsOf<{ n: unknown }>(filtered(filter).count({ n: '*' })),
      ]);
      return { items: rows.map(toRun), total: toCount(count[0]?.n) };
    },

    /** Moves a run on, only from the state the caller saw (two deciders at once: one wins). */
    async updateRun(id: number, from: readonly RunState[], patch: { state?: RunState; actions?: ActionResult[]; error?: string | null; ticketId?: number; payloadHash?: string; values?: RunRecord['values'] }, tx?: Tx): Promise<boolean> {
      const update: Record<string, unknown> = { updated_at: toDbTime(), version: db(tx).raw('version + 1') };
      if (patch.state !== undefined) update.state = patch.state;
      if (patch.actions !== undefined) update.actions_json = toDbJson(patch.actions);
      if (patch.error !== undefined) update.error = patch.error;
      if (patch.ticketId !== undefined) update.ticket_id = patch.ticketId;
      if (patch.payloadHash !== undefined) update.payload_hash = patch.payloadHash;
      if (patch.values !== undefined) update.values_json = toDbJson(patch.values);
      return (await db(tx)(tables.form_runs).where('id', id).whereIn('state', [...from]).update(update)) > 0;
    },

    /** Runs still 'running' whose row was last written at or before `before`, oldest first. */
    async staleRunning(before: string, limit = 100): Promise<RunRecord[]> {
      const rows = await rowsOf<RunRow>(runs().where('r.state', 'running').where('r.updated_at', '<=', before).select(runColumns).orderBy([{ column: 'r.updated_at', order: 'asc' }, { column: 'r.id', order: 'asc' }]).limit(limit));
      return rows.map(toRun);
    },

    /**
     * Takes a stale running run for recovery, only at the version the caller read: of two sweeps that saw
     * the same row, exactly one matches (the other finds the version moved on). Touches `updated_at`, so
     * the run is not stale again before another grace period has passed, and sets `error` to `mark`.
     * `state` moves it on (e.g. to 'failed') instead of keeping it running.
     */
    async claimStale(id: number, version: number, patch: { error: string; state?: RunState }, tx?: Tx): Promise<boolean> {
      const update: Record<string, unknown> = { updated_at: toDbTime(), version: version + 1, error: patch.error };
      if (patch.state !== undefined) update.state = patch.state;
      return (await db(tx)(tables.form_runs).where({ id, state: 'running', version }).update(update)) > 0;
    },

    async insertApprovals(runId: number, approvals: readonly NewApproval[], tx: Tx): Promise<void> {
      if (!approvals.length) return;
      await tx(tables.form_approvals).insert(
        approvals.map((a) => ({
          run_id: runId,
          step: a.step,
          approver_kind: a.approver.kind,
          approver_id: a.approver.id,
          approver_login: a.approver.login,
          approver_name: a.approver.name.slice(0, 200),
          reason: a.reason.slice(0, 300),
          state: a.state,
          payload_hash: a.payloadHash,
          expires_at: a.expiresAt,
        })),
      );
    },

    async approvalsOf(runIds: readonly number[], tx?: Tx): Promise<ApprovalRecord[]> {
      if (!runIds.length) return [];
      return (await rowsOf<ApprovalRow>(db(tx)(tables.form_approvals).whereIn('run_id', [...runIds]).orderBy(['run_id', 'step', 'id']))).map(toApproval);
    },

    async findApproval(id: number, tx?: Tx): Promise<ApprovalRecord | null> {
      const [row] = await rowsOf<ApprovalRow>(db(tx)(tables.form_approvals).where('id', id));
      return row ? toApproval(row) : null;
    },

    async approvalsFor(approver: { kind: PartyKind; id: number }, states: readonly ApprovalState[]): Promise<ApprovalRecord[]> {
      const rows = await rowsOf<ApprovalRow>(knex(tables.form_approvals).where({ approver_kind: approver.kind, approver_id: approver.id }).whereIn('state', [...states]).orderBy('id', 'desc').limit(500));
      return rows.map(toApproval);
    },

    /** Is this person an approver of the run (any state)? */
    async isApproverOf(runId: number, approver: { kind: PartyKind; id: number }): Promise<boolean> {
      const [row] = await rowsOf<{ id: number }>(knex(tables.form_approvals).where({ run_id: runId, approver_kind: approver.kind, approver_id: approver.id }).select('id').limit(1));
      return row !== undefined;
    },

    /** Changes approvals only from the states given; answers how many changed. */
    async setApprovals(where: { ids?: readonly number[]; runId?: number; step?: number }, from: readonly ApprovalState[], patch: { state: ApprovalState; decidedAt?: string; decidedBy?: string; comment?: string | null; expiresAt?: string }, tx?: Tx): Promise<number> {
      const q = db(tx)(tables.form_approvals).whereIn('state', [...from]);
      if (where.ids) void q.whereIn('id', [...where.ids]);
      if (where.runId !== undefined) void q.where('run_id', where.runId);
      if (where.step !== undefined) void q.where('step', where.step);
      const update: Record<string, unknown> = { state: patch.state };
      if (patch.decidedAt !== undefined) update.decided_at = patch.decidedAt;
      if (patch.decidedBy !== undefined) update.decided_by = patch.decidedBy;
      if (patch.comment !== undefined) update.comment = patch.comment;
      if (patch.expiresAt !== undefined) update.expires_at = patch.expiresAt;
      return q.update(update);
    },

    async overdueApprovals(now: string): Promise<ApprovalRecord[]> {
      return (await rowsOf<ApprovalRow>(knex(tables.form_approvals).where('state', 'pending').where('expires_at', '<=', now).orderBy('id').limit(1000))).map(toApproval);
    },

    /** Pending approvals expiring before `until` and never reminded. */
    async approvalsToRemind(now: string, until: (a: ApprovalRecord) => boolean): Promise<ApprovalRecord[]> {
      const rows = await rowsOf<ApprovalRow>(knex(tables.form_approvals).where('state', 'pending').whereNull('reminded_at').where('expires_at', '>', now).orderBy('id').limit(1000));
      return rows.map(toApproval).filter(until);
    },

    async markReminded(id: number, at: string): Promise<boolean> {
      return (await knex(tables.form_approvals).where('id', id).whereNull('reminded_at').update({ reminded_at: at })) > 0;
    },

    async addParticipants(ticketId: number, participants: readonly { principal: string; role: 'requester' | 'approver' }[], tx?: Tx): Promise<void> {
      const unique = [...new Map(participants.map((p) => [p.principal, p])).values()];
      if (!unique.length) return;
      await db(tx)(tables.ticket_participants)
        .insert(unique.map((p) => ({ ticket_id: ticketId, principal: p.principal, role: p.role })))
        .onConflict(['ticket_id', 'principal'])
        .ignore();
    },

    /** A service assigned by a run: the row remembers the run (the reason "via form run N"). */
    async assignService(customerUserId: number, serviceId: number, runId: number, tx: Tx): Promise<void> {
      const [existing] = await rowsOf<{ service_id: number }>(tx(tables.customer_user_services).where({ customer_user_id: customerUserId, service_id: serviceId }).select('service_id'));
      if (existing) await tx(tables.customer_user_services).where({ customer_user_id: customerUserId, service_id: serviceId }).update({ form_run_id: runId });
      else await tx(tables.customer_user_services).insert({ customer_user_id: customerUserId, service_id: serviceId, form_run_id: runId });
    },

    async unassignService(customerUserId: number, serviceId: number, tx: Tx): Promise<void> {
      await tx(tables.customer_user_services).where({ customer_user_id: customerUserId, service_id: serviceId }).del();
    },

    async deadLetter(entry: { runId: number; url: string; body: string; lastError: string; attempts: number }): Promise<void> {
      await knex(tables.webhook_dead_letters).insert({ run_id: entry.runId, url: entry.url, body: entry.body, last_error: entry.lastError.slice(0, 2000), attempts: entry.attempts, created_at: toDbTime() });
    },

    async deadLetters(runId: number): Promise<{ url: string; lastError: string; attempts: number }[]> {
      const rows = await rowsOf<{ url: string; last_error: string; attempts: number }>(knex(tables.webhook_dead_letters).where('run_id', runId).orderBy('id').select('url', 'last_error', 'attempts'));
      return rows.map((r) => ({ url: r.url, lastError: r.last_error, attempts: Number(r.attempts) }));
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
