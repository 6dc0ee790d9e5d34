/** Markdown for the customer-search bench: data, SQL alone, query plans, HTTP, and the targets. */
import type { LoadSample } from '../lib/load.js';
import { percentile } from '../lib/load.js';
import { cpuText, mean, meanCpu, median, ms, table } from '../lib/report.js';
import type { FillResult } from './fill.js';
import { throughputOf, type HttpResult, type PairResult } from './http-runs.js';
import { CAP, KINDS, type TimedSearch } from './sql-timing.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const times = (n: number) => (Number.isFinite(n) ? `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}×` : 'n/a');

export function dataSection(fill: FillResult, sizes: string[]): string[] {
  const total = fill.seconds.rows + fill.seconds.index + fill.seconds.analyse;
  return [
    `Generated: ${int(fill.users)} customer users in ${int(fill.customers)} customers, ${int(fill.termRows)} search-index rows (${fixed(fill.termRows / fill.users)} per user), ${int(fill.extraLinks)} users with a second customer.`,
    `Generation: ${fixed(total, 0)} s in all (rows ${fixed(fill.seconds.rows, 0)} s, ${int(fill.users / fill.seconds.rows)} users/s; term index build ${fixed(fill.seconds.index, 0)} s; ANALYZE ${fixed(fill.seconds.analyse, 1)} s).`,
    ...sizes,
  ];
}

export function termsSection(terms: { kind: string; term: string }[]): string {
  const distinct = new Set(terms.map((t) => t.term)).size;
  const lengths = [3, 4, 5].map((n) => `${n}: ${terms.filter((t) => [...t.term].length === n).length}`).join(', ');
  const examples = terms.slice(0, 12).map((t) => `\`${t.term}\``).join(', ');
  return `Search terms: ${terms.length} typed prefixes (${distinct} distinct) sampled uniformly from the generated users, a third each from last names, logins and e-mail addresses, so common names are searched more often; lengths ${lengths} characters (a few longer where a last name starts with a short particle, "de j"). Both servers get the same list in the same order. First ones: ${examples}.`;
}

/** A count as Loket answers it: "1,000+" where its count stopped at the cap. */
const countText = (n: number, runs: TimedSearch[]) => `${int(n)}${runs.some((r) => r.capped && r.total === n) ? '+' : ''}`;

const stats = (values: number[]) => ({ median: median(values), p95: percentile(values, 95), max: Math.max(...values) });

export function sqlSection(prefix: TimedSearch[], scan: TimedSearch[], serviceMs: number[]): string[] {
  const both = (t: TimedSearch) => t.rowsMs + t.countMs;
  const row = (label: string, runs: TimedSearch[]) => {
    const page = stats(runs.map((t) => t.rowsMs));
    const count = stats(runs.map((t) => t.countMs));
    const sum = stats(runs.map(both));
    const matches = stats(runs.map((t) => t.total));
    return [label, `${ms(page.median)} / ${ms(page.p95)}`, `${ms(count.median)} / ${ms(count.p95)}`, `${ms(sum.median)} / ${ms(sum.p95)} / ${ms(sum.max)}`, `${countText(matches.median, runs)} / ${countText(matches.max, runs)}`];
  };
  const ratio = median(scan.map(both)) / median(prefix.map(both));
  const perRun = prefix.map((p, i) => both(scan[i]!) / both(p));
  const kinds = KINDS.map((kind) => {
    const p = prefix.filter((t) => t.term.kind === kind);
    const s = scan.filter((t) => t.term.kind === kind);
    return [kind, String(p.length), ms(median(p.map(both))), ms(median(s.map(both))), countText(median(p.map((t) => t.total)), p)];
  });
  const slowest = [...prefix]
    .sort((a, b) => both(b) - both(a))
    .slice(0, 5)
    .map((t) => `\`${t.term.term}\` ${ms(both(t))} ms (${countText(t.total, [t])} matches)`)
    .join(', ');
  return [
    table(['Statements (one search)', 'page query ms, median / p95', 'count ms, median / p95', 'both ms, median / p95 / max', 'matches, median / max'], [
      row(`Loket's prefix search (store.search, counting up to ${int(CAP)})`, prefix),
      row("LIKE '%term%' scan (counting every match)", scan),
      (() => {
        const service = stats(serviceMs);
        return ["Loket's service call (customerUsers.search: the store's two statements plus the records' extra customers, key users and field map)", '', '', `${ms(service.median)} / ${ms(service.p95)} / ${ms(service.max)}`, ''];
      })(),
    ]),
    '',
    `Median scan ÷ median Loket: ${times(ratio)}; per search the scan took ${times(percentile(perRun, 5))} (5th percentile) to ${times(percentile(perRun, 95))} (95th) as long as Loket's statements for the same term, median ${times(median(perRun))}. Loket's slowest searches: ${slowest}. Loket's count stopped at ${int(CAP)} (the list limit) in ${prefix.filter((t) => t.capped).length} of ${prefix.length} searches.`,
    '',
    table(['Term taken from', 'searches', "Loket's statements ms, median", 'scan ms, median', "Loket's matches (up to the cap), median"], kinds),
  ];
}

