import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { csrfFrom, signIn, startTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, ensureCustomer } from '../helpers/customers.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const linkIn = (text: string | undefined): string => {
  const match = /https?:\/\/\S+\/password\/set\/([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!match?.[1]) throw new Error(`no set-password link in: ${text}`);
  return match[1];
};

describe('customer users: portal login and set-password links', () => {
  let app: TestApp;
  let smtp: TestSmtp;
  let admin: Actor;
  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ options: { smtp: { url: smtp.url, from: 'Loket <loket@example.test>' } } });
    admin = await adminActor(app);
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  it('signs a customer user in with login or e-mail address and lands in the portal', async () => {
    const user = await createCustomerUser(app, admin);
    for (const name of [user.login, user.email.toUpperCase()]) {
      const { agent } = await signIn(app, { login: name, password: user.password });
      const me = await agent.get('/api/v1/me').expect(200);
      expect(me.body).to.include({ login: user.login, kind: 'customer', customerId: user.customerId });
      expect(me.body.roles).to.deep.equal(['customer']);
      await agent.get('/portal').expect(200);
      await agent.get('/agent').expect(403);
    }
  });

  it('gives key users their role and customers, and answers a wrong password like an unknown login', async () => {
    const user = await createCustomerUser(app, admin, { keyUserOf: [] });
    const key = await createCustomerUser(app, admin, { customerId: user.customerId, keyUserOf: [user.customerId] });
    const { agent } = await signIn(app, key);
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body.roles).to.deep.equal(['customer', 'key-user']);
    expect(me.body).to.deep.include({ customerIds: [user.customerId], keyUserOf: [user.customerId] });

    const page = await request(app.url).get('/login');
    const wrong = await request(app.url).post('/login').set('Cookie', page.headers['set-cookie']!).type('form')
      .send({ _csrf: csrfFrom(page.text), login: user.login, password: 'not-the-password' });
    const page2 = await request(app.url).get('/login');
    const unknown = await request(app.url).post('/login').set('Cookie', page2.headers['set-cookie']!).type('form')
      .send({ _csrf: csrfFrom(page2.text), login: unique('nobody'), password: 'not-the-password' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    const message = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1];
    expect(message(wrong.text)).to.equal(message(unknown.text));
  });

  it('refuses an invalid customer user at login, and ends an open session on the next request', async () => {
    const user = await createCustomerUser(app, admin);
    const { agent } = await signIn(app, user);
    await agent.get('/api/v1/me').expect(200);
    await app.loket.container.services.customerUsers.setValidity(admin, user.login, 'invalid-temporarily', cliSubject());
    await agent.get('/api/v1/me').expect(401);
    const page = await agent.get('/portal');
    expect(page.status).to.equal(303);
    let failed = false;
    try {
      await signIn(app, user);
    } catch {
      failed = true;
    }
    expect(failed, 'invalid user signed in').to.equal(true);
  });

  it('never lets a customer user and an agent share a login', async () => {
    const agentAccount = await app.createAgent('agent');
    await ensureCustomer(app, admin, 'login-clash');
    let status = 0;
    try {
      await app.loket.container.services.customerUsers.create(admin, { login: agentAccount.login, email: `${unique('x')}@example.test`, customerId: 'login-clash', firstName: 'A', lastName: 'B' }, cliSubject());
    } catch (err) {
      status = (err as { status: number }).status;
    }
    expect(status).to.equal(409);
    const customer = await createCustomerUser(app, admin);
    status = 0;
    try {
      await app.loket.container.services.agents.createFromOperator({ login: customer.login, email: `${unique('x')}@example.test`, role: 'agent' }, cliSubject());
    } catch (err) {
      status = (err as { status: number }).status;
    }
    expect(status, 'an agent took a customer login').to.equal(409);
  });

  it('mails a one-time link that sets the password once, then refuses it', async () => {
    await ensureCustomer(app, admin, 'links');
    const login = unique('nopw');
    const seen = smtp.messages.length;
    const { user, generatedPassword } = await app.loket.container.services.customerUsers.create(
      admin, { login, email: `${login}@example.test`, customerId: 'links', firstName: 'Kari', lastName: 'Nordmann' }, cliSubject(),
    );
    expect(generatedPassword).to.have.length(20);
    const sent = await app.loket.container.services.customerAccounts.sendPasswordLink(admin, user, app.url, cliSubject());
    expect(sent).to.deep.equal({ sent: true });
    const mail = await smtp.next(seen);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').to.contain(`${login}@example.test`);
    expect(mail.text).to.contain(login).and.not.contain(generatedPassword!);
    const token = linkIn(mail.text);

    const agent = request.agent(app.url);
    const form = await agent.get(`/password/set/${token}`).expect(200);
    const mismatch = await agent.post(`/password/set/${token}`).type('form').send({ _csrf: csrfFrom(form.text), password: 'a-long-new-password', confirm: 'something-else' });
    expect(mismatch.status).to.equal(400);
    const short = await agent.post(`/password/set/${token}`).type('form').send({ _csrf: csrfFrom(form.text), password: 'short', confirm: 'short' });
    expect(short.status).to.equal(400);
    const done = await agent.post(`/password/set/${token}`).type('form').send({ _csrf: csrfFrom(form.text), password: 'a-long-new-password', confirm: 'a-long-new-password' });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.match(/\/login\?passwordSet=1$/);
    await signIn(app, { login, password: 'a-long-new-password' });

    await agent.get(`/password/set/${token}`).expect(410);
    const again = await agent.post(`/password/set/${token}`).type('form').send({ _csrf: csrfFrom(form.text), password: 'another-long-password', confirm: 'another-long-password' });
    expect(again.status).to.equal(410);
    await agent.get(`/password/set/${'A'.repeat(43)}`).expect(410);
    await agent.get('/password/set/short').expect(410);
  });

  it('makes an older link worthless once a newer one is sent, and refuses the link of an invalid user', async () => {
    const user = await createCustomerUser(app, admin);
    const record = (await app.loket.container.services.customerUsers.findByLogin(user.login))!;
    const seen = smtp.messages.length;
    await app.loket.container.services.customerAccounts.sendPasswordLink(admin, record, app.url, cliSubject());
    const first = linkIn((await smtp.next(seen)).text);
    await app.loket.container.services.customerAccounts.sendPasswordLink(admin, record, app.url, cliSubject());
    const second = linkIn((await smtp.next(seen + 1)).text);
    await request(app.url).get(`/password/set/${first}`).expect(410);
    await request(app.url).get(`/password/set/${second}`).expect(200);
    await app.loket.container.services.customerUsers.setValidity(admin, user.login, 'invalid', cliSubject());
    const agent = request.agent(app.url);
    const form = await agent.get(`/password/set/${second}`).expect(200);
    const res = await agent.post(`/password/set/${second}`).type('form').send({ _csrf: csrfFrom(form.text), password: 'a-long-new-password', confirm: 'a-long-new-password' });
    expect(res.status).to.equal(410);
  });

  it('answers "forgot password" the same for a known and an unknown address, and mails only the known one', async () => {
    const user = await createCustomerUser(app, admin);
    const ask = async (email: string) => {
      const agent = request.agent(app.url);
      const form = await agent.get('/password/forgot').expect(200);
      const res = await agent.post('/password/forgot').type('form').send({ _csrf: csrfFrom(form.text), email });
      expect(res.status).to.equal(200);
      return res.text.replace(/<meta name="csrf-token" content="[^"]*">/, '').replace(/name="_csrf" value="[^"]*"/g, '');
    };
    const seen = smtp.messages.length;
    const known = await ask(user.email);
    const mail = await smtp.next(seen);
    expect(mail.text).to.contain(user.login);
    const unknownPage = await ask(`${unique('nobody')}@example.test`);
    expect(unknownPage).to.equal(known);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.length).to.equal(seen + 1);
  });
});
