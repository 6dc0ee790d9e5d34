import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import type { Principal } from '../../plugin/access/actor.js';
import { bearer, issueToken } from '../helpers/api.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { csrfFrom, signIn, startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';

const password = () => `pw-${randomBytes(12).toString('hex')}`;
const mailTo = (messages: ParsedMail[], address: string) => messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.text.includes(address));

describe('API v1: customer users', () => {
  let app: TestApp;
  let smtp: TestSmtp;
  let admin: TestAccount;
  let adminToken: string;

  const tokenOf = (principal: Principal, login: string) => issueToken(app, principal, login);

  const as = (token: string) => bearer(app, token);
  const asAdmin = () => as(adminToken);

  async function newCustomer(customerId = unique('cust')): Promise<string> {
    await asAdmin().post('/customers').send({ customerId, name: `Customer ${customerId}` }).expect(201);
    return customerId;
  }

  interface MadeUser {
    login: string;
    email: string;
    password: string;
    lastName: string;
    id: number;
  }

  async function newUser(customerId: string, extra: Record<string, unknown> = {}): Promise<MadeUser> {
    const login = unique('cu').toLowerCase();
    const secret = password();
    const lastName = `Last${randomBytes(4).toString('hex')}`;
    const res = await asAdmin()
      .post('/customer-users')
      .send({ login, email: `${login}@example.test`, firstName: 'Test', lastName, customerId, password: secret, ...extra });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const record = await app.loket.container.services.customerUsers.findByLogin(login);
    return { login, email: `${login}@example.test`, password: secret, lastName, id: record!.id };
  }

  const tokenOfUser = (u: MadeUser) => tokenOf({ type: 'customer-user', id: u.id }, u.login);

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ options: { smtp: { url: smtp.url } } });
    admin = await app.createAgent('admin');
    adminToken = await tokenOf({ type: 'agent', id: admin.id }, admin.login);
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  it('runs the whole flow with an admin token: create, get, patch, validity, a second customer both ways, search', async () => {
    const first = await newCustomer();
    const second = await newCustomer();
    const login = unique('flow').toLowerCase();
    const lastName = `Flowerdew${randomBytes(3).toString('hex')}`;
    const created = await asAdmin()
      .post('/customer-users')
      .send({ login, email: `${login}@example.test`, firstName: 'Fleur', lastName, customerId: first, password: password(), phone: '+31 20 555 0100' })
      .expect(201);
    expect(created.headers.location).to.equal(`/api/v1/customer-users/${login}`);
    expect(created.headers.etag).to.equal('"1"');
    expect(created.body).to.include({ login, lastName, customerId: first, validity: 'valid', hasPassword: true, version: 1 });
    expect(created.body).to.not.have.property('generatedPassword');
    expect(created.body.passwordLink).to.deep.equal({ sent: false, reason: 'password-given' });

    const got = await asAdmin().get(`/customer-users/${login}`).expect(200);
    expect(got.headers.etag).to.equal('"1"');
    expect(got.body).to.include({ login, email: `${login}@example.test`, firstName: 'Fleur', phone: '+31 20 555 0100' });
    expect(got.body).to.not.have.property('password');

    const patched = await asAdmin().patch(`/customer-users/${login}`).set('If-Match', '"1"').send({ city: 'Utrecht' }).expect(200);
    expect(patched.body).to.include({ city: 'Utrecht', version: 2 });
    expect(patched.headers.etag).to.equal('"2"');

    const invalid = await asAdmin().patch(`/customer-users/${login}`).send({ validity: 'invalid-temporarily', version: 2 }).expect(200);
    expect(invalid.body.validity).to.equal('invalid-temporarily');
    await asAdmin().patch(`/customer-users/${login}`).send({ validity: 'valid' }).expect(200);

    // User → customers: the user's own customerIds.
    const linked = await asAdmin().patch(`/customer-users/${login}`).send({ customerIds: [second] }).expect(200);
    expect(linked.body.customerIds).to.deep.equal([second]);
    const inSecond = await asAdmin().get(`/customer-users?customerId=${second}`).expect(200);
    expect(inSecond.body.items.map((u: { login: string }) => u.login)).to.deep.equal([login]);

    // Customer → users: the customer's side of the same link.
    const unlinked = await asAdmin().delete(`/customers/${second}/users/${login}`).expect(200);
    expect(unlinked.body.customerIds).to.deep.equal([]);
    expect((await asAdmin().get(`/customer-users?customerId=${second}`).expect(200)).body.total).to.equal(0);
    const relinked = await asAdmin().put(`/customers/${second}/users/${login}`).expect(200);
    expect(relinked.body.customerIds).to.deep.equal([second]);
    // Unlinking never removes the user, and the primary customer cannot be unlinked.
    const primary = await asAdmin().delete(`/customers/${first}/users/${login}`).expect(422);
    expect(primary.body.error).to.include({ code: 'primary_customer', field: 'customerId' });
    await asAdmin().put(`/customers/${unique('nope')}/users/${login}`).expect(404);
    await asAdmin().put(`/customers/${second}/users/${unique('nobody')}`).expect(404);

    for (const search of [lastName.slice(0, 7), `${login.slice(0, 8)}`, `fleur ${lastName.toLowerCase()}`, `${login}@exa`]) {
      const found = await asAdmin().get(`/customer-users?search=${encodeURIComponent(search)}`).expect(200);
      expect(found.body.items.map((u: { login: string }) => u.login), search).to.include(login);
      expect(found.body.total).to.be.a('number').and.at.least(1);
    }
    const audit = await asAdmin().get(`/audit?object=customer-user:${login}`).expect(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).to.include.members(['customer-user.create', 'customer-user.update', 'customer-user.validity']);
    expect(audit.body.items.every((e: { actorLogin: string }) => e.actorLogin === admin.login)).to.equal(true);
  });

  it('answers a generated password once, mails a set-password link whose token works once', async () => {
    const customerId = await newCustomer();
    const login = unique('nopw').toLowerCase();
    const email = `${login}@example.test`;
    const created = await asAdmin().post('/customer-users').send({ login, email, firstName: 'Geert', lastName: 'Generated', customerId }).expect(201);
    const generated = created.body.generatedPassword as string;
    expect(generated).to.be.a('string').with.length.at.least(12);
    expect(created.body.passwordLink).to.deep.equal({ sent: true });

    // Never again: not in the detail, the list or the audit trail.
    const detail = await asAdmin().get(`/customer-users/${login}`).expect(200);
    const list = await asAdmin().get(`/customer-users?search=${login}`).expect(200);
    const audit = await asAdmin().get(`/audit?object=customer-user:${login}`).expect(200);
    for (const text of [detail.text, list.text, audit.text]) {
      expect(text).to.not.contain(generated);
      expect(text).to.not.contain('generatedPassword');
    }
    expect(audit.body.items.map((e: { action: string }) => e.action)).to.include('customer-user.password-link');

    // The generated password works until the user chooses their own.
    await signIn(app, { login, password: generated });

    const [mail] = mailTo(smtp.messages, email);
    expect(mail, 'the set-password mail').to.exist;
    expect(mail!.text).to.not.contain(generated);
    const token = /\/password\/set\/([A-Za-z0-9_-]{43})/.exec(mail!.text ?? '')?.[1];
    expect(token, 'a link with a token').to.be.a('string');

    const browser = request.agent(app.url);
    const page = await browser.get(`/password/set/${token}`).expect(200);
    const chosen = password();
    await browser.post(`/password/set/${token}`).type('form').send({ _csrf: csrfFrom(page.text), password: chosen, confirm: chosen }).expect(303);
    const again = await browser.post(`/password/set/${token}`).type('form').send({ _csrf: csrfFrom(page.text), password: chosen, confirm: chosen });
    expect(again.status).to.equal(410);
    const { agent } = await signIn(app, { login, password: chosen });
    expect((await agent.get('/api/v1/me').expect(200)).body).to.include({ login, kind: 'customer' });

    // An admin can send a fresh link; it arrives as a second mail.
    const resent = await asAdmin().post(`/customer-users/${login}/password-link`).expect(200);
    expect(resent.body).to.deep.equal({ sent: true });
    expect(mailTo(smtp.messages, email)).to.have.length(2);
    await asAdmin().post(`/customer-users/${unique('nobody')}/password-link`).expect(404);
    await asAdmin().post(`/customer-users/${login}/password-link`).send({ to: 'attacker@example.test' }).expect(400);
  });

  it('refuses a missing required field, a bad value or an unknown field with 400 naming it', async () => {
    const customerId = await newCustomer();
    const base = { login: unique('req').toLowerCase(), email: `${unique('req')}@example.test`, firstName: 'Rita', lastName: 'Required', customerId };
    for (const [body, field] of [
      [{ ...base, lastName: undefined }, 'lastName'],
      [{ ...base, email: '' }, 'email'],
      [{ ...base, email: 'not-an-address' }, 'email'],
      [{ ...base, firstName: ['Rita'] }, 'firstName'],
      [{ ...base, lastName: { $ne: '' } }, 'lastName'],
      [{ ...base, shoeSize: 44 }, 'shoeSize'],
      [{ ...base, validity: 'deleted' }, 'validity'],
      [{ ...base, password: 'short' }, 'password'],
      [{ ...base, login: 'has space' }, 'login'],
    ] as const) {
      const res = await asAdmin().post('/customer-users').send(body);
      expect(res.status, field).to.equal(400);
      expect(res.body.error, field).to.include({ code: 'validation_failed', field });
    }
    for (const body of [[base], 'text']) {
      const res = await asAdmin().post('/customer-users').set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect(res.status).to.equal(400);
    }
    // Nothing of it was written.
    expect((await asAdmin().get(`/customer-users?customerId=${customerId}`).expect(200)).body.total).to.equal(0);
  });

  it('answers an unknown customer with 422 and a duplicate login or e-mail with 409', async () => {
    const customerId = await newCustomer();
    const taken = await newUser(customerId);
    const unknownPrimary = await asAdmin()
      .post('/customer-users')
      .send({ login: unique('u').toLowerCase(), email: `${unique('u')}@example.test`, firstName: 'U', lastName: 'Nknown', customerId: unique('nope') });
    expect(unknownPrimary.status).to.equal(422);
    expect(unknownPrimary.body.error).to.include({ code: 'unknown_customer', field: 'customerId' });
    const unknownExtra = await asAdmin().patch(`/customer-users/${taken.login}`).send({ customerIds: [unique('nope')] });
    expect(unknownExtra.status).to.equal(422);
    expect(unknownExtra.body.error).to.include({ code: 'unknown_customer', field: 'customerIds' });
    // Exact IDs: a customer that differs only in case does not exist.
    const caseOnly = await asAdmin().patch(`/customer-users/${taken.login}`).send({ customerId: customerId.toUpperCase() });
    expect(caseOnly.status).to.equal(422);

    const sameLogin = await asAdmin()
      .post('/customer-users')
      .send({ login: taken.login.toUpperCase(), email: `${unique('d')}@example.test`, firstName: 'D', lastName: 'Up', customerId, password: password() });
    expect(sameLogin.status).to.equal(409);
    expect(sameLogin.body.error.field).to.equal('login');
    const sameEmail = await asAdmin()
      .post('/customer-users')
      .send({ login: unique('d').toLowerCase(), email: taken.email.toUpperCase(), firstName: 'D', lastName: 'Up', customerId, password: password() });
    expect(sameEmail.status).to.equal(409);
    expect(sameEmail.body.error.field).to.equal('email');
    const other = await newUser(customerId);
    const patchEmail = await asAdmin().patch(`/customer-users/${other.login}`).send({ email: taken.email });
    expect(patchEmail.status).to.equal(409);
    expect(patchEmail.body.error.field).to.equal('email');
    // An agent's login names that agent: a customer user cannot take it.
    const agentLogin = await asAdmin()
      .post('/customer-users')
      .send({ login: admin.login, email: `${unique('a')}@example.test`, firstName: 'A', lastName: 'Gent', customerId, password: password() });
    expect(agentLogin.status).to.equal(409);
  });

  it('refuses a stale version with 409 edit_conflict, by If-Match or in the body', async () => {
    const customerId = await newCustomer();
    const user = await newUser(customerId);
    await asAdmin().patch(`/customer-users/${user.login}`).set('If-Match', '"1"').send({ city: 'Bergen' }).expect(200);
    const stale = await asAdmin().patch(`/customer-users/${user.login}`).set('If-Match', '"1"').send({ city: 'Oslo' });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('edit_conflict');
    const staleBody = await asAdmin().patch(`/customer-users/${user.login}`).send({ city: 'Oslo', version: 1 });
    expect(staleBody.status).to.equal(409);
    expect((await asAdmin().get(`/customer-users/${user.login}`).expect(200)).body).to.include({ city: 'Bergen', version: 2 });
    await asAdmin().patch(`/customer-users/${user.login}`).set('If-Match', '2').send({ city: 'Oslo' }).expect(400);
    await asAdmin().patch(`/customer-users/${user.login}`).set('If-Match', '"2"').send({ city: 'Oslo', version: 1 }).expect(400);
    await asAdmin().patch(`/customer-users/${user.login}`).set('If-Match', '"2"').send({ city: 'Oslo', version: 2 }).expect(200);
  });

  it('never deletes: DELETE answers 405 with Allow and the hint to set validity', async () => {
    const user = await newUser(await newCustomer());
    const res = await asAdmin().delete(`/customer-users/${user.login}`);
    expect(res.status).to.equal(405);
    expect(res.headers.allow).to.equal('GET, PATCH');
    expect(res.body.error).to.deep.equal({
      code: 'method_not_allowed',
      message: 'Customer users are never deleted: set validity to invalid (PATCH {"validity":"invalid"}).',
    });
    await asAdmin().get(`/customer-users/${user.login}`).expect(200);
    // Anonymous callers learn nothing: the CSRF check (no session, no token) refuses before routing.
    expect((await request(app.url).delete(`/api/v1/customer-users/${user.login}`).expect(403)).body.error.code).to.equal('csrf_invalid');
    await request(app.url).get(`/api/v1/customer-users/${user.login}`).expect(401);
  });

  it('refuses mass assignment through PATCH /me/profile and audits what a customer user may change', async () => {
    const home = await newCustomer();
    const other = await newCustomer();
    const manager = await newUser(home);
    const user = await newUser(home);
    const { agent, csrf } = await signIn(app, user);
    const own = await agent.get('/api/v1/me/profile').expect(200);
    expect(own.body).to.include({ login: user.login, customerId: home, version: 1 });

    for (const [field, value] of [
      ['validity', 'invalid'],
      ['customerId', other],
      ['customerIds', [other]],
      ['keyUserOf', [home]],
      ['manager', manager.login],
      ['login', 'someone-else'],
      ['email', 'boss@example.test'],
    ] as const) {
      const res = await agent.patch('/api/v1/me/profile').set('X-CSRF-Token', csrf).send({ phone: '+47 22 00 00 00', [field]: value });
      expect(res.status, field).to.equal(403);
      expect(res.body.error.field, field).to.equal(field);
    }
    const unchanged = await asAdmin().get(`/customer-users/${user.login}`).expect(200);
    expect(unchanged.body).to.include({ version: 1, validity: 'valid', customerId: home, manager: null, phone: null });
    expect(unchanged.body.customerIds).to.deep.equal([]);
    expect(unchanged.body.keyUserOf).to.deep.equal([]);

    await agent.patch('/api/v1/me/profile').send({ phone: '+47 22 00 00 00' }).expect(403);
    await agent.patch('/api/v1/me/profile').set('X-CSRF-Token', csrf).set('Content-Type', 'application/json').send('["phone"]').expect(400);
    const changed = await agent.patch('/api/v1/me/profile').set('X-CSRF-Token', csrf).set('If-Match', '"1"').send({ phone: '+47 22 00 00 00', firstName: 'Kari', language: 'nb' }).expect(200);
    expect(changed.body).to.include({ phone: '+47 22 00 00 00', firstName: 'Kari', language: 'nb', version: 2 });
    await agent.patch('/api/v1/me/profile').set('X-CSRF-Token', csrf).set('If-Match', '"1"').send({ city: 'Tromsø' }).expect(409);

    const audit = await asAdmin().get(`/audit?object=customer-user:${user.login}`).expect(200);
    const entry = audit.body.items.find((e: { action: string; actorLogin: string }) => e.action === 'customer-user.update' && e.actorLogin === user.login);
    expect(entry, 'the self-service change in the audit log').to.exist;
    expect(entry.actorKind).to.equal('customer');
    expect(entry.after).to.include({ phone: '+47 22 00 00 00', firstName: 'Kari' });

    // Staff have no profile here: they are managed elsewhere.
    await asAdmin().get('/me/profile').expect(403);
    await asAdmin().patch('/me/profile').send({ phone: '1' }).expect(403);
  });

  describe('tenants', () => {
    let keyUser: MadeUser;
    let inOne: MadeUser;
    let inTwelve: MadeUser;
    let lowerAcme: MadeUser;
    let upperAcme: MadeUser;
    let acmeKeyUser: MadeUser;

    before(async () => {
      for (const id of ['1', '12', 'acme', 'Acme']) await newCustomer(id);
      keyUser = await newUser('1', { keyUserOf: ['1'] });
      inOne = await newUser('1');
      inTwelve = await newUser('12');
      lowerAcme = await newUser('acme');
      upperAcme = await newUser('Acme');
      acmeKeyUser = await newUser('acme', { keyUserOf: ['acme'] });
    });

    const logins = (body: { items: { login: string }[] }) => body.items.map((u) => u.login).sort();

    it('shows a key user of customer 1 only customer 1, never 12', async () => {
      const key = as(await tokenOfUser(keyUser));
      const all = await key.get('/customer-users').expect(200);
      expect(logins(all.body)).to.deep.equal([inOne.login, keyUser.login].sort());
      expect(all.body.total).to.equal(2);
      expect(logins((await key.get('/customer-users?search=*').expect(200)).body)).to.deep.equal([inOne.login, keyUser.login].sort());
      expect((await key.get(`/customer-users?search=${inTwelve.lastName}`).expect(200)).body).to.include({ total: 0 });
      expect((await key.get('/customer-users?customerId=12').expect(200)).body).to.deep.include({ items: [], total: 0 });
      expect(logins((await key.get('/customer-users?customerId=1').expect(200)).body)).to.deep.equal([inOne.login, keyUser.login].sort());
      await key.get(`/customer-users/${inOne.login}`).expect(200);
      const foreign = await key.get(`/customer-users/${inTwelve.login}`).expect(404);
      const missing = await key.get(`/customer-users/${unique('nobody')}`).expect(404);
      expect(Object.keys(foreign.body.error)).to.deep.equal(Object.keys(missing.body.error));

      expect((await key.get('/customers').expect(200)).body.items.map((c: { customerId: string }) => c.customerId)).to.deep.equal(['1']);
      await key.get('/customers/1').expect(200);
      await key.get('/customers/12').expect(404);
      // Key users read; changes go through delegated forms.
      await key.patch(`/customer-users/${inOne.login}`).send({ city: 'X' }).expect(403);
      await key.put(`/customers/1/users/${inTwelve.login}`).expect(403);
    });

    it('compares customer IDs exactly: acme is not Acme', async () => {
      const key = as(await tokenOfUser(acmeKeyUser));
      expect(logins((await key.get('/customer-users').expect(200)).body)).to.deep.equal([acmeKeyUser.login, lowerAcme.login].sort());
      await key.get(`/customer-users/${upperAcme.login}`).expect(404);
      expect((await key.get('/customer-users?customerId=Acme').expect(200)).body.total).to.equal(0);
      expect((await asAdmin().get('/customer-users?customerId=Acme').expect(200)).body.items.map((u: { login: string }) => u.login)).to.deep.equal([upperAcme.login]);
      await key.get('/customers/Acme').expect(404);
    });

    it('shows a plain customer user only themself', async () => {
      const plain = as(await tokenOfUser(inOne));
      const list = await plain.get('/customer-users').expect(200);
      expect(logins(list.body)).to.deep.equal([inOne.login]);
      expect(list.body.total).to.equal(1);
      await plain.get(`/customer-users/${inOne.login}`).expect(200);
      await plain.get(`/customer-users/${keyUser.login}`).expect(404);
      await plain.get('/customers').expect(403);
      await plain.post('/customer-users').send({ login: unique('x') }).expect(403);
    });
  });

  it('lets agents read customer users but not change them', async () => {
    const customerId = await newCustomer();
    const user = await newUser(customerId);
    const account = await app.createAgent('agent');
    const agent = as(await tokenOf({ type: 'agent', id: account.id }, account.login));
    await agent.get(`/customer-users/${user.login}`).expect(200);
    expect((await agent.get(`/customer-users?customerId=${customerId}`).expect(200)).body.total).to.equal(1);
    const login = unique('agentmade').toLowerCase();
    await agent.post('/customer-users').send({ login, email: `${login}@example.test`, firstName: 'A', lastName: 'B', customerId }).expect(403);
    await agent.patch(`/customer-users/${user.login}`).send({ city: 'Delft' }).expect(403);
    await agent.post(`/customer-users/${user.login}/password-link`).expect(403);
    await agent.post(`/customer-users/${user.login}/anonymise`).send({ confirm: user.login }).expect(403);
    await agent.put(`/customers/${customerId}/users/${user.login}`).expect(403);
    expect((await asAdmin().get(`/customer-users/${user.login}`).expect(200)).body).to.include({ version: 1, city: null });
    await asAdmin().get(`/customer-users/${login}`).expect(404);
  });

  it('searches % and _ literally and * as everybody, within the limit', async () => {
    const customerId = await newCustomer();
    const percent = await newUser(customerId, { lastName: '%Percent' });
    const under = await newUser(customerId, { lastName: '_Under' });
    const plain = await newUser(customerId, { lastName: 'Plain' });
    const search = async (q: string, extra = '') =>
      (await asAdmin().get(`/customer-users?customerId=${customerId}&search=${encodeURIComponent(q)}${extra}`).expect(200)).body as { items: { login: string }[]; total: number; limit: number };
    // `%` and `_` are characters like any other: only values starting with them match (no LIKE wildcard).
    expect(logins(await search('%'))).to.deep.equal([percent.login]);
    expect(logins(await search('_'))).to.deep.equal([under.login]);
    expect(logins(await search('%p'))).to.deep.equal([percent.login]);
    expect(logins(await search('p%'))).to.deep.equal([]);
    // `*` alone is everybody (within the caller's scope and the limit); inside a word it is a wildcard.
    expect(logins(await search('*'))).to.deep.equal([percent.login, under.login, plain.login].sort());
    expect(logins(await search('pl*n'))).to.deep.equal([plain.login]);
    expect(logins(await search('*lai'))).to.deep.equal([plain.login]);
    const limited = await search('*', '&limit=2');
    expect(limited.items).to.have.length(2);
    expect(limited).to.include({ total: 3, limit: 2 });
    expect((await search('*', '&limit=2&offset=2')).items).to.have.length(1);

    function logins(body: { items: { login: string }[] }) {
      return body.items.map((u) => u.login).sort();
    }
  });

  it('validates the query: limit within the configured maximum, no arrays, no unknown parameters', async () => {
    const max = app.loket.container.config.customerUsers.searchLimit;
    expect((await asAdmin().get('/customer-users').expect(200)).body.limit).to.equal(max);
    await asAdmin().get(`/customer-users?limit=${max}`).expect(200);
    for (const query of [`limit=${max + 1}`, 'limit=0', 'limit=-1', 'limit=ten', 'offset=-1', 'search=a&search=b', 'customerId=1&customerId=12', 'validity=gone', 'sarch=x', 'customerId[]=1']) {
      const res = await asAdmin().get(`/customer-users?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.code, query).to.equal('validation_failed');
    }
  });

  it('ends an invalidated user\'s session on the next request, and the user cannot sign in', async () => {
    const user = await newUser(await newCustomer());
    const { agent } = await signIn(app, user);
    const token = await tokenOfUser(user);
    await agent.get('/api/v1/me').expect(200);
    await as(token).get('/me/profile').expect(200);
    await asAdmin().patch(`/customer-users/${user.login}`).send({ validity: 'invalid' }).expect(200);
    await agent.get('/api/v1/me').expect(401);
    await as(token).get('/me').expect(401);
    let refused: unknown;
    try {
      await signIn(app, user);
    } catch (err) {
      refused = err;
    }
    expect(String(refused)).to.contain('login failed with 401');
  });

  it('anonymises a customer user only when the login is typed again', async () => {
    const user = await newUser(await newCustomer());
    const wrong = await asAdmin().post(`/customer-users/${user.login}/anonymise`).send({ confirm: 'someone' });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.field).to.equal('confirm');
    await asAdmin().post(`/customer-users/${user.login}/anonymise`).send({}).expect(400);
    await asAdmin().post(`/customer-users/${user.login}/anonymise`).send({ confirm: [user.login] }).expect(400);
    const done = await asAdmin().post(`/customer-users/${user.login}/anonymise`).send({ confirm: user.login }).expect(200);
    expect(done.body).to.include({ anonymised: true, validity: 'invalid', login: `anonymised-${user.id}`, firstName: 'Anonymised' });
    expect(done.text).to.not.contain(user.email).and.not.contain(user.lastName);
    await asAdmin().get(`/customer-users/${user.login}`).expect(404);
  });

  it('lists the new paths in the OpenAPI document', async () => {
    const doc = (await request(app.url).get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
    expect(doc.paths).to.include.keys(
      '/customers',
      '/customers/{customerId}',
      '/customers/{customerId}/users/{login}',
      '/customer-users',
      '/customer-users/{login}',
      '/customer-users/{login}/password-link',
      '/customer-users/{login}/anonymise',
      '/backends',
      '/backends/{key}',
      '/me/profile',
    );
    expect(doc.paths['/customer-users/{login}']!.delete!.responses).to.have.property('405');
    expect(doc.paths['/customer-users/{login}']!.patch!.responses).to.include.keys('409', '422');
    expect(doc.paths['/customer-users']!.post!.requestBody).to.exist;
    expect(JSON.stringify(doc.paths['/customer-users']!.post!.responses['200'])).to.contain('generatedPassword');
    expect(JSON.stringify(doc.paths['/backends/{key}']!.put!.requestBody)).to.contain('readOnly');
  });
});