export function planSection(plans: { title: string; sql: string; plan: string[] }[]): string[] {
  const out: string[] = [];
  for (const p of plans) {
    out.push(`${p.title}:`, '', '```', p.sql, '', ...p.plan, '```', '');
  }
  return out;
}

interface SideSummary {
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

function summarise(samples: LoadSample[], noisy: WeakSet<LoadSample>): SideSummary {
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

/** Per round: Loket's req/s ÷ the scan's, and the scan's p95 ÷ Loket's; the headline leaves noisy rounds out when it can. */
function ratios(result: PairResult, noisy: WeakSet<LoadSample>): PairRatios {
  const rounds = result.loket.map((l, i) => {
    const s = result.scan[i]!;
    return { throughput: throughputOf(l) / throughputOf(s), p95: s.p95 / l.p95, noisy: noisy.has(l) || noisy.has(s) };
  });
  const clean = rounds.filter((r) => !r.noisy);
  const use = clean.length ? clean : rounds;
  return {
    name: result.pair.name,
    throughput: mean(use.map((r) => r.throughput)),
    p95: mean(use.map((r) => r.p95)),
    perRound: rounds.map((r) => `${times(r.throughput)} / ${times(r.p95)}${r.noisy ? '*' : ''}`).join('; '),
    loketP95: summarise(result.loket, noisy).p95,
  };
}

export function httpSection(http: HttpResult, maxNoise: number): { lines: string[]; ratios: PairRatios[] } {
  const rows: string[][] = [];
  const all: PairRatios[] = [];
  for (const result of http.pairs) {
    const r = ratios(result, http.noisy);
    all.push(r);
    for (const side of ['loket', 'scan'] as const) {
      const scenario = result.pair[side];
      const s = summarise(result[side], http.noisy);
      rows.push([
        scenario.label,
        String(scenario.connections),
        scenario.amount === undefined ? 'time' : `${scenario.amount} requests`,
        `${fixed(s.rps, s.rps < 10 ? 2 : 0)} (${s.perRun})`,
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        int(s.requests),
        String(s.non2xx),
        String(s.errors),
        s.cpu,
        side === 'loket' ? `${times(r.throughput)} / ${times(r.p95)} (${r.perRound})` : '',
      ]);
    }
  }
  const dropped = [...http.discarded].map(([label, n]) => `${label}: ${n}`);
  return {
    ratios: all,
    lines: [
      table(['Scenario', 'connections', 'run length', 'req/s mean (per run)', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'non-2xx', 'socket errors', 'CPU elsewhere (mean)', 'Loket ÷ scan: req/s / p95 (per round)'], rows),
      '',
      `req/s is completed requests ÷ the run's wall-clock time; p50/p99 are autocannon's, p95 is computed from every response's latency (autocannon reports none); means over the runs. "Loket ÷ scan" is Loket's req/s divided by the scan's and the scan's p95 divided by Loket's, per round, the headline being their mean. Runs thrown away and repeated because other processes and steal took over ${maxNoise} % of the CPU: ${dropped.length ? dropped.join('; ') : 'none'}; a run marked * stayed above it in every try (fixed-count scan runs are not repeated, only marked) and is left out of means and headline when a clean one exists.`,
    ],
  };
}

export function targetLines(dbName: string, pairs: PairRatios[]): string[] {
  const single = pairs[0];
  const loaded = pairs[pairs.length - 1];
  if (!single || !loaded) return [];
  const met = (ok: boolean) => (ok ? 'met' : 'not met');
  return [
    `Targets on ${dbName}: p95 under 25 ms: ${met(single.loketP95 < 25)} at one connection (${ms(single.loketP95)} ms), ${met(loaded.loketP95 < 25)} at ${loaded.name} (${ms(loaded.loketP95)} ms). At least 50× the scan: throughput ${met(loaded.throughput >= 50)} (${times(loaded.throughput)} at ${loaded.name}, ${times(single.throughput)} at one connection), p95 ${met(single.p95 >= 50)} (${times(single.p95)} at one connection, ${times(loaded.p95)} at ${loaded.name}).`,
  ];
}
