import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { principalKey, type Actor } from '../access/actor.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { IdempotencyStore } from '../db/idempotency.js';
import type { RunInTransaction } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { conflict, forbidden, LoketError, notFound, ruleViolation, validationError } from '../errors.js';
import { resolveApprovers, type Approver } from './approvers.js';
import { localise, type FormDefinition } from './definition.js';
import { plannedResults, type Executor } from './executor.js';
import type { FormStore } from './form-store.js';
import type { FormsEngine } from './forms-service.js';
import type { FormNotice, FormNotifier, RunFacts } from './notifications.js';
import { payloadHash } from './payload.js';
import { readablePayload, type RequestTickets } from './request-ticket.js';
import { checkCriteria, checkValues, type CriteriaDeps } from './run-checks.js';
import type { ApprovalRecord, NewApproval, Party, RunRecord, RunStore } from './run-store.js';
import { displayName as displayNameOf, isAdmin, keyUserCustomers, outOfScope, type Scope } from './scope.js';
import type { ScopeStore } from './scope-store.js';
import type { StandIns } from './stand-ins.js';
import type { ApprovalView, FormRun, RunsService, RunTarget } from './types.js';

export interface RunsServiceDeps {
  knex: Knex;
  forms: FormsEngine;
  formStore: FormStore;
  scope: Scope;
  scopeStore: ScopeStore;
  runs: RunStore;
  users: { findById(id: number): Promise<CustomerUserRecord | null>; findByLogin(login: string): Promise<CustomerUserRecord | null> };
  criteria: CriteriaDeps;
  execute: Executor;
  requestTickets: RequestTickets;
  notifier: FormNotifier;
  audit: AuditService;
  transaction: RunInTransaction;
  idempotency: IdempotencyStore;
  /** May the actor see this ticket (agents through its queue)? */
  seesTicket(actor: Actor, number: string): Promise<boolean>;
  /** Holiday deputies: who may decide an approver's approvals in their place right now. */
  standIns: StandIns;
}

const HOUR = 3_600_000;
/**
 * A run still 'running' this long after its row was last written was abandoned: the process executing it
 * died (execution is one transaction, so nothing of it stayed). The sweep carries it out again. Far beyond
 * a normal execution (with the default webhook settings a few seconds; even the largest allowed webhook
 * timeout and retries stay near it, and a run that was only slow still commits at most once: see executor).
 */
export const RECOVER_AFTER_MS = 10 * 60_000;
/** Written on a run the sweep takes over; a run found stale again with it was interrupted twice and fails. */
export const RECOVERY_MARK = 'Interrupted before it finished; carried out again by the recovery sweep.';
const GIVEN_UP = 'Interrupted twice before it finished; nothing was changed. Submit the request again, or ask the service desk.';
/** The idempotency operation per form (the column holds 40 characters: a long key is hashed). */
const OPERATION = (key: string) => `form-run:${key.length <= 31 ? key : createHash('sha256').update(key).digest('hex').slice(0, 31)}`;
const codeOf = (err: unknown): string => (typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '');
/** "The other transaction won": the same key sent twice at once met at the unique index. */
const isDuplicate = (err: unknown) => codeOf(err) === 'ER_DUP_ENTRY' || codeOf(err).startsWith('SQLITE_CONSTRAINT_UNIQUE');
const err409 = (code: string, message: string) => conflict(message, undefined, code);
const partyOf = (actor: Actor): Party => ({ kind: actor.principal.type, id: actor.principal.id, login: actor.login, name: actor.displayName });
const isParty = (actor: Actor, p: { kind: string; id: number }) => actor.principal.type === p.kind && actor.principal.id === p.id;
const stripApproval = ({ remindedAt: _r, decidedBy: _d, ...view }: ApprovalRecord): ApprovalView => view;
/** decided_by of a deputy's decision names both people (the column holds 191 characters). */
const deciderOf = (actor: Actor, onBehalfOf: Party | null): string => (onBehalfOf ? `${actor.login} (deputy of ${onBehalfOf.login})` : actor.login).slice(0, 191);

