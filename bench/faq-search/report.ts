/** Markdown for the FAQ search bench: data and index build, queries, in process, HTTP, rebuild, targets. */
import type { Dialect } from '../../plugin/db/knex-factory.js';
import { percentile } from '../lib/load.js';
import type { HttpResult, RunSettings } from '../lib/paired-runs.js';
import { fixed, pairRatios, summariseSide, times } from '../lib/paired-summary.js';
import { median, ms, table } from '../lib/report.js';
import { GENERATED_CATEGORIES } from './categories.js';
import type { FillResult } from './fill.js';
import { isFullText, type Side, type TimedCall } from './in-process.js';
import type { RebuildResult } from './maintenance.js';
import type { PreflightResult } from './preflight.js';
import { QUERY_KINDS, type BenchQuery } from './queries.js';
import type { KnowledgeBaseSetup } from './setup.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(part / whole < 0.01 ? 2 : 0)} %` : 'n/a');
const shares = (record: Record<string, number>, total: number) =>
  Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${pct(n, total)}`)
    .join(', ');

export function dataLines(fill: FillResult, setup: KnowledgeBaseSetup, analyseSeconds: number | null, storage: string[]): string[] {
  const rate = fill.articles / fill.seconds.insert;
  return [
    `Generated: ${int(fill.articles)} articles (languages ${shares(fill.byLanguage, fill.articles)}; ${int(fill.translations)} of them translate an English article and share its slug; states ${shares(fill.byState, fill.articles)}; visibility ${shares(fill.byVisibility, fill.articles)}) in ${GENERATED_CATEGORIES.length} generated categories, ${int(fill.meanBodyChars)} characters of markdown and ${int(fill.meanWords)} indexed words per article on average. Published public ones, which an anonymous reader finds: English ${int(fill.frequencies.docs.en)}, Dutch ${int(fill.frequencies.docs.nl)}, Norwegian ${int(fill.frequencies.docs.nb)}. Before them, the shipped kb/: ${setup.kb.created} articles in ${setup.kb.categories} categories, imported with the kb service in ${fixed(setup.kb.seconds)} s.`,
    '',
    `**Index build (the fill):** ${fixed(fill.seconds.insert, 0)} s of database time for ${int(fill.articles)} articles, ${int(rate)} articles/s, ${int(fill.batch)} per transaction, the full-text index maintained as Loket maintains it on every insert. Not database work and not in that figure: generating the text ${fixed(fill.seconds.generate, 0)} s, rendering the markdown ${fixed(fill.seconds.render, 0)} s.${analyseSeconds === null ? '' : ` ANALYZE TABLE afterwards: ${fixed(analyseSeconds)} s.`}`,
    ...storage.map((line) => `\n${line}`),
  ];
}

export function queryLines(queries: BenchQuery[]): string[] {
  const show = (q: BenchQuery) => `\`${q.q}\`${q.docs === null ? '' : ` (${int(q.docs)})`}`;
  const rows = QUERY_KINDS.map((kind) => {
    const of = (language: string) => queries.filter((q) => q.kind === kind && q.language === language);
    return [kind, of('en').map(show).join(', '), [...of('nl'), ...of('nb')].map(show).join(', ')];
  });
  return [
    `Queries: ${queries.length}, the kinds taking turns in one list that both servers get in the same order; each request takes the next query. In brackets: how many published public articles of that language hold the word.`,
    '',
    table(['Kind', 'English', 'Dutch and Norwegian'], rows),
  ];
}

const stat = (values: number[]) => ({ median: median(values), p95: percentile(values, 95), max: values.length ? Math.max(...values) : NaN });
const fullTextMs = (call: TimedCall) => call.statements.filter((s) => isFullText(s.sql)).reduce((n, s) => n + s.ms, 0);

export function inProcessLines(calls: Record<Side, TimedCall[]>): string[] {
  const rowFor = (label: string, pick: (c: TimedCall) => boolean) => {
    const of = (side: Side) => calls[side].filter(pick);
    const search = of('search');
    const suggest = of('suggest');
    const scan = of('scan');
    const s = stat(search.map((c) => c.ms));
    const g = stat(suggest.map((c) => c.ms));
    const b = stat(scan.map((c) => c.ms));
    const capped = search.filter((c) => c.capped).length;
    return [
      label,
      String(scan.length),
      `${ms(s.median)} / ${ms(s.p95)} / ${ms(s.max)}`,
      ms(median(search.map(fullTextMs))),
      `${ms(g.median)} / ${ms(g.p95)} / ${ms(g.max)}`,
      `${ms(b.median)} / ${ms(b.p95)} / ${ms(b.max)}`,
      `${int(median(search.map((c) => c.total ?? 0)))}${capped ? `, capped in ${capped} of ${search.length}` : ''}`,
      `${scan.filter((c) => c.found > 0).length} of ${scan.length}`,
    ];
  };
  const slowest = (side: Side) =>
    [...calls[side]]
      .sort((a, b) => b.ms - a.ms)
      .filter((c, i, all) => all.findIndex((d) => d.query === c.query) === i)
      .slice(0, 5)
      .map((c) => `\`${c.query.q}\` ${ms(c.ms)} ms`)
      .join(', ');
  return [
    table(
      ['Kind', 'queries', 'search ms, median / p95 / max', 'of which full-text statements, median', 'suggest ms, median / p95 / max', 'scan ms, median / p95 / max', "search's total, median", 'scan found any'],
      [...QUERY_KINDS.map((kind) => rowFor(kind, (c) => c.query.kind === kind)), rowFor('all', () => true)],
    ),
    '',
    `Slowest searches: ${slowest('search')}. Slowest suggestions: ${slowest('suggest')}. Slowest scans: ${slowest('scan')}.`,
    '',
    `"Full-text statements" adds up the statements that ask the engine (FTS5 \`MATCH\`, InnoDB \`MATCH … AGAINST\`); a search sends three (the page, its count, the candidates' count), in parallel on MariaDB and one after the other on SQLite's single connection. The rest of a call is the category tree read, the hits and their snippets. The total is what the API answers as \`total\`; "capped" means the engine's 2,000 candidates ran out (\`capped: true\`).`,
  ];
}

