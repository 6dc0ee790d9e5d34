/**
 * `npm run bench:tickets`: filing tickets through the real HTTP API under load (issue 6's benchmark).
 * 100 connections POST /api/v1/tickets for 60 s, each request with its own JSON body and Idempotency-Key,
 * sent with the API tokens of agents holding `create` in the queue's group, for generated customer users
 * (`customerUser`), on SQLite and on MariaDB; side by side in the same run, a bare Express server doing
 * one INSERT into a table shaped like the tickets table (the floor). Then the count check (every 201's
 * number in the table exactly once, no ticket nobody was told about beyond the requests in flight), the
 * replay check (acknowledged requests sent again with their keys), and what a customer user meets before
 * filing under load: the portal's new-ticket page and the FAQ suggestions, with kb/ imported. See
 * BENCHMARKS.md, "Filing tickets".
 *
 * Per database: migrate a fresh Loket database and create the data (./setup.ts); count the SQL statements
 * of one create in this process (./statements.ts); start Loket (bench/servers/loket.ts) and the floor
 * (./floor-server.ts) as child processes; warm both up, then load them in turn (./create-load.ts), Loket
 * first in odd rounds and the floor first in even ones; wait until the servers are idle; check the
 * counts (./count-check.ts) and replay (./replay.ts); then the portal runs (./portal.ts). Markdown on
 * stdout, progress on stderr; nothing asserts.
 *
 * Options (flag, or environment variable):
 *   --duration N          BENCH_DURATION          seconds per measured create run (60)
 *   --connections N       BENCH_CONNECTIONS       connections of the create runs (100)
 *   --databases L         BENCH_DATABASES         comma list: sqlite,mariadb (both)
 *   --rounds N            BENCH_ROUNDS            measured create runs per side (1)
 *   --warmup N            BENCH_WARMUP            unmeasured seconds per side and scenario first (5)
 *   --max-noise P         BENCH_MAX_NOISE         a run during which other processes and steal took over P % of the CPU is marked (10)
 *   --retries N           BENCH_RETRIES           … and repeated, at most N times (0: marked only)
 *   --timeout N           BENCH_TIMEOUT           seconds a request may take before autocannon gives up on it (10)
 *   --agents N            BENCH_AGENTS            agents filing, one API token each (10)
 *   --users N             BENCH_USERS             generated customer users the tickets are for (1000)
 *   --replays N           BENCH_REPLAYS           acknowledged requests sent again (1000)
 *   --page-duration N     BENCH_PAGE_DURATION     seconds per portal page and suggest run (10)
 *   --page-connections N  BENCH_PAGE_CONNECTIONS  connections of those runs (10)
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
import { load } from '../lib/load.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { databaseNames, wholeNumber } from '../lib/options.js';
import { settle } from '../lib/settle.js';
import { countCheck } from './count-check.js';
import { createLoad, type CreateSample, type CreateTarget } from './create-load.js';
import { newLedger, numberIn, record, nextCreate } from './ledger.js';
import { NEW_TICKET_PATH, probeNewTicketPage, probeSuggest, signInCustomer, suggestQueries } from './portal.js';
import { replayCheck } from './replay.js';
import { countLines, createLines, dataLines, memoryFacts, memoryLine, portalLines, replayLines, statementLines, targetLine, type CreateRuns, type DatabaseOutcome, type PortalOutcome } from './report.js';
import { createFloorTable, createTicketFixture, type TicketFixture } from './setup.js';
import { statementsPerCreate } from './statements.js';
import { ticketBody } from './tickets.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    connections: { type: 'string' },
    databases: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    'max-noise': { type: 'string' },
    retries: { type: 'string' },
    timeout: { type: 'string' },
    agents: { type: 'string' },
    users: { type: 'string' },
    replays: { type: 'string' },
    'page-duration': { type: 'string' },
    'page-connections': { type: 'string' },
  },
});

const env = process.env;
const settings = {
  duration: wholeNumber(flags.duration, env.BENCH_DURATION, 60, 'duration', 1),
  connections: wholeNumber(flags.connections, env.BENCH_CONNECTIONS, 100, 'connections', 1),
  databases: databaseNames(flags.databases, env.BENCH_DATABASES),
  rounds: wholeNumber(flags.rounds, env.BENCH_ROUNDS, 1, 'rounds', 1),
  warmup: wholeNumber(flags.warmup, env.BENCH_WARMUP, 5, 'warmup'),
  maxNoise: wholeNumber(flags['max-noise'], env.BENCH_MAX_NOISE, 10, 'max-noise'),
  retries: wholeNumber(flags.retries, env.BENCH_RETRIES, 0, 'retries'),
  timeout: wholeNumber(flags.timeout, env.BENCH_TIMEOUT, 10, 'timeout', 1),
  agents: wholeNumber(flags.agents, env.BENCH_AGENTS, 10, 'agents', 1),
  users: wholeNumber(flags.users, env.BENCH_USERS, 1000, 'users', 1),
  customers: 20,
  replays: wholeNumber(flags.replays, env.BENCH_REPLAYS, 1000, 'replays'),
  pageDuration: wholeNumber(flags['page-duration'], env.BENCH_PAGE_DURATION, 10, 'page-duration', 1),
  pageConnections: wholeNumber(flags['page-connections'], env.BENCH_PAGE_CONNECTIONS, 10, 'page-connections', 1),
  mariadbUrl: env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);
const noiseOf = (s: CreateSample): number => (s.cpu ? s.cpu.other + s.cpu.steal : 0);
const ticketsPerSecond = (s: CreateSample): number => (s.durationSeconds > 0 ? (s.statuses.get(201) ?? 0) / s.durationSeconds : NaN);

/** Loket's answer to one create, entered in the ledger; null when it is not a 201 with a number. */
async function preflightCreate(target: CreateTarget): Promise<string | null> {
  const { key, body } = nextCreate(target.ledger, 0, target.bodyOf);
  const res = await fetch(`${target.url}${target.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.tokens[0]!}`, 'idempotency-key': key },
    body,
  });
  const text = await res.text();
  record(target.ledger, key, res.status, text);
  if (res.status === 201 && numberIn(text) !== null) return null;
  return `answered ${res.status}: ${text.slice(0, 200)}`;
}