const hashOf = (run: Pick<RunRecord, 'formKey' | 'formVersion' | 'target' | 'values'>): string =>
  payloadHash({
    formKey: run.formKey,
    version: run.formVersion,
    target: run.target ? { kind: run.target.kind, id: run.target.kind === 'customer-user' ? run.target.id : run.target.customerId } : null,
    values: run.values,
  });

/** Delegated form runs: submit → approval → execution → result, each step checked on stored data. */
export function createRunsService(deps: RunsServiceDeps): RunsService & { settle(): Promise<void> } {
  async function definitionOf(run: RunRecord): Promise<FormDefinition> {
    const form = await deps.formStore.version(run.formKey, run.formVersion);
    if (!form) throw new Error(`form ${run.formKey} v${run.formVersion} is missing`);
    return form;
  }

  async function view(run: RunRecord, language: string | null, approvals?: ApprovalRecord[]): Promise<FormRun> {
    const form = await definitionOf(run);
    const list = approvals ?? (await deps.runs.approvalsOf([run.id]));
    const target = run.target?.kind === 'customer-user' ? await deps.users.findById(run.target.id) : null;
    const actions = run.actions.length ? run.actions : plannedResults(form, { runId: run.id, values: run.values, target, targetCustomerId: run.target?.customerId ?? null, requester: { ...run.requester, email: null } });
    return {
      id: run.id,
      form: { key: run.formKey, version: run.formVersion, title: localise(form.title, language) },
      requester: run.requester,
      target: run.target,
      values: run.values,
      payloadHash: run.payloadHash,
      state: run.state,
      ticketNumber: run.ticketNumber,
      approvals: list.map(stripApproval),
      actions,
      error: run.error,
      delegationId: run.delegationId,
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
    };
  }

  const facts = (run: RunRecord, form: FormDefinition, language: string | null): RunFacts => ({
    id: run.id,
    title: localise(form.title, language),
    target: run.target?.name ?? run.requester.name,
    requester: run.requester.name,
  });

  async function recipientOf(party: Party): Promise<{ name: string; email: string | null; language: string | null }> {
    if (party.kind === 'customer-user') {
      const user = await deps.users.findById(party.id);
      return { name: party.name, email: user?.validity === 'valid' ? user.email : null, language: user?.language ?? null };
    }
    const agent = await deps.scopeStore.agentContact(party.id);
    return { name: party.name, email: agent?.email ?? null, language: agent?.language ?? null };
  }

  async function tell(run: RunRecord, form: FormDefinition, to: Party, notice: FormNotice): Promise<void> {
    const recipient = await recipientOf(to);
    deps.notifier.notify(recipient, facts(run, form, recipient.language), notice);
  }

  /**
   * An approval's mail (request or reminder) to its approver of record and to whoever stands in for them
   * now; never to the requester, who cannot decide their own run (also not as deputy).
   */
  async function tellApproval(run: RunRecord, form: FormDefinition, a: ApprovalRecord, kind: 'approval-requested' | 'approval-reminder'): Promise<void> {
    await tell(run, form, a.approver, { kind, approvalId: a.id, expiresAt: a.expiresAt });
    for (const s of await deps.standIns.deputiesOf([a.approver])) {
      if (run.requester.kind === 'customer-user' && run.requester.id === s.deputy.id) continue;
      const to = { name: displayNameOf(s.deputy), email: s.deputy.email, language: s.deputy.language };
      deps.notifier.notify(to, facts(run, form, to.language), { kind, approvalId: a.id, expiresAt: a.expiresAt, onBehalfOf: s.principal.name });
    }
  }

  async function tellApprovers(run: RunRecord, form: FormDefinition, step: number): Promise<void> {
    for (const a of (await deps.runs.approvalsOf([run.id])).filter((x) => x.step === step && x.state === 'pending')) {
      await tellApproval(run, form, a, 'approval-requested');
    }
  }

  async function resolveTarget(actor: Actor, form: FormDefinition, named: string | undefined): Promise<{ target: RunTarget; user: CustomerUserRecord | null }> {
    switch (form.target) {
      case 'none':
        return { target: null, user: null };
      case 'self': {
        if (actor.principal.type !== 'customer-user') throw ruleViolation('This form acts on the customer user who uses it.', 'target', 'no_target');
        const user = await deps.users.findById(actor.principal.id);
        if (!user) throw forbidden();
        return { target: { kind: 'customer-user', id: user.id, login: user.login, customerId: user.customerId, name: displayNameOf(user) }, user };
      }
      case 'customer-user': {
        if (!named) throw validationError('target: name the customer user (login).', 'target');
        const user = await deps.users.findByLogin(named);
        // A login that does not exist answers like one outside the scope: nothing to probe.
        if (!user || !(await deps.scope.userInScope(actor, form, user))) throw outOfScope();
        return { target: { kind: 'customer-user', id: user.id, login: user.login, customerId: user.customerId, name: displayNameOf(user) }, user };
      }
      case 'customer': {
        if (!named) throw validationError('target: name the customer (customer ID).', 'target');
        const [customer] = await deps.scopeStore.customers([named]);
        if (!customer || !deps.scope.customerInScope(actor, form, customer.customerId)) throw outOfScope();
        return { target: { kind: 'customer', customerId: customer.customerId, name: customer.name }, user: null };
      }
    }
  }

  /** Approvers of every step, the requester left out; a step with nobody refuses the run (422 no_approver). */
  async function approvalsFor(form: FormDefinition, requester: Party, user: CustomerUserRecord | null, target: RunTarget, hash: string): Promise<{ rows: NewApproval[]; approvers: Approver[] }> {
    if (!form.approval) return { rows: [], approvers: [] };
    const expiresAt = toDbTime(Date.now() + form.approval.expiresHours * HOUR);
    const rows: NewApproval[] = [];
    const approvers: Approver[] = [];
    for (const [i, step] of form.approval.steps.entries()) {
      const found = await resolveApprovers({ store: deps.scopeStore, findUser: (id) => deps.users.findById(id) }, step.approvers, { requester, target: user, targetCustomerId: target?.customerId ?? null });
      if (!found.length) throw ruleViolation(`Nobody can approve step ${i + 1} of this request (the requester never approves their own).`, 'approval', 'no_approver');
      for (const a of found) {
        approvers.push(a);
        rows.push({ step: i + 1, state: i === 0 ? 'pending' : 'waiting', approver: { kind: a.kind, id: a.id, login: a.login, name: a.name }, reason: a.reason, payloadHash: hash, expiresAt });
      }
    }
    return { rows, approvers };
  }

  /** Executes a run whose approvals are complete; every approval that counts must carry the run's current hash. */
  async function executeRun(runId: number, subject: AuditSubject): Promise<void> {
    const run = await deps.runs.findRun(runId);
    if (run?.state !== 'running') return;
    const form = await definitionOf(run);
    const current = hashOf(run);
    const approvals = await deps.runs.approvalsOf([run.id]);
    const stale = current !== run.payloadHash || approvals.some((a) => a.state === 'approved' && a.payloadHash !== current);
    const missing = (form.approval?.steps ?? []).some((step, i) => {
      const mine = approvals.filter((a) => a.step === i + 1);
      const approved = mine.filter((a) => a.state === 'approved' && a.payloadHash === current);
      return step.mode === 'all' ? approved.length === 0 || mine.some((a) => a.state !== 'approved') : approved.length === 0;
    });
    const target = run.target?.kind === 'customer-user' ? await deps.users.findById(run.target.id) : null;
    if (stale || missing) {
      const error = stale ? 'The payload changed after approval; no approval of another payload counts.' : 'The run is not approved.';
      await deps.runs.updateRun(run.id, ['running'], { state: 'failed', error });
      await deps.requestTickets.progress(run.ticketId, `Not carried out: ${error}`);
      return;
    }
    const requester = run.requester.kind === 'customer-user' ? await deps.users.findById(run.requester.id) : null;
    const outcome = await deps.execute(run, form, target, requester?.email ?? null, subject);
    if (outcome.state === 'superseded') return;
    const lines = outcome.actions.map((a) => `${a.index + 1}. ${a.description} — ${a.outcome}${a.detail ? `: ${a.detail}` : ''}`);
    await deps.requestTickets.progress(run.ticketId, outcome.state === 'completed' ? `Carried out:\n${lines.join('\n')}` : `Failed, nothing was changed: ${outcome.error ?? ''}\n${lines.join('\n')}`);
    await tell(run, form, run.requester, { kind: 'run-outcome', outcome: outcome.state, detail: outcome.error });
  }

  async function visibleRun(actor: Actor, id: number): Promise<RunRecord> {
    const run = Number.isSafeInteger(id) && id > 0 ? await deps.runs.findRun(id) : null;
    if (!run) throw notFound('No such request.');
    if (isAdmin(actor) || isParty(actor, run.requester)) return run;
    if (await deps.runs.isApproverOf(run.id, { kind: actor.principal.type, id: actor.principal.id })) return run;
    // A deputy sees the runs of the people they stand in for that wait for (or had) those people's approval.
    for (const principal of await deps.standIns.principalsOf(actor)) if (await deps.runs.isApproverOf(run.id, principal)) return run;
    if (run.target?.customerId && keyUserCustomers(actor).includes(run.target.customerId)) return run;
    if (run.ticketNumber && actor.principal.type === 'agent' && (await deps.seesTicket(actor, run.ticketNumber))) return run;
    throw notFound('No such request.');
  }

  return {
    async submit(actor, key, input, idempotencyKey, subject) {
      const stored = await deps.forms.usableForm(actor, key);
      const form = stored.definition;
      const claim = idempotencyKey === null ? null : { owner: principalKey(actor.principal), key: idempotencyKey, requestHash: createHash('sha256').update(JSON.stringify({ key, target: input.target ?? null, values: input.values })).digest('hex') };
      if (claim) {
        const earlier = await deps.idempotency.find(deps.knex, OPERATION(key), claim);
        if (earlier !== null) {
          const run = await deps.runs.findRun(Number(earlier));
          if (run) return { run: await view(run, actor.language), replayed: true };
        }
      }
      const { target, user } = await resolveTarget(actor, form, input.target);
      const values = await checkValues(form, input.values, actor.language, (field) => deps.forms.choicesOf(actor, form, field, user, { limit: 5000 }));
      await checkCriteria(form, values, user, deps.criteria);
      const requester = partyOf(actor);
      const base = { formKey: stored.key, formVersion: stored.version, target, values };
      const hash = hashOf(base);
      const { rows, approvers } = await approvalsFor(form, requester, user, target, hash);
      await deps.requestTickets.checkQueue(form);
      const planned = plannedResults(form, { runId: null, values, target: user, targetCustomerId: target?.customerId ?? null, requester: { ...requester, email: actor.email } });
      let runId: number;
      try {
        runId = await deps.transaction(async (tx) => {
          const id = await deps.runs.insertRun({ ...base, requester, payloadHash: hash, state: form.approval ? 'awaiting-approval' : 'running', actions: planned, error: null, delegationId: actor.delegation?.id ?? null }, tx);
          await deps.runs.insertApprovals(id, rows, tx);
          if (claim) await deps.idempotency.record(tx, OPERATION(key), claim, String(id));
          await deps.audit.record(subject, { action: 'run.submit', objectType: 'form-run', objectId: id, after: { form: stored.key, version: stored.version, target, values, payloadHash: hash, approvers: approvers.map((a) => `${a.kind}:${a.login}`) } }, tx);
          return id;
        });
      } catch (err) {
        // The same key sent twice at once: the other request committed first; answer with its run.
        if (claim && isDuplicate(err)) {
          const earlier = await deps.idempotency.find(deps.knex, OPERATION(key), claim);
          const run = earlier === null ? null : await deps.runs.findRun(Number(earlier));
          if (run) return { run: await view(run, actor.language), replayed: true };
        }
        throw err;
      }
      let run = await deps.runs.findRun(runId);
      if (!run) throw new Error('run vanished after insert');
      const owner = user ?? (actor.principal.type === 'customer-user' ? await deps.users.findById(actor.principal.id) : null);
      const participants = [principalKey(actor.principal), ...approvers.map((a) => `${a.kind}:${a.id}`)];
      const opened = await deps.requestTickets.open(run, form, owner, readablePayload(run, form, planned), participants);
      if (opened) await deps.runs.updateRun(run.id, [run.state], { ticketId: opened.ticketId });
      if (form.approval) await tellApprovers(run, form, 1);
      else await executeRun(run.id, subject);
      run = (await deps.runs.findRun(runId)) ?? run;
      return { run: await view(run, actor.language), replayed: false };
    },

    async get(actor, id) {
      return view(await visibleRun(actor, id), actor.language);
    },

    async list(actor, opts) {
      let filter: Parameters<RunStore['listRuns']>[0];
      if (opts.scope === 'all' && isAdmin(actor)) filter = { limit: opts.limit, offset: opts.offset };
      else if (opts.scope === 'all' && keyUserCustomers(actor).length) filter = { targetCustomerIds: keyUserCustomers(actor), limit: opts.limit, offset: opts.offset };
      else if (opts.scope === 'all') throw forbidden('Only admins and key users see other people\'s requests.');
      else filter = { requester: { kind: actor.principal.type, id: actor.principal.id }, limit: opts.limit, offset: opts.offset };
      if (opts.state) filter.state = opts.state;
      if (opts.formKey !== undefined) filter.formKey = opts.formKey;
      const page = await deps.runs.listRuns(filter);
      const approvals = await deps.runs.approvalsOf(page.items.map((r) => r.id));
      return { items: await Promise.all(page.items.map((r) => view(r, actor.language, approvals.filter((a) => a.runId === r.id)))), total: page.total };
    },

    async cancel(actor, id, subject) {
      const run = await visibleRun(actor, id);
      if (!isParty(actor, run.requester)) throw forbidden('Only the requester withdraws a request.');
      if (run.state !== 'awaiting-approval') throw err409('not_cancellable', `A request that is ${run.state} cannot be withdrawn.`);
      const done = await deps.transaction(async (tx) => {
        if (!(await deps.runs.updateRun(run.id, ['awaiting-approval'], { state: 'cancelled' }, tx))) return false;
        await deps.runs.setApprovals({ runId: run.id }, ['pending', 'waiting'], { state: 'superseded' }, tx);
        await deps.audit.record(subject, { action: 'run.cancel', objectType: 'form-run', objectId: run.id, before: { state: run.state }, after: { state: 'cancelled' } }, tx);
        return true;
      });
      if (!done) throw err409('not_cancellable', 'The request changed meanwhile; reload it.');
      await deps.requestTickets.progress(run.ticketId, `Withdrawn by ${actor.displayName}.`);
      return view((await deps.runs.findRun(run.id)) ?? run, actor.language);
    },

    async myApprovals(actor) {
      const now = toDbTime();
      const waiting: { approval: ApprovalRecord; onBehalfOf: Party | null }[] = (await deps.runs.approvalsFor({ kind: actor.principal.type, id: actor.principal.id }, ['pending'])).map((approval) => ({ approval, onBehalfOf: null }));
      // Those of the people the actor stands in for now, marked with whose they are.
      for (const principal of await deps.standIns.principalsOf(actor)) {
        for (const approval of await deps.runs.approvalsFor(principal, ['pending'])) waiting.push({ approval, onBehalfOf: principal });
      }
      waiting.sort((a, b) => b.approval.id - a.approval.id);
      const out: { approval: ApprovalView; run: FormRun; onBehalfOf: Party | null }[] = [];
      for (const { approval, onBehalfOf } of waiting.filter((w) => w.approval.expiresAt > now)) {
        const run = await deps.runs.findRun(approval.runId);
        // Nobody decides their own request, not as deputy either: such an approval is not theirs to list.
        if (run?.state !== 'awaiting-approval' || (onBehalfOf && isParty(actor, run.requester))) continue;
        out.push({ approval: stripApproval(approval), run: await view(run, actor.language), onBehalfOf });
      }
      return out;
    },

    async decide(actor, approvalId, decision, subject) {
      const approval = Number.isSafeInteger(approvalId) && approvalId > 0 ? await deps.runs.findApproval(approvalId) : null;
      const run = approval ? await deps.runs.findRun(approval.runId) : null;
      if (!approval || !run) throw notFound('No such approval.');
      if (isParty(actor, run.requester)) throw new LoketError({ status: 403, code: 'self_approval', message: 'Nobody approves their own request.' });
      // The approver of record, or their holiday deputy while the period runs (asked now, not at submit).
      const own = isParty(actor, approval.approver);
      const onBehalfOf = !own && (await deps.standIns.isDeputyOf(actor, approval.approver)) ? approval.approver : null;
      if (!own && !onBehalfOf) throw notFound('No such approval.');
      if (approval.state === 'waiting') throw err409('not_yet', 'An earlier approval step is still open.');
      if (approval.state === 'expired' || (approval.state === 'pending' && approval.expiresAt <= toDbTime())) throw err409('expired', 'This approval has expired.');
      if (approval.state !== 'pending' || run.state !== 'awaiting-approval') throw err409('already_decided', 'This approval was decided already.');
      const current = hashOf(run);
      if (approval.payloadHash !== current || run.payloadHash !== current || (decision.payloadHash !== undefined && decision.payloadHash !== current)) {
        throw err409('payload_changed', 'The request changed after this approval was asked; it no longer binds.');
      }
      const form = await definitionOf(run);
      const step = form.approval?.steps[approval.step - 1];
      const now = toDbTime();
      const comment = decision.comment?.trim() ? decision.comment.trim().slice(0, 2000) : null;
      const next = await deps.transaction(async (tx): Promise<'rejected' | 'wait' | 'next-step' | 'run'> => {
        // Writing the run row first locks it: deciders of one run take turns, so with mode 'all' the
        // last of two simultaneous approvals sees the other one and moves the run on.
        if (!(await deps.runs.updateRun(run.id, ['awaiting-approval'], {}, tx))) throw err409('already_decided', 'The request changed meanwhile.');
        if (step?.mode === 'all') {
          // Four eyes: with "all", one person decides one approval of a step, as themself or as a deputy.
          const decidedByActor = (a: ApprovalRecord) => a.decidedBy !== null && (a.decidedBy === actor.login || a.decidedBy.startsWith(`${actor.login} (deputy of `));
          if ((await deps.runs.approvalsOf([run.id], tx)).some((a) => a.step === approval.step && a.id !== approval.id && decidedByActor(a))) {
            throw err409('one_decision_per_person', 'You decided another approval of this step already; every approval of it needs another person.');
          }
        }
        const changed = await deps.runs.setApprovals({ ids: [approval.id] }, ['pending'], { state: decision.approve ? 'approved' : 'rejected', decidedAt: now, decidedBy: deciderOf(actor, onBehalfOf), comment }, tx);
        if (!changed) throw err409('already_decided', 'This approval was decided already.');
        await deps.audit.record(subject, { action: 'approval.decide', objectType: 'form-run', objectId: run.id, after: { approval: approval.id, step: approval.step, decision: decision.approve ? 'approved' : 'rejected', comment, payloadHash: current, ...(onBehalfOf && { onBehalfOf: onBehalfOf.login }) } }, tx);
        if (!decision.approve) {
          await deps.runs.setApprovals({ runId: run.id }, ['pending', 'waiting'], { state: 'superseded' }, tx);
          if (!(await deps.runs.updateRun(run.id, ['awaiting-approval'], { state: 'rejected' }, tx))) throw err409('already_decided', 'The request changed meanwhile.');
          return 'rejected';
        }
        if (step?.mode === 'all') {
          const open = (await deps.runs.approvalsOf([run.id], tx)).filter((a) => a.step === approval.step && a.state === 'pending');
          if (open.length) return 'wait';
        } else {
          await deps.runs.setApprovals({ runId: run.id, step: approval.step }, ['pending'], { state: 'superseded' }, tx);
        }
        const later = (await deps.runs.approvalsOf([run.id], tx)).some((a) => a.step === approval.step + 1);
        if (later) {
          await deps.runs.setApprovals({ runId: run.id, step: approval.step + 1 }, ['waiting'], { state: 'pending', expiresAt: toDbTime(Date.now() + (form.approval?.expiresHours ?? 72) * HOUR) }, tx);
          return 'next-step';
        }
        if (!(await deps.runs.updateRun(run.id, ['awaiting-approval'], { state: 'running' }, tx))) throw err409('already_decided', 'The request changed meanwhile.');
        return 'run';
      });
      const decider = onBehalfOf ? `${actor.displayName}, deputy of ${onBehalfOf.name}` : actor.displayName;
      await deps.requestTickets.progress(run.ticketId, `${decision.approve ? 'Approved' : 'Rejected'} by ${decider} (step ${approval.step}).${comment ? `\n${comment}` : ''}`);
      // The deputy who decided keeps reading the request ticket after the period, like an approver.
      if (onBehalfOf && run.ticketId !== null) await deps.requestTickets.addParticipants(run.ticketId, [principalKey(actor.principal)]);
      if (next === 'rejected') await tell(run, form, run.requester, { kind: 'run-outcome', outcome: 'rejected', detail: comment });
      if (next === 'next-step') await tellApprovers(run, form, approval.step + 1);
      if (next === 'run') {
        await tell(run, form, run.requester, { kind: 'run-outcome', outcome: 'approved', detail: comment });
        await executeRun(run.id, subject);
      }
      return view((await deps.runs.findRun(run.id)) ?? run, actor.language);
    },

    async sweep(now = new Date()) {
      const at = toDbTime(now);
      const subject: AuditSubject = { kind: 'system', login: 'sweep', effectiveCustomerId: null, delegationId: null, ip: null };
      let expired = 0;
      const overdueRuns = new Set((await deps.runs.overdueApprovals(at)).map((a) => a.runId));
      for (const runId of overdueRuns) {
        const run = await deps.runs.findRun(runId);
        if (!run) continue;
        const done = await deps.transaction(async (tx) => {
          await deps.runs.setApprovals({ runId }, ['pending'], { state: 'expired' }, tx);
          await deps.runs.setApprovals({ runId }, ['waiting'], { state: 'superseded' }, tx);
          const changed = await deps.runs.updateRun(runId, ['awaiting-approval'], { state: 'expired' }, tx);
          if (changed) await deps.audit.record(subject, { action: 'run.expire', objectType: 'form-run', objectId: runId, after: { state: 'expired' } }, tx);
          return changed;
        });
        if (!done) continue;
        expired++;
        await deps.requestTickets.progress(run.ticketId, 'Expired: the approval was not given in time.');
        await tell(run, await definitionOf(run), run.requester, { kind: 'run-outcome', outcome: 'expired', detail: null });
      }
      let reminded = 0;
      const forms = new Map<number, { run: RunRecord; form: FormDefinition }>();
      const candidates = await deps.runs.approvalsToRemind(at, () => true);
      for (const approval of candidates) {
        let entry = forms.get(approval.runId);
        if (!entry) {
          const run = await deps.runs.findRun(approval.runId);
          if (run?.state !== 'awaiting-approval') continue;
          entry = { run, form: await definitionOf(run) };
          forms.set(run.id, entry);
        }
        const hours = entry.form.approval?.remindHoursBefore ?? 0;
        if (hours === 0 || Date.parse(approval.expiresAt) - hours * HOUR > now.getTime()) continue;
        if (!(await deps.runs.markReminded(approval.id, at))) continue;
        reminded++;
        await tellApproval(entry.run, entry.form, approval, 'approval-reminder');
      }
      let recovered = 0;
      for (const stale of await deps.runs.staleRunning(toDbTime(now.getTime() - RECOVER_AFTER_MS))) {
        const first = stale.error !== RECOVERY_MARK;
        // The claim is a conditional update on the version read: of two sweeps (two processes) that saw
        // this run, exactly one takes it; the other skips it.
        const claimed = await deps.transaction(async (tx) => {
          if (!(await deps.runs.claimStale(stale.id, stale.version, first ? { error: RECOVERY_MARK } : { error: GIVEN_UP, state: 'failed' }, tx))) return false;
          await deps.audit.record(subject, { action: 'run.recover', objectType: 'form-run', objectId: stale.id, before: { state: 'running', updatedAt: stale.updatedAt }, after: first ? { state: 'running', recovered: true } : { state: 'failed', error: GIVEN_UP } }, tx);
          return true;
        });
        if (!claimed) continue;
        if (!first) {
          await deps.requestTickets.progress(stale.ticketId, `Failed: ${GIVEN_UP}`);
          await tell(stale, await definitionOf(stale), stale.requester, { kind: 'run-outcome', outcome: 'failed', detail: GIVEN_UP });
          continue;
        }
        recovered++;
        await deps.requestTickets.progress(stale.ticketId, 'Interrupted before it finished; nothing had been changed. Carrying it out again.');
        // The same path as after the last approval: approvals and the payload hash are checked again.
        await executeRun(stale.id, subject);
      }
      return { expired, reminded, recovered };
    },

    settle: () => deps.notifier.settle(),
  };
}
