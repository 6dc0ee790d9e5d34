/**
 * `npm run bench:effective-permissions`: what a customer user's effective permissions cost (issue 4's
 * benchmark). A user in 5 customers holding 50 groups (direct, via customers, defaults) and entitled to
 * 200 services; a group with 10,000 customer-user members. See BENCHMARKS.md, "Effective permissions".
 *
 * Per database: migrate a fresh Loket database and create the data through Loket's services
 * (./setup.ts; only the 10,000 members are bulk-inserted, ./members.ts). In this process: the pure
 * computation, the service calls and the SQL each sends (./in-process.ts), the statements of one HTTP
 * request of each kind (./request-statements.ts) and the query plans of the members page. Then Loket
 * (bench/servers/loket.ts) and a bare Express server answering the same JSON (./floor-server.ts) as child
 * processes, loaded with autocannon in pairs (./http-runs.ts) at one connection (latency) and several
 * (throughput). Markdown on stdout, progress on stderr; nothing asserts on timings.
 *
 * Options (flag, or environment variable):
 *   --databases L      BENCH_DATABASES    comma list: sqlite,mariadb (both)
 *   --duration N       BENCH_DURATION     seconds per measured HTTP run (10)
 *   --connections N    BENCH_CONNECTIONS  connections of the loaded runs (10); every pair also runs at 1
 *   --rounds N         BENCH_ROUNDS       measured runs per scenario (2)
 *   --warmup N         BENCH_WARMUP       unmeasured seconds per scenario first (5)
 *   --max-noise P      BENCH_MAX_NOISE    repeat a run when other processes and steal took over P % of the CPU (10)
 *   --retries N        BENCH_RETRIES      repeats per run at most (2)
 *   --members N        BENCH_MEMBERS      customer-user members of the matrix group (10000)
 *   --compute-calls N  BENCH_COMPUTE_CALLS  measured calls of the pure computation, in 5 rounds (20000)
 *   --service-calls N  BENCH_SERVICE_CALLS  measured calls of each service method, in 5 rounds (500)
 * MariaDB: BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/test); tables get a random prefix and are
 * dropped at the end, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildLoket } from '../../plugin/loket.js';
import { startServerChild, type ServerChild } from '../lib/child.js';
import { localDatabaseServerPids } from '../lib/cpu.js';
import { mariadbDatabase, sqliteDatabase, type BenchDatabase } from '../lib/db.js';
import { signIn } from '../lib/http.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { explain, inline } from './explain.js';
import { makePlan } from './fixture.js';
import { runPairs } from './http-runs.js';
import { measureInProcess } from './in-process.js';
import { insertMembers } from './members.js';
import { compactPlanLines, dataLines, httpLines, inProcessLines, planLines, requestLines, statementName } from './report.js';
import { statementsPerRequest } from './request-statements.js';
import { latePage, pairs, preflight, preflightRest, urls, type Targets } from './scenarios.js';
import { createFixture } from './setup.js';
import { MEMBERS_PER_PAGE } from '../../plugin/access/pages/forms.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The roadmap's target for the computation. */
const TARGET_MS = 2;
const ROUNDS_IN_PROCESS = 5;

const { values: flags } = parseArgs({
  options: {
    databases: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    'max-noise': { type: 'string' },
    retries: { type: 'string' },
    members: { type: 'string' },
    'compute-calls': { type: 'string' },
    'service-calls': { type: 'string' },
  },
});

