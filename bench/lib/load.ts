import autocannon from 'autocannon';
import { measureCpu, type CpuShare } from './cpu.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
}

/** One autocannon run's figures, latency in milliseconds. */
export interface LoadSample {
  requestsPerSecond: number;
  totalRequests: number;
  p50: number;
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

/** Runs autocannon in this process against a server in another process (never the same event loop). */
export async function load(opts: LoadOptions, benchPids: number[] = [], dbPids: number[] = []): Promise<LoadSample> {
  const cpu = measureCpu([process.pid, ...benchPids], dbPids);
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationSeconds,
    headers: opts.headers ?? {},
  });
  return {
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    p50: result.latency.p50,
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
