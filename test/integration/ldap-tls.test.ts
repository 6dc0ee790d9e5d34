import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { needComponent } from '../helpers/components.js';
import { adminActor } from '../helpers/customers.js';
import { addLdapBackend } from '../helpers/ldap.js';
import { fixtureLdif, FIXTURE_PASSWORDS } from '../helpers/ldap-fixtures.js';
import { slapdAvailable, startSlapd, type Slapd } from '../helpers/slapd.js';

describe('LDAP over TLS: LDAPS and StartTLS with the directory CA (real slapd)', function () {
  let slapd: Slapd | null = null;
  let app: TestApp;
  let admin: Actor;

  before(async function () {
    needComponent(this, 'slapd', slapdAvailable(), 'apt-get install -y slapd ldap-utils');
    slapd = await startSlapd({ seed: fixtureLdif(), tls: true });
    app = await startTestApp();
    admin = await adminActor(app);
  });
  after(async () => {
    await app?.close();
    await slapd?.stop();
  });

  const loginStatus = async (login: string, password: string) => {
    const page = await request(app.url).get('/login');
    const res = await request(app.url).post('/login').set('Cookie', page.headers['set-cookie']!).type('form').send({ _csrf: csrfFrom(page.text), login, password });
    return res.status;
  };

  it('signs in over ldaps:// when the CA is configured', async () => {
    await addLdapBackend(app, admin, slapd!, { overrides: { url: slapd!.tls!.ldapsUrl, tlsCa: slapd!.tls!.caPem } });
    await signIn(app, { login: 'jdevries', password: FIXTURE_PASSWORDS.jdevries! });
  });

  it('signs in over StartTLS on ldap:// when the CA is configured', async () => {
    await addLdapBackend(app, admin, slapd!, { overrides: { url: slapd!.url, startTls: true, tlsCa: slapd!.tls!.caPem } });
    await signIn(app, { login: 'smuller', password: FIXTURE_PASSWORDS.smuller! });
  });

  it('refuses a certificate it cannot verify: the directory counts as unavailable, nothing is sent in clear', async () => {
    await addLdapBackend(app, admin, slapd!, { overrides: { url: slapd!.tls!.ldapsUrl } });
    expect(await loginStatus('dmitri', FIXTURE_PASSWORDS.dmitri!)).to.equal(503);
    await addLdapBackend(app, admin, slapd!, { overrides: { url: slapd!.url, startTls: true } });
    expect(await loginStatus('dmitri', FIXTURE_PASSWORDS.dmitri!)).to.equal(503);
  });

  it('connects without verification only when told to (tlsRejectUnauthorized: false)', async () => {
    await addLdapBackend(app, admin, slapd!, { overrides: { url: slapd!.tls!.ldapsUrl, tlsRejectUnauthorized: false } });
    await signIn(app, { login: 'dmitri', password: FIXTURE_PASSWORDS.dmitri! });
  });
});
