/**
 * `npm run bench:ldap`: LDAP customer users against a real slapd (issue 7's benchmark). See BENCHMARKS.md,
 * "LDAP".
 *
 * Once: generate a directory (./directory.ts: 100,000 people in 50 OUs mapped to 50 customers, groups)
 * and load it into a throwaway slapd offline (test/helpers/slapd.ts). Then per database, in a freshly
 * migrated Loket database (./setup.ts: the database users, the customers, the backend saved):
 *   1. the floor, a bare ldapts paged search of every entry (./floor.ts); three syncs in child processes
 *      (./sync-child.ts): the first (all new), a second (nothing changed), and a third after ldapmodify
 *      changed 1 % of the entries; per run entries/s, peak RSS, CPU of Loket, slapd and the database,
 *      and the SQL statements by kind;
 *   2. logins of random directory users: `backend.authenticate` in this process and the bare ldapts
 *      floor at concurrency 1 and 10, then POST /login over HTTP against a Loket server child;
 *   3. customer-user searches through the service with the directory backend (cache TTL 300 s, first
 *      and repeated, and 0) and with the database backend alone (the directory backend removed).
 * Markdown on stdout, progress on stderr; nothing asserts.
 *
 * Options (flag, or environment variable):
 *   --quick                                   a smoke run: 2,000 entries and database users, 100 logins, 5 queries per kind
 *   --entries N        BENCH_ENTRIES          directory people (100000)
 *   --db-users N       BENCH_DB_USERS         database-backend users beside them (as many as entries)
 *   --customers N      BENCH_CUSTOMERS        directory OUs = customers (50)
 *   --logins N         BENCH_LOGINS           logins per run (2000)
 *   --searches N       BENCH_SEARCHES         queries per kind (25; six kinds)
 *   --databases L      BENCH_DATABASES        comma list: sqlite,mariadb (both)
 *   --parts L          BENCH_PARTS            comma list: sync,logins,searches (all three)
 * MariaDB: BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/test); tables get a random prefix and are dropped
 * at the end, also on Ctrl-C. slapd runs from a temp directory and is stopped at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { burnVerification } from '../../plugin/auth/passwords.js';
import { createBackendSettingsStore } from '../../plugin/customers/backend-settings-store.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { randomSource } from '../customer-search/people.js';
import { DEFAULT_SUFFIX, slapdAvailable, startSlapd, type Slapd } from '../../test/helpers/slapd.js';
import { startServerChild, type ServerChild } from '../lib/child.js';
import { localDatabaseServerPids } from '../lib/cpu.js';
import { planSection, type ShownPlan } from '../lib/explain.js';
import { openBenchDatabases, type BenchDatabase } from '../lib/db.js';
import { loadAverage, machineFacts } from '../lib/machine.js';
import { databaseNames, wholeNumber } from '../lib/options.js';
import { median } from '../lib/report.js';
import { generateDirectory, loginSample, modificationLdif, type DirectoryPerson, type GeneratedDirectory } from './directory.js';
import { bareLogin, pagedSearchAll } from './floor.js';
import { floorLogin, httpLogin, inProcessLogin, loginRun, type Account, type LoginRun } from './logins.js';
import { directoryLines, loginLines, searchLines, syncLines, syncStatementLines, targetLines } from './report.js';
import { slowestStatement } from './plans.js';
import { queryMix, searchRun, type SearchRun } from './searches.js';
import { BACKEND_KEY, directorySettings, FILL_SEED, setUpLoket } from './setup.js';
import { runSyncChild, type SyncRun } from './sync-runs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    entries: { type: 'string' },
    'db-users': { type: 'string' },
    customers: { type: 'string' },
    logins: { type: 'string' },
    searches: { type: 'string' },
    databases: { type: 'string' },
    parts: { type: 'string' },
  },
});

const env = process.env;
const quick = flags.quick === true;
const entries = wholeNumber(flags.entries, env.BENCH_ENTRIES, quick ? 2_000 : 100_000, 'entries', 1);
const settings = {
  entries,
  dbUsers: wholeNumber(flags['db-users'], env.BENCH_DB_USERS, entries, 'db-users'),
  customers: wholeNumber(flags.customers, env.BENCH_CUSTOMERS, 50, 'customers', 1),
  dbCustomers: 300,
  logins: wholeNumber(flags.logins, env.BENCH_LOGINS, quick ? 100 : 2_000, 'logins', 1),
  searches: wholeNumber(flags.searches, env.BENCH_SEARCHES, quick ? 5 : 25, 'searches', 1),
  databases: databaseNames(flags.databases, env.BENCH_DATABASES),
  parts: (flags.parts ?? env.BENCH_PARTS ?? 'sync,logins,searches').split(',').map((p) => p.trim()),
  mariadbUrl: env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
  loginConcurrency: [1, 10],
  warmUpLogins: 20,
  modifiedShare: 0.01,
};

const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;

function commitFacts(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return `- Commit: ${commit}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return '- Commit: unknown (not a git checkout)';
  }
}

async function syncRuns(db: BenchDatabase, target: { databaseUrl: string; tablePrefix: string }, slapd: Slapd, dir: GeneratedDirectory, adminLogin: string, round: number, dbPids: number[]) {
  const childEnv = { ...target, backend: BACKEND_KEY, adminLogin };
  const pids = { slapd: slapd.pid, db: dbPids };
  const runs: SyncRun[] = [];
  progress(`[${db.name}] first sync`);
  runs.push(await runSyncChild('first sync (all new)', childEnv, pids, progress));
  progress(`[${db.name}] second sync`);
  runs.push(await runSyncChild('second sync (nothing changed)', childEnv, pids, progress));
  const change = modificationLdif(dir, round, settings.modifiedShare);
  const t0 = performance.now();
  await slapd.modify(change.ldif);
  const modify = { count: change.count, seconds: seconds(t0) };
  progress(`[${db.name}] ldapmodify of ${change.count} entries: ${modify.seconds.toFixed(1)} s; third sync`);
  runs.push(await runSyncChild(`third sync (${(settings.modifiedShare * 100).toFixed(0)} % changed)`, childEnv, pids, progress));
  return { runs, modify };
}

/**
 * Database users for the comparison row: bench/customer-search/fill.ts gives every generated user the
 * argon2 hash of `bench-<seed>-not-a-login`, so any of them signs in with that password.
 */
