import { expect } from 'chai';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';

describe('anonymous reading costs no session', function () {
  let app: TestApp;
  before(async function () {
    app = await startTestApp();
  });
  after(() => app.close());

  it('serves anonymous pages without a session cookie or CSRF token, but the sign-in page with both', async function () {
    for (const path of ['/faq', '/faq/search?q=vpn']) {
      const res = await request(app.url).get(path);
      expect(res.status, path).to.equal(200);
      expect(res.headers['set-cookie'], path).to.equal(undefined);
      expect(res.text).not.to.include('name="csrf-token"');
    }
    const login = await request(app.url).get('/login');
    expect(String(login.headers['set-cookie'])).to.include('loket.sid=');
    expect(login.text).to.match(/name="_csrf" value="[^"]+"/);
  });

  it('lets a visitor without a session choose a language from this site only', async function () {
    const same = await request(app.url).post('/language').type('form').send({ language: 'nl', returnTo: '/' });
    expect(same.status).to.equal(303);
    expect(String(same.headers['set-cookie'])).to.include('loket_lang=nl');
    const foreignOrigin = await request(app.url).post('/language').set('Origin', 'https://evil.example').type('form').send({ language: 'nl' });
    expect(foreignOrigin.status).to.equal(403);
    const crossSite = await request(app.url).post('/language').set('Sec-Fetch-Site', 'cross-site').type('form').send({ language: 'nl' });
    expect(crossSite.status).to.equal(403);
  });

  it('still asks signed-in people for the token on the same posts', async function () {
    const admin = await app.createAgent('admin');
    const { agent } = await signIn(app, admin);
    const res = await agent.post('/language').type('form').send({ language: 'nl' });
    expect(res.status).to.equal(403);
  });
});
