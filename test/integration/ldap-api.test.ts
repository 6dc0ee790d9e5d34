import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { createJobLeaseStore } from '../../plugin/db/job-lease.js';
import { bearer, issueToken } from '../helpers/api.js';
import { unique, type TestApp, startTestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, ensureCustomer } from '../helpers/customers.js';
import { fixtureSettings, startFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE, FIXTURE_MARKUP } from '../helpers/ldap-fixtures.js';
import { closedPort, type Slapd } from '../helpers/slapd.js';

describe('API v1: directory backends against a real slapd (PUT/DELETE, test, preview, sync)', function () {
  this.timeout(60000);
  let slapd: Slapd | null;
  let app: TestApp;
  let admin: Actor;
  let api: ReturnType<typeof bearer>;

  /** Every answer of this suite, to check that the bind password never appears in one. */
  const answers: string[] = [];
  const keep = <T extends { text: string }>(res: T): T => {
    answers.push(res.text);
    return res;
  };

  const settings = () => {
    const { bindPassword: _password, ...rest } = fixtureSettings(slapd!);
    return rest;
  };

  before(async function () {
    slapd = await startFixtureDirectory(this);
    app = await startTestApp();
    admin = await adminActor(app);
    for (const id of ['acme', 'fjord']) await ensureCustomer(app, admin, id);
    api = bearer(app, await issueToken(app, admin.principal, admin.login));
  });
  after(async () => {
    await app?.loket.container.services.directoryOps.settle();
    await app?.close();
    await slapd?.stop();
  });

  it('creates (201) and updates (200) a directory backend; the bind password is write-only everywhere', async () => {
    const key = unique('api').toLowerCase();
    const created = keep(await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), bindPassword: slapd!.readerPassword }));
    expect(created.status, created.text).to.equal(201);
    expect(created.headers.etag).to.equal('"1"');
    expect(created.body).to.include({ key, type: 'ldap', readOnly: true, version: 1 });
    expect(created.body.settings).to.include({ bindPasswordSet: true, baseDn: FIXTURE.people, name: 'Fixture directory' });
    expect(created.body.settings).not.to.have.property('bindPassword');

    // Left out: kept. Empty: cleared. Each save bumps the version.
    const kept = keep(await api.put(`/backends/${key}`).set('If-Match', '"1"').send({ type: 'ldap', ...settings(), name: 'Renamed' }));
    expect(kept.status).to.equal(200);
    expect(kept.body).to.include({ version: 2 });
    expect(kept.body.settings).to.include({ bindPasswordSet: true, name: 'Renamed' });
    const cleared = keep(await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), bindPassword: '', version: 2 }));
    expect(cleared.body.settings.bindPasswordSet).to.equal(false);
    const stale = keep(await api.put(`/backends/${key}`).set('If-Match', '"1"').send({ type: 'ldap', ...settings() }));
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('edit_conflict');

    expect(keep(await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), bindPassword: slapd!.readerPassword })).status).to.equal(200);
    const list = keep(await api.get('/backends').expect(200));
    expect(list.body.items.map((b: { key: string }) => b.key)).to.include(key);
    keep(await api.get(`/backends/${key}`).expect(200));
    const audit = keep(await api.get(`/audit?object=backend:${key}`).expect(200));
    expect(audit.body.items.length).to.be.greaterThan(3);
    expect(answers.join('\n')).not.to.contain(slapd!.readerPassword);
    await api.delete(`/backends/${key}`).expect(204);
    await api.get(`/backends/${key}`).expect(404);
  });

  it('refuses invalid settings with 400 naming the field, arrays or objects where a string belongs included', async () => {
    const key = unique('bad').toLowerCase();
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'http://x.test' }, 'url.0'],
      [{ baseDn: ['ou=a'] }, 'baseDn'],
      [{ bindDn: { $ne: 1 } }, 'bindDn'],
      [{ bindPassword: ['x'] }, 'bindPassword'],
      [{ filter: '(uid=' }, 'filter'],
      [{ scope: 'everything' }, 'scope'],
      [{ pageSize: '500' }, 'pageSize'],
      [{ map: 'uid' }, 'map'],
      [{ map: [...settings().map, { key: 'room', label: 'Room', storage: 'roomNumber', type: 'colour' }] }, 'map.8.type'],
      [{ groupMapping: [{ ldapGroupDn: FIXTURE.helpdeskUsers, group: 'x', permissions: 'ro' }] }, 'groupMapping.0.permissions'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [change, field] of cases) {
      const res = keep(await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), ...change }));
      expect(res.status, field).to.equal(400);
      expect(res.body.error, field).to.include({ code: 'validation_failed', field });
    }
    const rule = keep(await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), customerIdFrom: { rules: [] } }));
    expect(rule.status).to.equal(400);
    expect(rule.body.error.field).to.match(/^customerIdFrom/);
    const badKey = keep(await api.put('/backends/Bad_Key').send({ type: 'ldap', ...settings() }));
    expect(badKey.status).to.equal(400);
    expect(badKey.body.error.field).to.equal('key');
    const dbAsLdap = keep(await api.put('/backends/db').send({ type: 'ldap', ...settings() }));
    expect(dbAsLdap.status).to.equal(400);
    expect(dbAsLdap.body.error.field).to.equal('type');
    await api.get(`/backends/${key}`).expect(404);
  });

  it('moves a backend with order, refuses an order past the end, and keeps the database backend', async () => {
    const a = unique('ord-a').toLowerCase();
    const b = unique('ord-b').toLowerCase();
    await api.put(`/backends/${a}`).send({ type: 'ldap', ...settings() }).expect(201);
    const moved = await api.put(`/backends/${b}`).send({ type: 'ldap', ...settings(), order: 0 }).expect(201);
    expect(moved.body.order).to.equal(0);
    let keys = (await api.get('/backends').expect(200)).body.items.map((x: { key: string }) => x.key);
    expect(keys[0]).to.equal(b);
    expect(keys.indexOf('db')).to.be.lessThan(keys.indexOf(a));
    const current = (await api.get('/backends/db').expect(200)).body;
    await api.put('/backends/db').send({ type: 'db', map: current.map, order: keys.length - 1 }).expect(200);
    keys = (await api.get('/backends').expect(200)).body.items.map((x: { key: string }) => x.key);
    expect(keys.at(-1)).to.equal('db');
    const past = await api.put(`/backends/${a}`).send({ type: 'ldap', ...settings(), order: keys.length });
    expect(past.status).to.equal(422);
    expect(past.body.error).to.include({ code: 'order_out_of_range', field: 'order' });
    await api.put('/backends/db').send({ type: 'db', map: current.map, order: 0 }).expect(200);
    await api.delete(`/backends/${a}`).expect(204);
    await api.delete(`/backends/${b}`).expect(204);
    const db = await api.delete('/backends/db');
    expect(db.status).to.equal(422);
    expect(db.body.error.code).to.equal('not_deletable');
    await api.delete('/backends/nothing-here').expect(404);
  });

  describe('with a saved directory backend', () => {
    let key: string;
    before(async () => {
      key = unique('dir').toLowerCase();
      await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), bindPassword: slapd!.readerPassword }).expect(201);
    });

    it('tests the connection: ok with counts, wrong bind password (49), directory down', async () => {
      const ok = keep(await api.post(`/backends/${key}/test`).expect(200));
      expect(ok.body.ok).to.equal(true);
      expect(ok.body.steps.map((s: { step: string }) => s.step)).to.deep.equal(['connect', 'bind', 'base', 'users']);
      expect(ok.body.counts.users).to.equal(FIXTURE.counts.enabled);
      await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), bindPassword: 'wrong-password' }).expect(200);
      const wrong = keep(await api.post(`/backends/${key}/test`).expect(200));
      expect(wrong.body.ok).to.equal(false);
      expect(wrong.body.steps.at(-1)).to.include({ step: 'bind', ok: false, detail: 'invalid credentials (49)' });
      expect(wrong.text).not.to.contain('wrong-password');
      const port = await closedPort();
      await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings(), url: `ldap://127.0.0.1:${port}`, bindPassword: slapd!.readerPassword }).expect(200);
      const down = keep(await api.post(`/backends/${key}/test`).expect(200));
      expect(down.body.ok).to.equal(false);
      expect(down.body.steps[0]).to.include({ step: 'connect', ok: false });
      expect(down.body.steps[0].detail).to.match(/^unavailable/);
      await api.put(`/backends/${key}`).send({ type: 'ldap', ...settings() }).expect(200);
      const body = await api.post(`/backends/${key}/test`).send({ url: 'x' });
      expect(body.status).to.equal(400);
    });

    it('previews entries with per-cell warnings; markup stays data, javascript: is no link; the filter and limit are checked', async () => {
      const res = keep(await api.post(`/backends/${key}/preview`).send({ limit: 200 }).expect(200));
      const markup = res.body.rows.find((r: { login: string }) => r.login === 'markup');
      expect(markup.cells.find((c: { key: string }) => c.key === 'displayName')).to.include({ value: FIXTURE_MARKUP.displayName, href: null });
      expect(markup.cells.find((c: { key: string }) => c.key === 'homepage')).to.include({ value: FIXTURE_MARKUP.labeledURI, href: null });
      const multi = res.body.rows.find((r: { login: string }) => r.login === 'multimail');
      expect(multi.cells.find((c: { key: string }) => c.key === 'email').warnings.map((w: { kind: string }) => w.kind)).to.include('multi-valued');
      const one = await api.post(`/backends/${key}/preview`).send({ limit: 5, filter: '(uid=jdevries)' }).expect(200);
      expect(one.body.rows.map((r: { login: string }) => r.login)).to.deep.equal(['jdevries']);
      for (const [body, field] of [[{ limit: 0 }, 'limit'], [{ limit: 201 }, 'limit'], [{ limit: '5' }, 'limit'], [{ filter: '(uid=' }, 'filter'], [{ filter: ['(uid=a)'] }, 'filter']] as const) {
        const bad = await api.post(`/backends/${key}/preview`).send(body);
        expect(bad.status, JSON.stringify(body)).to.equal(400);
        expect(bad.body.error.field).to.equal(field);
      }
    });

    it('dry-runs and syncs synchronously, answers the status, and refuses a second run with 409 sync_running', async () => {
      const { knex, tables } = app.loket.container;
      const rows = async () => JSON.stringify(await knex(tables.customer_users).select('id', 'version', 'validity').orderBy('id'));
      const before = await rows();
      const dry = keep(await api.post(`/backends/${key}/sync`).send({ dryRun: true }).expect(200));
      expect(dry.body).to.include({ backend: key, dryRun: true, refused: null });
      expect(dry.body.counts.entries).to.equal(FIXTURE.counts.enabled);
      expect(dry.body.lists.conflicts.map((c: { login: string }) => c.login)).to.deep.equal(['dup', 'dup']);
      expect(await rows()).to.equal(before);

      const real = keep(await api.post(`/backends/${key}/sync`).send({ dryRun: false }).expect(200));
      expect(real.body.counts.created + real.body.counts.unchanged + real.body.counts.updated).to.equal(dry.body.counts.created + dry.body.counts.unchanged + dry.body.counts.updated);
      const status = keep(await api.get(`/backends/${key}/sync`).expect(200));
      expect(status.body).to.include({ running: false });
      expect(status.body.last.dryRun).to.equal(false);

      const leases = createJobLeaseStore(knex, tables);
      expect(await leases.acquire(`ldap-sync:${key}`, 'another-node', 60_000, null)).to.equal(true);
      const busy = await api.post(`/backends/${key}/sync`).send({ dryRun: false });
      expect(busy.status).to.equal(409);
      expect(busy.body.error.code).to.equal('sync_running');
      await leases.release(`ldap-sync:${key}`, 'another-node', null);

      for (const body of [{}, { dryRun: 'yes' }, { dryRun: true, force: 1 }, { dryRun: true, extra: 1 }]) {
        expect((await api.post(`/backends/${key}/sync`).send(body)).status, JSON.stringify(body)).to.equal(400);
      }
    });

    it('refuses to delete a backend users came from (409 has_users)', async () => {
      await app.loket.container.services.directoryOps.sync(admin, key, { dryRun: false, force: false }, cliSubject());
      const res = await api.delete(`/backends/${key}`);
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('has_users');
    });

    it('keeps every path to admins: agents and customer users get 403', async () => {
      const agentAccount = await app.createAgent('agent');
      const agent = bearer(app, await issueToken(app, { type: 'agent', id: agentAccount.id }, agentAccount.login));
      const user = await createCustomerUser(app, admin, { customerId: 'acme' });
      const customer = bearer(app, await issueToken(app, { type: 'customer-user', id: user.id }, user.login));
      for (const who of [agent, customer]) {
        await who.get('/backends').expect(403);
        await who.get(`/backends/${key}`).expect(403);
        await who.put(`/backends/${key}`).send({ type: 'ldap', ...settings() }).expect(403);
        await who.put('/backends/new-one').send({ type: 'ldap', ...settings() }).expect(403);
        await who.delete(`/backends/${key}`).expect(403);
        await who.post(`/backends/${key}/test`).expect(403);
        await who.post(`/backends/${key}/preview`).send({ limit: 5 }).expect(403);
        await who.post(`/backends/${key}/sync`).send({ dryRun: true }).expect(403);
        await who.get(`/backends/${key}/sync`).expect(403);
      }
    });

    it('never answers the bind password, nor puts it in the audit log', async () => {
      const audit = keep(await api.get(`/audit?object=backend:${key}&limit=200`).expect(200));
      expect(audit.body.items.length).to.be.greaterThan(0);
      expect(answers.join('\n')).not.to.contain(slapd!.readerPassword);
    });
  });
});