async function databaseAccounts(loket: LoketInternals, count: number, seed: number): Promise<Account[]> {
  const { knex, tables } = loket.container;
  const logins = (await knex(tables.customer_users).where({ source: 'db' }).select<{ login: string }[]>('login')).map((r) => r.login);
  const random = randomSource(seed);
  return logins.length ? Array.from({ length: count }, () => ({ login: logins[Math.floor(random() * logins.length)]!, password: `bench-${FILL_SEED}-not-a-login` })) : [];
}

async function loginRuns(loket: LoketInternals, slapd: Slapd, dir: GeneratedDirectory, target: { databaseUrl: string; tablePrefix: string }, round: number, dbPids: number[]): Promise<{ runs: LoginRun[]; plan: ShownPlan }> {
  const { container } = loket;
  const backend = await container.backendList.directory(BACKEND_KEY);
  if (!backend) throw new Error('the directory backend is not there');
  const accountOf = (p: DirectoryPerson): Account => ({ login: p.uid, password: p.password });
  const people = loginSample(dir, settings.logins, 4_242 + round).map(accountOf);
  const warmUp = loginSample(dir, settings.warmUpLogins, 4_343 + round).map(accountOf);
  const s = backend.settings;
  const bare = floorLogin(bareLogin(slapd, { base: s.baseDn, filter: s.filter, loginAttribute: s.loginAttribute, attributes: backend.attributes }));
  const inProcess = inProcessLogin(backend);
  const runs: LoginRun[] = [];
  const pids = { own: [slapd.pid], db: dbPids };
  for (const p of warmUp) await inProcess(p);
  for (const p of warmUp) await bare(p);
  for (const c of settings.loginConcurrency) {
    progress(`  logins at concurrency ${c}: in process, then the bare floor`);
    runs.push(await loginRun('Loket in process: `backend.authenticate`', people, c, inProcess, { pids, count: { knex: container.knex, prefix: container.tables.prefix } }));
    runs.push(await loginRun('floor: bare ldapts (service bind + search, bind as the user)', people, c, bare, { pids }));
  }
  // Somebody with a manager: their login also links the manager, the most a login asks of the database.
  const candidates = loginSample(dir, 200, 4_545 + round);
  const someone = accountOf(candidates.find((p) => p.manager !== null) ?? candidates[0]!);
  const plan = await slowestStatement(loket, `One in-process login of a user with a manager (\`${someone.login}\`)`, () => inProcess(someone));
  const dbUsers = await databaseAccounts(loket, settings.logins, 4_444 + round);
  let server: ServerChild | undefined;
  try {
    server = await startServerChild(join(root, 'bench', 'servers', 'loket.ts'), { BENCH_DB_URL: target.databaseUrl, BENCH_TABLE_PREFIX: target.tablePrefix }, 'loket');
    const url = server.ready.url;
    const serverPids = { own: [server.pid, slapd.pid], db: dbPids };
    await Promise.all(warmUp.map((p) => httpLogin(url, [])(p)));
    for (const c of settings.loginConcurrency) {
      progress(`  HTTP logins at concurrency ${c}`);
      const postMs: number[] = [];
      const run = await loginRun('Loket over HTTP: POST /login, directory users', people, c, httpLogin(url, postMs), { pids: serverPids });
      runs.push({ ...run, postMs });
      if (!dbUsers.length) continue;
      const dbPostMs: number[] = [];
      const dbRun = await loginRun('for comparison, over HTTP: POST /login, database users (local argon2id password)', dbUsers, c, httpLogin(url, dbPostMs), { pids: serverPids });
      runs.push({ ...dbRun, postMs: dbPostMs });
    }
  } finally {
    await server?.stop();
  }
  return { runs, plan };
}

