import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { SyncProgress } from '../../plugin/customers/backends/ldap/operation-types.js';
import type { LdapSettingsInput } from '../../plugin/customers/backends/ldap/settings.js';
import { createJobLeaseStore } from '../../plugin/db/job-lease.js';
import { LoketError } from '../../plugin/errors.js';
import { signIn, startTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor, ensureCustomer } from '../helpers/customers.js';
import { addLdapBackend, startFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE, FIXTURE_PASSWORDS } from '../helpers/ldap-fixtures.js';
import { ldifEntry, sshaHash, type Slapd } from '../helpers/slapd.js';
import { createQueue } from '../helpers/tickets.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const REAL = { dryRun: false, force: false };
const DRY = { dryRun: true, force: false };

/** A directory of its own below the suffix (outside ou=people), so a test can change it without touching the fixture. */
async function scratchOu(slapd: Slapd, uids: readonly string[]) {
  const ou = unique('t');
  const base = `ou=${ou},${slapd.suffix}`;
  const dn = (uid: string) => `uid=${uid},${base}`;
  const person = (uid: string) =>
    ldifEntry(dn(uid), { objectClass: 'inetOrgPerson', uid, cn: `Person ${uid}`, sn: uid, givenName: 'Scratch', mail: `${uid}@scratch.example`, userPassword: sshaHash(`${uid}-pass`) });
  await slapd.add([ldifEntry(base, { objectClass: 'organizationalUnit', ou }), ...uids.map(person)].join('\n\n'));
  return { base, dn, person };
}

const scratchSettings = (base: string, overrides: Partial<LdapSettingsInput> = {}): Partial<LdapSettingsInput> => ({
  baseDn: base,
  filter: '(objectClass=inetOrgPerson)',
  customerIdFrom: { constant: 'acme' },
  managerAttribute: undefined,
  ...overrides,
});

const uids = (n: number) => Array.from({ length: n }, (_, i) => `s${i}-${unique('u').slice(2)}`);

/** The customer-user rows as a sync writes them (to prove a dry run wrote nothing, not even seen marks). */
interface UserRow {
  id: number;
  login: string;
  validity: string;
  version: number;
  manager_id: number | null;
  directory_hash: string | null;
  directory_seen_at: string | null;
  directory_missing_at: string | null;
}

async function userRows(app: TestApp): Promise<UserRow[]> {
  const { knex, tables } = app.loket.container;
  return knex<UserRow>(tables.customer_users).select('id', 'login', 'validity', 'version', 'manager_id', 'directory_hash', 'directory_seen_at', 'directory_missing_at').orderBy('id');
}

async function countRows(app: TestApp, table: 'directory_group_grants' | 'audit_log' | 'customer_users'): Promise<number> {
  const { knex, tables } = app.loket.container;
  const [row] = await knex(tables[table]).count({ n: '*' });
  return Number(row?.n ?? 0);
}

async function expectLoketError(work: Promise<unknown>, code: string): Promise<LoketError> {
  try {
    await work;
  } catch (err) {
    expect(err).to.be.instanceOf(LoketError);
    expect((err as LoketError).code).to.equal(code);
    return err as LoketError;
  }
  throw new Error(`expected ${code}`);
}