function wholeNumber(flag: string | undefined, env: string | undefined, fallback: number, name: string, min = 0): number {
  const raw = flag ?? env;
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${raw}`);
  return value;
}

const settings = {
  databases: (flags.databases ?? process.env.BENCH_DATABASES ?? 'sqlite,mariadb').split(',').map((s) => s.trim().toLowerCase()),
  duration: wholeNumber(flags.duration, process.env.BENCH_DURATION, 10, 'duration', 1),
  connections: wholeNumber(flags.connections, process.env.BENCH_CONNECTIONS, 10, 'connections', 1),
  rounds: wholeNumber(flags.rounds, process.env.BENCH_ROUNDS, 2, 'rounds', 1),
  warmup: wholeNumber(flags.warmup, process.env.BENCH_WARMUP, 5, 'warmup'),
  maxNoise: wholeNumber(flags['max-noise'], process.env.BENCH_MAX_NOISE, 10, 'max-noise'),
  retries: wholeNumber(flags.retries, process.env.BENCH_RETRIES, 2, 'retries'),
  members: wholeNumber(flags.members, process.env.BENCH_MEMBERS, 10_000, 'members', MEMBERS_PER_PAGE * 2),
  computeCalls: wholeNumber(flags['compute-calls'], process.env.BENCH_COMPUTE_CALLS, 20_000, 'compute-calls', ROUNDS_IN_PROCESS),
  serviceCalls: wholeNumber(flags['service-calls'], process.env.BENCH_SERVICE_CALLS, 500, 'service-calls', ROUNDS_IN_PROCESS),
  mariadbUrl: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);

async function benchDatabase(db: BenchDatabase): Promise<void> {
  const target = db.fresh();
  const tag = randomBytes(3).toString('hex');
  out(`\n### ${db.name} ${db.version}\n`);
  out(`Database: \`${db.label}\`, table prefix \`${target.tablePrefix}\`.\n`);
  progress(`\n[${db.name}] migrating and creating the data`);
  const loket = buildLoket({
    env: 'production',
    logLevel: 'silent',
    databaseUrl: target.databaseUrl,
    tablePrefix: target.tablePrefix,
    session: { secret: randomBytes(32).toString('hex') },
    database: { connectRetries: 0 },
  });
  const floorDir = mkdtempSync(join(tmpdir(), 'loket-bench-floor-'));
  tempDirs.add(floorDir);
  let loketServer: ServerChild | undefined;
  let floorServer: ServerChild | undefined;
  try {
    await loket.migrate();
    const { knex, tables, dialect } = loket.container;
    const plan = makePlan(tag);
    const fixture = await createFixture(loket, plan, tag, progress);
    const group = await loket.container.services.groups.get(fixture.admin.actor, plan.matrixGroup);
    const members = await insertMembers(knex, tables, dialect, { count: settings.members, groupId: group.id, customers: plan.customers, progress });
    const lateOffset = (latePage(settings.members) - 1) * MEMBERS_PER_PAGE;
    const dbPids = db.local ? localDatabaseServerPids() : [];

    progress(`[${db.name}] in-process timings`);
    const perRound = (total: number) => Math.ceil(total / ROUNDS_IN_PROCESS);
    const inProcess = await measureInProcess(
      loket,
      plan,
      fixture,
      lateOffset,
      {
        computeWarmup: 2000,
        computeRounds: ROUNDS_IN_PROCESS,
        computePerRound: perRound(settings.computeCalls),
        callWarmup: 50,
        callRounds: ROUNDS_IN_PROCESS,
        callsPerRound: perRound(settings.serviceCalls),
      },
      dbPids,
      progress,
    );
    for (const line of dataLines({ plan, setupSeconds: fixture.seconds, members: { count: settings.members, ...members }, inProcess })) out(line);
    out('\n#### In process\n');
    for (const line of inProcessLines(inProcess, tables.prefix, TARGET_MS)) out(line);

    const targets: Targets = {
      loket: '',
      floor: '',
      adminToken: fixture.admin.token,
      adminCookie: '',
      agentToken: fixture.agent.token,
      userToken: fixture.user.token,
      userLogin: fixture.user.login,
      group: plan.matrixGroup,
      members: members.logins,
      expected: { cells: inProcess.size.cells, services: inProcess.size.services, groups: inProcess.size.groups },
    };
    progress(`[${db.name}] SQL statements per request`);
    const requests = await statementsPerRequest(loket, targets, fixture.admin);
    out('\n#### SQL statements per request\n');
    for (const line of requestLines(requests, tables.prefix)) out(line);

    out('\n#### Query plans\n');
    const effective = inProcess.calls[0]!;
    const compact = await Promise.all(effective.statements.map(async (statement) => ({ name: statementName(statement.sql, tables.prefix), ms: statement.ms, plan: await explain(knex, dialect, statement) })));
    for (const line of compactPlanLines(`The ${compact.length} statements of one \`${effective.label}\``, compact)) out(line);
    out(`\nThe members page at offset ${lateOffset} (\`${inProcess.calls[inProcess.calls.length - 1]!.label}\`):\n`);
    const plans = await Promise.all(
      inProcess.lateMembers.map(async (statement, i) => ({
        title: `Statement ${i + 1}, ${statementName(statement.sql, tables.prefix)}`,
        sql: inline(statement),
        ms: statement.ms,
        plan: await explain(knex, dialect, statement),
      })),
    );
    for (const line of planLines(plans)) out(line);

    progress(`[${db.name}] starting the Loket server`);
    loketServer = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix }, 'loket');
    targets.loket = loketServer.ready.url;
    targets.adminCookie = await signIn(targets.loket, fixture.admin);
    const body = await preflight(urls(targets), targets);
    const floorFile = join(floorDir, 'effective-permissions.json');
    writeFileSync(floorFile, body);
    floorServer = await startServerChild(join(root, 'bench', 'effective-permissions', 'floor-server.ts'), { BENCH_FLOOR_JSON: floorFile }, 'floor');
    targets.floor = floorServer.ready.url;
    const u = urls(targets);
    await preflightRest(u, targets, body);

    progress(`[${db.name}] HTTP runs`);
    const levels = settings.connections > 1 ? [1, settings.connections] : [1];
    const http = await runPairs(
      levels.flatMap((c) => pairs(u, c)),
      settings,
      { pids: [loketServer.pid, floorServer.pid], dbPids, progress },
    );
    out('\n#### Through HTTP\n');
    for (const line of httpLines(http, settings.maxNoise)) out(line);
  } finally {
    await loketServer?.stop();
    await floorServer?.stop();
    await loket.close();
    rmSync(floorDir, { recursive: true, force: true });
    tempDirs.delete(floorDir);
  }
}

