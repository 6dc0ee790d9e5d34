import autocannon from 'autocannon';
import { measureCpu, type CpuShare } from './cpu.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /**
   * Paths (with their query) to request in turn instead of the url's own path: one list shared by all
   * connections, each request takes the next entry, so every connection sees the whole mix.
   */
  paths?: string[];
  /** Stop after this many responses instead of after `durationSeconds` (for very slow endpoints). */
  amount?: number;
  /** Seconds autocannon waits for a response before counting a timeout (autocannon's default: 10). */
  timeoutSeconds?: number;
}

/** One autocannon run's figures, latency in milliseconds. */
export interface LoadSample {
  requestsPerSecond: number;
  totalRequests: number;
  /** Wall-clock length of the run in seconds (with `amount`, however long that took). */
  durationSeconds: number;
  p50: number;
  /** From every response's own latency: autocannon's summary has p90 and p97.5 but no p95. */
  p95: number;
  p99: number;
  non2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Where CPU time outside the server under test went during the run (see cpu.ts). */
  cpu: CpuShare | null;
}

/** Nearest-rank percentile of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function requestsFor(paths: string[] | undefined): autocannon.Request[] | undefined {
  if (!paths?.length) return undefined;
  let next = 0;
  return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }];
}

/** Runs autocannon in this process against a server in another process (never the same event loop). */
export async function load(opts: LoadOptions, benchPids: number[] = [], dbPids: number[] = []): Promise<LoadSample> {
  const cpu = measureCpu([process.pid, ...benchPids], dbPids);
  const latencies: number[] = [];
  const requests = requestsFor(opts.paths);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.durationSeconds,
        headers: opts.headers ?? {},
        ...(requests && { requests }),
        ...(opts.amount !== undefined && { amount: opts.amount }),
        ...(opts.timeoutSeconds !== undefined && { timeout: opts.timeoutSeconds }),
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error('autocannon failed', { cause: err })) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
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
  };
}
