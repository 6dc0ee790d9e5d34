import { expect } from 'chai';
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { cliSubject } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { signIn, startMailingTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { delegationMailsSince, delegationWorld, freshCsrf, grantDelegation, recipientsOf, sessionCookieOf, type DelegationWorld } from '../helpers/delegation.js';
import type { TestSmtp } from '../helpers/smtp.js';
import { createQueue } from '../helpers/tickets.js';

interface Me {
  login: string;
  effectiveCustomerId: string | null;
  customerIds: string[];
  keyUserOf: string[];
  roles: string[];
  delegation: { id: number; customerId: string; role: string } | null;
  groupPermissions: Record<string, string[]>;
}

interface AuditItem {
  action: string;
  actorKind: string;
  actorLogin: string;
  effectiveCustomerId: string | null;
  delegationId: number | null;
  objectType: string;
  objectId: string;
}

const sorted = (list: string[]) => [...list].sort();

/**
 * SECURITY.md "Sessions" and "Authorisation and tenants" for delegations, through real sessions (login
 * form, CSRF, cookies), tokens and a real SMTP server: the bad-input lines of issue 9.
 */
describe('delegation security: switching, expiry, revocation, identity, notices', function () {
  let app: TestApp;
  let smtp: TestSmtp;
  let adminToken: string;

  before(async function () {
    ({ app, smtp } = await startMailingTestApp());
    const admin = await app.createAgent('admin');
    adminToken = await issueToken(app, { type: 'agent', id: admin.id }, admin.login);
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  const me = async (agent: Agent): Promise<Me> => (await agent.get('/api/v1/me').expect(200)).body as Me;

  /** Signs the person in and switches the session into `customerId`; answers the agent and the new page token. */
  async function switchedSession(user: TestCustomerUser, customerId: string): Promise<{ agent: Agent; csrf: string }> {
    const { agent, csrf } = await signIn(app, user);
    await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId }).expect(200);
    return { agent, csrf: await freshCsrf(agent) };
  }

  /** A queue whose group the consultant holds `create` in at home, and customer C grants too (so the intersection keeps it). */
  async function queueForBoth(w: DelegationWorld): Promise<{ queue: string; group: string }> {
    const made = await createQueue(app, w.admin);
    const { assignments } = app.loket.container.services;
    await assignments.setGroups(w.admin, { kind: 'customer-user', login: w.consultant.login }, { groups: [{ group: made.group, permissions: ['create'] }] }, cliSubject());
    await assignments.setGroups(w.admin, { kind: 'customer', customerId: w.c }, { groups: [{ group: made.group, permissions: ['create'] }] }, cliSubject());
    return made;
  }

  /** Tickets filed under a delegation, or in a customer. */
  async function ticketCount(where: { delegation_id: number } | { customer_id: string }): Promise<number> {
    const { knex, tables } = app.loket.container;
    const [row] = await knex(tables.tickets).where(where).count({ n: '*' });
    return Number(row?.n ?? 0);
  }

  async function auditOf(query: string): Promise<AuditItem[]> {
    return ((await bearer(app, adminToken).get(`/audit?${query}`).expect(200)).body as { items: AuditItem[] }).items;
  }

  /** Switch notices about customer C (subject names it) delivered since `seen`. */
  const noticesAbout = (mails: ParsedMail[], customerId: string, verb: 'started' | 'stopped' | 'has ended' | null = null): ParsedMail[] =>
    mails.filter((m) => (m.subject ?? '').includes(`Customer ${customerId}`) && /via delegation|has ended/.test(m.subject ?? '') && (verb === null || (m.subject ?? '').includes(verb)));

  it('refuses a switch without the CSRF token (API and form) and gives a new session id on each switch', async function () {
    const w = await delegationWorld(app);
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.consultant.email });
    const { agent, csrf } = await signIn(app, w.consultant);
    const before = sessionCookieOf(await agent.get('/api/v1/me').expect(200));
    expect(before).to.be.a('string');

    const noToken = await agent.post('/api/v1/session/organisation').send({ customerId: w.c }).expect(403);
    expect(noToken.body.error.code).to.equal('csrf_invalid');
    await agent.post('/organisation').type('form').send({ customerId: w.c }).expect(403);
    await agent.post('/organisation').type('form').send({ customerId: w.c, _csrf: 'forged' }).expect(403);
    expect((await me(agent)).effectiveCustomerId, 'not switched without a token').to.equal(w.d);

    const switched = await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.c }).expect(200);
    const after = sessionCookieOf(switched);
    expect(after, 'a session cookie on the switch').to.be.a('string');
    expect(after).to.not.equal(before);
    expect((switched.body as Me).effectiveCustomerId).to.equal(w.c);
    // The old session id opens nothing any more.
    await request(app.url).get('/api/v1/me').set('Cookie', before!).expect(401);

    // Back home through the page form, with the new session's token: another new id.
    const home = await agent.post('/organisation').type('form').send({ _csrf: await freshCsrf(agent), customerId: w.d, returnTo: '/portal' }).expect(303);
    expect(home.headers.location).to.equal('/portal');
    const third = sessionCookieOf(home);
    expect(third).to.be.a('string').and.not.equal(after);
    const back = await me(agent);
    expect(back.effectiveCustomerId).to.equal(w.d);
    expect(back.delegation).to.equal(null);
  });

  it('audits the switch in, the work in C and the switch out under the real person, and mails exactly C\'s key users', async function () {
    const w = await delegationWorld(app);
    const { queue } = await queueForBoth(w);
    const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.consultant.email });
    const seen = (await delegationMailsSince(app, smtp, 0)).length;

    const { agent, csrf } = await switchedSession(w.consultant, w.c);
    const filed = await agent.post('/api/v1/tickets').set('X-CSRF-Token', csrf).send({ title: unique('Delegated'), body: 'Filed from C.', queue }).expect(201);
    expect(filed.body).to.include({ customerId: w.c, customerUser: w.consultant.login, delegationId: d.id });
    expect(filed.body.createdBy.key).to.equal(`customer-user:${w.consultant.id}`);
    await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.d }).expect(200);

    const entries = await auditOf(`object=delegation:${d.id}`);
    const switches = entries.filter((e) => e.action.startsWith('delegation.switch-'));
    expect(switches.map((e) => e.action).sort()).to.deep.equal(['delegation.switch-in', 'delegation.switch-out']);
    for (const e of switches) expect(e).to.include({ actorKind: 'customer', actorLogin: w.consultant.login, effectiveCustomerId: w.c, delegationId: d.id });
    // Every entry made through the delegation names the real person and the organisation worked in.
    const byConsultant = await auditOf(`actor=${encodeURIComponent(w.consultant.login)}`);
    expect(byConsultant.filter((e) => e.delegationId === d.id)).to.have.length.of.at.least(2);
    for (const e of entries.concat(byConsultant).filter((x) => x.delegationId === d.id)) expect(e).to.include({ actorLogin: w.consultant.login, effectiveCustomerId: w.c });

    const notices = noticesAbout(await delegationMailsSince(app, smtp, seen), w.c);
    expect(notices, 'one notice in and one out for each of the two key users').to.have.length(4);
    const keyUsers = sorted([w.keyUserC.email, w.keyUserC2.email].map((e) => e.toLowerCase()));
    expect(sorted(noticesAbout(notices, w.c, 'started').flatMap(recipientsOf))).to.deep.equal(keyUsers);
    expect(sorted(noticesAbout(notices, w.c, 'stopped').flatMap(recipientsOf))).to.deep.equal(keyUsers);
    const everybody = notices.flatMap(recipientsOf);
    for (const outsider of [w.keyUserD, w.userC, w.consultant]) expect(everybody).to.not.include(outsider.email.toLowerCase());
    expect(notices[0]!.text).to.contain(w.consultant.email);
  });

  for (const ending of ['revocation', 'expiry'] as const) {
    it(`sends the same session home after ${ending}: nothing it sends afterwards is done in C`, async function () {
      const w = await delegationWorld(app);
      const { queue } = await queueForBoth(w);
      const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.consultant.email });
      const { agent, csrf } = await switchedSession(w.consultant, w.c);
      expect((await me(agent)).effectiveCustomerId).to.equal(w.c);
      const seen = smtp.messages.length;

      if (ending === 'revocation') {
        const keyUserToken = await issueToken(app, { type: 'customer-user', id: w.keyUserC.id }, w.keyUserC.login);
        const revoked = await bearer(app, keyUserToken).delete(`/delegations/${d.id}`).expect(200);
        expect(revoked.body.status).to.equal('revoked');
      } else {
        const { knex, tables } = app.loket.container;
        await knex(tables.delegations).where('id', d.id).update({ ends_at: new Date(Date.now() - 1000).toISOString() });
      }

      // The very next request of the open session, a write meant for C.
      const attempt = await agent.post('/api/v1/tickets').set('X-CSRF-Token', csrf).send({ title: unique('Late'), body: 'After the end.', queue });
      if (attempt.status === 201) expect(attempt.body.customerId, 'filed at home if at all').to.equal(w.d);
      else expect(attempt.status).to.be.oneOf([401, 403]);
      expect(await ticketCount({ delegation_id: d.id }), 'no ticket under the ended delegation').to.equal(0);
      expect(await ticketCount({ customer_id: w.c }), 'nothing filed in C').to.equal(0);

      const home = await me(agent);
      expect(home.effectiveCustomerId).to.equal(w.d);
      expect(home.delegation).to.equal(null);
      expect(home.customerIds).to.deep.equal([w.d]);
      // Work goes on at home, with the renewed session's token.
      const csrfHome = await freshCsrf(agent);
      const atHome = await agent.post('/api/v1/tickets').set('X-CSRF-Token', csrfHome).send({ title: unique('Home'), body: 'At home.', queue }).expect(201);
      expect(atHome.body).to.include({ customerId: w.d, delegationId: null });
      // And no way back in through the ended delegation.
      const refused = await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrfHome).send({ customerId: w.c }).expect(403);
      expect(refused.body.error.code).to.equal('no_delegation');

      const ended = (await auditOf(`object=delegation:${d.id}`)).find((e) => e.action === 'delegation.switch-ended');
      expect(ended).to.include({ actorLogin: w.consultant.login, effectiveCustomerId: w.c, delegationId: d.id });
      const notices = noticesAbout(await delegationMailsSince(app, smtp, seen), w.c, 'has ended');
      expect(sorted(notices.flatMap(recipientsOf))).to.deep.equal(sorted([w.keyUserC.email, w.keyUserC2.email].map((e) => e.toLowerCase())));
    });
  }

  it('never lets a switched session grant, extend, review or revoke delegations, nor name deputies (no transitive delegation)', async function () {
    const w = await delegationWorld(app);
    // keyUserD is key user at home and gets key-user rights in C: the strongest delegate there is.
    const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.keyUserD.email, role: 'key-user' });
    const { agent, csrf } = await switchedSession(w.keyUserD, w.c);
    expect((await me(agent)).keyUserOf).to.deep.equal([w.c]);
    const third = `${unique('third')}@example.test`;

    const attempts: [string, () => request.Test][] = [
      ['grant in C', () => agent.post('/api/v1/delegations').set('X-CSRF-Token', csrf).send({ customerId: w.c, email: third, role: 'customer', reason: 'passing it on' })],
      ['grant at home', () => agent.post('/api/v1/delegations').set('X-CSRF-Token', csrf).send({ customerId: w.d, email: third, role: 'customer', reason: 'own customer, wrong session' })],
      ['extend', () => agent.patch(`/api/v1/delegations/${d.id}`).set('X-CSRF-Token', csrf).send({ endsAt: null })],
      ['review', () => agent.post(`/api/v1/delegations/${d.id}/review`).set('X-CSRF-Token', csrf)],
      ['revoke', () => agent.delete(`/api/v1/delegations/${d.id}`).set('X-CSRF-Token', csrf)],
      ['list C', () => agent.get(`/api/v1/delegations?customerId=${encodeURIComponent(w.c)}`)],
      ['name a deputy', () => agent.post('/api/v1/deputies').set('X-CSRF-Token', csrf).send({ deputy: w.userC.login, endsAt: '2099-01-01' })],
    ];
    for (const [what, send] of attempts) {
      const res = await send();
      expect(res.status, what).to.equal(403);
      expect(res.body.error.code, what).to.equal('delegated_session');
    }
    // Token clients with the header are switched the same way.
    const token = await issueToken(app, { type: 'customer-user', id: w.keyUserD.id }, w.keyUserD.login);
    const viaHeader = await bearer(app, token).post('/delegations').set('Loket-Organisation', w.c).send({ customerId: w.c, email: third, role: 'customer', reason: 'x' }).expect(403);
    expect(viaHeader.body.error.code).to.equal('delegated_session');

    const list = await app.loket.container.services.delegations.listForCustomer(await actorFor(w.keyUserC), w.c);
    expect(list.map((x) => x.email)).to.not.include(third);
    const still = list.find((x) => x.id === d.id)!;
    expect(still).to.include({ status: 'active', version: 1 });
    expect(still.endsAt).to.be.a('string');

    // Back home they are key user of D only: granting for C is not theirs either.
    await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.d }).expect(200);
    const fromHome = await agent.post('/api/v1/delegations').set('X-CSRF-Token', await freshCsrf(agent)).send({ customerId: w.c, email: third, role: 'customer', reason: 'x' }).expect(403);
    expect(fromHome.body.error.code).to.equal('forbidden');
  });

  async function actorFor(user: TestCustomerUser) {
    const actor = await app.loket.container.services.actors.resolve({ type: 'customer-user', id: user.id }, 'session');
    if (!actor) throw new Error('no actor');
    return actor;
  }

  it('gives a delegate only the intersection of own and delegated rights; a key-user delegation makes keyUserOf [C] alone', async function () {
    const w = await delegationWorld(app);
    const { groups, assignments } = app.loket.container.services;
    const onlyHome = unique('home-only');
    const shared = unique('shared');
    const onlyC = unique('c-only');
    for (const name of [onlyHome, shared, onlyC]) await groups.create(w.admin, { name }, cliSubject());
    await assignments.setGroups(w.admin, { kind: 'customer-user', login: w.keyUserD.login }, { groups: [{ group: onlyHome, permissions: ['create'] }, { group: shared, permissions: ['create'] }] }, cliSubject());
    await assignments.setGroups(w.admin, { kind: 'customer', customerId: w.c }, { groups: [{ group: shared, permissions: ['create', 'ro'] }, { group: onlyC, permissions: ['rw'] }] }, cliSubject());
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.keyUserD.email, role: 'key-user' });

    const { agent } = await signIn(app, w.keyUserD);
    const home = await me(agent);
    expect(home.groupPermissions).to.have.property(onlyHome);
    expect(home.keyUserOf).to.deep.equal([w.d]);

    await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', await freshCsrf(agent)).send({ customerId: w.c }).expect(200);
    const inC = await me(agent);
    expect(inC.groupPermissions, 'held at home, not granted by C').to.not.have.property(onlyHome);
    expect(inC.groupPermissions, 'granted by C, not held at home').to.not.have.property(onlyC);
    expect(inC.groupPermissions[shared]).to.deep.equal(['create']);
    expect(inC.keyUserOf).to.deep.equal([w.c]);
    expect(inC.customerIds).to.deep.equal([w.c]);
    expect(inC.roles).to.include('key-user');
    expect(inC.login).to.equal(w.keyUserD.login);

    // A customer-role delegation gives no key-user mark at all.
    const plain = await createCustomerUser(app, w.admin, { customerId: w.d, keyUserOf: [w.d] });
    await grantDelegation(app, w.keyUserC, { customerId: w.c, email: plain.email, role: 'customer' });
    const token = await issueToken(app, { type: 'customer-user', id: plain.id }, plain.login);
    const asCustomer = (await bearer(app, token).get('/me').set('Loket-Organisation', w.c).expect(200)).body as Me;
    expect(asCustomer.keyUserOf).to.deep.equal([]);
    expect(asCustomer.roles).to.not.include('key-user');
    expect(asCustomer.effectiveCustomerId).to.equal(w.c);
  });

  it('honours Loket-Organisation with a session and a token, refuses it without an active delegation, and mails the key users once', async function () {
    const w = await delegationWorld(app);
    const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.consultant.email });
    const seen = (await delegationMailsSince(app, smtp, 0)).length;
    const token = await issueToken(app, { type: 'customer-user', id: w.consultant.id }, w.consultant.login);
    const api = bearer(app, token);

    const viaToken = (await api.get('/me').set('Loket-Organisation', w.c).expect(200)).body as Me;
    expect(viaToken).to.include({ effectiveCustomerId: w.c, login: w.consultant.login });
    expect(viaToken.delegation?.id).to.equal(d.id);
    await api.get('/me').set('Loket-Organisation', w.c).expect(200);
    expect(((await api.get('/me').expect(200)).body as Me).effectiveCustomerId, 'without the header: home').to.equal(w.d);
    expect(((await api.get('/me').set('Loket-Organisation', w.d).expect(200)).body as Me).effectiveCustomerId, 'own customer: home').to.equal(w.d);

    const { agent } = await signIn(app, w.consultant);
    const viaSession = (await agent.get('/api/v1/me').set('Loket-Organisation', w.c).expect(200)).body as Me;
    expect(viaSession.effectiveCustomerId).to.equal(w.c);
    expect((await me(agent)).effectiveCustomerId, 'the header does not switch the session').to.equal(w.d);

    const notices = noticesAbout(await delegationMailsSince(app, smtp, seen), w.c, 'started');
    expect(sorted(notices.flatMap(recipientsOf)), 'one notice per key user for repeated API use').to.deep.equal(sorted([w.keyUserC.email, w.keyUserC2.email].map((e) => e.toLowerCase())));
    const apiSwitches = (await auditOf(`object=delegation:${d.id}`)).filter((e) => e.action === 'delegation.switch-in');
    expect(apiSwitches).to.have.length(1);
    expect(apiSwitches[0]).to.include({ actorLogin: w.consultant.login, effectiveCustomerId: w.c });

    // No delegation there: refused, for token and session alike; also for somebody else's customer.
    const other = unique('X');
    for (const res of [await api.get('/me').set('Loket-Organisation', other), await agent.get('/api/v1/me').set('Loket-Organisation', other)]) {
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('no_delegation');
    }
    const userCToken = await issueToken(app, { type: 'customer-user', id: w.userC.id }, w.userC.login);
    expect((await bearer(app, userCToken).get('/me').set('Loket-Organisation', w.d).expect(403)).body.error.code).to.equal('no_delegation');
    // Staff never work through delegations.
    expect((await bearer(app, adminToken).get('/me').set('Loket-Organisation', w.c)).status).to.equal(403);
    await api.get('/me').set('Loket-Organisation', ['a', 'b'].join(',')).expect(403);

    // Revoked: the header stops working on the next request.
    const keyUserToken = await issueToken(app, { type: 'customer-user', id: w.keyUserC.id }, w.keyUserC.login);
    await bearer(app, keyUserToken).delete(`/delegations/${d.id}`).expect(200);
    expect((await api.get('/me').set('Loket-Organisation', w.c).expect(403)).body.error.code).to.equal('no_delegation');
  });
});
