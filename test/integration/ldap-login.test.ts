import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { csrfFrom, signIn, type TestApp } from '../helpers/app.js';
import { createCustomerUser } from '../helpers/customers.js';
import { addLdapBackend, fixtureSettings, useFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE_PASSWORDS } from '../helpers/ldap-fixtures.js';
import { closedPort, startBlackHole, type Slapd } from '../helpers/slapd.js';

/** POST /login with a fresh session; answers status and the alert text. */
async function tryLogin(app: TestApp, login: unknown, password: unknown): Promise<{ status: number; alert: string | undefined }> {
  const page = await request(app.url).get('/login');
  const res = await request(app.url).post('/login').set('Cookie', page.headers['set-cookie']!).type('json').send({ _csrf: csrfFrom(page.text), login, password });
  return { status: res.status, alert: /role="alert">([^<]*)</.exec(res.text)?.[1] };
}

describe('LDAP login against a real slapd (SECURITY.md "Authentication and LDAP")', function () {
  const env = useFixtureDirectory();
  let slapd: Slapd;
  let app: TestApp;
  let admin: Actor;
  before(() => ({ slapd, app, admin } = env));

  it('signs a directory user in with their directory password, maps them to their customer and shadows them by entryUUID', async () => {
    const { agent } = await signIn(app, { login: 'smuller', password: FIXTURE_PASSWORDS.smuller! });
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body).to.include({ login: 'smuller', kind: 'customer', customerId: 'acme', name: 'José Müller-Lüdenscheidt' });
    await agent.get('/portal').expect(200);
    const stored = await app.loket.container.services.customerUsers.findByLogin('smuller');
    expect(stored).to.include({ backend: 'ldap1', email: 'jose.muller@acme.example', hasPassword: false });
    expect(stored?.directory?.dn).to.equal('uid=smuller,ou=acme,ou=people,dc=loket,dc=test');
  });

  it('accepts a non-ASCII password and a non-Latin name', async () => {
    const { agent } = await signIn(app, { login: 'aodegard', password: FIXTURE_PASSWORDS.aodegard! });
    expect((await agent.get('/api/v1/me').expect(200)).body).to.include({ customerId: 'fjord', name: 'Åse Ødegård' });
    const { agent: other } = await signIn(app, { login: 'wxiuying', password: FIXTURE_PASSWORDS.wxiuying! });
    expect((await other.get('/api/v1/me').expect(200)).body.name).to.equal('秀英 王');
  });

  it('takes the first of several mail values', async () => {
    await signIn(app, { login: 'multimail', password: FIXTURE_PASSWORDS.multimail! });
    expect((await app.loket.container.services.customerUsers.findByLogin('multimail'))?.email).to.equal('multi.mail@acme.example');
  });

  it('refuses wildcard and injection usernames (RFC 4515) the same way as a wrong password', async () => {
    const wrong = await tryLogin(app, 'jdevries', 'not-the-password');
    expect(wrong.status).to.equal(401);
    // A literal `a*` user exists; `*` must not match anybody, and `a*` must only ever mean that user.
    for (const login of ['*', 'j*', '*)(uid=*', 'jdevries)(|(uid=*', 'jdevries\\2a', '\\2a', '(uid=*)', 'jdevries*']) {
      const res = await tryLogin(app, login, FIXTURE_PASSWORDS.jdevries);
      expect(res.status, login).to.equal(401);
      expect(res.alert, login).to.equal(wrong.alert);
    }
    const star = await tryLogin(app, 'a*', FIXTURE_PASSWORDS.jdevries);
    expect(star.status).to.equal(401);
  });

  it('refuses a NUL in the username or password', async () => {
    for (const [login, password] of [['jdevries\u0000', FIXTURE_PASSWORDS.jdevries], ['jdevries', `${FIXTURE_PASSWORDS.jdevries}\u0000`], ['\u0000', 'x']] as const) {
      const res = await tryLogin(app, login, password);
      expect(res.status, JSON.stringify(login)).to.be.oneOf([400, 401]);
    }
  });

  it('refuses an empty password before any bind (an empty simple bind is anonymous)', async () => {
    const res = await tryLogin(app, 'jdevries', '');
    expect(res.status).to.equal(400);
    const backend = await app.loket.container.backendList.directory('ldap1');
    expect(await backend!.authenticate('jdevries', '')).to.deep.equal({ ok: false, refusal: 'empty-password' });
  });

  it('refuses a uid found twice (two OUs), a disabled entry and a contractor without customer', async () => {
    const backend = (await app.loket.container.backendList.directory('ldap1'))!;
    expect(await backend.authenticate('dup', FIXTURE_PASSWORDS.dup!)).to.deep.equal({ ok: false, refusal: 'several-matches' });
    expect(await backend.authenticate('disabled', FIXTURE_PASSWORDS.disabled!)).to.deep.equal({ ok: false, refusal: 'no-match' });
    expect(await backend.authenticate('ext1', FIXTURE_PASSWORDS.ext1!)).to.include({ ok: false, refusal: 'unusable-entry' });
    for (const login of ['dup', 'disabled', 'ext1']) expect((await tryLogin(app, login, FIXTURE_PASSWORDS[login])).status, login).to.equal(401);
  });

  it('refuses a user invalid in Loket although the directory says yes, and takes them back when valid again', async () => {
    await signIn(app, { login: 'jdevries', password: FIXTURE_PASSWORDS.jdevries! });
    const { customerUsers } = app.loket.container.services;
    const user = await customerUsers.findByLogin('jdevries');
    await customerUsers.update(admin, 'jdevries', { validity: 'invalid', version: user!.version }, cliSubject());
    expect((await tryLogin(app, 'jdevries', FIXTURE_PASSWORDS.jdevries)).status).to.equal(401);
    const again = await customerUsers.findByLogin('jdevries');
    await customerUsers.update(admin, 'jdevries', { validity: 'valid', version: again!.version }, cliSubject());
    await signIn(app, { login: 'jdevries', password: FIXTURE_PASSWORDS.jdevries! });
  });

  it('never lets a directory entry take over a database user with the same login, nor an agent', async () => {
    const local = await createCustomerUser(app, admin, { customerId: 'acme' });
    await slapd!.add(`dn: uid=${local.login},ou=acme,ou=people,${slapd!.suffix}\nobjectClass: inetOrgPerson\nuid: ${local.login}\ncn: Shadow Taker\nsn: Taker\ngivenName: Shadow\nmail: taker@acme.example\nuserPassword: directory-pass-1\n`);
    expect((await tryLogin(app, local.login, 'directory-pass-1')).status).to.equal(401);
    await signIn(app, local); // the database user's own password still works
    const agentAccount = await app.createAgent('agent');
    await slapd!.add(`dn: uid=${agentAccount.login},ou=acme,ou=people,${slapd!.suffix}\nobjectClass: inetOrgPerson\nuid: ${agentAccount.login}\ncn: Agent Taker\nsn: Taker\ngivenName: Agent\nmail: agent-taker@acme.example\nuserPassword: directory-pass-2\n`);
    expect((await tryLogin(app, agentAccount.login, 'directory-pass-2')).status).to.equal(401);
    expect(await app.loket.container.services.customerUsers.findByLogin(agentAccount.login)).to.equal(null);
  });

  it('arrays or objects where a string belongs are a 400, and credentials in the query string are ignored', async () => {
    expect((await tryLogin(app, ['jdevries'], FIXTURE_PASSWORDS.jdevries)).status).to.equal(400);
    expect((await tryLogin(app, { $ne: 1 }, FIXTURE_PASSWORDS.jdevries)).status).to.equal(400);
    const page = await request(app.url).get('/login');
    const res = await request(app.url)
      .post(`/login?login=jdevries&password=${encodeURIComponent(FIXTURE_PASSWORDS.jdevries!)}`)
      .set('Cookie', page.headers['set-cookie']!)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(400);
  });

  describe('when the directory is down', () => {
    it('says "temporarily unavailable" (503) on connection refused, and an old local password never works', async () => {
      const port = await closedPort();
      await addLdapBackend(app, admin, slapd!, { key: 'ldap1', overrides: { url: `ldap://127.0.0.1:${port}` } });
      try {
        const res = await tryLogin(app, 'smuller', FIXTURE_PASSWORDS.smuller);
        expect(res.status).to.equal(503);
        expect(res.alert).to.match(/temporarily unavailable/);
        // A database user still signs in while the directory is down.
        const local = await createCustomerUser(app, admin, { customerId: 'acme' });
        await signIn(app, local);
      } finally {
        await addLdapBackend(app, admin, slapd!);
      }
    });

    it('gives up on a black-holed directory within its timeout, while other requests are served', async () => {
      const hole = await startBlackHole();
      await addLdapBackend(app, admin, slapd!, { overrides: { url: `ldap://127.0.0.1:${hole.port}`, timeoutMs: 500 } });
      try {
        const pending = tryLogin(app, 'smuller', FIXTURE_PASSWORDS.smuller);
        // The server is not blocked meanwhile.
        await request(app.url).get('/login').expect(200);
        const res = await pending;
        expect(res.status).to.equal(503);
      } finally {
        await hole.close();
        await addLdapBackend(app, admin, slapd!);
      }
    });

    it('fails over to the next URL', async () => {
      const port = await closedPort();
      await addLdapBackend(app, admin, slapd!, { overrides: { url: [`ldap://127.0.0.1:${port}`, slapd!.url] } });
      try {
        await signIn(app, { login: 'dmitri', password: FIXTURE_PASSWORDS.dmitri! });
      } finally {
        await addLdapBackend(app, admin, slapd!);
      }
    });
  });

  it('answers settings without the bind password', async () => {
    const view = await app.loket.container.services.backends.get(admin, 'ldap1');
    expect(view.settings).to.include({ bindPasswordSet: true });
    expect(JSON.stringify(view)).not.to.include(fixtureSettings(slapd!).bindPassword!);
  });
});
