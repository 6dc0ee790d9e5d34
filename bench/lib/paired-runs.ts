/**
 * Paired HTTP runs: a Loket endpoint against its baseline (a bare Express server doing the same job the
 * simple way: a LIKE scan, the same template without Loket), each side with its own rotating list of
 * paths, at one connection (the latency one person sees) and at several (throughput on a saturated
 * machine). As in bench/run.ts the two sides of a pair run alternately, Loket first in odd rounds and the
 * baseline first in even ones, and a run during which other processes and hypervisor steal took too much
 * CPU is thrown away and repeated.
 *
 * A side that would finish fewer than `minRequests` requests in one run (a scan over a big table, and any
 * side whose requests take seconds) is measured with a fixed number of requests instead (autocannon's
 * `amount`), so its percentiles rest on enough requests; such runs can take minutes and are not repeated
 * for noise, only marked.
 */
import { load, type LoadSample } from './load.js';
import { cpuText } from './report.js';

export type SideName = 'loket' | 'baseline';

export interface Scenario {
  side: SideName;
  label: string;
  url: string;
  paths: string[];
  headers?: Record<string, string>;
  connections: number;
  /** Fixed number of requests per run (a slow side), else the run lasts `duration` seconds. */
  amount?: number;
  timeoutSeconds?: number;
}

export interface Pair {
  name: string;
  loket: Scenario;
  baseline: Scenario;
}

export interface RunSettings {
  duration: number;
  rounds: number;
  warmup: number;
  maxNoise: number;
  retries: number;
  minRequests: number;
}

export interface PairResult {
  pair: Pair;
  loket: LoadSample[];
  baseline: LoadSample[];
}

export interface HttpResult {
  pairs: PairResult[];
  /** Kept runs that stayed above the noise limit in every try. */
  noisy: WeakSet<LoadSample>;
  /** Label → runs thrown away for noise. */
  discarded: Map<string, number>;
}

export const throughputOf = (s: LoadSample): number => (s.durationSeconds > 0 ? s.totalRequests / s.durationSeconds : NaN);
const noiseOf = (s: LoadSample): number => (s.cpu ? s.cpu.other + s.cpu.steal : 0);

export interface HttpContext {
  /** Server processes (their CPU is the bench's own) and the local database server's. */
  pids: number[];
  dbPids: number[];
  /** Waits until the servers have finished the requests a run left behind (see ./settle.ts). */
  settle: () => Promise<number>;
  progress: (text: string) => void;
}

export async function runHttp(pairs: Pair[], settings: RunSettings, context: HttpContext): Promise<HttpResult> {
  const { pids, dbPids, progress } = context;
  const noisy = new WeakSet<LoadSample>();
  const discarded = new Map<string, number>();
  const run = async (s: Scenario, seconds: number) => {
    const sample = await load(
      {
        url: s.url,
        paths: s.paths,
        connections: s.connections,
        durationSeconds: seconds,
        ...(s.headers && { headers: s.headers }),
        ...(s.amount !== undefined && { amount: s.amount }),
        ...(s.timeoutSeconds !== undefined && { timeoutSeconds: s.timeoutSeconds }),
      },
      pids,
      dbPids,
    );
    const waited = await context.settle();
    if (waited > 1000) progress(`  waited ${(waited / 1000).toFixed(1)} s for the requests that run left in flight`);
    return sample;
  };

  const measured = async (s: Scenario): Promise<LoadSample> => {
    const tries: LoadSample[] = [];
    for (;;) {
      const sample = await run(s, settings.duration);
      tries.push(sample);
      if (noiseOf(sample) <= settings.maxNoise) return sample;
      if (s.amount !== undefined || tries.length > settings.retries) {
        const kept = tries.reduce((best, t) => (noiseOf(t) < noiseOf(best) ? t : best));
        noisy.add(kept);
        return kept;
      }
      discarded.set(s.label, (discarded.get(s.label) ?? 0) + 1);
      progress(`  discarded (${cpuText(sample.cpu)}): ${s.label}, ${Math.round(throughputOf(sample))} req/s; repeating`);
    }
  };

  progress(`  warm-up, ${Math.max(settings.warmup, 1)} s per scenario`);
  for (const pair of pairs) {
    for (const scenario of [pair.loket, pair.baseline]) {
      // The warm-up doubles as the probe of a side's speed, so it runs (for a second at least) even when 0.
      const probe = await run(scenario, Math.max(settings.warmup, 1));
      const expected = throughputOf(probe) * settings.duration;
      if (!(expected >= settings.minRequests)) {
        scenario.amount = settings.minRequests;
        progress(`  ${scenario.label}: about ${throughputOf(probe).toFixed(2)} req/s, so ${settings.minRequests} requests per run instead of ${settings.duration} s`);
      }
    }
  }

  const results: PairResult[] = pairs.map((pair) => ({ pair, loket: [], baseline: [] }));
  for (let round = 0; round < settings.rounds; round++) {
    for (const result of results) {
      const order: SideName[] = round % 2 === 0 ? ['loket', 'baseline'] : ['baseline', 'loket'];
      for (const side of order) {
        const scenario = result.pair[side];
        const sample = await measured(scenario);
        result[side].push(sample);
        progress(
          `  round ${round + 1}/${settings.rounds} ${scenario.label}: ${throughputOf(sample).toFixed(1)} req/s, p50 ${sample.p50} ms, p95 ${sample.p95.toFixed(1)} ms, ${sample.totalRequests} requests, non-2xx ${sample.non2xx}, errors ${sample.errors}, CPU elsewhere: ${cpuText(sample.cpu)}`,
        );
      }
    }
  }
  return { pairs: results, noisy, discarded };
}
