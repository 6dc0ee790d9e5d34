/**
 * `npm run bench:customer-search`: Loket's indexed prefix search over a million customer users (MariaDB)
 * and 200,000 (SQLite), through its HTTP API, side by side with the `LIKE '%term%'` scan OTOBO's database
 * backend does, over the same table in the same run. See BENCHMARKS.md, "Customer-user search".
 *
 * Per database: migrate a fresh Loket database, fill it with generated users (./fill.ts), time the SQL of
 * both searches in this process and show their query plans (./sql-timing.ts), then start Loket
 * (bench/servers/loket.ts) and the scan server (./scan-server.ts) as child processes and load both with
 * the same rotating search terms (../lib/paired-runs.ts). Markdown on stdout, progress on stderr; nothing asserts.
 *
 * Options (flag, or environment variable):
 *   --users N              BENCH_USERS              users per database (default 200000 on SQLite, 1000000 on MariaDB)
 *   --customers N          BENCH_CUSTOMERS          customers (300)
 *   --databases L          BENCH_DATABASES          comma list: sqlite,mariadb (both)
 *   --duration N           BENCH_DURATION           seconds per measured run (10)
 *   --connections N        BENCH_CONNECTIONS        connections of the loaded pair (10); the other pair uses 1
 *   --rounds N             BENCH_ROUNDS             measured runs per scenario (2)
 *   --warmup N             BENCH_WARMUP             unmeasured seconds per scenario first (5)
 *   --max-noise P          BENCH_MAX_NOISE          repeat a run when other processes and steal took over P % of the CPU (10)
 *   --retries N            BENCH_RETRIES            repeats per run at most (2)
 *   --terms N              BENCH_TERMS              sampled search terms per kind: last name, login, e-mail (200)
 *   --sql-runs N           BENCH_SQL_RUNS           in-process searches per side (50)
 *   --min-requests N       BENCH_MIN_REQUESTS       a run that would complete fewer requests runs for this many instead (40)
 *   --batch N              BENCH_BATCH              users per insert transaction (2000)
 * MariaDB: BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/test); tables get a random prefix and are dropped
 * at the end, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { parseDatabaseUrl } from '../../plugin/config/database-url.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { startServerChild, type ServerChild } from '../lib/child.js';
import { localDatabaseServerPids } from '../lib/cpu.js';
import { openBenchDatabases, type BenchDatabase } from '../lib/db.js';
import { explain, inline, planSection } from '../lib/explain.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { databaseNames, wholeNumber } from '../lib/options.js';
import { runHttp, type Pair } from '../lib/paired-runs.js';
import { mib, ms } from '../lib/report.js';
import { settle } from '../lib/settle.js';
import { fillDatabase, type FillResult } from './fill.js';
import type { GeneratedUser, SearchTerm } from './people.js';
import { dataSection, httpSection, sqlSection, targetLines, termsSection } from './report.js';
import { PAGE, sqlSides, timeSql, type TimedSearch } from './sql-timing.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: flags } = parseArgs({
  options: {
    users: { type: 'string' },
    customers: { type: 'string' },
    databases: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    'max-noise': { type: 'string' },
    retries: { type: 'string' },
    terms: { type: 'string' },
    'sql-runs': { type: 'string' },
    'min-requests': { type: 'string' },
    batch: { type: 'string' },
  },
});

const usersOverride = flags.users ?? process.env.BENCH_USERS;
const settings = {
  users: (db: BenchDatabase) => wholeNumber(usersOverride, undefined, db.name === 'MariaDB' ? 1_000_000 : 200_000, 'users', 100),
  customers: wholeNumber(flags.customers, process.env.BENCH_CUSTOMERS, 300, 'customers', 1),
  databases: databaseNames(flags.databases, process.env.BENCH_DATABASES),
  duration: wholeNumber(flags.duration, process.env.BENCH_DURATION, 10, 'duration', 1),
  connections: wholeNumber(flags.connections, process.env.BENCH_CONNECTIONS, 10, 'connections', 1),
  rounds: wholeNumber(flags.rounds, process.env.BENCH_ROUNDS, 2, 'rounds', 1),
  warmup: wholeNumber(flags.warmup, process.env.BENCH_WARMUP, 5, 'warmup'),
  maxNoise: wholeNumber(flags['max-noise'], process.env.BENCH_MAX_NOISE, 10, 'max-noise'),
  retries: wholeNumber(flags.retries, process.env.BENCH_RETRIES, 2, 'retries'),
  termsPerKind: wholeNumber(flags.terms, process.env.BENCH_TERMS, 200, 'terms', 1),
  sqlRuns: wholeNumber(flags['sql-runs'], process.env.BENCH_SQL_RUNS, 50, 'sql-runs', 1),
  minRequests: wholeNumber(flags['min-requests'], process.env.BENCH_MIN_REQUESTS, 40, 'min-requests', 1),
  batch: wholeNumber(flags.batch, process.env.BENCH_BATCH, 2000, 'batch', 1),
  mariadbUrl: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
  seed: 20261123,
};

const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);

/** The admin an integration would use: a Bearer token of an admin agent (customer-user scope: everybody). */
async function adminToken(loket: LoketInternals): Promise<{ token: string; actor: Actor }> {
  const { agents, apiTokens } = loket.container.services;
  const login = `bench-admin-${randomBytes(4).toString('hex')}`;
  const { agent } = await agents.createFromOperator(
    { login, email: `${login}@example.test`, role: 'admin', password: `pw-${randomBytes(12).toString('hex')}`, firstName: 'Bench', lastName: 'Admin' },
    cliSubject(),
  );
  const issued = await apiTokens.issueFromOperator({ type: 'agent', id: agent.id }, login, { name: 'customer-search bench' }, cliSubject());
  const actor = await loket.container.services.actors.resolve({ type: 'agent', id: agent.id }, 'token');
  if (!actor) throw new Error('the bench admin did not resolve to an actor');
  return { token: issued.plain, actor };
}

