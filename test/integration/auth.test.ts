import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, signIn, startTestApp, unique, type TestApp } from '../helpers/app.js';

const sessionCookie = (res: { headers: Record<string, unknown> }): string | undefined =>
  ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('loket.sid='));

describe('sign-in, sessions and roles', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  async function loginForm() {
    const agent = request.agent(app.url);
    const page = await agent.get('/login').expect(200);
    return { agent, csrf: csrfFrom(page.text), cookie: sessionCookie(page) };
  }

  it('sends an admin to the admin area and an agent to the agent area', async () => {
    const admin = await app.createAgent('admin');
    const agent = await app.createAgent('agent');
    const a = await loginForm();
    const res = await a.agent.post('/login').type('form').send({ _csrf: a.csrf, login: admin.login, password: admin.password });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin');
    const adminHome = await a.agent.get('/admin').expect(200);
    expect(adminHome.text).to.contain('Administration').and.contain('Signed in as administrator Test admin');

    const b = await loginForm();
    const res2 = await b.agent.post('/login').type('form').send({ _csrf: b.csrf, login: agent.login, password: agent.password });
    expect(res2.headers.location).to.equal('/agent');
    await b.agent.get('/agent').expect(200);
    await b.agent.get('/admin').expect(403);
  });

  it('answers unknown logins and wrong passwords identically', async () => {
    const known = await app.createAgent('agent');
    const wrong = await loginForm();
    const r1 = await wrong.agent.post('/login').type('form').send({ _csrf: wrong.csrf, login: known.login, password: 'not-the-password' });
    const unknown = await loginForm();
    const r2 = await unknown.agent.post('/login').type('form').send({ _csrf: unknown.csrf, login: known.login + 'x', password: 'not-the-password' });
    expect(r1.status).to.equal(401);
    expect(r2.status).to.equal(401);
    const normalise = (html: string, login: string) =>
      html.replace(/content="[0-9a-f]+"/g, '').replace(/value="[0-9a-f]{64}"/g, '').replaceAll(login, 'LOGIN');
    expect(normalise(r1.text, known.login)).to.equal(normalise(r2.text, known.login + 'x'));
    expect(r1.text).to.contain('The login or password is incorrect.');
  });

  it('refuses arrays and objects in login fields with 400', async () => {
    const f = await loginForm();
    const asArray = await f.agent.post('/login').type('form').send(`_csrf=${f.csrf}&login=a&login=b&password=x`);
    expect(asArray.status).to.equal(400);
    const asObject = await f.agent
      .post('/login')
      .set('X-CSRF-Token', f.csrf)
      .send({ login: { $gt: '' }, password: 'x' });
    expect(asObject.status).to.equal(400);
  });

  it('refuses credentials in the query string', async () => {
    const f = await loginForm();
    const res = await f.agent.post('/login?login=admin&password=secret').type('form').send({ _csrf: f.csrf });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Passwords and tokens may not be sent in a web address.');
    const api = await request(app.url).get('/api/v1/me?token=abc');
    expect(api.status).to.equal(400);
    expect(api.body.error.code).to.equal('credentials_in_query');
  });

  it('refuses a login without CSRF token with 403 and signs nobody in', async () => {
    const account = await app.createAgent('agent');
    const f = await loginForm();
    const res = await f.agent.post('/login').type('form').send({ login: account.login, password: account.password });
    expect(res.status).to.equal(403);
    await f.agent.get('/agent').expect(303);
  });

  it('gives a new session id at login and ends the session at logout', async () => {
    const account = await app.createAgent('agent');
    const f = await loginForm();
    expect(f.cookie).to.be.a('string');
    const res = await f.agent.post('/login').type('form').send({ _csrf: f.csrf, login: account.login, password: account.password });
    const after = sessionCookie(res);
    expect(after).to.be.a('string');
    expect(after!.split(';')[0]).to.not.equal(f.cookie!.split(';')[0]);

    const home = await f.agent.get('/agent').expect(200);
    const oldCookie = after!.split(';')[0]!;
    const out = await f.agent.post('/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(out.status).to.equal(303);
    expect(out.headers.location).to.equal('/login?signedOut=1');
    // The destroyed session's cookie no longer opens anything.
    const replay = await request(app.url).get('/agent').set('Cookie', oldCookie);
    expect(replay.status).to.equal(303);
    expect(replay.headers.location).to.equal('/login?returnTo=%2Fagent');
  });

  it('sends an expired session back to login, for idle time and for the absolute lifetime', async () => {
    const { knex, tables } = app.loket.container;
    const idleAccount = await app.createAgent('agent');
    const lifetimeAccount = await app.createAgent('agent');
    const idle = await signIn(app, idleAccount);
    const lifetime = await signIn(app, lifetimeAccount);
    await idle.agent.get('/agent').expect(200);
    await lifetime.agent.get('/agent').expect(200);

    // Idle: the stored expiry has passed.
    await knex(tables.sessions).where({ principal: `agent:${idleAccount.id}` }).update({ expires_at: '2000-01-01T00:00:00.000Z' });
    const idleRes = await idle.agent.get('/agent');
    expect(idleRes.status).to.equal(303);
    expect(idleRes.headers.location).to.equal('/login?returnTo=%2Fagent');

    // Absolute: a session in use whose login is older than the lifetime (24 hours by default).
    const rows: { sid: string; sess: string }[] = await knex(tables.sessions).where({ principal: `agent:${lifetimeAccount.id}` });
    expect(rows).to.have.length(1);
    const sess = JSON.parse(rows[0]!.sess) as { loginAt: number };
    await knex(tables.sessions).where({ sid: rows[0]!.sid }).update({ sess: JSON.stringify({ ...sess, loginAt: Date.now() - 25 * 3_600_000 }) });
    const lifetimeRes = await lifetime.agent.get('/agent');
    expect(lifetimeRes.status).to.equal(303);
    expect(await knex(tables.sessions).where({ sid: rows[0]!.sid }).first()).to.equal(undefined);
  });

  it('sends a visitor without a session to the login page and back afterwards', async () => {
    const account = await app.createAgent('agent');
    const agent = request.agent(app.url);
    const first = await agent.get('/tokens');
    expect(first.status).to.equal(303);
    expect(first.headers.location).to.equal('/login?returnTo=%2Ftokens');
    const page = await agent.get('/login?returnTo=%2Ftokens').expect(200);
    expect(page.text).to.contain('name="returnTo" value="/tokens"');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: account.login, password: account.password, returnTo: '/tokens' });
    expect(res.headers.location).to.equal('/tokens');
  });

  it('never redirects outside Loket after login', async () => {
    const account = await app.createAgent('agent');
    for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const f = await loginForm();
      const res = await f.agent.post('/login').type('form').send({ _csrf: f.csrf, login: account.login, password: account.password, returnTo: target });
      expect(res.headers.location, target).to.equal('/agent');
    }
  });

  it('ends a disabled agent\'s session on the next request', async () => {
    const admin = await app.createAgent('admin');
    const victim = await app.createAgent('agent');
    const session = await signIn(app, victim);
    await session.agent.get('/agent').expect(200);
    const adminSession = await signIn(app, admin);
    await adminSession.agent
      .post(`/admin/agents/${victim.login}/validity`)
      .type('form')
      .send({ _csrf: adminSession.csrf, validity: 'invalid' })
      .expect(303);
    const res = await session.agent.get('/agent');
    expect(res.status).to.equal(303);
    // And the password no longer opens a session.
    const f = await loginForm();
    const again = await f.agent.post('/login').type('form').send({ _csrf: f.csrf, login: victim.login, password: victim.password });
    expect(again.status).to.equal(401);
  });

  it('throttles failed logins per account, whether the account exists or not', async () => {
    const throttled = await startTestApp({ options: { security: { loginThrottlePerAccount: { limit: 3, windowMinutes: 15 } } } });
    try {
      const account = await throttled.createAgent('agent');
      for (const login of [account.login, unique('nobody')]) {
        const agent = request.agent(throttled.url);
        const page = await agent.get('/login');
        const csrf = csrfFrom(page.text);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          statuses.push((await agent.post('/login').type('form').send({ _csrf: csrf, login, password: 'wrong-password' })).status);
        }
        expect(statuses, login).to.deep.equal([401, 401, 401, 429]);
      }
      // The right password is throttled too while the window lasts: the limit cannot be used as an oracle.
      const agent = request.agent(throttled.url);
      const page = await agent.get('/login');
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: account.login, password: account.password });
      expect(res.status).to.equal(429);
    } finally {
      await throttled.close();
    }
  });

  it('throttles failed logins per IP address across accounts', async () => {
    const throttled = await startTestApp({ options: { security: { loginThrottlePerIp: { limit: 4, windowMinutes: 15 } } } });
    try {
      const agent = request.agent(throttled.url);
      const csrf = csrfFrom((await agent.get('/login')).text);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await agent.post('/login').type('form').send({ _csrf: csrf, login: unique('spray'), password: 'guess' })).status);
      }
      expect(statuses).to.deep.equal([401, 401, 401, 401, 429]);
    } finally {
      await throttled.close();
    }
  });
});
