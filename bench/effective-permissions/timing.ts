/**
 * In-process timing: a synchronous function called many times (the pure computation), an async call
 * timed end to end (a service call with its database reads), and the SQL statements knex sends while
 * some work runs, each timed from knex's `query` event to its `query-response` event.
 */
import type { Knex } from 'knex';
import { measureCpu, type CpuShare } from '../lib/cpu.js';
import { percentile } from '../lib/load.js';
import { mean } from '../lib/report.js';

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export const distribution = (values: number[]): Distribution => ({
  n: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: values.length ? Math.max(...values) : NaN,
  mean: mean(values),
});

export interface Timed {
  /** Every measured call; microseconds for `timeSync`, milliseconds for `timeAsync`. */
  values: number[];
  /** p95 of each round, to show how stable the figure is. */
  roundP95: number[];
  cpu: CpuShare | null;
}

/**
 * Calls `fn` `warmup` times unmeasured (so the JIT has optimised it), then `rounds` × `perRound` times,
 * timing each call on its own. What `fn` returns is kept in a sink so the call cannot be optimised away.
 */
export function timeSync(fn: () => unknown, opts: { warmup: number; rounds: number; perRound: number; dbPids?: number[] }): Timed {
  const sink: unknown[] = [];
  for (let i = 0; i < opts.warmup; i++) sink[i % 8] = fn();
  const cpu = measureCpu([process.pid], opts.dbPids ?? []);
  const values: number[] = [];
  const roundP95: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const round: number[] = [];
    for (let i = 0; i < opts.perRound; i++) {
      const t0 = process.hrtime.bigint();
      sink[i % 8] = fn();
      round.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    roundP95.push(percentile(round, 95));
    values.push(...round);
  }
  if (sink.length === 0) throw new Error('nothing was computed');
  return { values, roundP95, cpu: cpu() };
}

/** The same for an async call, one at a time, in milliseconds. */
export async function timeAsync(fn: () => Promise<unknown>, opts: { warmup: number; rounds: number; perRound: number; dbPids?: number[] }): Promise<Timed> {
  for (let i = 0; i < opts.warmup; i++) await fn();
  const cpu = measureCpu([process.pid], opts.dbPids ?? []);
  const values: number[] = [];
  const roundP95: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const round: number[] = [];
    for (let i = 0; i < opts.perRound; i++) {
      const t0 = performance.now();
      await fn();
      round.push(performance.now() - t0);
    }
    roundP95.push(percentile(round, 95));
    values.push(...round);
  }
  return { values, roundP95, cpu: cpu() };
}

interface QueryEvent {
  __knexQueryUid: string;
  sql: string;
  bindings?: unknown[];
}

export interface Statement {
  sql: string;
  bindings: unknown[];
  ms: number;
}

/** Every statement knex sends while `work` runs, in order, with its time. Run one piece of work at a time. */
export async function recordStatements<T>(knex: Knex, work: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const started = new Map<string, { at: number; statement: Statement }>();
  const statements: Statement[] = [];
  const onQuery = (q: QueryEvent) => {
    const statement = { sql: q.sql, bindings: q.bindings ?? [], ms: NaN };
    statements.push(statement);
    started.set(q.__knexQueryUid, { at: performance.now(), statement });
  };
  const onResponse = (_response: unknown, q: QueryEvent) => {
    const entry = started.get(q.__knexQueryUid);
    if (entry) entry.statement.ms = performance.now() - entry.at;
  };
  knex.on('query', onQuery);
  knex.on('query-response', onResponse);
  try {
    return { result: await work(), statements };
  } finally {
    knex.removeListener('query', onQuery);
    knex.removeListener('query-response', onResponse);
  }
}