const databases: BenchDatabase[] = [];
/** The floor server's JSON files, removed also when the bench is interrupted. */
const tempDirs = new Set<string>();
const cleanUp = async () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  for (const db of databases.splice(0)) {
    try {
      await db.cleanUp();
    } catch (err) {
      progress(`cleaning up ${db.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
};
process.once('SIGINT', () => {
  progress('interrupted: cleaning up');
  void cleanUp().finally(() => process.exit(130));
});

try {
  const names: Record<string, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };
  out(`## Results: effective permissions on ${settings.databases.map((d) => names[d] ?? d).join(' and ')}\n`);
  for (const fact of machineFacts()) out(fact);
  out(
    `- Settings: in process ${settings.computeCalls} calls of the computation and ${settings.serviceCalls} of each service method, in ${ROUNDS_IN_PROCESS} rounds after a warm-up; HTTP ${settings.duration} s per run at 1 and ${settings.connections} connections, ${settings.rounds} measured rounds per scenario, ${settings.warmup} s warm-up per scenario; a run during which other processes and steal took over ${settings.maxNoise} % of the CPU is repeated, at most ${settings.retries} times; ${settings.members} members in the matrix group`,
  );
  if (settings.databases.includes('sqlite')) databases.push(await sqliteDatabase());
  if (settings.databases.includes('mariadb')) {
    const maria = await mariadbDatabase(settings.mariadbUrl);
    if ('unreachable' in maria) out(`- MariaDB: not reachable (${maria.unreachable}); skipped`);
    else {
      databases.push(maria);
      out(`- MariaDB: ${maria.version} at \`${maria.label}\``);
    }
  }
  for (const db of [...databases]) await benchDatabase(db);
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.`);
} finally {
  await cleanUp();
}