async function createRuns(loket: CreateTarget, floor: CreateTarget, context: { pids: number[]; dbPids: number[]; settle: () => Promise<number> }): Promise<CreateRuns> {
  const runs: CreateRuns = { loket: [], floor: [], noisy: new WeakSet(), discarded: 0, tries: [] };
  const run = async (target: CreateTarget, seconds: number) => {
    const sample = await createLoad(target, { connections: settings.connections, durationSeconds: seconds, timeoutSeconds: settings.timeout }, context.pids, context.dbPids);
    const waited = await context.settle();
    if (waited > 1000) progress(`  waited ${(waited / 1000).toFixed(1)} s for the requests that run left in flight`);
    return sample;
  };
  if (settings.warmup > 0) {
    progress(`  warm-up, ${settings.warmup} s per side`);
    for (const target of [loket, floor]) {
      const sample = await run(target, settings.warmup);
      progress(`  warm-up ${target.label}: ${ticketsPerSecond(sample).toFixed(0)} tickets/s`);
    }
  }
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? (['loket', 'floor'] as const) : (['floor', 'loket'] as const);
    for (const side of order) {
      const target = side === 'loket' ? loket : floor;
      const tries: CreateSample[] = [];
      for (;;) {
        const sample = await run(target, settings.duration);
        tries.push(sample);
        runs.tries.push({ side, sample });
        progress(
          `  round ${round + 1}/${settings.rounds} ${target.label}: ${ticketsPerSecond(sample).toFixed(1)} tickets/s, p50 ${sample.p50} ms, p95 ${sample.p95.toFixed(1)} ms, p99 ${sample.p99} ms, statuses ${[...sample.statuses].map(([s, n]) => `${s}×${n}`).join(' ')}, errors ${sample.errors}, unanswered ${sample.unanswered}, CPU other ${sample.cpu?.other.toFixed(0) ?? '?'} %, steal ${sample.cpu?.steal.toFixed(0) ?? '?'} %`,
        );
        if (noiseOf(sample) <= settings.maxNoise) break;
        if (tries.length > settings.retries) {
          const kept = tries.reduce((best, t) => (noiseOf(t) < noiseOf(best) ? t : best));
          runs.noisy.add(kept);
          tries.splice(0, tries.length, kept);
          break;
        }
        runs.discarded += 1;
        progress('  too noisy; repeating');
      }
      runs[side].push(tries[tries.length - 1]!);
    }
  }
  return runs;
}

