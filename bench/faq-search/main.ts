/**
 * `npm run bench:faq-search`: the FAQ's full-text search, its as-you-type suggestions and the public
 * article page over 100,000 generated articles (plus the shipped kb/ ones) on SQLite and MariaDB, side by
 * side with a bare Express server in the same run: a `LIKE '%word%'` scan for search and suggest, the
 * same EJS template with the same locals for the page. See BENCHMARKS.md, "FAQ search".
 *
 * Per database: migrate a fresh Loket database, import kb/ and create the category tree (./setup.ts), fill
 * it with generated articles in batches through Loket's renderer and article store (./fill.ts: the index
 * build time), choose queries from the articles' word frequencies (./queries.ts), time the searches in
 * this process (./in-process.ts), then start Loket (bench/servers/loket.ts) and the bare server
 * (./bare-server.ts) as child processes and load both alike (../lib/paired-runs.ts); last, time a full
 * rebuild of the full-text index. Markdown on stdout, progress on stderr; nothing asserts.
 *
 * Options (flag, or environment variable):
 *   --articles N           BENCH_ARTICLES           generated articles per database (100000)
 *   --databases L          BENCH_DATABASES          comma list: sqlite,mariadb (both)
 *   --duration N           BENCH_DURATION           seconds per measured run (10)
 *   --connections N        BENCH_CONNECTIONS        connections of the loaded pairs (10); the other pairs use 1
 *   --rounds N             BENCH_ROUNDS             measured runs per scenario (2)
 *   --warmup N             BENCH_WARMUP             unmeasured seconds per scenario first (5)
 *   --max-noise P          BENCH_MAX_NOISE          repeat a run when other processes and steal took over P % of the CPU (10)
 *   --retries N            BENCH_RETRIES            repeats per run at most (2)
 *   --sql-runs N           BENCH_SQL_RUNS           in-process calls per query of Loket's search and suggest (3; the scan runs once)
 *   --min-requests N       BENCH_MIN_REQUESTS       a run that would complete fewer requests runs for this many instead (40)
 *   --batch N              BENCH_BATCH              articles per insert transaction (1000)
 * MariaDB: BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/test); tables get a random prefix and are dropped
 * at the end, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { startServerChild, type ServerChild } from '../lib/child.js';
import { localDatabaseServerPids } from '../lib/cpu.js';
import { openBenchDatabases, type BenchDatabase } from '../lib/db.js';
import { planSection } from '../lib/explain.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { databaseNames, wholeNumber } from '../lib/options.js';
import { runHttp, type Pair } from '../lib/paired-runs.js';
import { settle } from '../lib/settle.js';
import { fillArticles, kbPages, type ArticlePage } from './fill.js';
import { timeInProcess, LIMIT } from './in-process.js';
import { rebuildIndex, storageLines } from './maintenance.js';
import { shownPlans } from './plans.js';
import { preflight } from './preflight.js';
import { benchQueries, type BenchQuery } from './queries.js';
import { dataLines, httpLines, inProcessLines, queryLines, rebuildLines, targetLines, type DatabaseOutcome } from './report.js';
import { setUpKnowledgeBase } from './setup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: flags } = parseArgs({
  options: {
    articles: { type: 'string' },
    databases: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    'max-noise': { type: 'string' },
    retries: { type: 'string' },
    'sql-runs': { type: 'string' },
    'min-requests': { type: 'string' },
    batch: { type: 'string' },
  },
});

const env = process.env;
const settings = {
  articles: wholeNumber(flags.articles, env.BENCH_ARTICLES, 100_000, 'articles', 100),
  databases: databaseNames(flags.databases, env.BENCH_DATABASES),
  duration: wholeNumber(flags.duration, env.BENCH_DURATION, 10, 'duration', 1),
  connections: wholeNumber(flags.connections, env.BENCH_CONNECTIONS, 10, 'connections', 1),
  rounds: wholeNumber(flags.rounds, env.BENCH_ROUNDS, 2, 'rounds', 1),
  warmup: wholeNumber(flags.warmup, env.BENCH_WARMUP, 5, 'warmup'),
  maxNoise: wholeNumber(flags['max-noise'], env.BENCH_MAX_NOISE, 10, 'max-noise'),
  retries: wholeNumber(flags.retries, env.BENCH_RETRIES, 2, 'retries'),
  sqlRuns: wholeNumber(flags['sql-runs'], env.BENCH_SQL_RUNS, 3, 'sql-runs', 1),
  minRequests: wholeNumber(flags['min-requests'], env.BENCH_MIN_REQUESTS, 40, 'min-requests', 1),
  batch: wholeNumber(flags.batch, env.BENCH_BATCH, 1000, 'batch', 1),
  mariadbUrl: env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
  seed: 20261123,
};

const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);

/** The three comparisons, at one connection and at `--connections`. */
function pairsFor(loketUrl: string, bareUrl: string, queries: BenchQuery[], pages: ArticlePage[]): Pair[] {
  const q = (query: BenchQuery) => `q=${encodeURIComponent(query.q)}&limit=${LIMIT}`;
  const search = queries.map((query) => `/api/v1/faq/search?${q(query)}`);
  const suggest = queries.map((query) => `/api/v1/faq/suggest?${q(query)}`);
  const scan = queries.map((query) => `/scan?${q(query)}`);
  const page = pages.map((p) => `/faq/${encodeURIComponent(p.category)}/${encodeURIComponent(p.slug)}`);
  const connections = [1, ...(settings.connections > 1 ? [settings.connections] : [])];
  const side = (label: string, url: string, paths: string[], n: number, which: 'loket' | 'baseline') => ({ side: which, label: `${label}, ${n} conn.`, url, paths, connections: n, timeoutSeconds: 120 });
  return connections.flatMap((n) => {
    const name = n === 1 ? 'one connection' : `${n} connections`;
    return [
      { name: `search, ${name}`, loket: side('Loket GET /api/v1/faq/search?q=…', loketUrl, search, n, 'loket'), baseline: side('bare LIKE scan GET /scan?q=…', bareUrl, scan, n, 'baseline') },
      { name: `suggest, ${name}`, loket: side('Loket GET /api/v1/faq/suggest?q=…', loketUrl, suggest, n, 'loket'), baseline: side('bare LIKE scan GET /scan?q=…', bareUrl, scan, n, 'baseline') },
      { name: `article page, ${name}`, loket: side('Loket GET /faq/<category>/<slug>', loketUrl, page, n, 'loket'), baseline: side('bare Express, same template, GET /faq/<category>/<slug>', bareUrl, page, n, 'baseline') },
    ];
  });
}