async function tableSizes(loket: LoketInternals, databaseUrl: string): Promise<string[]> {
  const { knex, tables, dialect } = loket.container;
  if (dialect === 'sqlite') {
    const target = parseDatabaseUrl(databaseUrl);
    if (target.dialect !== 'sqlite') return [];
    const size = (suffix: string) => {
      try {
        return statSync(target.filename + suffix).size;
      } catch {
        return 0;
      }
    };
    return [`Database file: ${mib(size(''))} (plus ${mib(size('-wal'))} write-ahead log).`];
  }
  const names = [tables.customer_users, tables.customer_user_search, tables.customer_user_customers];
  const [rows] = (await knex.raw(
    'select table_name as name, data_length as data, index_length as ix from information_schema.tables where table_schema = database() and table_name in (?, ?, ?)',
    names,
  )) as [{ name: string; data: number; ix: number }[]];
  const sizes = rows.map((r) => `\`${r.name.slice(tables.prefix.length)}\` ${mib(Number(r.data))} data + ${mib(Number(r.ix))} secondary indexes`).join(', ');
  const [pool] = (await knex.raw("select @@innodb_buffer_pool_size as b, @@innodb_flush_method as f")) as [{ b: number; f: string }[]];
  return [`InnoDB sizes: ${sizes}. Buffer pool: ${mib(Number(pool[0]?.b))}, flush method ${pool[0]?.f ?? '?'}.`];
}