async function portalRuns(loketUrl: string, fixture: TicketFixture, context: { pids: number[]; dbPids: number[]; settle: () => Promise<number> }): Promise<PortalOutcome> {
  const cookie = await signInCustomer(loketUrl, fixture.portalUser);
  const queries = suggestQueries(fixture.kbTitles);
  const found = await probeSuggest(loketUrl, cookie, queries);
  const page = await probeNewTicketPage(loketUrl, cookie);
  const measure = async (paths: string[]) => {
    const opts = { url: loketUrl, paths, connections: settings.pageConnections, headers: { cookie } };
    if (settings.warmup > 0) await load({ ...opts, durationSeconds: settings.warmup }, context.pids, context.dbPids);
    await context.settle();
    const sample = await load({ ...opts, durationSeconds: settings.pageDuration }, context.pids, context.dbPids);
    await context.settle();
    return sample;
  };
  progress(`  suggest: ${queries.length} queries, ${settings.pageConnections} connections`);
  const suggest = await measure(queries.map((q) => `/api/v1/faq/suggest?q=${encodeURIComponent(q)}`));
  let newTicket: PortalOutcome['newTicket'];
  if (page.ready) {
    progress(`  ${NEW_TICKET_PATH}, ${settings.pageConnections} connections`);
    newTicket = { sample: await measure([NEW_TICKET_PATH]) };
  } else {
    newTicket = { missing: page.status };
  }
  return { queries, found, suggest, newTicket };
}

