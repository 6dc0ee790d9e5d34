/**
 * `npm run bench:delegation`: what working through a delegation costs per request. A delegated session
 * reads its delegation, the organisation's name and a member's group permissions again on every request
 * (so expiry and revocation count from the next one); this measures that against the same person's own
 * session, side by side in one run: GET /portal (a page with the switcher and banner) and GET /api/v1/me,
 * at one connection (what one person sees) and at ten. Rounds alternate which side goes first.
 * Markdown on stdout, progress on stderr; nothing asserts.
 *
 * Options (flag, or environment variable):
 *   --duration N     BENCH_DURATION     seconds per measured run (10)
 *   --rounds N       BENCH_ROUNDS       measured runs per side and scenario (3)
 *   --databases L    BENCH_DATABASES    comma list: sqlite,mariadb (both)
 * MariaDB: BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/test); tables get a random prefix and are dropped.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { auditSubjectOf, cliSubject } from '../../plugin/audit/service.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { startServerChild, type ServerChild } from '../lib/child.js';
import { openBenchDatabases, type BenchDatabase } from '../lib/db.js';
import { csrfFrom, sessionCookieFrom } from '../lib/http.js';
import { load, type LoadSample } from '../lib/load.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { databaseNames, wholeNumber } from '../lib/options.js';
import { median, ms } from '../lib/report.js';
import { signInCustomer } from '../tickets/portal.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: flags } = parseArgs({ options: { duration: { type: 'string' }, rounds: { type: 'string' }, databases: { type: 'string' } } });
const env = process.env;
const settings = {
  duration: wholeNumber(flags.duration, env.BENCH_DURATION, 10, 'duration', 1),
  rounds: wholeNumber(flags.rounds, env.BENCH_ROUNDS, 3, 'rounds', 1),
  databases: databaseNames(flags.databases, env.BENCH_DATABASES),
  mariadbUrl: env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
};
const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);

/** A consultant of D with a delegation into C, and the key user of C who granted it. */
async function createFixture(loket: LoketInternals): Promise<{ login: string; password: string; c: string }> {
  const { customers, customerUsers, delegations, actors } = loket.container.services;
  const admin = await actors.resolve({ type: 'agent', id: (await loket.container.services.agents.createFromOperator({ login: `adm-${randomBytes(3).toString('hex')}`, email: 'adm@example.test', role: 'admin', password: `pw-${randomBytes(12).toString('hex')}`, firstName: 'A', lastName: 'Dmin' }, cliSubject())).agent.id }, 'session');
  if (!admin) throw new Error('no admin');
  const [c, d] = ['bench-c', 'bench-d'];
  for (const id of [c, d]) await customers.create(admin, { customerId: id, name: `Customer ${id}` }, cliSubject());
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const key = await customerUsers.create(admin, { login: 'key-c', email: 'key-c@example.test', customerId: c, firstName: 'Key', lastName: 'User', password, keyUserOf: [c] }, cliSubject());
  await customerUsers.create(admin, { login: 'consultant', email: 'consultant@example.test', customerId: d, firstName: 'Con', lastName: 'Sultant', password }, cliSubject());
  const keyActor = await actors.resolve({ type: 'customer-user', id: key.user.id }, 'session');
  if (!keyActor) throw new Error('no key user');
  await delegations.grant(keyActor, { customerId: c, email: 'consultant@example.test', role: 'customer', reason: 'bench' }, auditSubjectOf(keyActor));
  return { login: 'consultant', password, c };
}

async function switchInto(base: string, cookie: string, customerId: string): Promise<string> {
  const page = await fetch(`${base}/portal`, { headers: { cookie } });
  const csrf = csrfFrom(await page.text());
  const res = await fetch(`${base}/api/v1/session/organisation`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ customerId }) });
  const body = (await res.json()) as { effectiveCustomerId?: string };
  const next = sessionCookieFrom(res);
  if (res.status !== 200 || body.effectiveCustomerId !== customerId || !next) throw new Error(`switch answered ${res.status}`);
  return next;
}

async function benchDatabase(db: BenchDatabase): Promise<void> {
  const target = db.fresh();
  out(`\n### ${db.name} ${db.version}\n`);
  const loket = buildLoket({ env: 'production', logLevel: 'silent', databaseUrl: target.databaseUrl, tablePrefix: target.tablePrefix, session: { secret: randomBytes(32).toString('hex') }, database: { connectRetries: 0 } });
  let server: ServerChild | undefined;
  try {
    await loket.migrate();
    const fixture = await createFixture(loket);
    server = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix }, 'loket');
    const base = server.ready.url;
    const own = await signInCustomer(base, fixture);
    const delegated = await switchInto(base, await signInCustomer(base, fixture), fixture.c);
    out('| Request | Connections | Own session p50 / p95 ms, req/s | Delegated session p50 / p95 ms, req/s | Delegated / own (median req/s) |');
    out('|---|---|---|---|---|');
    for (const path of ['/portal', '/api/v1/me']) {
      for (const connections of [1, 10]) {
        const runs: Record<'own' | 'delegated', LoadSample[]> = { own: [], delegated: [] };
        const run = async (side: 'own' | 'delegated') => {
          runs[side].push(await load({ url: `${base}${path}`, connections, durationSeconds: settings.duration, headers: { cookie: side === 'own' ? own : delegated } }));
        };
        await load({ url: `${base}${path}`, connections, durationSeconds: 2, headers: { cookie: delegated } });
        for (let round = 0; round < settings.rounds; round += 1) {
          progress(`[${db.name}] ${path} at ${connections}, round ${round + 1}`);
          if (round % 2 === 0) { await run('own'); await run('delegated'); } else { await run('delegated'); await run('own'); }
        }
        const cell = (samples: LoadSample[]) => `${ms(median(samples.map((s) => s.p50)))} / ${ms(median(samples.map((s) => s.p95)))}, ${median(samples.map((s) => s.requestsPerSecond)).toFixed(0)}${samples.some((s) => s.non2xx) ? ' (non-2xx!)' : ''}`;
        const ratio = median(runs.delegated.map((s) => s.requestsPerSecond)) / median(runs.own.map((s) => s.requestsPerSecond));
        out(`| GET ${path} | ${connections} | ${cell(runs.own)} | ${cell(runs.delegated)} | ${ratio.toFixed(2)} |`);
      }
    }
  } finally {
    await server?.stop();
    await loket.close();
  }
}

const opened = await openBenchDatabases(settings.databases, settings.mariadbUrl, progress);
try {
  out('## Results: delegated sessions against own sessions\n');
  for (const fact of machineFacts()) out(fact);
  out(`- Settings: ${settings.rounds} rounds × ${settings.duration} s per side and scenario, after a 2 s warm-up`);
  for (const note of opened.notes) out(note);
  for (const db of opened.databases) await benchDatabase(db);
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.`);
} finally {
  await opened.cleanUp();
}