describe('LDAP sync, preview and connection test against a real slapd', function () {
  let slapd: Slapd | null;
  let app: TestApp;
  let admin: Actor;
  const ops = () => app.loket.container.services.directoryOps;
  const user = (login: string) => app.loket.container.services.customerUsers.findByLogin(login);

  before(async function () {
    slapd = await startFixtureDirectory(this);
  });
  after(async () => {
    await slapd?.stop();
  });
  beforeEach(async () => {
    app = await startTestApp();
    admin = await adminActor(app);
  });
  afterEach(async () => {
    await app.loket.container.services.directoryOps.settle();
    await app.close();
  });

  it('first run: creates the enabled fixture users with customers from the OU rules, lists conflicts and skips, links managers; a second run changes nothing', async () => {
    await ensureCustomer(app, admin, 'acme');
    // A database user already holds the login of a directory entry: a conflict, never a merge.
    await app.loket.container.services.customerUsers.create(admin, { login: 'multimail', email: 'db.multimail@example.test', customerId: 'acme', firstName: 'Db', lastName: 'User', password: 'pw-db-user-123456' }, cliSubject());
    const key = await addLdapBackend(app, admin, slapd!, {
      overrides: {
        map: [
          { key: 'firstName', storage: 'givenName', shown: 2, search: true, readOnly: true },
          { key: 'lastName', storage: 'sn', shown: 2, search: true, readOnly: true },
          { key: 'login', storage: 'uid', shown: 2, search: true, readOnly: true },
          { key: 'email', storage: 'mail', shown: 2, search: true, type: 'email', readOnly: true },
          { key: 'customerId', storage: 'o', shown: 2, readOnly: true },
          { key: 'photo', label: 'Photo', storage: 'jpegPhoto', shown: 1, readOnly: true },
        ],
      },
    });

    const first = await ops().sync(admin, key, REAL, cliSubject());
    expect(first.counts).to.include({ entries: FIXTURE.counts.enabled, created: 8, updated: 0, conflicts: 3, skipped: 3, managersLinked: 1, deactivated: 0 });
    expect(first.lists.created).to.have.members(['jdevries', 'smuller', 'wxiuying', 'photo', 'markup', 'star', 'aodegard', 'dmitri']);
    expect(first.lists.conflicts.map((c) => [c.login, c.reason])).to.have.deep.members([
      ['dup', 'duplicate-login'],
      ['dup', 'duplicate-login'],
      ['multimail', 'login-taken:db'],
    ]);
    expect(first.lists.skipped.map((s) => [s.dn, s.reason])).to.have.deep.members([
      [FIXTURE.user('ext1', 'contractors'), 'no-customer'],
      [FIXTURE.user('nomail', 'acme'), 'no-email'],
      [FIXTURE.user('a*', 'acme'), 'invalid-login'],
    ]);
    expect((await user('jdevries'))?.customerId).to.equal('acme');
    expect((await user('aodegard'))?.customerId).to.equal('fjord');
    expect((await user('photo'))?.validity).to.equal('valid');
    expect((await user('aodegard'))?.managerId).to.equal((await user('dmitri'))?.id);
    expect((await user('multimail'))?.backend).to.equal('db');

    const before = await userRows(app);
    const second = await ops().sync(admin, key, REAL, cliSubject());
    expect(second.counts).to.include({ created: 0, updated: 0, reactivated: 0, deactivated: 0, managersLinked: 0, unchanged: 8 });
    // Unchanged entries cost no write but their seen mark.
    const after = await userRows(app);
    expect(after.map(({ directory_seen_at: _seen, ...rest }) => rest)).to.deep.equal(before.map(({ directory_seen_at: _seen, ...rest }) => rest));

    // The binary photo is a warning in the preview, never a crash.
    const preview = await ops().preview(admin, key, { limit: 200 });
    const photoRow = preview.rows.find((r) => r.login === 'photo')!;
    expect(photoRow.cells.find((c) => c.key === 'photo')?.warnings.map((w) => w.kind)).to.deep.equal(['binary']);
    const audit = (await app.loket.container.services.audit.list(admin, { objectType: 'backend', objectId: key, limit: 10 })).filter((e) => e.action === 'ldap.sync');
    expect(audit).to.have.length(2);
  });

  it('updates a changed entry, deactivates a deleted one (ending their session), and reactivates one that returns', async () => {
    const people = uids(5);
    const scratch = await scratchOu(slapd!, people);
    const filter = '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))';
    const key = await addLdapBackend(app, admin, slapd!, { overrides: scratchSettings(scratch.base, { filter, maxDeactivateShare: 0.25 }) });
    expect((await ops().sync(admin, key, REAL, cliSubject())).counts.created).to.equal(5);

    await slapd!.modify(`dn: ${scratch.dn(people[0]!)}\nchangetype: modify\nreplace: sn\nsn: Renamed\n`);
    const changed = await ops().sync(admin, key, REAL, cliSubject());
    expect(changed.counts).to.include({ updated: 1, unchanged: 4, created: 0, deactivated: 0 });
    expect(changed.lists.updated).to.deep.equal([people[0]]);
    expect((await user(people[0]!))?.fields.lastName).to.equal('Renamed');

    const gone = people[1]!;
    const { agent } = await signIn(app, { login: gone, password: `${gone}-pass` });
    await agent.get('/api/v1/me').expect(200);
    await slapd!.delete(scratch.dn(gone));
    const removed = await ops().sync(admin, key, REAL, cliSubject());
    expect(removed.counts).to.include({ deactivated: 1 });
    expect(removed.lists.deactivated).to.deep.equal([gone]);
    const missing = await user(gone);
    expect(missing?.validity).to.equal('invalid');
    expect(missing?.directory?.missingAt).to.be.a('string');
    await agent.get('/api/v1/me').expect(401);

    // Re-created, the entry has a new entryUUID: another identity, so the old account is not handed over.
    await slapd!.add(scratch.person(gone));
    const recreated = await ops().sync(admin, key, REAL, cliSubject());
    expect(recreated.lists.conflicts).to.deep.equal([{ dn: scratch.dn(gone), login: gone, reason: 'login-taken' }]);
    expect((await user(gone))?.validity).to.equal('invalid');

    // The same entry leaving the always-filter and coming back is the same person: reactivated.
    const away = people[2]!;
    await slapd!.modify(`dn: ${scratch.dn(away)}\nchangetype: modify\nadd: employeeType\nemployeeType: disabled\n`);
    expect((await ops().sync(admin, key, REAL, cliSubject())).lists.deactivated).to.deep.equal([away]);
    await slapd!.modify(`dn: ${scratch.dn(away)}\nchangetype: modify\ndelete: employeeType\n`);
    const back = await ops().sync(admin, key, REAL, cliSubject());
    expect(back.counts).to.include({ reactivated: 1, deactivated: 0 });
    expect(back.lists.reactivated).to.deep.equal([away]);
    const returned = await user(away);
    expect(returned?.validity).to.equal('valid');
    expect(returned?.directory?.missingAt).to.equal(null);
  });

  it('refuses to deactivate more than the allowed share unless forced', async () => {
    const people = uids(10);
    const scratch = await scratchOu(slapd!, people);
    const key = await addLdapBackend(app, admin, slapd!, { overrides: scratchSettings(scratch.base) });
    await ops().sync(admin, key, REAL, cliSubject());
    for (const uid of people.slice(0, 2)) await slapd!.delete(scratch.dn(uid));

    const dry = await ops().sync(admin, key, DRY, cliSubject());
    const refused = await ops().sync(admin, key, REAL, cliSubject());
    expect(refused.refused).to.deep.equal({ reason: 'too-many-deactivations', wouldDeactivate: 2, validUsers: 10, maxShare: 0.1 });
    expect(refused.counts.deactivated).to.equal(0);
    expect(dry.refused).to.deep.equal(refused.refused);
    expect((await user(people[0]!))?.validity).to.equal('valid');

    const forced = await ops().sync(admin, key, { dryRun: false, force: true }, cliSubject());
    expect(forced.refused).to.equal(null);
    expect(forced.counts.deactivated).to.equal(2);
    expect((await user(people[0]!))?.validity).to.equal('invalid');
  });

  it('never deactivates everybody because the directory listed nobody, not even forced', async () => {
    const people = uids(3);
    const scratch = await scratchOu(slapd!, people);
    const key = await addLdapBackend(app, admin, slapd!, { overrides: scratchSettings(scratch.base, { maxDeactivateShare: 1 }) });
    await ops().sync(admin, key, REAL, cliSubject());
    // A filter that matches nothing looks exactly like an emptied directory.
    const settings = await app.loket.container.services.backends.ldapSettings(admin, key);
    await app.loket.container.services.backends.saveLdap(admin, key, { ...settings, filter: '(&(objectClass=inetOrgPerson)(uid=nobody-at-all))' }, undefined, cliSubject());
    const empty = await ops().sync(admin, key, { dryRun: false, force: true }, cliSubject());
    expect(empty.counts).to.include({ entries: 0, deactivated: 0 });
    expect(empty.refused).to.deep.include({ wouldDeactivate: 3, validUsers: 3 });
    for (const uid of people) expect((await user(uid))?.validity).to.equal('valid');
  });

  it('deactivates nobody when the directory goes away in the middle of the listing', async () => {
    const people = uids(6);
    const scratch = await scratchOu(slapd!, people);
    const proxy = new TcpProxy('127.0.0.1', slapd!.port);
    await proxy.start();
    try {
      const key = await addLdapBackend(app, admin, slapd!, { overrides: scratchSettings(scratch.base, { url: `ldap://127.0.0.1:${proxy.port}`, pageSize: 2, maxDeactivateShare: 1 }) });
      await ops().sync(admin, key, REAL, cliSubject());
      await slapd!.delete(scratch.dn(people[5]!));

      // The relay cuts every connection as soon as the first page is in: the listing is incomplete.
      const phases: SyncProgress['phase'][] = [];
      const failed = await expectLoketError(
        ops().sync(admin, key, REAL, cliSubject(), (p) => {
          phases.push(p.phase);
          if (p.phase === 'users' && p.entries === 2) void proxy.stop();
        }),
        'service_unavailable',
      );
      expect(failed.status).to.equal(503);
      expect(phases.at(-1)).to.equal('failed');
      for (const uid of people) expect((await user(uid))?.validity, uid).to.equal('valid');
      const status = await ops().status(admin, key);
      expect(status.running).to.equal(false);
      expect(status.progress?.phase).to.equal('failed');
      expect(status.progress?.error).to.match(/unavailable/);
      expect(status.last?.counts.created).to.equal(6);
    } finally {
      await proxy.stop();
    }
  });

  it('dry run writes nothing, not even seen marks, and reports the counts the real run then has', async () => {
    const { group } = await createQueue(app, admin);
    const key = await addLdapBackend(app, admin, slapd!, {
      overrides: { groupSearch: { baseDn: FIXTURE.groups }, groupMapping: [{ ldapGroupDn: FIXTURE.helpdeskUsers, group, permissions: ['ro', 'create'] }] },
    });
    // A first real run, then a change in the directory, so the dry run has updates and creates to predict.
    await ops().sync(admin, key, REAL, cliSubject());
    const dmitri = await user('dmitri');
    await app.loket.container.knex(app.loket.container.tables.customer_users).where({ id: dmitri!.id }).update({ directory_hash: 'stale', manager_id: null });
    await app.loket.container.knex(app.loket.container.tables.customer_users).where({ login: 'aodegard' }).del();

    const rowsBefore = await userRows(app);
    const grantsBefore = await countRows(app, 'directory_group_grants');
    const auditBefore = await countRows(app, 'audit_log');
    const dry = await ops().sync(admin, key, DRY, cliSubject());
    expect(await userRows(app)).to.deep.equal(rowsBefore);
    expect(await countRows(app, 'directory_group_grants')).to.equal(grantsBefore);
    expect(await countRows(app, 'audit_log')).to.equal(auditBefore);
    expect(dry.dryRun).to.equal(true);
    expect(dry.counts).to.include({ created: 1, updated: 1 });
    expect(dry.counts.groupGrantsAdded).to.be.greaterThan(0);
    expect(dry.counts.managersLinked).to.equal(1);

    const real = await ops().sync(admin, key, REAL, cliSubject());
    expect(real.counts).to.deep.equal(dry.counts);
    expect(real.lists).to.deep.equal(dry.lists);
  });

  it('lets one of two concurrent syncs run and answers the other 409 sync_running', async () => {
    const key = await addLdapBackend(app, admin, slapd!);
    const results = await Promise.allSettled([ops().sync(admin, key, REAL, cliSubject()), ops().sync(admin, key, REAL, cliSubject())]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected?.reason as LoketError).code).to.equal('sync_running');

    // A lease another process holds blocks both ways of starting, and the status says a run is going on.
    const leases = createJobLeaseStore(app.loket.container.knex, app.loket.container.tables);
    expect(await leases.acquire(`ldap-sync:${key}`, 'other-node', 60_000, null)).to.equal(true);
    await expectLoketError(ops().sync(admin, key, DRY, cliSubject()), 'sync_running');
    await expectLoketError(ops().startSync(admin, key, REAL, cliSubject()), 'sync_running');
    expect((await ops().status(admin, key)).running).to.equal(true);
    await leases.release(`ldap-sync:${key}`, 'other-node', null);
    await ops().startSync(admin, key, DRY, cliSubject());
    await ops().settle();
    const status = await ops().status(admin, key);
    expect(status).to.include({ running: false });
    expect(status.progress?.phase).to.equal('done');
    expect(status.last?.dryRun).to.equal(true);
  });

  it('maps an LDAP group to a Loket group: the members get the permissions (reason "directory"), lose them when removed, and can file tickets', async () => {
    const { queue, group } = await createQueue(app, admin);
    const ou = unique('g');
    const scratchGroup = `cn=${ou},${FIXTURE.groups}`;
    await slapd!.add(ldifEntry(scratchGroup, { objectClass: 'groupOfNames', cn: ou, member: [FIXTURE.user('smuller', 'acme'), FIXTURE.user('wxiuying', 'acme')] }));
    try {
      await mapGroups(queue, group, scratchGroup);
    } finally {
      await slapd!.delete(scratchGroup);
    }
  });

  /** The group-mapping scenario; the scratch LDAP group is removed afterwards so group counts stay the fixture's. */
  async function mapGroups(queue: string, group: string, scratchGroup: string): Promise<void> {
    const other = (await createQueue(app, admin)).group;
    const key = await addLdapBackend(app, admin, slapd!, {
      overrides: {
        groupSearch: { baseDn: FIXTURE.groups },
        groupMapping: [
          { ldapGroupDn: FIXTURE.helpdeskUsers, group, permissions: ['ro', 'create'] },
          { ldapGroupDn: scratchGroup, group: other, permissions: ['ro'] },
        ],
      },
    });
    const first = await ops().sync(admin, key, REAL, cliSubject());
    expect(first.counts.groupGrantsAdded).to.equal(FIXTURE.counts.helpdeskUsers * 2 + 2);

    const adminAccount = await app.createAgent('admin');
    const { agent: adminAgent } = await signIn(app, adminAccount);
    const effective = (await adminAgent.get('/api/v1/customer-users/jdevries/effective-permissions').expect(200)).body as { groups: { group: string; permission: string; reasons: Record<string, unknown>[] }[] };
    const cells = effective.groups.filter((g) => g.group === group);
    expect(cells.map((c) => c.permission)).to.have.members(['ro', 'create']);
    expect(cells[0]!.reasons).to.deep.equal([{ source: 'directory', backend: key, ldapGroupDn: FIXTURE.helpdeskUsers }]);
    const page = await adminAgent.get('/customer-users/jdevries').expect(200);
    expect(page.text).to.include(`via directory group ${FIXTURE.helpdeskUsers} (${key})`);

    // The grant counts in the policy: the directory user files a ticket in the group's queue.
    const { agent, csrf } = await signIn(app, { login: 'jdevries', password: FIXTURE_PASSWORDS.jdevries! });
    await agent.post('/api/v1/tickets').set('X-CSRF-Token', csrf).send({ title: 'From the directory', body: 'Mapped group', queue }).expect(201);

    await slapd!.modify(`dn: ${scratchGroup}\nchangetype: modify\ndelete: member\nmember: ${FIXTURE.user('smuller', 'acme')}\n`);
    const second = await ops().sync(admin, key, REAL, cliSubject());
    expect(second.counts).to.include({ groupGrantsAdded: 0, groupGrantsRemoved: 1 });
    const smuller = (await adminAgent.get('/api/v1/customer-users/smuller/effective-permissions').expect(200)).body as typeof effective;
    expect(smuller.groups.filter((g) => g.group === other)).to.deep.equal([]);
    expect(smuller.groups.filter((g) => g.group === group).map((g) => g.permission)).to.have.members(['ro', 'create']);

    // Removing the mapping row revokes at once (the next sync deletes the stale rows).
    const settings = await app.loket.container.services.backends.ldapSettings(admin, key);
    await app.loket.container.services.backends.saveLdap(admin, key, { ...settings, groupMapping: settings.groupMapping.slice(1) }, undefined, cliSubject());
    const revoked = (await adminAgent.get('/api/v1/customer-users/jdevries/effective-permissions').expect(200)).body as typeof effective;
    expect(revoked.groups.filter((g) => g.group === group)).to.deep.equal([]);
    expect((await ops().sync(admin, key, REAL, cliSubject())).counts.groupGrantsRemoved).to.equal(FIXTURE.counts.helpdeskUsers * 2);
  }

  it('previews entries with the extra filter, per-cell warnings, safe links only, the planned action and the group mapping', async () => {
    const { group } = await createQueue(app, admin);
    const key = await addLdapBackend(app, admin, slapd!, {
      overrides: { groupSearch: { baseDn: FIXTURE.groups }, groupMapping: [{ ldapGroupDn: FIXTURE.helpdeskAdmins, group, permissions: ['ro'] }, { ldapGroupDn: `cn=nope,${FIXTURE.groups}`, group, permissions: ['ro'] }] },
    });
    const all = await ops().preview(admin, key, { limit: 200 });
    expect(all.rows).to.have.length(FIXTURE.counts.enabled);
    expect(all.truncated).to.equal(false);
    const markup = all.rows.find((r) => r.login === 'markup')!;
    expect(markup.cells.find((c) => c.key === 'homepage')).to.include({ value: 'javascript:alert(1)', href: null });
    expect(markup.action).to.equal('create');
    const multi = all.rows.find((r) => r.login === 'multimail')!;
    expect(multi.cells.find((c) => c.key === 'email')?.warnings.map((w) => w.kind)).to.deep.equal(['multi-valued']);
    expect(all.rows.find((r) => r.dn === FIXTURE.user('ext1', 'contractors'))).to.include({ action: 'skipped' });
    expect(all.groups).to.deep.equal([
      { ldapGroupDn: FIXTURE.helpdeskAdmins, group, permissions: ['ro'], found: true, members: 1, logins: ['jdevries'] },
      { ldapGroupDn: `cn=nope,${FIXTURE.groups}`, group, permissions: ['ro'], found: false, members: 0, logins: [] },
    ]);

    const filtered = await ops().preview(admin, key, { limit: 2, filter: '(o=Acme)' });
    expect(filtered.rows).to.have.length(2);
    expect(filtered.truncated).to.equal(true);
    expect(filtered.rows.every((r) => r.customerId === 'acme')).to.equal(true);
    const injected = await ops().preview(admin, key, { limit: 5, filter: '(uid=jdevries)' });
    expect(injected.rows.map((r) => r.login)).to.deep.equal(['jdevries']);

    const typo = await ops().preview(admin, key, { limit: 5, settings: { ...(await app.loket.container.services.backends.ldapSettings(admin, key)), map: [...all.columns.map((c) => ({ key: c.key, label: c.label ?? undefined, storage: c.key === 'phone' ? 'telephoneNumbr' : c.storage, shown: 1 as const, required: false, type: 'var' as const, readOnly: true, search: false }))] } });
    expect(typo.warnings).to.deep.include({ key: 'phone', kind: 'unknown-attribute', detail: 'telephoneNumbr' });

    await expectLoketError(ops().preview(admin, key, { limit: 5, filter: 'uid=*)(' }), 'validation_failed');
    await expectLoketError(ops().preview(admin, key, { limit: 0 }), 'validation_failed');
    await expectLoketError(ops().preview(admin, key, { limit: 201 }), 'validation_failed');
  });

  it('tests the connection step by step: ok, wrong bind password, directory down; never showing the password', async () => {
    const key = await addLdapBackend(app, admin, slapd!, { overrides: { groupSearch: { baseDn: FIXTURE.groups } } });
    const ok = await ops().test(admin, key);
    expect(ok.ok).to.equal(true);
    expect(ok.steps.map((s) => s.step)).to.deep.equal(['connect', 'bind', 'base', 'users', 'groups']);
    expect(ok.counts).to.deep.equal({ users: FIXTURE.counts.enabled, countedUpTo: 100_000, groups: 3 });

    const settings = await app.loket.container.services.backends.ldapSettings(admin, key);
    const wrong = await ops().test(admin, key, { ...settings, bindPassword: 'not-the-password' });
    expect(wrong.ok).to.equal(false);
    expect(wrong.steps.at(-1)).to.include({ step: 'bind', ok: false, detail: 'invalid credentials (49)' });
    expect(JSON.stringify(wrong)).not.to.include('not-the-password');

    // Unsaved settings without a password use the stored one.
    const { bindPassword: _stored, ...withoutPassword } = settings;
    expect((await ops().test(admin, key, withoutPassword)).ok).to.equal(true);

    const down = await ops().test(admin, key, { ...settings, url: ['ldap://127.0.0.1:1'] });
    expect(down.steps).to.have.length(1);
    expect(down.steps[0]).to.include({ step: 'connect', ok: false });
    expect(down.steps[0]!.detail).to.match(/^unavailable: /);
    expect(JSON.stringify(down)).not.to.include(settings.bindPassword!);
  });

  it('answers 404 for an unknown backend and 403 for an agent', async () => {
    await expectLoketError(ops().sync(admin, 'nope', REAL, cliSubject()), 'not_found');
    await expectLoketError(ops().status(admin, 'nope'), 'not_found');
    const agentAccount = await app.createAgent('agent');
    const agent = await app.loket.container.services.actors.resolve({ type: 'agent', id: agentAccount.id }, 'session');
    const key = await addLdapBackend(app, admin, slapd!);
    for (const call of [ops().test(agent!, key), ops().preview(agent!, key, { limit: 1 }), ops().sync(agent!, key, DRY, cliSubject()), ops().startSync(agent!, key, DRY, cliSubject()), ops().status(agent!, key)]) {
      await expectLoketError(call, 'forbidden');
    }
    // Nothing of a directory reaches an unauthenticated caller either.
    await request(app.url).get('/api/v1/backends').expect(401);
  });
});

describe('job leases (both databases)', function () {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('lets exactly one of two racing acquires win, for a new lease and for an expired one', async () => {
    const leases = createJobLeaseStore(app.loket.container.knex, app.loket.container.tables);
    const name = unique('job');
    const fresh = await Promise.all([leases.acquire(name, 'a', 60_000), leases.acquire(name, 'b', 60_000)]);
    expect(fresh.filter(Boolean)).to.have.length(1);
    const winner = fresh[0] ? 'a' : 'b';
    expect(await leases.renew(name, winner, 60_000, { step: 1 })).to.equal(true);
    expect(await leases.renew(name, winner === 'a' ? 'b' : 'a', 60_000, { step: 1 })).to.equal(false);
    await leases.release(name, winner, { done: true });
    const released = await leases.read(name);
    expect(released).to.include({ held: false, holder: winner });
    expect(released?.progress).to.deep.equal({ done: true });

    const again = await Promise.all([leases.acquire(name, 'c', 60_000), leases.acquire(name, 'd', 60_000), leases.acquire(name, 'e', 60_000)]);
    expect(again.filter(Boolean)).to.have.length(1);
    expect((await leases.read(name))?.held).to.equal(true);
  });
});
