import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import type { Principal } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';

describe('API v1: customers', () => {
  let app: TestApp;
  let admin: TestAccount;
  let adminToken: string;

  const tokenOf = (principal: Principal, login: string) => issueToken(app, principal, login);

  const as = (token: string) => bearer(app, token);
  const asAdmin = () => as(adminToken);

  async function newCustomer(extra: Record<string, unknown> = {}): Promise<string> {
    const customerId = unique('cust');
    await asAdmin().post('/customers').send({ customerId, name: `Customer ${customerId}`, ...extra }).expect(201);
    return customerId;
  }

  async function newUser(customerId: string, extra: Record<string, unknown> = {}) {
    const login = unique('cu').toLowerCase();
    const res = await asAdmin()
      .post('/customer-users')
      .send({ login, email: `${login}@example.test`, firstName: 'Test', lastName: 'User', customerId, password: `pw-${randomBytes(12).toString('hex')}`, ...extra })
      .expect(201);
    const record = await app.loket.container.services.customerUsers.findByLogin(login);
    return { login, id: record!.id, body: res.body as Record<string, unknown> };
  }

  before(async () => {
    app = await startTestApp();
    admin = await app.createAgent('admin');
    adminToken = await tokenOf({ type: 'agent', id: admin.id }, admin.login);
  });
  after(async () => {
    await app.close();
  });

  it('creates a customer (201, Location, ETag) and reads it back by its exact ID', async () => {
    const customerId = unique('Firma');
    const created = await asAdmin()
      .post('/customers')
      .send({ customerId, name: 'Firma Jansen B.V.', city: 'Zwolle', country: 'NL', url: 'https://jansen.example' })
      .expect(201);
    expect(created.headers.location).to.equal(`/api/v1/customers/${customerId}`);
    expect(created.headers.etag).to.equal('"1"');
    expect(created.body).to.deep.include({ customerId, name: 'Firma Jansen B.V.', city: 'Zwolle', street: '', validity: 'valid', version: 1 });
    expect(created.body).to.not.have.property('id');

    const got = await asAdmin().get(`/customers/${customerId}`).expect(200);
    expect(got.headers.etag).to.equal('"1"');
    expect(got.body).to.deep.equal(created.body);
    // Exact match only: another case, a prefix or padding is a different (unknown) ID.
    for (const other of [customerId.toLowerCase(), customerId.slice(0, -1), `${customerId}%20`, `%20${customerId}`]) {
      const res = await asAdmin().get(`/customers/${other}`);
      expect(res.status, other).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    }
    const audit = await asAdmin().get(`/audit?object=customer:${customerId}`).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['customer.create']);
  });

  it('keeps acme and Acme apart', async () => {
    const stem = unique('acme').toLowerCase();
    const upper = stem.replace(/^a/, 'A');
    await asAdmin().post('/customers').send({ customerId: stem, name: 'lower' }).expect(201);
    await asAdmin().post('/customers').send({ customerId: upper, name: 'upper' }).expect(201);
    expect((await asAdmin().get(`/customers/${stem}`).expect(200)).body.name).to.equal('lower');
    expect((await asAdmin().get(`/customers/${upper}`).expect(200)).body.name).to.equal('upper');
  });

  it('refuses bad input with 400 naming the field, and a duplicate ID with 409', async () => {
    const customerId = await newCustomer();
    const duplicate = await asAdmin().post('/customers').send({ customerId, name: 'Again' });
    expect(duplicate.status).to.equal(409);
    expect(duplicate.body.error.field).to.equal('customerId');
    for (const [body, field] of [
      [{ customerId: unique('c') }, 'name'],
      [{ name: 'No ID' }, 'customerId'],
      [{ customerId: unique('c'), name: ['Array'] }, 'name'],
      [{ customerId: { $gt: '' }, name: 'Object' }, 'customerId'],
      [{ customerId: unique('c'), name: 'Link', url: 'javascript:alert(1)' }, 'url'],
      [{ customerId: unique('c'), name: 'Odd', validity: 'deleted' }, 'validity'],
      [{ customerId: unique('c'), name: 'Extra', owner: 'me' }, 'owner'],
      [{ customerId: 'tab\there', name: 'Control' }, 'customerId'],
    ] as const) {
      const res = await asAdmin().post('/customers').send(body);
      expect(res.status, field).to.equal(400);
      expect(res.body.error, field).to.include({ code: 'validation_failed', field });
    }
    const array = await asAdmin().post('/customers').set('Content-Type', 'application/json').send(JSON.stringify([{ customerId: unique('c'), name: 'x' }]));
    expect(array.status).to.equal(400);
  });

  it('lists with search, validity, limit and offset; total counts every match', async () => {
    const tag = randomBytes(4).toString('hex');
    const ids: string[] = [];
    for (const name of [`Bakkerij ${tag} Noord`, `Bakkerij ${tag} Zuid`, `Slagerij ${tag}`]) {
      const customerId = `c-${tag}-${ids.length}`;
      await asAdmin().post('/customers').send({ customerId, name }).expect(201);
      ids.push(customerId);
    }
    await asAdmin().patch(`/customers/${ids[1]}`).send({ validity: 'invalid' }).expect(200);

    const all = await asAdmin().get(`/customers?search=${tag}`).expect(200);
    expect(all.body).to.include({ total: 3, limit: 100 });
    expect(all.body.items.map((c: { customerId: string }) => c.customerId)).to.deep.equal(ids);
    const bakers = await asAdmin().get(`/customers?search=${encodeURIComponent(`bakkerij ${tag}`)}`).expect(200);
    expect(bakers.body.total).to.equal(2);
    const valid = await asAdmin().get(`/customers?search=${tag}&validity=valid`).expect(200);
    expect(valid.body.items.map((c: { customerId: string }) => c.customerId)).to.deep.equal([ids[0], ids[2]]);
    const paged = await asAdmin().get(`/customers?search=${tag}&limit=1&offset=1`).expect(200);
    expect(paged.body).to.deep.include({ total: 3, limit: 1 });
    expect(paged.body.items.map((c: { customerId: string }) => c.customerId)).to.deep.equal([ids[1]]);
    // % and _ are literal: neither matches every customer.
    expect((await asAdmin().get(`/customers?search=${encodeURIComponent(`${tag}%`)}`).expect(200)).body.total).to.equal(0);
    expect((await asAdmin().get('/customers?search=_').expect(200)).body.total).to.equal(0);
    expect((await asAdmin().get(`/customers?search=${encodeURIComponent(`*${tag} zuid`)}`).expect(200)).body.total).to.equal(1);

    await asAdmin().get('/customers?limit=1000').expect(200);
    for (const query of ['limit=1001', 'limit=0', 'limit=abc', 'offset=-5', 'search=a&search=b', 'validity=valid&validity=invalid', 'validity=gone', 'q=x']) {
      const res = await asAdmin().get(`/customers?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.code, query).to.equal('validation_failed');
    }
  });

  it('patches with optimistic locking (If-Match or version) and never deletes', async () => {
    const customerId = await newCustomer();
    const first = await asAdmin().patch(`/customers/${customerId}`).set('If-Match', '"1"').send({ street: 'Dorpsstraat 1' }).expect(200);
    expect(first.body).to.include({ street: 'Dorpsstraat 1', version: 2 });
    expect(first.headers.etag).to.equal('"2"');
    const stale = await asAdmin().patch(`/customers/${customerId}`).set('If-Match', '"1"').send({ street: 'Kerkstraat 2' });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('edit_conflict');
    const staleBody = await asAdmin().patch(`/customers/${customerId}`).send({ street: 'Kerkstraat 2', version: 1 });
    expect(staleBody.status).to.equal(409);
    await asAdmin().patch(`/customers/${customerId}`).set('If-Match', 'W/"2"').send({ street: 'Kerkstraat 2' }).expect(400);
    await asAdmin().patch(`/customers/${customerId}`).send({ customerId: 'renamed' }).expect(400);
    await asAdmin().patch(`/customers/${unique('nope')}`).send({ street: 'x' }).expect(404);
    const invalid = await asAdmin().patch(`/customers/${customerId}`).send({ validity: 'invalid', version: 2 }).expect(200);
    expect(invalid.body).to.include({ validity: 'invalid', street: 'Dorpsstraat 1', version: 3 });
    const audit = await asAdmin().get(`/audit?object=customer:${customerId}`).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['customer.validity', 'customer.update', 'customer.create']);

    const deleted = await asAdmin().delete(`/customers/${customerId}`);
    expect(deleted.status).to.equal(405);
    expect(deleted.headers.allow).to.equal('GET, PATCH');
    expect(deleted.body.error.code).to.equal('method_not_allowed');
    expect(deleted.body.error.message).to.contain('validity');
    await asAdmin().get(`/customers/${customerId}`).expect(200);
  });

  it('links and unlinks users from the customer\'s side, never deleting the user', async () => {
    const home = await newCustomer();
    const extra = await newCustomer();
    const user = await newUser(home);
    const linked = await asAdmin().put(`/customers/${extra}/users/${user.login}`).expect(200);
    expect(linked.body).to.include({ login: user.login, customerId: home });
    expect(linked.body.customerIds).to.deep.equal([extra]);
    // Linking twice is one link.
    expect((await asAdmin().put(`/customers/${extra}/users/${user.login}`).expect(200)).body.customerIds).to.deep.equal([extra]);
    // Linking to the primary customer changes nothing.
    expect((await asAdmin().put(`/customers/${home}/users/${user.login}`).expect(200)).body.customerIds).to.deep.equal([extra]);
    const members = await asAdmin().get(`/customer-users?customerId=${extra}`).expect(200);
    expect(members.body.items.map((u: { login: string }) => u.login)).to.deep.equal([user.login]);

    const unlinked = await asAdmin().delete(`/customers/${extra}/users/${user.login}`).expect(200);
    expect(unlinked.body.customerIds).to.deep.equal([]);
    await asAdmin().get(`/customer-users/${user.login}`).expect(200);
    await asAdmin().delete(`/customers/${home}/users/${user.login}`).expect(422);
    await asAdmin().put(`/customers/${extra}/users/${user.login}`).send({ customerId: 'x' }).expect(400);
    const audit = await asAdmin().get(`/audit?object=customer-user:${user.login}`).expect(200);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'customer-user.update')).to.have.length(2);
  });

  it('lets agents and key users read, not write; plain customer users read no customers', async () => {
    const own = await newCustomer();
    const other = await newCustomer();
    const account = await app.createAgent('agent');
    const agent = as(await tokenOf({ type: 'agent', id: account.id }, account.login));
    await agent.get(`/customers/${own}`).expect(200);
    expect((await agent.get(`/customers?search=${own}`).expect(200)).body.total).to.equal(1);
    await agent.post('/customers').send({ customerId: unique('c'), name: 'Agent made' }).expect(403);
    await agent.patch(`/customers/${own}`).send({ city: 'Delft' }).expect(403);

    const keyUser = await newUser(own, { keyUserOf: [own] });
    const key = as(await tokenOf({ type: 'customer-user', id: keyUser.id }, keyUser.login));
    expect((await key.get('/customers').expect(200)).body.items.map((c: { customerId: string }) => c.customerId)).to.deep.equal([own]);
    await key.get(`/customers/${other}`).expect(404);
    await key.patch(`/customers/${own}`).send({ city: 'Delft' }).expect(403);
    await key.delete(`/customers/${other}/users/${keyUser.login}`).expect(404);

    const plainUser = await newUser(own);
    const plain = as(await tokenOf({ type: 'customer-user', id: plainUser.id }, plainUser.login));
    await plain.get('/customers').expect(403);
    await plain.get(`/customers/${own}`).expect(403);
    expect((await asAdmin().get(`/customers/${own}`).expect(200)).body).to.include({ city: '', version: 1 });
  });

  it('creates a user without a password while mail is off: password answered once, link reported unsent', async () => {
    const customerId = await newCustomer();
    const login = unique('nomail').toLowerCase();
    const created = await asAdmin().post('/customer-users').send({ login, email: `${login}@example.test`, firstName: 'No', lastName: 'Mail', customerId }).expect(201);
    expect(created.body.generatedPassword).to.be.a('string');
    expect(created.body.passwordLink).to.deep.equal({ sent: false, reason: 'mail-off' });
    expect((await asAdmin().post(`/customer-users/${login}/password-link`).expect(200)).body).to.deep.equal({ sent: false, reason: 'mail-off' });
  });

  it('still answers the generated password when the mail server is down', async () => {
    // A port nobody listens on: the SMTP connection is refused.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const down = await startTestApp({ options: { smtp: { url: `smtp://127.0.0.1:${closed}` } } });
    try {
      const downAdmin = await down.createAgent('admin');
      const token = (await down.loket.container.services.apiTokens.issueFromOperator({ type: 'agent', id: downAdmin.id }, downAdmin.login, { name: 't' }, cliSubject())).plain;
      const call = (method: 'post', path: string) => request(down.url)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
      const customerId = unique('down');
      await call('post', '/customers').send({ customerId, name: 'Mail down' }).expect(201);
      const login = unique('down').toLowerCase();
      const created = await call('post', '/customer-users').send({ login, email: `${login}@example.test`, firstName: 'Mail', lastName: 'Down', customerId });
      expect(created.status).to.equal(201);
      expect(created.body.generatedPassword).to.be.a('string');
      expect(created.body.passwordLink).to.deep.equal({ sent: false, reason: 'mail-failed' });
      expect((await call('post', `/customer-users/${login}/password-link`).expect(200)).body).to.deep.equal({ sent: false, reason: 'mail-failed' });
    } finally {
      await down.close();
    }
  });
});
