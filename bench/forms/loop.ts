/**
 * The measured work: one worker per pair, all at once, each repeating until the time is up: the requester
 * submits a run (POST /api/v1/forms/:key/runs with its own Idempotency-Key), the approver lists their
 * approvals (GET /api/v1/approvals) and approves the run's (POST /api/v1/approvals/:id/approve with the
 * payload hash). Every submit is entered in the ledger before it is sent and its answer after, so the
 * exactly-once check knows what was acknowledged. A worker whose step fails starts its next loop (the
 * failure is counted and its first answer kept), so one error does not stop the run.
 */
import type { Pair } from './setup.js';

export type Step = 'submit' | 'list' | 'approve';

export interface Submit {
  key: string;
  pair: number;
  body: string;
  status: number | null;
  runId: number | null;
}

export interface LoopSample {
  seconds: number;
  /** Loops that ended with the run completed. */
  completed: number;
  latencies: Record<Step, number[]>;
  /** `step status` → count, for answers other than the expected one (or a thrown fetch, status 0). */
  failures: Map<string, number>;
  firstFailure: string | null;
}

interface RunAnswer {
  id: number;
  state: string;
  payloadHash: string;
}

interface ApprovalsAnswer {
  items: { approval: { id: number; state: string }; run: { id: number } }[];
}

export interface LoopTarget {
  url: string;
  formKey: string;
  pairs: Pair[];
  tag: string;
  /** Every submit, in order of sending (warm-up included). */
  ledger: Submit[];
}

export const submitBody = (pair: Pair, n: number): string => JSON.stringify({ target: pair.target, values: { note: `bench loop ${n}` } });

async function call(url: string, token: string, init: { method: string; body?: string; key?: string }): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, {
    method: init.method,
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined && { 'content-type': 'application/json' }), ...(init.key !== undefined && { 'idempotency-key': init.key }) },
    ...(init.body !== undefined && { body: init.body }),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

export async function runLoops(target: LoopTarget, seconds: number): Promise<LoopSample> {
  const sample: LoopSample = { seconds: 0, completed: 0, latencies: { submit: [], list: [], approve: [] }, failures: new Map(), firstFailure: null };
  const fail = (step: Step, status: number, text: string) => {
    const label = `${step} ${status}`;
    sample.failures.set(label, (sample.failures.get(label) ?? 0) + 1);
    sample.firstFailure ??= `${label}: ${text.slice(0, 300)}`;
  };
  const api = `${target.url}/api/v1`;
  const started = performance.now();
  const deadline = started + seconds * 1000;

  const worker = async (index: number) => {
    const pair = target.pairs[index]!;
    while (performance.now() < deadline) {
      const entry: Submit = { key: `bf-${target.tag}-${index}-${target.ledger.length}`, pair: index, body: submitBody(pair, target.ledger.length), status: null, runId: null };
      target.ledger.push(entry);
      let step: Step = 'submit';
      try {
        const submitted = await call(`${api}/forms/${target.formKey}/runs`, pair.requester.token, { method: 'POST', body: entry.body, key: entry.key });
        entry.status = submitted.status;
        sample.latencies.submit.push(submitted.ms);
        if (submitted.status !== 201) {
          fail('submit', submitted.status, submitted.text);
          continue;
        }
        const run = JSON.parse(submitted.text) as RunAnswer;
        entry.runId = run.id;

        step = 'list';
        const listed = await call(`${api}/approvals`, pair.approver.token, { method: 'GET' });
        sample.latencies.list.push(listed.ms);
        const approval = listed.status === 200 ? (JSON.parse(listed.text) as ApprovalsAnswer).items.find((i) => i.run.id === run.id && i.approval.state === 'pending') : undefined;
        if (!approval) {
          fail('list', listed.status, listed.status === 200 ? `no pending approval for run ${run.id}` : listed.text);
          continue;
        }

        step = 'approve';
        const approved = await call(`${api}/approvals/${approval.approval.id}/approve`, pair.approver.token, { method: 'POST', body: JSON.stringify({ payloadHash: run.payloadHash }) });
        sample.latencies.approve.push(approved.ms);
        const state = approved.status === 200 ? (JSON.parse(approved.text) as RunAnswer).state : null;
        if (state !== 'completed') {
          fail('approve', approved.status, approved.text);
          continue;
        }
        sample.completed += 1;
      } catch (err) {
        fail(step, 0, err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(target.pairs.map((_, i) => worker(i)));
  sample.seconds = (performance.now() - started) / 1000;
  return sample;
}
