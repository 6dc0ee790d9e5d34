import { expect } from 'chai';
import request from 'supertest';
import { auditDiff } from '../../plugin/audit/diff.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestAccount, type TestApp } from '../helpers/app.js';

/** The rows of the audit table, as text per row (tags stripped, entities kept). */
function tableRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('audit log screen and API', () => {
  let app: TestApp;
  let admin: TestAccount;
  let session: { agent: Agent; csrf: string };
  let created: string;
  let token: string;

  before(async () => {
    app = await startTestApp();
    admin = await app.createAgent('admin');
    session = await signIn(app, admin);
    created = unique('audited');
    await session.agent
      .post('/admin/agents')
      .type('form')
      .send({ _csrf: session.csrf, login: created, email: `${created}@example.test`, role: 'agent', password: '' })
      .expect(201);
    await session.agent.post(`/admin/agents/${created}/validity`).type('form').send({ _csrf: session.csrf, validity: 'invalid' }).expect(303);
    const issued = await app.loket.container.services.apiTokens.issueFromOperator(
      { type: 'agent', id: admin.id },
      admin.login,
      { name: 'audit-test' },
      cliSubject(),
    );
    token = issued.plain;
  });
  after(async () => {
    await app.close();
  });

  const api = (path: string) => request(app.url).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`);

  describe('the admin screen', () => {
    it('lists the admin\'s changes with actor, object, IP and a readable diff', async () => {
      const page = await session.agent.get('/admin/audit').expect(200);
      expect(page.text).to.contain('role="region"').and.contain('<caption id="audit-caption">');
      const rows = tableRows(page.text);
      const create = rows.find((r) => r.includes('agent.create') && r.includes(`agent/${created}`));
      expect(create, 'agent.create row').to.exist;
      expect(create).to.contain(`admin ${admin.login}`).and.contain('127.0.0.1');
      expect(create).to.contain(`login : (none) → changed to &#34;${created}&#34;`);
      const validity = rows.find((r) => r.includes('agent.validity') && r.includes(`agent/${created}`));
      expect(validity).to.contain('validity : &#34;valid&#34; → changed to &#34;invalid&#34;');
    });

    it('escapes stored values: a token named <script> shows as text', async () => {
      const name = '<script>alert("audit")</script>';
      await session.agent.post('/tokens').type('form').send({ _csrf: session.csrf, name }).expect(201);
      const page = await session.agent.get('/admin/audit?objectType=api-token').expect(200);
      expect(page.text).to.not.contain('<script>alert');
      expect(page.text).to.contain('&lt;script&gt;alert(\\&#34;audit\\&#34;)&lt;/script&gt;');
      // Filter values are shown back escaped too.
      const echoed = await session.agent.get('/admin/audit?actor=%22%3E%3Cscript%3E').expect(200);
      expect(echoed.text).to.contain('value="&#34;&gt;&lt;script&gt;"').and.not.contain('"><script>');
    });

    it('filters by actor and by object', async () => {
      const byObject = tableRows((await session.agent.get(`/admin/audit?objectType=agent&objectId=${created}`).expect(200)).text);
      expect(byObject).to.have.length(2);
      expect(byObject.every((r) => r.includes(`agent/${created}`))).to.equal(true);
      const byActor = tableRows((await session.agent.get(`/admin/audit?actor=${admin.login}&limit=1000`).expect(200)).text);
      expect(byActor.length).to.be.at.least(3);
      expect(byActor.every((r) => r.includes(admin.login))).to.equal(true);
      const nobody = tableRows((await session.agent.get(`/admin/audit?actor=${unique('nobody')}`).expect(200)).text);
      expect(nobody).to.deep.equal([]);
      await session.agent.get('/admin/audit?limit=0').expect(400);
      await session.agent.get('/admin/audit?since=yesterday').expect(400);
    });

    it('pages to older entries', async () => {
      const first = await session.agent.get(`/admin/audit?actor=${admin.login}&limit=1`).expect(200);
      const older = /href="[^"]*\/admin\/audit\?([^"]*)" rel="next"/.exec(first.text)?.[1];
      expect(older, 'older entries link').to.be.a('string');
      const params = new URLSearchParams(older!.replace(/&amp;/g, '&'));
      expect(params.get('actor')).to.equal(admin.login);
      const second = await session.agent.get(`/admin/audit?${params.toString()}`).expect(200);
      const [newest] = tableRows(first.text);
      const [next] = tableRows(second.text);
      expect(Number(next!.split(' ')[0])).to.be.below(Number(newest!.split(' ')[0]));
    });

    it('verifies the chain with the button (CSRF-protected)', async () => {
      const page = await session.agent.get('/admin/audit').expect(200);
      const ok = await session.agent.post('/admin/audit/verify').type('form').send({ _csrf: csrfFrom(page.text) }).expect(200);
      expect(ok.text).to.match(/role="status">The chain is intact: \d+ entries checked\./);
      await session.agent.post('/admin/audit/verify').type('form').send({}).expect(403);
      // The language switch returns to the page it was on with a GET.
      const back = await session.agent.get('/admin/audit/verify').expect(303);
      expect(back.headers.location).to.equal('/admin/audit');

      const { knex, tables } = app.loket.container;
      const victim = await app.loket.container.services.audit.record(cliSubject(), { action: 'test.tamper', objectType: 'test', objectId: unique('t') });
      await knex(tables.audit_log).where({ id: victim.id }).update({ action: 'test.innocent' });
      const broken = await session.agent.post('/admin/audit/verify').type('form').send({ _csrf: csrfFrom(page.text) }).expect(200);
      expect(broken.text).to.contain(`role="alert">The chain is broken at entry ${victim.id}.`);
      // Put it back so the other tests see an intact chain.
      await knex(tables.audit_log).where({ id: victim.id }).update({ action: 'test.tamper' });
    });

    it('is linked from the admin home for admins only, with the bar marking Administration while it is open', async () => {
      const home = await session.agent.get('/admin').expect(200);
      expect(home.text.match(/href="\/admin\/audit"/g)).to.have.length(1);
      const page = await session.agent.get('/admin/audit').expect(200);
      expect(page.text).to.match(/href="\/admin" aria-current="true"/);
      const plain = await app.createAgent('agent');
      const { agent } = await signIn(app, plain);
      const agentHome = await agent.get('/agent').expect(200);
      expect(agentHome.text).to.not.contain('/admin/audit');
    });

    it('refuses agents (403) and sends visitors to the login page', async () => {
      const plain = await app.createAgent('agent');
      const { agent, csrf } = await signIn(app, plain);
      await agent.get('/admin/audit').expect(403);
      await agent.post('/admin/audit/verify').type('form').send({ _csrf: csrf }).expect(403);
      const visitor = await request(app.url).get('/admin/audit').expect(303);
      expect(visitor.headers.location).to.equal('/login?returnTo=%2Fadmin%2Faudit');
    });
  });

  describe('GET /api/v1/audit', () => {
    it('answers the list shape with camelCase entries, with a Bearer token', async () => {
      const res = await api('/audit').expect(200);
      expect(res.body).to.have.keys('items', 'total', 'limit');
      expect(res.body.limit).to.equal(100);
      expect(res.body.total).to.be.at.least(res.body.items.length);
      expect(res.body.items[0]).to.have.keys(
        'id', 'at', 'actorKind', 'actorLogin', 'effectiveCustomerId', 'delegationId', 'action',
        'objectType', 'objectId', 'before', 'after', 'ip', 'hash', 'prevHash',
      );
      const ids = (res.body.items as { id: number }[]).map((i) => i.id);
      expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
    });

    it('works with a session cookie too', async () => {
      const res = await session.agent.get('/api/v1/audit?limit=1').expect(200);
      expect(res.body.items).to.have.length(1);
    });

    it('filters by actor and by object type or type:id', async () => {
      const byObject = await api(`/audit?object=agent:${created}`).expect(200);
      expect(byObject.body.total).to.equal(2);
      expect(byObject.body.items.map((i: { action: string }) => i.action)).to.deep.equal(['agent.validity', 'agent.create']);
      expect(byObject.body.items[1]).to.deep.include({
        actorKind: 'admin',
        actorLogin: admin.login,
        objectType: 'agent',
        objectId: created,
        before: null,
        after: { login: created, email: `${created}@example.test`, role: 'agent' },
      });
      const byType = await api('/audit?object=agent&limit=1000').expect(200);
      expect(byType.body.items.every((i: { objectType: string }) => i.objectType === 'agent')).to.equal(true);
      expect(byType.body.total).to.be.at.least(2);
      const byActor = await api(`/audit?actor=${admin.login}&limit=1000`).expect(200);
      expect(byActor.body.items.length).to.equal(byActor.body.total);
      expect(byActor.body.items.every((i: { actorLogin: string }) => i.actorLogin === admin.login)).to.equal(true);
      const unknown = await api(`/audit?object=customer-user:${unique('jan')}`).expect(200);
      expect(unknown.body).to.deep.equal({ items: [], total: 0, limit: 100 });
    });

    it('filters by since and pages with beforeId while total stays the same', async () => {
      const future = await api('/audit?since=2999-01-01').expect(200);
      expect(future.body.total).to.equal(0);
      const past = await api('/audit?since=2000-01-01T00:00:00Z&limit=1').expect(200);
      expect(past.body.total).to.be.at.least(3);
      const firstId = past.body.items[0].id as number;
      const next = await api(`/audit?since=2000-01-01&limit=1&beforeId=${firstId}`).expect(200);
      expect(next.body.items[0].id).to.be.below(firstId);
      expect(next.body.total).to.equal(past.body.total);
    });

    it('answers 400 naming the field for a bad, repeated or unknown query parameter', async () => {
      const cases: [string, string][] = [
        ['/audit?limit=0', 'limit'],
        ['/audit?limit=1001', 'limit'],
        ['/audit?limit=ten', 'limit'],
        ['/audit?since=2026-02-30', 'since'],
        ['/audit?since=yesterday', 'since'],
        ['/audit?beforeId=-1', 'beforeId'],
        ['/audit?object=:jan', 'object'],
        ['/audit?actor=a&actor=b', 'actor'],
        ['/audit?limit=1&limit=2', 'limit'],
        ['/audit?objectType=agent', 'objectType'],
      ];
      for (const [path, field] of cases) {
        const res = await api(path);
        expect(res.status, path).to.equal(400);
        expect(res.body.error, path).to.include({ code: 'validation_failed', field });
      }
    });

    it('answers 401 without credentials and 403 for an agent', async () => {
      const none = await request(app.url).get('/api/v1/audit').expect(401);
      expect(none.body.error.code).to.equal('unauthenticated');
      const plain = await app.createAgent('agent');
      const issued = await app.loket.container.services.apiTokens.issueFromOperator(
        { type: 'agent', id: plain.id },
        plain.login,
        { name: 'agent' },
        cliSubject(),
      );
      const res = await request(app.url).get('/api/v1/audit').set('Authorization', `Bearer ${issued.plain}`).expect(403);
      expect(res.body.error.code).to.equal('forbidden');
      const { agent } = await signIn(app, plain);
      await agent.get('/api/v1/audit').expect(403);
    });

    it('is described in the OpenAPI document from the entry schema', async () => {
      const doc = await request(app.url).get('/api/v1/openapi.json').expect(200);
      const op = doc.body.paths['/audit'].get;
      const schema = op.responses['200'].content['application/json'].schema;
      expect(schema.properties).to.have.keys('items', 'total', 'limit');
      expect(schema.properties.items.items.properties).to.include.keys('actorLogin', 'effectiveCustomerId', 'prevHash');
      expect(op.responses).to.include.keys('400', '401', '403');
    });
  });

  describe('the diff', () => {
    it('lists changed keys only, absent keys as null, and whole values for non-objects', () => {
      expect(auditDiff({ a: 1, b: 2 }, { a: 1, b: 3, c: 'x' })).to.deep.equal([
        { key: 'b', before: '2', after: '3' },
        { key: 'c', before: null, after: '"x"' },
      ]);
      expect(auditDiff(null, null)).to.deep.equal([]);
      expect(auditDiff([1], [2])).to.deep.equal([{ key: null, before: '[1]', after: '[2]' }]);
      expect(auditDiff(JSON.parse('{"__proto__": 1}'), {})).to.deep.equal([{ key: '__proto__', before: '1', after: null }]);
    });
  });
});
