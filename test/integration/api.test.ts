import { expect } from 'chai';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';

describe('API v1: authentication, errors and the OpenAPI document', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  async function tokenFor(login: string): Promise<string> {
    const agent = await app.loket.container.services.agents.findByLogin(login);
    const issued = await app.loket.container.services.apiTokens.issueFromOperator(
      { type: 'agent', id: agent!.id },
      login,
      { name: 'test' },
      { kind: 'cli', login: 'test', effectiveCustomerId: null, delegationId: null, ip: null },
    );
    return issued.plain;
  }

  it('GET /me answers who the caller is, with a session', async () => {
    const account = await app.createAgent('admin');
    const { agent } = await signIn(app, account);
    const res = await agent.get('/api/v1/me').expect(200);
    expect(res.body).to.include({ login: account.login, kind: 'admin', authenticatedBy: 'session', customerId: null });
    expect(res.body.roles).to.deep.equal(['admin', 'agent']);
  });

  it('GET /me answers who the caller is, with a Bearer token', async () => {
    const account = await app.createAgent('agent');
    const token = await tokenFor(account.login);
    const res = await request(app.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).to.include({ login: account.login, kind: 'agent', authenticatedBy: 'token' });
    // A token request never creates a cookie session.
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('answers 401 with the JSON error shape for a wrong, malformed or missing token', async () => {
    for (const header of ['Bearer lkt_' + 'x'.repeat(43), 'Bearer nonsense', 'Basic YWRtaW46YWRtaW4=', 'Bearer ']) {
      const res = await request(app.url).get('/api/v1/me').set('Authorization', header);
      expect(res.status, header).to.equal(401);
      expect(res.body.error.code).to.equal('unauthenticated');
      expect(res.headers['www-authenticate']).to.match(/^Bearer/);
    }
    const none = await request(app.url).get('/api/v1/me');
    expect(none.status).to.equal(401);
    expect(none.body).to.deep.equal({ error: { code: 'unauthenticated', message: 'Authentication required.' } });
  });

  it('stops accepting a revoked or expired token', async () => {
    const account = await app.createAgent('agent');
    const services = app.loket.container.services;
    const token = await tokenFor(account.login);
    await request(app.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    const actor = await services.actors.resolve({ type: 'agent', id: account.id }, 'session');
    const [own] = await services.apiTokens.listOwn(actor!);
    await services.apiTokens.revoke(actor!, own!.id, { kind: 'agent', login: account.login, effectiveCustomerId: null, delegationId: null, ip: null });
    await request(app.url).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);

    const short = await services.apiTokens.issueFromOperator({ type: 'agent', id: account.id }, account.login, { name: 'short', expiresInDays: 1 }, { kind: 'cli', login: 'test', effectiveCustomerId: null, delegationId: null, ip: null });
    expect(await services.apiTokens.authenticate(short.plain)).to.deep.equal({ type: 'agent', id: account.id });
    expect(await services.apiTokens.authenticate(short.plain, new Date(Date.now() + 2 * 86_400_000))).to.equal(null);
  });

  it('judges a request with an Authorization header by the header alone, even with a valid session', async () => {
    const account = await app.createAgent('agent');
    const { agent } = await signIn(app, account);
    const res = await agent.get('/api/v1/me').set('Authorization', 'Bearer lkt_wrong');
    expect(res.status).to.equal(401);
  });

  it('requires the CSRF header for API writes made with a session cookie, not with a token', async () => {
    const account = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, account);
    const noHeader = await agent.post('/api/v1/me').send({});
    expect(noHeader.status).to.equal(403);
    expect(noHeader.body.error.code).to.equal('csrf_invalid');
    // With the header the request reaches routing (and there is no such write endpoint).
    const withHeader = await agent.post('/api/v1/me').set('X-CSRF-Token', csrf).send({});
    expect(withHeader.status).to.equal(404);
    const token = await tokenFor(account.login);
    const bearer = await request(app.url).post('/api/v1/me').set('Authorization', `Bearer ${token}`).send({});
    expect(bearer.status).to.equal(404);
  });

  it('answers unknown API paths with a JSON 404 and unknown pages with an HTML 404', async () => {
    const api = await request(app.url).get('/api/v1/does-not-exist');
    expect(api.status).to.equal(404);
    expect(api.type).to.equal('application/json');
    expect(api.body.error.code).to.equal('not_found');
    const page = await request(app.url).get('/does-not-exist');
    expect(page.status).to.equal(404);
    expect(page.type).to.equal('text/html');
    expect(page.text).to.contain('Page not found');
  });

  it('refuses an oversized body with 413 and a malformed JSON body with 400', async () => {
    const account = await app.createAgent('agent');
    const token = await tokenFor(account.login);
    const big = await request(app.url)
      .post('/api/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ filler: 'x'.repeat(2_000_000) }));
    expect(big.status).to.equal(413);
    expect(big.body.error.code).to.equal('payload_too_large');
    const broken = await request(app.url)
      .post('/api/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"login": ');
    expect(broken.status).to.equal(400);
    expect(broken.body.error.code).to.equal('malformed_body');
  });

  it('publishes an OpenAPI document generated from the schemas', async () => {
    const res = await request(app.url).get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.0.3');
    const me = res.body.paths['/me'].get;
    expect(me.responses['200'].content['application/json'].schema.properties).to.include.keys('login', 'kind', 'roles', 'effectiveCustomerId');
    expect(me.responses['401']).to.exist;
  });

  it('reports health and readiness', async () => {
    expect((await request(app.url).get('/healthz').expect(200)).body).to.deep.equal({ status: 'ok' });
    expect((await request(app.url).get('/readyz').expect(200)).body).to.deep.equal({ status: 'ready', checks: { database: 'up' } });
  });
});