/** Both servers must answer 200 with the shape of a list and find a generated user by login, or nothing is measured. */
async function preflight(loketUrl: string, token: string, scanUrl: string, probes: GeneratedUser[], terms: SearchTerm[]): Promise<void> {
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { items?: { login?: unknown }[]; total?: unknown };
    if (res.status !== 200 || !Array.isArray(body.items) || typeof body.total !== 'number') {
      throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    }
    return body.items.map((i) => i.login);
  };
  const auth = { authorization: `Bearer ${token}` };
  for (const [i, probe] of probes.entries()) {
    const q = `search=${encodeURIComponent(probe.login)}&limit=${PAGE}`;
    if (!(await get(`${loketUrl}/api/v1/customer-users?${q}`, auth)).includes(probe.login)) throw new Error(`Loket did not find ${probe.login}`);
    // Two are enough to show the scan works: over a million rows each of its searches takes seconds.
    if (i < 2 && !(await get(`${scanUrl}/scan?${q}`)).includes(probe.login)) throw new Error(`the scan did not find ${probe.login}`);
  }
  for (const term of terms.slice(0, 20)) await get(`${loketUrl}/api/v1/customer-users?search=${encodeURIComponent(term.term)}&limit=${PAGE}`, auth);
}

/**
 * The plans of the statements Loket actually ran: a typical search, one whose count stopped at the cap
 * (the broad case the bound is for), the slowest, and a two-word one (its second word is an EXISTS);
 * then the scan's. A search that fits several of these is shown once.
 */
function plans(loket: LoketInternals, prefix: TimedSearch[], scan: TimedSearch[]) {
  const { knex, dialect } = loket.container;
  const both = (t: TimedSearch) => t.rowsMs + t.countMs;
  const byTime = [...prefix].sort((a, b) => both(a) - both(b));
  const matches = (t: TimedSearch) => `${t.total.toLocaleString('en-US')}${t.capped ? '+' : ''} matches`;
  const candidates: { what: string; run: TimedSearch | undefined }[] = [
    { what: 'a typical term', run: byTime[Math.floor(byTime.length / 2)] },
    { what: 'a term beyond the cap', run: prefix.find((t) => t.capped) },
    { what: 'the slowest term', run: byTime[byTime.length - 1] },
    { what: 'a two-word term', run: prefix.find((t) => /\s/.test(t.term.term.trim())) },
  ];
  const shown = new Set<TimedSearch>();
  const picks: { what: string; run: TimedSearch }[] = [];
  for (const { what, run } of candidates) {
    if (!run || shown.has(run)) continue;
    shown.add(run);
    picks.push({ what: `Loket, ${what} (\`${run.term.term}\`, ${matches(run)}, ${ms(both(run))} ms)`, run });
  }
  picks.push({ what: `the scan (\`${scan[0]!.term.term}\`)`, run: scan[0]! });
  return Promise.all(
    picks.flatMap(({ what, run }) =>
      run.statements.map(async (statement, i) => ({
        title: `Plan of ${what}, ${i === 0 ? 'page query' : 'count'}`,
        sql: inline(statement),
        plan: await explain(knex, dialect, statement),
      })),
    ),
  );
}

