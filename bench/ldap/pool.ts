/**
 * Work items run `concurrency` at a time (each worker takes the next item when it is done), every item
 * timed on its own: the latency distribution one caller sees while `concurrency - 1` others are busy too.
 */
import { measureCpu, type CpuShare } from '../lib/cpu.js';
import { percentile } from '../lib/load.js';

export interface PoolRun {
  /** Milliseconds per item, in the order they finished. */
  ms: number[];
  /** Items whose work answered false or threw (the first error is kept for the report). */
  failed: number;
  firstError: string | null;
  seconds: number;
  cpu: CpuShare | null;
}

export async function timedPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<boolean>, cpuPids: { own: number[]; db: number[] }): Promise<PoolRun> {
  const ms: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const cpu = measureCpu([process.pid, ...cpuPids.own], cpuPids.db);
  const started = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await work(item);
      } catch (err) {
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      ms.push(performance.now() - t0);
      if (!ok) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { ms, failed, firstError, seconds: (performance.now() - started) / 1000, cpu: cpu() };
}

export const percentiles = (ms: number[]) => ({ p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms.length ? Math.max(...ms) : NaN });
