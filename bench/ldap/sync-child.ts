/**
 * One directory sync in a process of its own, as `loket ldap sync` would run it, so its peak RSS is the
 * sync's and nobody else's. Builds Loket on the bench database, resolves the bench admin, prints a
 * `started` line, runs the sync through the directory operations service, and prints a `result` line:
 * the report's counts, wall and CPU time, the time each phase began, the SQL statements by kind, the
 * RSS when the sync started and the process's peak RSS (getrusage's maxRSS, which covers the whole life
 * of the process: module loading and migrations included, though the sync is where it peaks).
 *
 * Env: BENCH_DB_URL, BENCH_TABLE_PREFIX, BENCH_BACKEND, BENCH_ADMIN_LOGIN. stdout: JSON lines only.
 */
import { randomBytes } from 'node:crypto';
import { auditSubjectOf } from '../../plugin/audit/service.js';
import { buildLoket } from '../../plugin/loket.js';
import { adminActor } from './setup.js';
import { countStatements } from './statements.js';
import type { SyncChildResult } from './sync-protocol.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const loket = buildLoket({
  env: 'production',
  logLevel: 'silent',
  databaseUrl: env('BENCH_DB_URL'),
  tablePrefix: env('BENCH_TABLE_PREFIX'),
  session: { secret: randomBytes(32).toString('hex') },
  database: { connectRetries: 0 },
});
try {
  await loket.migrate();
  const { container } = loket;
  const admin = await adminActor(loket, env('BENCH_ADMIN_LOGIN'));
  const phases: { phase: string; atMs: number }[] = [];
  let lastReport = 0;

  const rssAtStart = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ type: 'started', rss: rssAtStart })}\n`);
  const statements = countStatements(container.knex, container.tables.prefix);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await container.services.directoryOps.sync(admin, env('BENCH_BACKEND'), { dryRun: false, force: false }, auditSubjectOf(admin, null), (p) => {
    const at = performance.now() - started;
    if (phases[phases.length - 1]?.phase !== p.phase) phases.push({ phase: p.phase, atMs: at });
    if (at - lastReport > 5000) {
      lastReport = at;
      process.stderr.write(`    ${p.phase}: ${p.entries} entries, ${(at / 1000).toFixed(0)} s\n`);
    }
  });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: SyncChildResult = {
    type: 'result',
    counts: { ...report.counts },
    refused: report.refused !== null,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    phases,
    statements: statements.stop(),
    rssAtStart,
    rssAtEnd: process.memoryUsage().rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await loket.close();
}
