/**
 * Load runs of pairs of HTTP scenarios with autocannon (../lib/load.ts), as bench/run.ts does it: each
 * scenario gets an unmeasured warm-up, then the two sides of a pair run alternately (A then B in odd rounds,
 * B then A in even ones) so a drifting machine hits both, and a run during which other processes and
 * hypervisor steal took more than `maxNoise` % of the CPU is thrown away and repeated. Between runs the
 * bench waits until the server processes are idle, so requests left in flight by one run are not billed
 * to the next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { processTicks } from '../lib/cpu.js';
import { load, type LoadSample } from '../lib/load.js';
import { cpuText } from '../lib/report.js';

export interface Scenario {
  label: string;
  url: string;
  headers?: Record<string, string>;
}

export interface Pair {
  /** What the pair compares, e.g. "effective permissions: Loket vs bare JSON". */
  name: string;
  a: Scenario;
  b: Scenario;
  connections: number;
}

export interface RunSettings {
  duration: number;
  rounds: number;
  warmup: number;
  maxNoise: number;
  retries: number;
}

export interface PairResult {
  pair: Pair;
  a: LoadSample[];
  b: LoadSample[];
}

export interface HttpResult {
  pairs: PairResult[];
  /** Kept runs that stayed above the noise limit in every try. */
  noisy: WeakSet<LoadSample>;
  /** Scenario label → runs thrown away for noise. */
  discarded: Map<string, number>;
}

export const noiseOf = (s: LoadSample): number => (s.cpu ? s.cpu.other + s.cpu.steal : 0);

/** Resolves once the given processes have used no CPU for 400 ms (polled every 100 ms; ticks are 10 ms). */
export async function quiet(pids: number[], giveUpMs = 60_000): Promise<number> {
  const started = Date.now();
  const ticks = () => pids.reduce((n, pid) => n + processTicks(pid), 0);
  let last = ticks();
  let quietSince = Date.now();
  while (Date.now() - started < giveUpMs) {
    await sleep(100);
    const now = ticks();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
    if (Date.now() - quietSince >= 400) break;
  }
  return Date.now() - started;
}

export async function runPairs(
  pairs: Pair[],
  settings: RunSettings,
  context: { pids: number[]; dbPids: number[]; progress: (text: string) => void },
): Promise<HttpResult> {
  const { pids, dbPids, progress } = context;
  const noisy = new WeakSet<LoadSample>();
  const discarded = new Map<string, number>();
  const run = async (s: Scenario, connections: number, seconds: number) => {
    const sample = await load({ url: s.url, connections, durationSeconds: seconds, ...(s.headers && { headers: s.headers }) }, pids, dbPids);
    await quiet(pids);
    return sample;
  };
  const measured = async (s: Scenario, connections: number): Promise<LoadSample> => {
    const tries: LoadSample[] = [];
    for (;;) {
      const sample = await run(s, connections, settings.duration);
      tries.push(sample);
      if (noiseOf(sample) <= settings.maxNoise) return sample;
      if (tries.length > settings.retries) {
        const kept = tries.reduce((best, t) => (noiseOf(t) < noiseOf(best) ? t : best));
        noisy.add(kept);
        return kept;
      }
      const key = `${s.label}, ${connections} conn.`;
      discarded.set(key, (discarded.get(key) ?? 0) + 1);
      progress(`  discarded (${cpuText(sample.cpu)}): ${key}, ${Math.round(sample.requestsPerSecond)} req/s; repeating`);
    }
  };

  if (settings.warmup > 0) {
    progress(`  warm-up, ${settings.warmup} s per scenario`);
    for (const pair of pairs) for (const s of [pair.a, pair.b]) await run(s, pair.connections, settings.warmup);
  }
  const results: PairResult[] = pairs.map((pair) => ({ pair, a: [], b: [] }));
  for (let round = 0; round < settings.rounds; round++) {
    for (const result of results) {
      const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      for (const side of order) {
        const scenario = result.pair[side];
        const sample = await measured(scenario, result.pair.connections);
        result[side].push(sample);
        progress(
          `  round ${round + 1}/${settings.rounds} ${scenario.label}, ${result.pair.connections} conn.: ${Math.round(sample.requestsPerSecond)} req/s, p50 ${sample.p50} ms, p95 ${sample.p95} ms, p99 ${sample.p99} ms, non-2xx ${sample.non2xx}, errors ${sample.errors}, CPU elsewhere: ${cpuText(sample.cpu)}`,
        );
      }
    }
  }
  return { pairs: results, noisy, discarded };
}
