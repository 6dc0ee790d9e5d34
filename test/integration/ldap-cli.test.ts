import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { ExitCode } from '../../plugin/cli/exit-codes.js';
import { runCli } from '../../plugin/cli/program.js';
import type { LdapSettingsInput } from '../../plugin/customers/backends/ldap/settings.js';
import { createJobLeaseStore } from '../../plugin/db/job-lease.js';
import { buildLoket, type LoketInternals } from '../../plugin/loket.js';
import { unique } from '../helpers/app.js';
import { freshDatabase, rememberPrefix, tempDir } from '../helpers/db.js';
import { fixtureSettings, startFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE } from '../helpers/ldap-fixtures.js';
import { closedPort, ldifEntry, type Slapd } from '../helpers/slapd.js';

type Env = Record<string, string>;

interface Target {
  env: Env;
  databaseUrl: string;
  tablePrefix: string;
}

/** A fresh database configured for the CLI as an operator would (env and a LOKET_CONFIG file). */
function cliTarget(): Target {
  const db = freshDatabase();
  rememberPrefix(db.tablePrefix);
  const dir = tempDir('loket-ldap-cli-');
  const config = join(dir, 'loket.config.json');
  writeFileSync(config, JSON.stringify({ tablePrefix: db.tablePrefix, database: { connectRetries: 0 } }));
  return { env: { DATABASE_URL: db.databaseUrl, LOKET_CONFIG: config, LOKET_DATA_DIR: join(dir, 'data'), NODE_ENV: 'test' }, ...db };
}

async function cli(argv: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env });
  return { code, stdout, stderr };
}

async function withLoket<T>(target: Target, fn: (loket: LoketInternals) => Promise<T>): Promise<T> {
  const loket = buildLoket({ env: 'test', logLevel: 'silent', databaseUrl: target.databaseUrl, tablePrefix: target.tablePrefix, session: { secret: randomBytes(32).toString('hex') }, database: { connectRetries: 0 } });
  try {
    await loket.migrate();
    return await fn(loket);
  } finally {
    await loket.close();
  }
}

/** Saves directory backends on the target's database, as an admin on the screen would. */
async function addBackends(target: Target, backends: Record<string, LdapSettingsInput>): Promise<void> {
  await withLoket(target, async (loket) => {
    const { agents, actors, customers, backends: service } = loket.container.services;
    const login = unique('admin');
    const { agent } = await agents.createFromOperator({ login, email: `${login}@example.test`, role: 'admin', password: `pw-${randomBytes(12).toString('hex')}`, firstName: 'A', lastName: 'Admin' }, cliSubject());
    const admin = (await actors.resolve({ type: 'agent', id: agent.id }, 'session'))!;
    for (const id of ['acme', 'fjord']) await customers.create(admin, { customerId: id, name: id }, cliSubject());
    for (const [key, settings] of Object.entries(backends)) await service.saveLdap(admin, key, { ...settings }, undefined, cliSubject());
  });
}

const directoryUsers = (target: Target, key: string) =>
  withLoket(target, async (loket) => {
    const { knex, tables } = loket.container;
    const [row] = await knex(tables.customer_users).where({ source: key }).count({ n: '*' });
    return Number(row?.n ?? 0);
  });

