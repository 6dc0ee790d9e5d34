/** Figures of paired runs (./paired-runs.ts) for a report: one side's summary, and Loket against its baseline. */
import type { LoadSample } from './load.js';
import { throughputOf, type PairResult } from './paired-runs.js';
import { cpuText, mean, meanCpu } from './report.js';

export const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
/** A ratio as `12×` or `1.5×`. */
export const times = (n: number): string => (Number.isFinite(n) ? `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}×` : 'n/a');

export interface SideSummary {
  rps: number;
  perRun: string;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  cpu: string;
}

/** Means over the clean runs (all runs when none was clean); every run's req/s, a noisy one marked `*`. */
export function summariseSide(samples: LoadSample[], noisy: WeakSet<LoadSample>): SideSummary {
  const clean = samples.filter((s) => !noisy.has(s));
  const use = clean.length ? clean : samples;
  return {
    rps: mean(use.map(throughputOf)),
    perRun: samples.map((s) => `${fixed(throughputOf(s), throughputOf(s) < 10 ? 2 : 0)}${noisy.has(s) ? '*' : ''}`).join(' / '),
    p50: mean(use.map((s) => s.p50)),
    p95: mean(use.map((s) => s.p95)),
    p99: mean(use.map((s) => s.p99)),
    requests: samples.reduce((n, s) => n + s.totalRequests, 0),
    non2xx: samples.reduce((n, s) => n + s.non2xx, 0),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    cpu: cpuText(meanCpu(use.map((s) => s.cpu))),
  };
}

export interface PairRatios {
  name: string;
  throughput: number;
  p95: number;
  perRound: string;
  loketP95: number;
}

/** Per round: Loket's req/s ÷ the baseline's, and the baseline's p95 ÷ Loket's; the headline leaves noisy rounds out when it can. */
export function pairRatios(result: PairResult, noisy: WeakSet<LoadSample>): PairRatios {
  const rounds = result.loket.map((l, i) => {
    const s = result.baseline[i]!;
    return { throughput: throughputOf(l) / throughputOf(s), p95: s.p95 / l.p95, noisy: noisy.has(l) || noisy.has(s) };
  });
  const clean = rounds.filter((r) => !r.noisy);
  const use = clean.length ? clean : rounds;
  return {
    name: result.pair.name,
    throughput: mean(use.map((r) => r.throughput)),
    p95: mean(use.map((r) => r.p95)),
    perRound: rounds.map((r) => `${times(r.throughput)} / ${times(r.p95)}${r.noisy ? '*' : ''}`).join('; '),
    loketP95: summariseSide(result.loket, noisy).p95,
  };
}
