/** Markdown for the customer-search bench: data, SQL alone, query plans, HTTP, and the targets. */
import { percentile } from '../lib/load.js';
import type { HttpResult } from '../lib/paired-runs.js';
import { fixed, pairRatios, summariseSide, times, type PairRatios } from '../lib/paired-summary.js';
import { median, ms, table } from '../lib/report.js';
import type { FillResult } from './fill.js';
import { CAP, KINDS, type TimedSearch } from './sql-timing.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

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

export function httpSection(http: HttpResult, maxNoise: number): { lines: string[]; ratios: PairRatios[] } {
  const rows: string[][] = [];
  const all: PairRatios[] = [];
  for (const result of http.pairs) {
    const r = pairRatios(result, http.noisy);
    all.push(r);
    for (const side of ['loket', 'baseline'] as const) {
      const scenario = result.pair[side];
      const s = summariseSide(result[side], http.noisy);
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
