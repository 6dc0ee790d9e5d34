/**
 * One load run of ticket creation with autocannon: every request is a POST with its own JSON body and
 * Idempotency-Key (built in autocannon's `setupRequest`, entered in the ledger before it is written), the
 * Bearer tokens taken in turn; every answer is entered in the ledger by its key (`onResponse`). Each
 * autocannon connection sends one request at a time and keeps the key of the one in flight in its own
 * context, so an answer is always matched to its request. Figures as ../lib/load.ts gives them.
 */
import autocannon from 'autocannon';
import { measureCpu } from '../lib/cpu.js';
import { percentile, type LoadSample } from '../lib/load.js';
import { nextCreate, record, type Ledger } from './ledger.js';

export interface CreateTarget {
  label: string;
  /** Base URL of the server. */
  url: string;
  path: string;
  tokens: string[];
  /** The JSON body of the n-th request. */
  bodyOf: (n: number) => string;
  ledger: Ledger;
}

export interface CreateSample extends LoadSample {
  /** Status → answers in this run. */
  statuses: Map<number, number>;
  /** Requests written in this run, and those with no answer when it stopped (in flight, or timed out). */
  sent: number;
  unanswered: number;
}

interface KeyContext {
  key?: string;
}

export async function createLoad(
  target: CreateTarget,
  opts: { connections: number; durationSeconds: number; timeoutSeconds: number },
  benchPids: number[] = [],
  dbPids: number[] = [],
): Promise<CreateSample> {
  const { ledger } = target;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  const firstKey = ledger.next;
  let answered = 0;
  const cpu = measureCpu([process.pid, ...benchPids], dbPids);
  const request: autocannon.Request = {
    method: 'POST',
    path: target.path,
    setupRequest: (req, context) => {
      const token = ledger.next % target.tokens.length;
      const { key, body } = nextCreate(ledger, token, target.bodyOf);
      (context as KeyContext).key = key;
      return {
        ...req,
        method: 'POST',
        path: target.path,
        body,
        headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${target.tokens[token]!}`, 'idempotency-key': key },
      };
    },
    onResponse: (status, body, context) => {
      const key = (context as KeyContext).key;
      if (key === undefined) return;
      record(ledger, key, status, body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      answered += 1;
    },
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections: opts.connections, duration: opts.durationSeconds, timeout: opts.timeoutSeconds, requests: [request] },
      (err: unknown, res: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error('autocannon failed', { cause: err })) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const sent = ledger.next - firstKey;
  return {
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    durationSeconds: result.duration,
    p50: result.latency.p50,
    p95: percentile(latencies, 95),
    p99: result.latency.p99,
    non2xx: result.non2xx,
    status3xx: result['3xx'],
    status4xx: result['4xx'],
    status5xx: result['5xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    cpu: cpu(),
    statuses,
    sent,
    unanswered: sent - answered,
  };
}
