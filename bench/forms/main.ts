/**
 * `npm run bench:forms`: delegated forms under load through the real HTTP API (issue 8's benchmark).
 * Pairs of key users, each pair in its own customer with a colleague as the target, all at once: the
 * requester submits a run of a form that needs a key-user approval and grants a group (./setup.ts), the
 * other key user lists their approvals and approves; repeated for the duration (./loop.ts). Throughput in
 * completed runs per second, p50/p95/p99 per step. Then the exactly-once check and the replay check
 * (./check.ts). Markdown on stdout, progress on stderr; nothing asserts.
 *
 * Per database: migrate a fresh Loket database and create the data in this process; start Loket
 * (bench/servers/loket.ts) as a child process; a warm-up, then the measured loops; wait until the server
 * is idle; the checks read the tables directly.
 *
 * Options (flag, or environment variable):
 *   --quick                                 SQLite only, 5 s, no warm-up, 50 replays (a smoke run)
 *   --duration N          BENCH_DURATION    seconds of measured loops (30)
 *   --pairs N             BENCH_PAIRS       concurrent requester/approver pairs (50)
 *   --databases L         BENCH_DATABASES   comma list: sqlite,mariadb (both)
 *   --warmup N            BENCH_WARMUP      unmeasured seconds of loops first (5)
 *   --replays N           BENCH_REPLAYS     acknowledged submits sent again (100)
 * MariaDB: BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/test); tables get a random prefix and are dropped
 * at the end, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildLoket } from '../../plugin/loket.js';
import { startServerChild, type ServerChild } from '../lib/child.js';
import { openBenchDatabases, type BenchDatabase } from '../lib/db.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { databaseNames, wholeNumber } from '../lib/options.js';
import { settle } from '../lib/settle.js';
import { onceCheck, replayCheck } from './check.js';
import { runLoops, type LoopTarget } from './loop.js';
import { loopLines, onceLines, replayLines } from './report.js';
import { createFormsFixture } from './setup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    duration: { type: 'string' },
    pairs: { type: 'string' },
    databases: { type: 'string' },
    warmup: { type: 'string' },
    replays: { type: 'string' },
  },
});

const env = process.env;
const quick = flags.quick === true;
const settings = {
  duration: wholeNumber(flags.duration, env.BENCH_DURATION, quick ? 5 : 30, 'duration', 1),
  pairs: wholeNumber(flags.pairs, env.BENCH_PAIRS, 50, 'pairs', 1),
  databases: databaseNames(flags.databases ?? (quick ? 'sqlite' : undefined), env.BENCH_DATABASES),
  warmup: wholeNumber(flags.warmup, env.BENCH_WARMUP, quick ? 0 : 5, 'warmup'),
  replays: wholeNumber(flags.replays, env.BENCH_REPLAYS, quick ? 50 : 100, 'replays'),
  replayConcurrency: 10,
  mariadbUrl: env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);

async function benchDatabase(db: BenchDatabase): Promise<{ runsPerSecond: number; ok: boolean }> {
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
  let server: ServerChild | undefined;
  try {
    await loket.migrate();
    const { knex, tables, dialect } = loket.container;
    const fixture = await createFormsFixture(loket, { pairs: settings.pairs, tag, progress });
    out(`Data (made through the services in ${fixture.seconds.toFixed(1)} s): ${fixture.pairs.length} customers, each with a requesting key user, an approving key user (API tokens) and a colleague as the target; form \`${fixture.formKey}\` (grant \`ro\` in one group, one step "key users of the target's customer", any), request tickets in one queue.\n`);

    progress(`[${db.name}] starting the Loket server`);
    server = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix }, 'loket');
    const pids = [server.pid];
    const idle = () => settle(pids, dialect === 'mysql' ? { knex, statementLike: `%${target.tablePrefix}%` } : null);
    let warmUpFailures = 'none';
    const loops: LoopTarget = { url: server.ready.url, formKey: fixture.formKey, pairs: fixture.pairs, tag, ledger: [] };
    if (settings.warmup > 0) {
      const warm = await runLoops(loops, settings.warmup);
      progress(`  warm-up: ${(warm.completed / warm.seconds).toFixed(1)} runs/s`);
      warmUpFailures = warm.failures.size ? `${[...warm.failures].map(([k, n]) => `${k} × ${n}`).join(', ')} (first: \`${(warm.firstFailure ?? '').replace(/`/g, "'")}\`)` : 'none';
      await idle();
    }
    progress(`[${db.name}] ${settings.pairs} pairs, ${settings.duration} s`);
    const sample = await runLoops(loops, settings.duration);
    await idle();
    const runsPerSecond = sample.completed / sample.seconds;
    progress(`  ${runsPerSecond.toFixed(1)} runs/s, failures: ${[...sample.failures].map(([k, n]) => `${k}×${n}`).join(' ') || 'none'}`);
    out(`#### Submit, list, approve (${settings.pairs} pairs, ${settings.duration} s after ${settings.warmup} s warm-up)\n`);
    for (const line of loopLines(sample, settings.pairs)) out(line);
    if (settings.warmup > 0) out(`Failed steps in the warm-up: ${warmUpFailures}.`);

    progress(`[${db.name}] exactly-once check`);
    const once = onceLines(await onceCheck({ knex, tables }, fixture.formKey, loops.ledger));
    out('\n#### Exactly-once check\n');
    for (const line of once.lines) out(line);

    progress(`[${db.name}] replaying ${settings.replays} acknowledged submits`);
    const replay = replayLines(await replayCheck({ knex, tables }, loops, loops.ledger, { requests: settings.replays, concurrency: settings.replayConcurrency }), settings.replayConcurrency);
    out('\n#### Replay check\n');
    for (const line of replay.lines) out(line);
    return { runsPerSecond, ok: once.ok && replay.ok };
  } finally {
    await server?.stop();
    await loket.close();
  }
}

const opened = await openBenchDatabases(settings.databases, settings.mariadbUrl, progress);
try {
  const names: Record<string, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };
  out(`## Results: delegated forms on ${settings.databases.map((d) => names[d] ?? d).join(' and ')}\n`);
  for (const fact of machineFacts()) out(fact);
  out(`- Settings: ${settings.pairs} concurrent requester/approver pairs, ${settings.duration} s measured after ${settings.warmup} s warm-up, ${settings.replays} replays${quick ? ' (--quick)' : ''}`);
  for (const note of opened.notes) out(note);
  const outcomes: string[] = [];
  for (const db of opened.databases) {
    const o = await benchDatabase(db);
    outcomes.push(`- ${db.name}: ${o.runsPerSecond.toFixed(1)} runs/s; exactly once and replays clean: ${o.ok ? 'yes' : 'NO'}`);
  }
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.\n`);
  for (const line of outcomes) out(line);
} finally {
  await opened.cleanUp();
}
