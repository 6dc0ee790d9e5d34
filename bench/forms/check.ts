/**
 * The exactly-once check after the loops: every acknowledged submit (201 with a run id) is exactly one run
 * row of the bench form, each run has its own request ticket, each completed run executed its grant
 * exactly once (one `customer-user.groups` audit record naming the run: the grant action writes it inside
 * the run's transaction) and no other run executed one; then the replay check: acknowledged submits sent
 * again with their keys must answer 200 "Idempotent-Replayed" with the same run and create nothing.
 */
import type { Knex } from 'knex';
import type { Submit } from './loop.js';
import type { Pair } from './setup.js';

export interface Counts {
  runs: number;
  requestTickets: number;
  grants: number;
}

export interface OnceCheck {
  acknowledged: number;
  /** Submits that got no answer or another status (their runs may exist: the server may have made them). */
  unacknowledged: number;
  counts: Counts;
  /** Acknowledged run ids seen twice, or missing from the table. */
  duplicateIds: number;
  missingRuns: number;
  runsWithoutTicket: number;
  sharedTickets: number;
  completedRuns: number;
  /** Completed runs whose grant record count is not exactly one, and other runs with any. */
  badGrants: number;
  states: Map<string, number>;
  /** The error column of runs that did not complete, numbers as N (so one cause is one entry), first 160 characters → count. */
  runErrors: Map<string, number>;
}

export interface ReplayCheck {
  sent: number;
  statuses: Map<number, number>;
  sameRun: number;
  replayedHeader: number;
  before: Counts;
  after: Counts;
}

interface Db {
  knex: Knex;
  tables: { form_runs: string; tickets: string; audit_log: string };
}

async function grantsByRun(db: Db): Promise<Map<number, number>> {
  const rows = await db.knex(db.tables.audit_log).where({ action: 'customer-user.groups' }).select<{ after_json: string | null }[]>('after_json');
  const byRun = new Map<number, number>();
  for (const row of rows) {
    const run = row.after_json ? (JSON.parse(row.after_json) as { formRun?: unknown }).formRun : undefined;
    if (typeof run === 'number') byRun.set(run, (byRun.get(run) ?? 0) + 1);
  }
  return byRun;
}

async function counts(db: Db, formKey: string): Promise<Counts> {
  const n = async (q: Knex.QueryBuilder) => Number(((await q.count({ n: '*' }).first()) as { n: unknown } | undefined)?.n ?? 0);
  const grants = [...(await grantsByRun(db)).values()].reduce((a, b) => a + b, 0);
  return { runs: await n(db.knex(db.tables.form_runs).where({ form_key: formKey })), requestTickets: await n(db.knex(db.tables.tickets).where({ type: 'request' })), grants };
}

export async function onceCheck(db: Db, formKey: string, ledger: Submit[]): Promise<OnceCheck> {
  const acked = ledger.filter((s) => s.status === 201 && s.runId !== null);
  const rows = await db.knex(db.tables.form_runs).where({ form_key: formKey }).select<{ id: number; ticket_id: number | null; state: string; error: string | null }[]>('id', 'ticket_id', 'state', 'error');
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const ackedIds = acked.map((s) => s.runId!);
  const states = new Map<string, number>();
  const runErrors = new Map<string, number>();
  for (const r of rows) {
    states.set(r.state, (states.get(r.state) ?? 0) + 1);
    const error = r.state === 'completed' ? null : (r.error ?? '(no error text)').replace(/\d+/g, 'N').slice(0, 160);
    if (error !== null) runErrors.set(error, (runErrors.get(error) ?? 0) + 1);
  }
  const tickets = rows.map((r) => r.ticket_id).filter((t): t is number => t !== null);
  const grants = await grantsByRun(db);
  let badGrants = 0;
  for (const r of rows) if ((grants.get(Number(r.id)) ?? 0) !== (r.state === 'completed' ? 1 : 0)) badGrants += 1;
  for (const run of grants.keys()) if (!byId.has(run)) badGrants += 1;
  return {
    acknowledged: acked.length,
    unacknowledged: ledger.length - acked.length,
    counts: await counts(db, formKey),
    duplicateIds: ackedIds.length - new Set(ackedIds).size,
    missingRuns: ackedIds.filter((id) => !byId.has(id)).length,
    runsWithoutTicket: rows.length - tickets.length,
    sharedTickets: tickets.length - new Set(tickets).size,
    completedRuns: states.get('completed') ?? 0,
    badGrants,
    states,
    runErrors,
  };
}

export async function replayCheck(db: Db, target: { url: string; formKey: string; pairs: Pair[] }, ledger: Submit[], opts: { requests: number; concurrency: number }): Promise<ReplayCheck> {
  const acked = ledger.filter((s) => s.status === 201 && s.runId !== null);
  // Spread over the whole run, not only its first or last submits.
  const step = Math.max(1, Math.floor(acked.length / Math.max(1, opts.requests)));
  const picked = acked.filter((_, i) => i % step === 0).slice(0, opts.requests);
  const before = await counts(db, target.formKey);
  const result: ReplayCheck = { sent: 0, statuses: new Map(), sameRun: 0, replayedHeader: 0, before, after: before };
  let next = 0;
  const worker = async () => {
    while (next < picked.length) {
      const entry = picked[next++]!;
      const res = await fetch(`${target.url}/api/v1/forms/${target.formKey}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.pairs[entry.pair]!.requester.token}`, 'content-type': 'application/json', 'idempotency-key': entry.key },
        body: entry.body,
      });
      const text = await res.text();
      result.sent += 1;
      result.statuses.set(res.status, (result.statuses.get(res.status) ?? 0) + 1);
      if (res.headers.get('idempotent-replayed') === 'true') result.replayedHeader += 1;
      if (res.status === 200 && (JSON.parse(text) as { id: number }).id === entry.runId) result.sameRun += 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  result.after = await counts(db, target.formKey);
  return result;
}