async function benchDatabase(db: BenchDatabase): Promise<DatabaseOutcome> {
  const target = db.fresh();
  const tag = randomBytes(3).toString('hex');
  out(`\n### ${db.name} ${db.version}\n`);
  out(`Database: \`${db.label}\`, table prefix \`${target.tablePrefix}\`.\n`);
  progress(`\n[${db.name}] migrating and creating the data`);
  const loket: LoketInternals = buildLoket({
    env: 'production',
    logLevel: 'silent',
    databaseUrl: target.databaseUrl,
    tablePrefix: target.tablePrefix,
    session: { secret: randomBytes(32).toString('hex') },
    database: { connectRetries: 0 },
  });
  let loketServer: ServerChild | undefined;
  let floorServer: ServerChild | undefined;
  try {
    await loket.migrate();
    const { knex, tables, dialect } = loket.container;
    const fixture = await createTicketFixture(loket, { agents: settings.agents, users: settings.users, customers: settings.customers, tag, progress });
    await createFloorTable(knex, tables.prefix);
    for (const line of dataLines(fixture)) out(line);

    const ledger = newLedger(tag);
    const tokens = fixture.agents.map((a) => a.token);
    const bodyOf = (n: number) => ticketBody(n, fixture.queue, fixture.customerUsers[n % fixture.customerUsers.length]!);
    progress(`[${db.name}] SQL statements of one create`);
    const recorded = await statementsPerCreate(loket, tokens[0]!, bodyOf, ledger);
    out('\n#### SQL statements of one create\n');
    for (const line of statementLines(recorded, tables.prefix)) out(line);

    progress(`[${db.name}] starting the Loket and floor servers`);
    const serverEnv = { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix };
    loketServer = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), serverEnv, 'loket');
    floorServer = await startServerChild(join(root, 'bench', 'tickets', 'floor-server.ts'), serverEnv, 'floor');
    const pids = [loketServer.pid, floorServer.pid];
    const context = {
      pids,
      dbPids: db.local ? localDatabaseServerPids() : [],
      settle: () => settle(pids, dialect === 'mysql' ? { knex, statementLike: `%${target.tablePrefix}%` } : null),
    };
    const loketTarget: CreateTarget = { label: 'Loket POST /api/v1/tickets', url: loketServer.ready.url, path: '/api/v1/tickets', tokens, bodyOf, ledger };
    const floorTarget: CreateTarget = { label: 'bare Express POST /tickets, one INSERT', url: floorServer.ready.url, path: '/tickets', tokens, bodyOf, ledger: newLedger(`${tag}f`) };
    const rssReady = loketServer.rss();

    const floorProblem = await preflightCreate(floorTarget);
    if (floorProblem !== null) throw new Error(`the floor server ${floorProblem}`);
    const notReady = await preflightCreate(loketTarget);
    const outcome: DatabaseOutcome = { name: db.name, tickets: null, lossless: null };
    if (notReady !== null) {
      out(`\n#### Filing tickets through HTTP\n\nNot measured: POST /api/v1/tickets ${notReady}.`);
    } else {
      progress(`[${db.name}] create runs: ${settings.connections} connections, ${settings.duration} s`);
      const runs = await createRuns(loketTarget, floorTarget, context);
      out(`\n#### Filing tickets through HTTP (${settings.connections} connections, ${settings.duration} s per run)\n`);
      const created = createLines(runs, settings);
      for (const line of created.lines) out(line);
      out(memoryLine(rssReady, loketServer.rss()));
      outcome.tickets = created.ticketsPerSecond;

      progress(`[${db.name}] count check`);
      await context.settle();
      const counts = await countCheck(knex, tables, ledger);
      out('\n#### Count check\n');
      const checked = countLines(counts, runs);
      for (const line of checked.lines) out(line);
      outcome.lossless = checked.lossless;

      progress(`[${db.name}] replaying ${settings.replays} acknowledged requests`);
      const replay = await replayCheck({ url: loketServer.ready.url, tokens, ledger }, { requests: settings.replays, concurrency: settings.pageConnections }, { knex, tables });
      out('\n#### Replay check\n');
      for (const line of replayLines(replay, settings.pageConnections)) out(line);
      outcome.lossless = outcome.lossless && replay.otherNumber === 0 && replay.tickets.after === replay.tickets.before && (replay.statuses.get(200) ?? 0) === replay.sent;
    }

    progress(`[${db.name}] portal page and suggestions`);
    const portal = await portalRuns(loketServer.ready.url, fixture, context);
    out(`\n#### Before filing: the portal's new-ticket page and FAQ suggestions (${settings.pageConnections} connections, ${settings.pageDuration} s)\n`);
    for (const line of portalLines(portal, fixture)) out(line);
    out('');
    out(targetLine(outcome));
    return outcome;
  } finally {
    await loketServer?.stop();
    await floorServer?.stop();
    await loket.close();
  }
}

const opened = await openBenchDatabases(settings.databases, settings.mariadbUrl, progress);
try {
  const names: Record<string, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };
  out(`## Results: filing tickets on ${settings.databases.map((d) => names[d] ?? d).join(' and ')}\n`);
  for (const fact of [...machineFacts(), ...memoryFacts()]) out(fact);
  out(
    `- Settings: ${settings.connections} connections, ${settings.duration} s per create run, ${settings.rounds} measured run(s) per side after ${settings.warmup} s warm-up, autocannon timeout ${settings.timeout} s; a run during which other processes and steal took over ${settings.maxNoise} % of the CPU is marked${settings.retries ? ` and repeated, at most ${settings.retries} times` : ''}; ${settings.agents} agents filing for ${settings.users} customer users; ${settings.replays} replays; portal and suggest runs ${settings.pageDuration} s at ${settings.pageConnections} connections`,
  );
  for (const note of opened.notes) out(note);
  const outcomes: DatabaseOutcome[] = [];
  for (const db of opened.databases) outcomes.push(await benchDatabase(db));
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.`);
  if (outcomes.length > 1) {
    out('');
    for (const o of outcomes) out(targetLine(o));
  }
} finally {
  await opened.cleanUp();
}