async function searchRuns(loket: LoketInternals, setup: Awaited<ReturnType<typeof setUpLoket>>, slapd: Slapd, dir: GeneratedDirectory, tag: string, round: number): Promise<{ runs: SearchRun[]; limit: number; plans: ShownPlan[] }> {
  const { services, knex, tables, config } = loket.container;
  const limit = config.customerUsers.searchLimit;
  const { queries, warmUp } = queryMix(dir, setup.fill?.terms ?? [], settings.searches, 777 + round);
  const runs: SearchRun[] = [];
  progress(`  ${queries.length} searches: directory backend with the default cache TTL`);
  runs.push(await searchRun(loket, setup.admin, 'LDAP + DB, cache TTL 300 s: each query the first time', queries, { warmUp, limit }));
  runs.push(await searchRun(loket, setup.admin, 'LDAP + DB, cache TTL 300 s: the same queries again', queries, { warmUp: [], limit }));
  progress('  searches: cache TTL 0');
  await services.backends.saveLdap(setup.admin, BACKEND_KEY, { ...directorySettings(slapd, dir, tag, { cacheTtlSeconds: 0 }) }, undefined, setup.subject);
  runs.push(await searchRun(loket, setup.admin, 'LDAP + DB, cache TTL 0: every search asks the directory', queries, { warmUp, limit }));
  const search = (text: string) => () => services.customerUsers.search(setup.admin, { search: text, limit, offset: 0 });
  const surname = queries.find((q) => q.kind === 'directory surname')?.text ?? 'jan';
  const nothing = queries.find((q) => q.kind === 'no match')?.text ?? 'qxqxqx';
  const plans = [await slowestStatement(loket, `A search for \`${surname}\` with the directory backend (cache TTL 0)`, search(surname))];
  progress('  searches: database backend alone');
  // The service refuses to remove a backend users came from, so the bench drops its settings row itself:
  // the shadow rows stay in the table, the database backend's searches skip them by source as always.
  const store = createBackendSettingsStore(knex, tables);
  await knex.transaction(async (tx) => {
    await store.remove(BACKEND_KEY, tx);
    await store.setOrder((await store.list(tx)).map((b) => b.key), tx);
  });
  runs.push(await searchRun(loket, setup.admin, 'DB backend alone (directory backend removed)', queries, { warmUp, limit }));
  plans.push(await slowestStatement(loket, `A search for \`${nothing}\` (matches nobody) with the database backend alone`, search(nothing)));
  return { runs, limit, plans };
}

