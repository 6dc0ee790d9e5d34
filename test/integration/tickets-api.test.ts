import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestAccount, type TestApp } from '../helpers/app.js';
import { createFaqCategory, createArticle, agentActor } from '../helpers/faq.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';
import type { TestCustomerUser } from '../helpers/customers.js';

/** A word no other ticket in the shared test database contains, so searches find exactly what a test wrote. */
const word = (label: string) => `${label}${randomBytes(5).toString('hex')}`;

interface Summary {
  number: string;
  title: string;
  state: string;
}

/** A customer user signed in through the portal: API calls with the session cookie, writes with X-CSRF-Token. */
interface Session {
  get(path: string): request.Test;
  post(path: string): request.Test;
  patch(path: string): request.Test;
  agent: Agent;
}

async function sessionOf(app: TestApp, user: TestAccount): Promise<Session> {
  const { agent, csrf } = await signIn(app, user);
  return {
    agent,
    get: (path) => agent.get(`/api/v1${path}`),
    post: (path) => agent.post(`/api/v1${path}`).set('X-CSRF-Token', csrf),
    patch: (path) => agent.patch(`/api/v1${path}`).set('X-CSRF-Token', csrf),
  };
}

describe('API v1: tickets, queues, agents\' groups, deflections', function () {
  let app: TestApp;
  let admin: Actor;
  let adminToken: string;
  let queue: string;
  let group: string;
  let worker: TestAccount;
  let workerToken: string;

  const as = (token: string) => bearer(app, token);
  const tokenOf = (account: TestAccount, type: 'agent' | 'customer-user' = 'agent') => issueToken(app, { type, id: account.id }, account.login);

  /** A customer user holding `permissions` in the test queue's group, signed in. */
  async function customer(permissions = ['create'], opts: Parameters<typeof customerIn>[4] = {}): Promise<TestCustomerUser & { session: Session }> {
    const user = await customerIn(app, admin, group, permissions, opts);
    return { ...user, session: await sessionOf(app, user) };
  }

  async function fileAs(session: Session, title = word('Ticket')): Promise<Summary> {
    return (await session.post('/tickets').send({ title, body: 'Something is broken.', queue }).expect(201)).body as Summary;
  }

  before(async function () {
    app = await startTestApp();
    const adminAccount = await app.createAgent('admin');
    admin = await actorOf(app, adminAccount, 'agent');
    adminToken = await tokenOf(adminAccount);
    ({ queue, group } = await createQueue(app, admin));
    worker = await agentIn(app, admin, group, ['rw']);
    workerToken = await tokenOf(worker);
  });
  after(() => app.close());

  describe('filing', function () {
    it('lets an agent file for a customer user, answering the ticket summary with a Location', async function () {
      const user = await customer();
      const title = word('Printer');
      const res = await as(workerToken).post('/tickets').send({ title, body: 'Floor 2 jams.', queue, customerUser: user.login, priority: 'high', type: 'request' }).expect(201);
      expect(res.headers.location).to.match(new RegExp(`/api/v1/tickets/${res.body.number}$`));
      expect(res.body.number).to.match(/^\d+$/);
      expect(res.body).to.include({ title, state: 'new', priority: 'high', type: 'request', queue, service: null, customerId: user.customerId, customerUser: user.login, delegationId: null, closedAt: null });
      expect(res.body.createdBy).to.deep.equal({ key: `agent:${worker.id}`, name: 'Test agent' });
      expect(res.body.createdAt).to.be.a('string');

      const seen = await user.session.get(`/tickets/${res.body.number}`).expect(200);
      expect(seen.body.messages.map((m: { body: string }) => m.body)).to.deep.equal(['Floor 2 jams.']);
      expect(seen.body.messages[0]).to.include({ authorKind: 'agent', internal: false });
      expect(seen.body).to.include({ mayReply: true, mayNote: false });
      expect(seen.body.states).to.deep.equal(['closed']);
    });

    it('asks agents to name the customer user, and refuses a customer user filing for someone else', async function () {
      const res = await as(workerToken).post('/tickets').send({ title: 'x', body: 'y', queue }).expect(422);
      expect(res.body.error).to.include({ code: 'customer_user_required', field: 'customerUser' });
      const alice = await customer();
      const bob = await customer();
      await alice.session.post('/tickets').send({ title: 'x', body: 'y', queue, customerUser: bob.login }).expect(403);
    });

    it('needs the CSRF header for session writes, not for Bearer tokens', async function () {
      const user = await customer();
      const res = await user.session.agent.post('/api/v1/tickets').send({ title: 'No token', body: 'x', queue });
      expect(res.status).to.equal(403);
      const token = await tokenOf(user, 'customer-user');
      await as(token).post('/tickets').send({ title: word('Bearer'), body: 'x', queue }).expect(201);
    });

    it('files a retried request once: 10 parallel POSTs with one Idempotency-Key answer one number', async function () {
      const user = await customer();
      const key = unique('idem-key');
      const title = word('Retry');
      const body = { title, body: 'Sent ten times.', queue, customerUser: user.login };
      const answers = await Promise.all(Array.from({ length: 10 }, () => as(workerToken).post('/tickets').set('Idempotency-Key', key).send(body)));
      expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.number as string)).size).to.equal(1);
      for (const replay of answers.filter((a) => a.status === 200)) {
        expect(replay.headers['idempotent-replayed']).to.equal('true');
        expect(replay.body.title).to.equal(title);
      }
      const found = await as(adminToken).get('/tickets').query({ search: title }).expect(200);
      expect(found.body.total).to.equal(1);

      const reused = await as(workerToken).post('/tickets').set('Idempotency-Key', key).send({ ...body, body: 'Something else.' }).expect(409);
      expect(reused.body.error.code).to.equal('idempotency_key_reused');
      expect((await as(adminToken).get('/tickets').query({ search: title }).expect(200)).body.total).to.equal(1);
    });

    it('refuses a malformed Idempotency-Key (400) before filing anything', async function () {
      const user = await customer();
      const title = word('BadKey');
      const res = await user.session.post('/tickets').set('Idempotency-Key', 'short').send({ title, body: 'x', queue }).expect(400);
      expect(res.body.error.field).to.equal('Idempotency-Key');
      expect((await as(adminToken).get('/tickets').query({ search: title }).expect(200)).body.total).to.equal(0);
    });

    it('refuses queues without create (403), unknown queues and services the user is not entitled to (422)', async function () {
      const user = await customer();
      const other = await createQueue(app, admin);
      await user.session.post('/tickets').send({ title: 'x', body: 'y', queue: other.queue }).expect(403);
      const readOnly = await agentIn(app, admin, group, ['ro']);
      await as(await tokenOf(readOnly)).post('/tickets').send({ title: 'x', body: 'y', queue, customerUser: user.login }).expect(403);
      const unknown = await user.session.post('/tickets').send({ title: 'x', body: 'y', queue: unique('NoQueue') }).expect(422);
      expect(unknown.body.error.code).to.equal('unknown_queue');

      const entitled = unique('Svc');
      const notEntitled = unique('Svc');
      for (const name of [entitled, notEntitled]) await app.loket.container.services.catalogue.create(admin, { name }, cliSubject());
      await app.loket.container.services.assignments.setServices(admin, { kind: 'customer-user', login: user.login }, { services: [entitled] }, cliSubject());
      const refused = await user.session.post('/tickets').send({ title: 'x', body: 'y', queue, service: notEntitled }).expect(422);
      expect(refused.body.error).to.include({ code: 'service_not_entitled', field: 'service' });
      const filed = await user.session.post('/tickets').send({ title: word('Svc'), body: 'y', queue, service: entitled }).expect(201);
      expect(filed.body.service).to.equal(entitled);
    });

    it('answers 400 for bad shapes: unknown fields, arrays for strings, bad enums', async function () {
      const user = await customer();
      const unknownField = await user.session.post('/tickets').send({ title: 'x', body: 'y', queue, state: 'closed' }).expect(400);
      expect(unknownField.body.error.field).to.equal('state');
      await user.session.post('/tickets').send({ title: ['x'], body: 'y', queue }).expect(400);
      await user.session.post('/tickets').send({ title: 'x', body: 'y', queue, priority: 'asap' }).expect(400);
      await user.session.post('/tickets').send([{ title: 'x' }]).expect(400);
    });

    it('answers 413 for a body over 100,000 characters and for a request over the HTTP limit, never 500', async function () {
      const user = await customer();
      const title = word('Huge');
      const long = await user.session.post('/tickets').send({ title, body: 'a'.repeat(100_001), queue }).expect(413);
      expect(long.body.error.code).to.equal('payload_too_large');
      await user.session.post('/tickets').send({ title, body: 'a'.repeat(100_000), queue }).expect(201);
      const huge = await as(workerToken).post('/tickets').set('Content-Type', 'application/json').send(JSON.stringify({ title, body: 'b'.repeat(2_000_000), queue, customerUser: user.login })).expect(413);
      expect(huge.body.error.code).to.equal('payload_too_large');
      expect((await as(adminToken).get('/tickets').query({ search: title }).expect(200)).body.total).to.equal(1);
    });
  });

  describe('seeing and working tickets', function () {
    it('keeps customer A out of B\'s ticket: GET, messages and PATCH answer 404, and lists leave it out', async function () {
      const alice = await customer();
      const bob = await customer();
      const ticket = await fileAs(alice.session);
      await bob.session.get(`/tickets/${ticket.number}`).expect(404);
      await bob.session.post(`/tickets/${ticket.number}/messages`).send({ body: 'hi' }).expect(404);
      await bob.session.patch(`/tickets/${ticket.number}`).send({ state: 'closed' }).expect(404);
      const list = await bob.session.get('/tickets').query({ search: ticket.title }).expect(200);
      expect(list.body).to.include({ total: 0, limit: 25, offset: 0 });
      expect((await alice.session.get(`/tickets/${ticket.number}`).expect(200)).body.state).to.equal('new');
    });

    it('shows the organisation\'s tickets only with rw on the queue\'s group or as key user', async function () {
      const alice = await customer();
      const ticket = await fileAs(alice.session);
      const colleague = await customer(['create'], { customerId: alice.customerId });
      const withRw = await customer(['rw'], { customerId: alice.customerId });
      const keyUser = await customer(['create'], { customerId: alice.customerId, keyUserOf: [alice.customerId] });
      const elsewhere = await customer(['rw']);
      await colleague.session.get(`/tickets/${ticket.number}`).expect(404);
      expect((await colleague.session.get('/tickets').query({ scope: 'company' }).expect(200)).body.total).to.equal(0);
      await elsewhere.session.get(`/tickets/${ticket.number}`).expect(404);
      for (const allowed of [withRw, keyUser]) {
        await allowed.session.get(`/tickets/${ticket.number}`).expect(200);
        const company = await allowed.session.get('/tickets').query({ scope: 'company', search: ticket.title }).expect(200);
        expect(company.body.items.map((t: Summary) => t.number)).to.deep.equal([ticket.number]);
      }
      // "Mine" is still mine.
      expect((await withRw.session.get('/tickets').query({ search: ticket.title }).expect(200)).body.total).to.equal(0);
    });

    it('never gives the customer internal notes: not on the ticket, not through list search', async function () {
      const user = await customer();
      const ticket = await fileAs(user.session);
      const secret = word('secret');
      const note = await as(workerToken).post(`/tickets/${ticket.number}/messages`).send({ body: `Known issue ${secret}`, internal: true }).expect(201);
      expect(note.body).to.include({ internal: true, authorKind: 'agent', body: `Known issue ${secret}` });
      expect(note.body.id).to.be.a('number');
      const reply = await as(workerToken).post(`/tickets/${ticket.number}/messages`).send({ body: 'We are on it.' }).expect(201);
      expect(reply.body.internal).to.equal(false);

      const seen = await user.session.get(`/tickets/${ticket.number}`).expect(200);
      expect(JSON.stringify(seen.body)).not.to.include(secret);
      expect(seen.body.messages.map((m: { body: string }) => m.body)).to.deep.equal(['Something is broken.', 'We are on it.']);
      expect(seen.body).not.to.have.property('customerSnapshot');
      expect((await user.session.get('/tickets').query({ search: secret }).expect(200)).body.total).to.equal(0);

      const staff = await as(workerToken).get(`/tickets/${ticket.number}`).expect(200);
      expect(staff.body.messages.map((m: { body: string }) => m.body)).to.include(`Known issue ${secret}`);
      expect(staff.body.customerSnapshot).to.include({ login: user.login, customerId: user.customerId });
      expect(staff.body).to.include({ mayReply: true, mayNote: true });
      expect((await as(workerToken).get('/tickets').query({ search: secret }).expect(200)).body.items.map((t: Summary) => t.number)).to.deep.equal([ticket.number]);

      // A customer writing an internal note is refused, and the agent's public reply opened the ticket.
      await user.session.post(`/tickets/${ticket.number}/messages`).send({ body: 'psst', internal: true }).expect(403);
      expect(seen.body.state).to.equal('open');
    });

    it('changes state by the rules: bad values 400, customers may close but not set pending (422)', async function () {
      const user = await customer();
      const ticket = await fileAs(user.session);
      const bad = await user.session.patch(`/tickets/${ticket.number}`).send({ state: 'done' }).expect(400);
      expect(bad.body.error.field).to.equal('state');
      await user.session.patch(`/tickets/${ticket.number}`).send({ state: 'closed', title: 'new' }).expect(400);
      const pending = await user.session.patch(`/tickets/${ticket.number}`).send({ state: 'pending' }).expect(422);
      expect(pending.body.error.code).to.equal('state_not_allowed');

      const closed = await user.session.patch(`/tickets/${ticket.number}`).send({ state: 'closed' }).expect(200);
      expect(closed.body).to.include({ number: ticket.number, state: 'closed' });
      expect(closed.body.closedAt).to.be.a('string');
      const reopened = await user.session.patch(`/tickets/${ticket.number}`).send({ state: 'open' }).expect(200);
      expect(reopened.body).to.include({ state: 'open', closedAt: null });

      expect((await as(workerToken).patch(`/tickets/${ticket.number}`).send({ state: 'pending' }).expect(200)).body.state).to.equal('pending');
      const readOnly = await agentIn(app, admin, group, ['ro']);
      const roToken = await tokenOf(readOnly);
      await as(roToken).get(`/tickets/${ticket.number}`).expect(200);
      await as(roToken).patch(`/tickets/${ticket.number}`).send({ state: 'open' }).expect(403);
      await as(roToken).post(`/tickets/${ticket.number}/messages`).send({ body: 'x' }).expect(403);
    });

    it('answers 404 for unknown and malformed numbers, 401 without credentials', async function () {
      await as(adminToken).get('/tickets/99999999999999999').expect(404);
      await as(adminToken).get('/tickets/not-a-number').expect(404);
      await as(adminToken).patch('/tickets/99999999999999999').send({ state: 'open' }).expect(404);
      await as(adminToken).post('/tickets/99999999999999999/messages').send({ body: 'x' }).expect(404);
      const anonymous = await request(app.url).get('/api/v1/tickets').expect(401);
      expect(anonymous.body.error.code).to.equal('unauthenticated');
    });

    it('answers 413 for a reply over 100,000 characters', async function () {
      const user = await customer();
      const ticket = await fileAs(user.session);
      await user.session.post(`/tickets/${ticket.number}/messages`).send({ body: 'c'.repeat(100_001) }).expect(413);
      expect((await user.session.get(`/tickets/${ticket.number}`).expect(200)).body.messages).to.have.length(1);
    });

    it('refuses bad list queries with 400', async function () {
      await as(adminToken).get('/tickets').query({ limit: '0' }).expect(400);
      await as(adminToken).get('/tickets').query({ state: 'sleeping' }).expect(400);
      await as(adminToken).get('/tickets').query({ colour: 'red' }).expect(400);
      await as(adminToken).get('/tickets?search=a&search=b').expect(400);
    });
  });

  describe('FAQ links and deflections', function () {
    let articleId: number;
    let articleUrl: string;

    before(async function () {
      const author = await agentActor(app);
      const approver = await agentActor(app);
      const category = await createFaqCategory(app, admin);
      const article = await createArticle(app, author, { category, title: 'Clearing a paper jam' }, approver);
      articleId = article.id;
      articleUrl = `/faq/${category}/${article.slug}`;
    });

    it('lets staff link an article (204) that the customer then sees; customers may not link', async function () {
      const user = await customer();
      const ticket = await fileAs(user.session);
      await user.session.post(`/tickets/${ticket.number}/faq-links`).send({ articleIds: [articleId] }).expect(403);
      await as(workerToken).post(`/tickets/${ticket.number}/faq-links`).send({ articleIds: [articleId] }).expect(204);
      await as(workerToken).post(`/tickets/${ticket.number}/faq-links`).send({ articleIds: [articleId] }).expect(204);
      const seen = await user.session.get(`/tickets/${ticket.number}`).expect(200);
      expect(seen.body.faqs).to.deep.equal([{ id: articleId, title: 'Clearing a paper jam', language: 'en', url: articleUrl }]);
      const unknown = await as(workerToken).post(`/tickets/${ticket.number}/faq-links`).send({ articleIds: [999_999_999] }).expect(422);
      expect(unknown.body.error.code).to.equal('unknown_article');
      await as(workerToken).post(`/tickets/${ticket.number}/faq-links`).send({ articleIds: [] }).expect(400);
    });

    it('records deflections for signed-in callers and readable articles only', async function () {
      const user = await customer();
      await user.session.post('/faq/deflections').send({ articleId, outcome: 'answered', query: 'paper jam' }).expect(204);
      await user.session.post('/faq/deflections').send({ articleId, outcome: 'opened' }).expect(204);
      await user.session.post('/faq/deflections').send({ articleId: 999_999_999, outcome: 'opened', query: 'x' }).expect(404);
      await user.session.post('/faq/deflections').send({ articleId, outcome: 'ignored', query: 'x' }).expect(400);

      const visitor = request.agent(app.url);
      const csrf = csrfFrom((await visitor.get('/login').expect(200)).text);
      await visitor.post('/api/v1/faq/deflections').set('X-CSRF-Token', csrf).send({ articleId, outcome: 'opened', query: 'x' }).expect(401);
    });
  });

  describe('queues', function () {
    it('lets admins create (201), refuses agents (403) and duplicates in any case (409)', async function () {
      const name = unique('Support');
      await as(workerToken).post('/queues').send({ name, group }).expect(403);
      const created = await as(adminToken).post('/queues').send({ name, group, comment: 'First line' }).expect(201);
      expect(created.headers.location).to.match(new RegExp(`/api/v1/queues/${name}$`));
      expect(created.headers.etag).to.equal('"1"');
      expect(created.body).to.deep.equal({ name, group, comment: 'First line', validity: 'valid', version: 1 });
      const dup = await as(adminToken).post('/queues').send({ name: name.toUpperCase(), group }).expect(409);
      expect(dup.body.error.field).to.equal('name');
      const noGroup = await as(adminToken).post('/queues').send({ name: unique('Q'), group: unique('nogroup') }).expect(422);
      expect(noGroup.body.error.code).to.equal('unknown_group');
      await as(adminToken).post('/queues').send({ name: unique('Q'), group, owner: 'me' }).expect(400);
    });

    it('changes a queue with its version (stale 409) and never deletes one (405)', async function () {
      const name = unique('Billing');
      await as(adminToken).post('/queues').send({ name, group }).expect(201);
      const renamed = `${name}-2`;
      const changed = await as(adminToken).patch(`/queues/${name}`).send({ name: renamed, comment: 'Invoices', version: 1 }).expect(200);
      expect(changed.body).to.include({ name: renamed, comment: 'Invoices', version: 2 });
      await as(adminToken).patch(`/queues/${renamed}`).send({ comment: 'stale', version: 1 }).expect(409);
      await as(adminToken).patch(`/queues/${renamed}`).send({ comment: 'no version' }).expect(400);
      await as(workerToken).patch(`/queues/${renamed}`).send({ comment: 'x', version: 2 }).expect(403);
      await as(adminToken).patch(`/queues/${unique('none')}`).send({ comment: 'x', version: 1 }).expect(404);
      const del = await as(adminToken).delete(`/queues/${renamed}`).expect(405);
      expect(del.headers.allow).to.equal('GET, PATCH');
    });

    it('lists the queues that concern the caller', async function () {
      const hidden = await createQueue(app, admin);
      const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((q) => q.name);
      const all = await as(adminToken).get('/queues').expect(200);
      expect(names(all)).to.include.members([queue, hidden.queue]);
      expect(all.body.total).to.equal(all.body.items.length);
      const mine = await as(workerToken).get('/queues').expect(200);
      expect(names(mine)).to.include(queue).and.not.include(hidden.queue);
      const user = await customer();
      expect(names(await user.session.get('/queues').expect(200))).to.include(queue).and.not.include(hidden.queue);
      await as(workerToken).get(`/queues/${hidden.queue}`).expect(404);
      expect((await as(workerToken).get(`/queues/${queue}`).expect(200)).body.group).to.equal(group);
      await as(adminToken).get('/queues').query({ limit: '5' }).expect(400);
    });
  });

  describe('agents\' groups', function () {
    it('lets admins set an agent\'s groups, after which the agent lists the queue\'s tickets', async function () {
      const user = await customer();
      const ticket = await fileAs(user.session);
      const newcomer = await app.createAgent('agent');
      const token = await tokenOf(newcomer);
      await as(token).get(`/tickets/${ticket.number}`).expect(404);
      expect((await as(token).get('/tickets').query({ queue }).expect(200)).body.total).to.equal(0);

      expect((await as(token).get(`/agents/${newcomer.login}/groups`).expect(200)).body).to.deep.equal({ groups: [] });
      await as(token).put(`/agents/${newcomer.login}/groups`).send({ groups: [{ group, permissions: ['rw'] }] }).expect(403);
      const put = await as(adminToken).put(`/agents/${newcomer.login}/groups`).send({ groups: [{ group, permissions: ['rw', 'create', 'ro'] }] }).expect(200);
      expect(put.body).to.deep.equal({ groups: [{ group, permissions: ['ro', 'create', 'rw'] }] });
      expect((await as(adminToken).get(`/agents/${newcomer.login}/groups`).expect(200)).body).to.deep.equal(put.body);

      const listed = await as(token).get('/tickets').query({ queue, search: ticket.title }).expect(200);
      expect(listed.body.items.map((t: Summary) => t.number)).to.deep.equal([ticket.number]);
      await as(token).get(`/tickets/${ticket.number}`).expect(200);
    });

    it('keeps other agents\' groups from agents (403) and customers (403); unknown groups 422, unknown agents 404', async function () {
      const other = await app.createAgent('agent');
      await as(workerToken).get(`/agents/${other.login}/groups`).expect(403);
      const user = await customer();
      await user.session.get(`/agents/${other.login}/groups`).expect(403);
      const unknown = await as(adminToken).put(`/agents/${other.login}/groups`).send({ groups: [{ group: unique('nogroup'), permissions: ['ro'] }] }).expect(422);
      expect(unknown.body.error.field).to.match(/^groups\.0/);
      await as(adminToken).get(`/agents/${unique('ghost')}/groups`).expect(404);
      await as(adminToken).put(`/agents/${other.login}/groups`).send({ groups: 'all' }).expect(400);
    });
  });

  it('documents the paths in /api/v1/openapi.json', async function () {
    const doc = await request(app.url).get('/api/v1/openapi.json').expect(200);
    const paths = doc.body.paths as Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
    for (const path of ['/tickets', '/tickets/{number}', '/tickets/{number}/messages', '/tickets/{number}/faq-links', '/queues', '/queues/{name}', '/agents/{login}/groups', '/faq/deflections']) {
      expect(paths, path).to.have.property(path);
    }
    expect(paths['/tickets']!.post!.requestBody).to.not.equal(undefined);
    expect(paths['/tickets']!.post!.responses).to.include.keys('200', '400', '409', '413', '422');
    expect(paths['/tickets/{number}']!.patch!.responses).to.include.keys('404', '422');
  });
});
