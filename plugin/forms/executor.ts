import type { Logger } from 'pino';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { FieldMap } from '../customers/field-map.js';
import { isDeadlock } from '../db/errors.js';
import type { RunInTransaction } from '../db/transaction.js';
import { prepareAction, type ActionPorts, type PreparedAction } from './actions/index.js';
import type { FormDefinition } from './definition.js';
import type { RunRecord, RunStore } from './run-store.js';
import type { ActionResult } from './types.js';
import { resolveInput, type ResolveContext } from './values.js';
import { LoketError } from '../errors.js';
import { WebhookFailed } from './webhook.js';

export interface ExecutorDeps {
  transaction: RunInTransaction;
  ports: ActionPorts;
  runs: RunStore;
  audit: AuditService;
  fieldMap(): Promise<FieldMap>;
  endSessions(principal: string): Promise<unknown>;
  logger: Logger;
}

export interface Outcome {
  /** 'superseded': another execution of the same run finished it first; this one changed nothing and reports nothing. */
  state: 'completed' | 'failed' | 'superseded';
  actions: ActionResult[];
  error: string | null;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** What a requester may read: Loket's own refusals as they are, a driver's error (SQL, table names) never. */
const publicMessageOf = (err: unknown): string =>
  err instanceof LoketError || err instanceof WebhookFailed || err instanceof TypeError ? messageOf(err) : 'The change could not be saved; nothing was applied. Try again, or ask the service desk.';

const MAX_ATTEMPTS = 6;
/** Before another attempt after a deadlock: a random pause that grows, so the runs that collided spread out. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

/** The form's actions with their inputs resolved for this run (a misfit input is a TypeError naming it). */
export function prepareActions(form: FormDefinition, ctx: ResolveContext): PreparedAction[] {
  return form.actions.map((a) => prepareAction(a.type, resolveInput(a, ctx)));
}

/** What the actions will do, for views before execution; a misfit input is shown, not thrown. */
export function plannedResults(form: FormDefinition, ctx: ResolveContext): ActionResult[] {
  return form.actions.map((a, index) => {
    try {
      return { index, type: a.type, description: prepareAction(a.type, resolveInput(a, ctx)).description, outcome: 'not-run' as const, detail: null };
    } catch (err) {
      return { index, type: a.type, description: a.type, outcome: 'not-run' as const, detail: messageOf(err) };
    }
  });
}

/**
 * Runs every action of a run in ONE transaction: any failure rolls back every earlier action, and the
 * run becomes failed with the error. Mails, ended sessions and follow-up tickets happen only after the
 * commit; a webhook that failed for good is written to the dead-letter list after the rollback.
 *
 * Because nothing of a run outlives a rolled-back transaction, a run whose process died mid-execution
 * may be executed again (the recovery in `RunsService.sweep`). Only what happens outside the database
 * can repeat: a webhook delivered inside the transaction (same X-Loket-Delivery, so receivers can
 * de-duplicate); mails and follow-up tickets run after the commit, so a crash before them loses them
 * rather than repeating them. The final update moves the run only from 'running', so of two executions
 * of one run exactly one commits.
 */
export function createExecutor(deps: ExecutorDeps) {
  return async function execute(run: RunRecord, form: FormDefinition, target: CustomerUserRecord | null, requesterEmail: string | null, subject: AuditSubject): Promise<Outcome> {
    const resolve: ResolveContext = { runId: run.id, values: run.values, target, targetCustomerId: run.target?.customerId ?? null, requester: { ...run.requester, email: requesterEmail } };
    let prepared: PreparedAction[];
    try {
      prepared = prepareActions(form, resolve);
    } catch (err) {
      const error = messageOf(err);
      const actions = plannedResults(form, resolve);
      if (!(await deps.runs.updateRun(run.id, ['running'], { state: 'failed', actions, error }))) return { state: 'superseded', actions, error: null };
      return { state: 'failed', actions, error };
    }
    const results: ActionResult[] = prepared.map((a, index) => ({ index, type: a.type, description: a.description, outcome: 'not-run', detail: null }));
    const later: (() => Promise<unknown>)[] = [];
    const sessions = new Set<number>();
    const map = await deps.fieldMap();
    let failedAt = -1;
    try {
      // Two runs granting at the same moment can deadlock on MariaDB: the loser's transaction is rolled
      // back whole, so running it again is safe (a webhook may then be delivered twice: same X-Loket-Delivery).
      for (let attempt = 1; ; attempt++) {
        later.length = 0;
        sessions.clear();
        results.forEach((r, i) => (results[i] = { ...r, outcome: 'not-run', detail: null }));
        try {
          await deps.transaction(async (tx) => {
            const ctx = {
              runId: run.id,
              formKey: run.formKey,
              requester: run.requester,
              target,
              targetCustomerId: run.target?.customerId ?? null,
              values: run.values,
              subject,
              tx,
              map,
              created: new Map<string, CustomerUserRecord>(),
              afterCommit: (work: () => Promise<unknown>) => void later.push(work),
              endSessionsOf: (id: number) => void sessions.add(id),
            };
            for (const [i, action] of prepared.entries()) {
              failedAt = i;
              const detail = await action.run(ctx, deps.ports);
              results[i] = { ...results[i]!, outcome: 'done', detail };
            }
            failedAt = -1;
            await deps.audit.record(subject, { action: 'run.execute', objectType: 'form-run', objectId: run.id, after: { form: run.formKey, version: run.formVersion, state: 'completed', actions: results } }, tx);
            if (!(await deps.runs.updateRun(run.id, ['running'], { state: 'completed', actions: results, error: null }, tx))) throw new Error(`run ${run.id} is no longer running`);
          });
          break;
        } catch (err) {
          if (!isDeadlock(err) || attempt >= MAX_ATTEMPTS) throw err;
          await backoff(attempt);
        }
      }
    } catch (err) {
      if (!(err instanceof LoketError) && !(err instanceof WebhookFailed)) deps.logger.error({ err, run: run.id }, 'a form run failed on an unexpected error');
      let error = publicMessageOf(err);
      if (err instanceof WebhookFailed) {
        await deps.runs.deadLetter({ runId: run.id, url: err.delivery.url, body: err.delivery.body, lastError: err.lastError, attempts: err.attempts });
        error = `${error}. The delivery is kept in the dead-letter list; nothing was changed in Loket.`;
      }
      const rolledBack = results.map((r, i): ActionResult => (i === failedAt ? { ...r, outcome: 'failed', detail: error } : r.outcome === 'done' ? { ...r, outcome: 'not-run', detail: 'rolled back' } : r));
      // The run is no longer running: another execution (the recovery sweep, or the original one that
      // was only slow) committed first, and this transaction rolled back at its final conditional update.
      if (!(await deps.runs.updateRun(run.id, ['running'], { state: 'failed', actions: rolledBack, error }))) return { state: 'superseded', actions: rolledBack, error: null };
      await deps.audit.record(subject, { action: 'run.execute', objectType: 'form-run', objectId: run.id, after: { form: run.formKey, state: 'failed', error } });
      return { state: 'failed', actions: rolledBack, error };
    }
    for (const id of sessions) await deps.endSessions(`customer-user:${id}`);
    for (const work of later) {
      try {
        await work();
      } catch (err) {
        deps.logger.warn({ err, run: run.id }, 'a form run follow-up (mail, ticket) failed after commit');
      }
    }
    return { state: 'completed', actions: results, error: null };
  };
}

export type Executor = ReturnType<typeof createExecutor>;