async function benchDatabase(db: BenchDatabase, slapd: Slapd, dir: GeneratedDirectory, round: number): Promise<string[]> {
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
  try {
    await loket.migrate();
    const setup = await setUpLoket(loket, slapd, dir, { dbUsers: settings.dbUsers, dbCustomers: settings.dbCustomers, searchTerms: settings.searches * 4, tag, progress });
    const dbPids = db.local ? localDatabaseServerPids() : [];
    const backend = await loket.container.backendList.directory(BACKEND_KEY);
    if (!backend) throw new Error('the directory backend is not there');
    const { pageSize, timeoutMs, cacheTtlSeconds } = backend.settings;
    out(
      `Before the first sync: ${settings.dbUsers.toLocaleString('en-US')} database-backend users in ${settings.dbCustomers} customers (bulk-inserted by bench/customer-search/fill.ts in ${setup.seconds.fill.toFixed(0)} s), the ${dir.customers.length} directory customers and ${dir.groups.length} Loket groups created through the services, and the directory backend saved through the backend service with the schema's defaults (page size ${pageSize}, timeout ${timeoutMs} ms, cache TTL ${cacheTtlSeconds} s).`,
    );

    let firstSync: SyncRun | undefined;
    if (settings.parts.includes('sync')) {
      progress(`[${db.name}] floor: bare paged search`);
      const request = { base: dir.peopleDn, filter: backend.settings.filter, attributes: backend.attributes, pageSize: backend.settings.pageSize };
      const floor = [await pagedSearchAll(slapd, request), await pagedSearchAll(slapd, request)];
      const sync = await syncRuns(db, target, slapd, dir, setup.adminLogin, round, dbPids);
      out(`\n#### Sync of ${dir.people.length.toLocaleString('en-US')} entries\n`);
      for (const line of syncLines(sync.runs, floor, sync.modify)) out(line);
      out('\n#### Where the sync time goes: SQL statements by kind (most time first)\n');
      for (const line of syncStatementLines(sync.runs)) out(line);
      firstSync = sync.runs[0];
    }

    let logins: LoginRun[] = [];
    if (settings.parts.includes('logins')) {
      progress(`[${db.name}] logins`);
      const measured = await loginRuns(loket, slapd, dir, target, round, dbPids);
      logins = measured.runs;
      const argon2 = [];
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await burnVerification('bench-not-a-password');
        argon2.push(performance.now() - t0);
      }
      out(`\n#### LDAP login (loopback, ${settings.logins.toLocaleString('en-US')} random users per row)\n`);
      for (const line of loginLines(logins, median(argon2))) out(line);
      out('');
      for (const line of planSection([measured.plan]).slice(0, -1)) out(line);
    }

    if (settings.parts.includes('searches')) {
      progress(`[${db.name}] searches`);
      const searches = await searchRuns(loket, setup, slapd, dir, tag, round);
      out(`\n#### Cross-backend search (${dir.people.length.toLocaleString('en-US')} directory + ${settings.dbUsers.toLocaleString('en-US')} database users, in process)\n`);
      for (const line of searchLines(searches.runs, searches.limit)) out(line);
      out('');
      for (const line of planSection(searches.plans).slice(0, -1)) out(line);
    }
    const targets = targetLines(db.name, firstSync, logins);
    out('');
    for (const line of targets) out(line);
    return targets;
  } finally {
    await loket.close();
  }
}

if (!slapdAvailable()) {
  progress('slapd, slapadd or ldap-utils are missing: apt-get install -y slapd ldap-utils');
  process.exit(1);
}

const opened = await openBenchDatabases(settings.databases, settings.mariadbUrl, progress);
let slapd: Slapd | undefined;
try {
  const names: Record<string, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };
  out(`## Results: LDAP on ${settings.databases.map((d) => names[d] ?? d).join(' and ')}\n`);
  for (const fact of [...machineFacts(), commitFacts()]) out(fact);
  out(`- Settings: ${settings.entries.toLocaleString('en-US')} directory entries, ${settings.dbUsers.toLocaleString('en-US')} database users, ${settings.logins.toLocaleString('en-US')} logins per row, ${settings.searches} queries per kind${quick ? ' (--quick)' : ''}`);
  for (const note of opened.notes) out(note);

  progress(`generating ${settings.entries} directory entries`);
  let t0 = performance.now();
  const dir = generateDirectory({ entries: settings.entries, customers: settings.customers, seed: 20261207, suffix: DEFAULT_SUFFIX });
  const generated = seconds(t0);
  progress('loading them into slapd');
  t0 = performance.now();
  slapd = await startSlapd({ seed: dir.ldif });
  const loaded = seconds(t0);
  out('\n### The directory\n');
  for (const line of directoryLines(dir, { generate: generated, slapadd: loaded })) out(line);

  const targets: string[] = [];
  for (const [round, db] of opened.databases.entries()) targets.push(...(await benchDatabase(db, slapd, dir, round + 1)));
  out(`\nLoad average when the bench ended (1/5/15 min): ${loadAverage()}.`);
  if (opened.databases.length > 1) {
    out('');
    for (const line of targets) out(line);
  }
} finally {
  await slapd?.stop();
  await opened.cleanUp();
}
