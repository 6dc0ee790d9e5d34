import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, startTestApp, type TestApp } from '../helpers/app.js';

describe('mounted under /helpdesk inside a host app with routes of its own', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      mountPath: '/helpdesk',
      beforeMount: (host) => {
        host.get('/', (_req, res) => {
          res.send('host home');
        });
        host.get('/shop/items', (_req, res) => {
          res.json({ items: ['a', 'b'] });
        });
      },
    });
  });
  after(async () => {
    await app.close();
  });

  it('leaves the host\'s own routes working', async () => {
    const home = await request(app.origin).get('/').expect(200);
    expect(home.text).to.equal('host home');
    expect((await request(app.origin).get('/shop/items').expect(200)).body).to.deep.equal({ items: ['a', 'b'] });
  });

  it('puts the mount path in links, form actions and asset URLs', async () => {
    const page = await request(app.origin).get('/helpdesk/login').expect(200);
    expect(page.text).to.contain('href="/helpdesk/assets/css/loket.css"');
    expect(page.text).to.contain('href="/helpdesk/assets/vendor/pico/pico.min.css"');
    expect(page.text).to.contain('action="/helpdesk/login"');
    expect(page.text).to.contain('action="/helpdesk/language"');
    expect(page.text).to.not.match(/(href|action|src)="\/(?!helpdesk)/);
    await request(app.origin).get('/helpdesk/assets/css/loket.css').expect(200).expect('Content-Type', /css/);
    await request(app.origin).get('/helpdesk/assets/vendor/pico/pico.min.css').expect(200);
    await request(app.origin).get('/helpdesk/healthz').expect(200);
  });

  it('redirects within the mount path, before and after login', async () => {
    const account = await app.createAgent('agent');
    const agent = request.agent(app.origin);
    const first = await agent.get('/helpdesk/agent');
    expect(first.status).to.equal(303);
    expect(first.headers.location).to.equal('/helpdesk/login?returnTo=%2Fagent');
    const page = await agent.get('/helpdesk/login?returnTo=%2Fagent').expect(200);
    const login = await agent
      .post('/helpdesk/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), login: account.login, password: account.password, returnTo: '/agent' });
    expect(login.status).to.equal(303);
    expect(login.headers.location).to.equal('/helpdesk/agent');
    const home = await agent.get('/helpdesk/agent').expect(200);
    expect(home.text).to.contain('action="/helpdesk/logout"');
    const root = await agent.get('/helpdesk/');
    expect(root.headers.location).to.equal('/helpdesk/agent');
    const out = await agent.post('/helpdesk/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(out.headers.location).to.equal('/helpdesk/login?signedOut=1');
  });

  it('answers the API under the mount path and leaves unknown host paths to the host', async () => {
    await request(app.origin).get('/helpdesk/api/v1/me').expect(401);
    await request(app.origin).get('/helpdesk/api/v1/openapi.json').expect(200);
    const hostMiss = await request(app.origin).get('/not-loket');
    expect(hostMiss.status).to.equal(404);
    expect(hostMiss.text).to.not.contain('Loket');
  });
});
