import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, signIn, startTestApp, unique, type TestApp } from '../helpers/app.js';

describe('admin and agent screens', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('lets an admin create an agent with a generated password shown once, and audits it', async () => {
    const admin = await app.createAgent('admin');
    const { agent, csrf } = await signIn(app, admin);
    const login = unique('newagent');
    const res = await agent
      .post('/admin/agents')
      .type('form')
      .send({ _csrf: csrf, login, email: `${login}@example.test`, firstName: 'Nina', lastName: 'New', role: 'agent', password: '' });
    expect(res.status).to.equal(201);
    const password = /<code class="secret">([^<]+)<\/code>/.exec(res.text)?.[1];
    expect(password).to.match(/^[A-Za-z0-9]{20}$/);
    // The list page afterwards never shows it again.
    const list = await agent.get('/admin/agents').expect(200);
    expect(list.text).to.contain(login).and.not.contain(password!);
    // The password works.
    await signIn(app, { login, password: password! });
    const services = app.loket.container.services;
    const adminActor = await services.actors.resolve({ type: 'agent', id: admin.id }, 'session');
    const entries = await services.audit.list(adminActor!, { objectType: 'agent', objectId: login, limit: 10 });
    const entry = entries.find((e) => e.action === 'agent.create');
    expect(entry).to.include({ action: 'agent.create', actorLogin: admin.login, actorKind: 'admin' });
    expect(JSON.stringify(entry)).to.not.contain(password!);
  });

  it('names the field when an agent cannot be created', async () => {
    const admin = await app.createAgent('admin');
    const { agent, csrf } = await signIn(app, admin);
    const res = await agent.post('/admin/agents').type('form').send({ _csrf: csrf, login: unique('x'), email: 'not-an-email', role: 'agent' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('email');
    const badRole = await agent.post('/admin/agents').type('form').send({ _csrf: csrf, login: unique('x'), email: 'a@b.test', role: 'root' });
    expect(badRole.status).to.equal(400);
  });

  it('keeps agents out of the admin screens, and does not change anything for them', async () => {
    const plain = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, plain);
    await agent.get('/admin').expect(403);
    await agent.get('/admin/agents').expect(403);
    const login = unique('sneaky');
    const res = await agent.post('/admin/agents').type('form').send({ _csrf: csrf, login, email: `${login}@example.test`, role: 'admin' });
    expect(res.status).to.equal(403);
    expect(await app.loket.container.services.agents.findByLogin(login)).to.equal(null);
  });

  it('changes nothing on a state-changing form posted without its CSRF token', async () => {
    const admin = await app.createAgent('admin');
    const { agent } = await signIn(app, admin);
    const login = unique('nocsrf');
    const res = await agent.post('/admin/agents').type('form').send({ login, email: `${login}@example.test`, role: 'agent' });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('The form has expired');
    expect(await app.loket.container.services.agents.findByLogin(login)).to.equal(null);
    const wrong = await agent.post('/admin/agents').type('form').send({ _csrf: 'f'.repeat(64), login, email: `${login}@example.test`, role: 'agent' });
    expect(wrong.status).to.equal(403);
  });

  it('lets an agent make, use and revoke an API token of their own', async () => {
    const owner = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, owner);
    const res = await agent.post('/tokens').type('form').send({ _csrf: csrf, name: 'laptop script', expiresInDays: '30' });
    expect(res.status).to.equal(201);
    const token = /<code class="secret">(lkt_[^<]+)<\/code>/.exec(res.text)?.[1];
    expect(token).to.match(/^lkt_[A-Za-z0-9_-]{43}$/);
    const me = await request(app.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.login).to.equal(owner.login);

    const list = await agent.get('/tokens').expect(200);
    expect(list.text).to.contain('laptop script').and.not.contain(token!);
    const id = /action="\/tokens\/(\d+)\/revoke"/.exec(list.text)?.[1];
    await agent.post(`/tokens/${id}/revoke`).type('form').send({ _csrf: csrfFrom(list.text) }).expect(303);
    await request(app.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('does not let an agent revoke or make tokens for somebody else (404/403)', async () => {
    const victim = await app.createAgent('agent');
    const victimSession = await signIn(app, victim);
    await victimSession.agent.post('/tokens').type('form').send({ _csrf: victimSession.csrf, name: 'victim' }).expect(201);
    const victimList = await victimSession.agent.get('/tokens');
    const id = /action="\/tokens\/(\d+)\/revoke"/.exec(victimList.text)?.[1];

    const attacker = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, attacker);
    const list = await agent.get('/tokens').expect(200);
    expect(list.text).to.not.contain('victim');
    await agent.post(`/tokens/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(404);
    await agent.post('/tokens').type('form').send({ _csrf: csrf, name: 'for you', owner: victim.login }).expect(403);
  });

  it('lets an admin see every token and make one for an agent', async () => {
    const admin = await app.createAgent('admin');
    const someone = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, admin);
    const res = await agent.post('/tokens').type('form').send({ _csrf: csrf, name: 'integration', owner: someone.login });
    expect(res.status).to.equal(201);
    const token = /<code class="secret">(lkt_[^<]+)<\/code>/.exec(res.text)?.[1];
    const me = await request(app.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.login).to.equal(someone.login);
    expect(res.text).to.contain(someone.login);
  });

  it('escapes what people typed when it is shown', async () => {
    const admin = await app.createAgent('admin');
    const { agent, csrf } = await signIn(app, admin);
    const login = unique('esc');
    await agent
      .post('/admin/agents')
      .type('form')
      .send({ _csrf: csrf, login, email: `${login}@example.test`, firstName: '<script>alert(1)</script>', lastName: '"><img src=x onerror=alert(1)>', role: 'agent' })
      .expect(201);
    const list = await agent.get('/admin/agents').expect(200);
    expect(list.text).to.not.contain('<script>alert(1)</script>').and.not.contain('<img src=x');
    expect(list.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('switches language by choice and otherwise follows the browser', async () => {
    const dutch = await request(app.url).get('/login').set('Accept-Language', 'nl-NL,nl;q=0.9,en;q=0.5').expect(200);
    expect(dutch.text).to.contain('<h1>Inloggen</h1>').and.contain('lang="nl"');
    const norwegian = await request(app.url).get('/login').set('Accept-Language', 'no').expect(200);
    expect(norwegian.text).to.contain('<h1>Logg inn</h1>');
    const agent = request.agent(app.url);
    const page = await agent.get('/login').set('Accept-Language', 'en').expect(200);
    expect(page.text).to.contain('<h1>Sign in</h1>');
    const res = await agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), language: 'nb', returnTo: '/login' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
    const after = await agent.get('/login').set('Accept-Language', 'en').expect(200);
    expect(after.text).to.contain('<h1>Logg inn</h1>');
    await agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), language: 'de' }).expect(400);
  });

  it('sends security headers with a nonce-based script policy', async () => {
    const res = await request(app.url).get('/login').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.match(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/).and.contain("frame-ancestors 'none'");
    expect(csp).to.not.contain('unsafe-inline');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['referrer-policy']).to.equal('same-origin');
    expect(res.headers['x-powered-by']).to.equal(undefined);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.contain('HttpOnly').and.contain('SameSite=Lax');
  });
});