async function benchDatabase(db: BenchDatabase): Promise<void> {
  const users = settings.users(db);
  const target = db.fresh();
  out(`\n### ${db.name} ${db.version}, ${users.toLocaleString('en-US')} customer users\n`);
  out(`Database: \`${db.label}\`, table prefix \`${target.tablePrefix}\`.\n`);
  progress(`\n[${db.name}] migrating and generating ${users} users`);
  const loket = buildLoket({
    env: 'production',
    logLevel: 'silent',
    databaseUrl: target.databaseUrl,
    tablePrefix: target.tablePrefix,
    session: { secret: randomBytes(32).toString('hex') },
    database: { connectRetries: 0 },
  });
  let loketServer: ServerChild | undefined;
  let scanServer: ServerChild | undefined;
  try {
    await loket.migrate();
    const { knex, tables, dialect } = loket.container;
    const fill: FillResult = await fillDatabase(knex, tables, dialect, {
      users,
      customers: settings.customers,
      seed: settings.seed,
      termsPerKind: settings.termsPerKind,
      batch: settings.batch,
      progress,
    });
    for (const line of dataSection(fill, await tableSizes(loket, target.databaseUrl))) out(line);
    out('');
    out(termsSection(fill.terms));
    const { token, actor } = await adminToken(loket);

    progress(`[${db.name}] timing the SQL alone, ${settings.sqlRuns} searches per side`);
    const service = (term: SearchTerm) => loket.container.services.customerUsers.search(actor, { search: term.term, limit: PAGE, offset: 0 });
    const sql = await timeSql(sqlSides(knex, tables), service, fill.terms, settings.sqlRuns, progress);
    out(`\n#### The SQL alone (in-process, one search at a time, ${settings.sqlRuns} searches per side over the first ${Math.min(settings.sqlRuns, fill.terms.length)} terms)\n`);
    for (const line of sqlSection(sql.prefix, sql.scan, sql.serviceMs)) out(line);
    out('\n#### Query plans\n');
    for (const line of planSection(await plans(loket, sql.prefix, sql.scan))) out(line);

    progress(`[${db.name}] starting the Loket and scan servers`);
    const env = { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix };
    loketServer = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), env, 'loket');
    scanServer = await startServerChild(join(root, 'bench', 'customer-search', 'scan-server.ts'), env, 'scan');
    const L = loketServer.ready.url;
    const S = scanServer.ready.url;
    await preflight(L, token, S, fill.probes, fill.terms);
    const query = (t: SearchTerm) => `search=${encodeURIComponent(t.term)}&limit=${PAGE}`;
    const loketPaths = fill.terms.map((t) => `/api/v1/customer-users?${query(t)}`);
    const scanPaths = fill.terms.map((t) => `/scan?${query(t)}`);
    const headers = { authorization: `Bearer ${token}` };
    const pair = (connections: number): Pair => ({
      name: connections === 1 ? 'one connection' : `${connections} connections`,
      loket: { side: 'loket', label: `Loket GET /api/v1/customer-users?search=…, ${connections} conn.`, url: L, paths: loketPaths, headers, connections, timeoutSeconds: 120 },
      baseline: { side: 'baseline', label: `bare Express LIKE scan GET /scan?search=…, ${connections} conn.`, url: S, paths: scanPaths, connections, timeoutSeconds: 120 },
    });
    const pairs = [pair(1), ...(settings.connections > 1 ? [pair(settings.connections)] : [])];
    const serverPids = [loketServer.pid, scanServer.pid];
    const http = await runHttp(pairs, settings, {
      pids: serverPids,
      dbPids: db.local ? localDatabaseServerPids() : [],
      settle: () => settle(serverPids, dialect === 'mysql' ? { knex, statementLike: `%${target.tablePrefix}customer_user%` } : null),
      progress,
    });
    out('\n#### Through HTTP\n');
    const section = httpSection(http, settings.maxNoise);
    for (const line of section.lines) out(line);
    const slow = pairs.flatMap((p) => [p.loket, p.baseline]).filter((s) => s.amount !== undefined).map((s) => s.label);
    if (slow.length) {
      out(`\nToo slow to complete ${settings.minRequests} requests in ${settings.duration} s in the warm-up, so measured with a fixed ${settings.minRequests} requests per run (autocannon's \`amount\`), however long that took: ${slow.join('; ')}. Every request had 120 s before it counted as a timeout.`);
    }
    out('');
    for (const line of targetLines(db.name, section.ratios)) out(line);
  } finally {
    await loketServer?.stop();
    await scanServer?.stop();
    await loket.close();
  }
}

const opened = await openBenchDatabases(settings.databases, settings.mariadbUrl, progress);
try {
  const names: Record<string, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };
  out(`## Results: customer-user search on ${settings.databases.map((d) => names[d] ?? d).join(' and ')}\n`);
  for (const fact of machineFacts()) out(fact);
  out(
    `- Settings: ${settings.duration} s per run, 1 and ${settings.connections} connections, ${settings.rounds} measured rounds per scenario, ${settings.warmup} s warm-up per scenario, ${settings.termsPerKind * 3} search terms, ${settings.sqlRuns} in-process searches per side, page size ${PAGE}; a run during which other processes and steal took over ${settings.maxNoise} % of the CPU is repeated, at most ${settings.retries} times`,
  );
  for (const note of opened.notes) out(note);
  for (const db of opened.databases) await benchDatabase(db);
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.`);
} finally {
  await opened.cleanUp();
}