describe('loket ldap (CLI) against a real slapd', function () {
  let slapd: Slapd | null;

  before(async function () {
    slapd = await startFixtureDirectory(this);
  });
  after(async () => {
    await slapd?.stop();
  });

  it('tests, previews and dry-runs every directory backend in order; the dry run writes nothing', async () => {
    const target = cliTarget();
    await addBackends(target, { first: fixtureSettings(slapd!), second: fixtureSettings(slapd!, { baseDn: FIXTURE.fjord }) });

    const tested = await cli(['ldap', 'test'], target.env);
    expect(tested.code, tested.stderr).to.equal(ExitCode.ok);
    expect(tested.stdout).to.match(/^first: ok\n/);
    expect(tested.stdout).to.include(`users: ${FIXTURE.counts.enabled}`);
    expect(tested.stdout).to.include(`second: ok`);
    expect(tested.stdout).not.to.include(slapd!.readerPassword);

    const preview = await cli(['ldap', 'preview', '--backend', 'first', '--limit', '200', '--filter', '(o=Acme)'], target.env);
    expect(preview.code, preview.stderr).to.equal(ExitCode.ok);
    expect(preview.stdout).to.match(/create\s+jdevries\s+uid=jdevries,/);
    expect(preview.stdout).to.include('! email: multi-valued');
    expect(preview.stdout).not.to.include('fjord');

    const dry = await cli(['ldap', 'sync', '--dry-run'], target.env);
    expect(dry.code, dry.stderr).to.equal(ExitCode.ok);
    expect(dry.stdout).to.match(/^first \(dry run, nothing written\): 14 entries: 9 created, 0 updated/);
    expect(dry.stdout).to.match(/\nsecond \(dry run, nothing written\): 3 entries: 3 created/);
    expect(dry.stdout).to.match(/created\s+jdevries/);
    expect(dry.stdout).to.match(/conflict\s+dup\s+uid=dup,ou=acme/);
    expect(await directoryUsers(target, 'first')).to.equal(0);

    const real = await cli(['ldap', 'sync', '--backend', 'first'], target.env);
    expect(real.code, real.stderr).to.equal(ExitCode.ok);
    expect(real.stdout).to.match(/^first: 14 entries: 9 created/);
    expect(await directoryUsers(target, 'first')).to.equal(9);
  });

  it('exits 6 when the deactivation guard refuses, and deactivates with --force', async () => {
    const ou = unique('c');
    const base = `ou=${ou},${slapd!.suffix}`;
    const uids = Array.from({ length: 10 }, (_, i) => `cli${i}-${ou}`);
    const dn = (uid: string) => `uid=${uid},${base}`;
    await slapd!.add([ldifEntry(base, { objectClass: 'organizationalUnit', ou }), ...uids.map((uid) => ldifEntry(dn(uid), { objectClass: 'inetOrgPerson', uid, cn: uid, sn: uid, givenName: 'C', mail: `${uid}@cli.example` }))].join('\n\n'));
    const target = cliTarget();
    await addBackends(target, { dir: fixtureSettings(slapd!, { baseDn: base, filter: '(objectClass=inetOrgPerson)', customerIdFrom: { constant: 'acme' } }) });
    expect((await cli(['ldap', 'sync'], target.env)).code).to.equal(ExitCode.ok);
    for (const uid of uids.slice(0, 3)) await slapd!.delete(dn(uid));

    const refused = await cli(['ldap', 'sync'], target.env);
    expect(refused.code).to.equal(ExitCode.refused);
    expect(refused.stdout).to.include('refused: would deactivate 3 of 10 valid users');
    expect(refused.stdout).to.match(/would deact\.\s+cli0-/);
    const forced = await cli(['ldap', 'sync', '--force'], target.env);
    expect(forced.code, forced.stderr).to.equal(ExitCode.ok);
    expect(forced.stdout).to.include('3 deactivated');
  });

  it('exits 4 for an unknown backend, 5 when the directory is unavailable, 3 while a sync is running, 2 for a bad limit', async () => {
    const target = cliTarget();
    await addBackends(target, { ok: fixtureSettings(slapd!), down: fixtureSettings(slapd!, { url: `ldap://127.0.0.1:${await closedPort()}` }) });

    const unknown = await cli(['ldap', 'sync', '--backend', 'nope'], target.env);
    expect(unknown.code).to.equal(ExitCode.notFound);
    expect(unknown.stderr).to.match(/^loket: nope: No directory backend nope\./);

    const down = await cli(['ldap', 'sync', '--backend', 'down'], target.env);
    expect(down.code).to.equal(ExitCode.config);
    expect(down.stderr).to.match(/unavailable/);
    const downTest = await cli(['ldap', 'test', '--backend', 'down'], target.env);
    expect(downTest.code).to.equal(ExitCode.config);
    expect(downTest.stdout).to.match(/failed\s+connect\s+\d+ ms\s+unavailable: /);

    // Every backend still runs; the first failure's code is the exit code.
    const all = await cli(['ldap', 'sync', '--dry-run'], target.env);
    expect(all.code).to.equal(ExitCode.config);
    expect(all.stdout).to.match(/^ok \(dry run/);

    await withLoket(target, async (loket) => {
      expect(await createJobLeaseStore(loket.container.knex, loket.container.tables).acquire('ldap-sync:ok', 'another-node', 60_000)).to.equal(true);
    });
    const running = await cli(['ldap', 'sync', '--backend', 'ok'], target.env);
    expect(running.code).to.equal(ExitCode.conflict);
    expect(running.stderr).to.match(/sync of ok is running/);

    expect((await cli(['ldap', 'preview', '--limit', '0'], target.env)).code).to.equal(ExitCode.usage);
  });
});