export interface PairOutcome {
  what: 'search' | 'suggest' | 'article page';
  connections: number;
  loketP50: number;
  loketP95: number;
  throughput: number;
}

export interface DatabaseOutcome {
  name: string;
  ratios: PairOutcome[];
}

export function httpLines(http: HttpResult, settings: RunSettings, checked: PreflightResult, pages: number, queries: number): { lines: string[]; ratios: PairOutcome[] } {
  const rows: string[][] = [];
  const ratios: PairOutcome[] = [];
  for (const result of http.pairs) {
    const r = pairRatios(result, http.noisy);
    const loket = summariseSide(result.loket, http.noisy);
    ratios.push({ what: result.pair.name.split(',')[0] as PairOutcome['what'], connections: result.pair.loket.connections, loketP50: loket.p50, loketP95: loket.p95, throughput: r.throughput });
    for (const side of ['loket', 'baseline'] as const) {
      const scenario = result.pair[side];
      const s = side === 'loket' ? loket : summariseSide(result[side], http.noisy);
      rows.push([
        scenario.label,
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
  const slow = http.pairs.flatMap((p) => [p.pair.loket, p.pair.baseline]).filter((s) => s.amount !== undefined).map((s) => s.label);
  return {
    ratios,
    lines: [
      table(['Scenario', 'run length', 'req/s mean (per run)', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'non-2xx', 'socket errors', 'CPU elsewhere (mean)', 'Loket ÷ bare: req/s / p95 (per round)'], rows),
      '',
      `Anonymous, no cookies. Search and suggest rotate through the ${queries} queries with \`limit=10\` (the scan too); the pages rotate through ${pages} published public English articles (the shipped kb/ ones first, then generated ones spread over the id range), each \`/faq/<category>/<slug>\` on both servers. Checked first: all of them answer 200, Loket finds every word that occurs, Loket sets no cookie, and the page bodies were identical in ${checked.pagesIdentical} of ${checked.pagesCompared}${checked.difference ? ` (first difference ${checked.difference})` : ''}.`,
      '',
      `req/s is completed requests ÷ the run's wall-clock time; p50/p99 are autocannon's, p95 is computed from every response's latency; means over the runs. "Loket ÷ bare" is Loket's req/s divided by the bare server's, and the bare p95 divided by Loket's, per round, the headline being their mean. Runs thrown away and repeated because other processes and steal took over ${settings.maxNoise} % of the CPU: ${dropped.length ? dropped.join('; ') : 'none'}; a run marked * stayed above it in every try and is left out of means and headline when a clean one exists.${slow.length ? ` Too slow to complete ${settings.minRequests} requests in ${settings.duration} s in the warm-up, so measured with a fixed ${settings.minRequests} requests per run: ${slow.join('; ')}.` : ''}`,
    ],
  };
}

export function rebuildLines(dialect: Dialect, rebuild: RebuildResult, insertSeconds: number): string[] {
  const how = dialect === 'sqlite' ? "FTS5's `'rebuild'` command (the index read afresh from the articles table)" : '`OPTIMIZE TABLE`, which InnoDB runs as a rebuild of the whole table with its FULLTEXT indexes';
  const changed = rebuild.changed.length
    ? `${rebuild.changed.length} of the ${rebuild.compared} queries matched a different number of articles afterwards: ${rebuild.changed.slice(0, 8).map((c) => `\`${c.q}\` ${int(c.before)} → ${int(c.after)}`).join(', ')}.`
    : `All ${rebuild.compared} queries matched as many articles afterwards as before.`;
  return [
    `\`rebuildFullText\` (plugin/db/fulltext.ts), ${how}: ${fixed(rebuild.seconds)} s, against ${fixed(insertSeconds, 0)} s for the fill. ${changed} The word \`${rebuild.probe.word}\` (an InnoDB default stopword, frequent in the English articles) matched ${int(rebuild.probe.before)} articles before and ${int(rebuild.probe.after)} after.`,
  ];
}

export function targetLines(outcomes: DatabaseOutcome[]): string[] {
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  return outcomes.map((o) => {
    const suggest = o.ratios.filter((r) => r.what === 'suggest');
    const page = o.ratios.filter((r) => r.what === 'article page');
    const at = (n: number) => (n === 1 ? 'one connection' : `${n} connections`);
    return `Targets on ${o.name}: suggest p95 under 20 ms: ${suggest.map((r) => `${met(r.loketP95 < 20)} at ${at(r.connections)} (${ms(r.loketP95)} ms)`).join(', ')}. Article page at least 0.6 of bare Express: ${page.map((r) => `${met(r.throughput >= 0.6)} at ${at(r.connections)} (${r.throughput.toFixed(2)})`).join(', ')}.`;
  });
}