async function benchDatabase(db: BenchDatabase): Promise<DatabaseOutcome> {
  const target = db.fresh();
  out(`\n### ${db.name} ${db.version}, ${settings.articles.toLocaleString('en-US')} generated articles\n`);
  out(`Database: \`${db.label}\`, table prefix \`${target.tablePrefix}\`.\n`);
  progress(`\n[${db.name}] migrating, importing kb/, generating ${settings.articles} articles`);
  const loket: LoketInternals = buildLoket({
    env: 'production',
    logLevel: 'silent',
    databaseUrl: target.databaseUrl,
    tablePrefix: target.tablePrefix,
    session: { secret: randomBytes(32).toString('hex') },
    database: { connectRetries: 0 },
  });
  let loketServer: ServerChild | undefined;
  let bareServer: ServerChild | undefined;
  try {
    await loket.migrate();
    const { knex, tables, dialect } = loket.container;
    const setup = await setUpKnowledgeBase(loket);
    const pages = await kbPages(knex, tables);
    const fill = await fillArticles(knex, tables, { articles: settings.articles, batch: settings.batch, seed: settings.seed, categoryIds: setup.categoryIds, progress });
    pages.push(...fill.pages);
    // MariaDB would refresh its statistics by itself shortly after a bulk load; doing it now makes this
    // run's plans a settled server's. SQLite is left as Loket leaves it (Loket never runs ANALYZE).
    let analyseSeconds: number | null = null;
    if (dialect === 'mysql') {
      progress('  ANALYZE TABLE');
      const t0 = performance.now();
      await knex.raw('analyze table ??, ??, ??', [tables.faq_articles, tables.faq_stats, tables.faq_categories]);
      analyseSeconds = (performance.now() - t0) / 1000;
    }
    for (const line of dataLines(fill, setup, analyseSeconds, await storageLines(loket, target.databaseUrl))) out(line);

    const queries = benchQueries(fill.frequencies);
    out('');
    for (const line of queryLines(queries)) out(line);

    progress(`[${db.name}] timing ${queries.length} queries in process`);
    const inProcess = await timeInProcess(loket, queries, settings.sqlRuns, progress);
    out(`\n#### In process (one call at a time: Loket's reader service ${settings.sqlRuns}× per query, the scan once)\n`);
    for (const line of inProcessLines(inProcess)) out(line);
    out('\n#### Query plans\n');
    for (const line of planSection(await shownPlans(loket, inProcess))) out(line);

    progress(`[${db.name}] starting the Loket and bare servers`);
    const serverEnv = { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix };
    loketServer = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), serverEnv, 'loket');
    bareServer = await startServerChild(join(root, 'bench', 'faq-search', 'bare-server.ts'), serverEnv, 'bare');
    const checked = await preflight(loketServer.ready.url, bareServer.ready.url, queries, pages);
    const pairs = pairsFor(loketServer.ready.url, bareServer.ready.url, queries, pages);
    const serverPids = [loketServer.pid, bareServer.pid];
    const http = await runHttp(pairs, settings, {
      pids: serverPids,
      dbPids: db.local ? localDatabaseServerPids() : [],
      settle: () => settle(serverPids, dialect === 'mysql' ? { knex, statementLike: `%${target.tablePrefix}faq%` } : null),
      progress,
    });
    await loketServer.stop();
    await bareServer.stop();
    out('\n#### Through HTTP\n');
    const section = httpLines(http, settings, checked, pages.length, queries.length);
    for (const line of section.lines) out(line);

    progress(`[${db.name}] rebuilding the full-text index`);
    const rebuild = await rebuildIndex(loket, queries);
    out('\n#### Rebuilding the index\n');
    for (const line of rebuildLines(dialect, rebuild, fill.seconds.insert)) out(line);
    const outcome: DatabaseOutcome = { name: db.name, ratios: section.ratios };
    out('');
    for (const line of targetLines([outcome])) out(line);
    return outcome;
  } finally {
    await loketServer?.stop();
    await bareServer?.stop();
    await loket.close();
  }
}

const opened = await openBenchDatabases(settings.databases, settings.mariadbUrl, progress);
try {
  const names: Record<string, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };
  out(`## Results: FAQ search on ${settings.databases.map((d) => names[d] ?? d).join(' and ')}\n`);
  for (const fact of machineFacts()) out(fact);
  out(
    `- Settings: ${settings.articles.toLocaleString('en-US')} generated articles in batches of ${settings.batch}; ${settings.duration} s per run, 1 and ${settings.connections} connections, ${settings.rounds} measured rounds per scenario, ${settings.warmup} s warm-up per scenario; a run during which other processes and steal took over ${settings.maxNoise} % of the CPU is repeated, at most ${settings.retries} times; a side completing fewer than ${settings.minRequests} requests in its warm-up runs ${settings.minRequests} requests per run instead`,
  );
  for (const note of opened.notes) out(note);
  const outcomes: DatabaseOutcome[] = [];
  for (const db of opened.databases) outcomes.push(await benchDatabase(db));
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.`);
  if (outcomes.length > 1) {
    out('');
    for (const line of targetLines(outcomes)) out(line);
  }
} finally {
  await opened.cleanUp();
}
