import { expect } from 'chai';
import request from 'supertest';
import { cliSubject } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { csrfFrom, signIn, startMailingTestApp, unique, type TestApp } from '../helpers/app.js';
import { createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { delegationMailsSince, delegationWorld, recipientsOf, type DelegationWorld } from '../helpers/delegation.js';
import type { TestSmtp } from '../helpers/smtp.js';
import { createQueue } from '../helpers/tickets.js';

interface DelegationJson {
  id: number;
  customerId: string;
  customerName: string;
  email: string;
  role: string;
  status: string;
  startsAt: string;
  endsAt: string | null;
  needsReview: boolean;
  reason: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  version: number;
}

interface DeputyJson {
  id: number;
  customerId: string;
  principal: { login: string; name: string };
  deputy: { login: string; name: string };
  status: string;
  startsAt: string;
  endsAt: string;
}

type Api = ReturnType<typeof bearer>;

describe('API v1: delegations and deputies', function () {
  let app: TestApp;
  let smtp: TestSmtp;
  let adminApi: Api;

  before(async function () {
    ({ app, smtp } = await startMailingTestApp());
    const admin = await app.createAgent('admin');
    adminApi = bearer(app, await issueToken(app, { type: 'agent', id: admin.id }, admin.login));
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  const apiOf = async (user: TestCustomerUser): Promise<Api> => bearer(app, await issueToken(app, { type: 'customer-user', id: user.id }, user.login));
  const grantBody = (w: DelegationWorld, extra: Record<string, unknown> = {}) => ({ customerId: w.c, email: w.consultant.email, role: 'customer', reason: 'Quarterly audit', ...extra });
  const farFuture = '2099-06-30';
  /** A date-only end `days` from now (deputies stand in for at most 366 days). */
  const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  describe('delegations', function () {
    it('grants through the API (201, Location, ETag) and mails the delegate an invitation to sign in', async function () {
      const w = await delegationWorld(app);
      const keyUser = await apiOf(w.keyUserC);
      const seen = smtp.messages.length;
      const res = await keyUser.post('/delegations').send(grantBody(w, { email: w.consultant.email.toUpperCase(), endsAt: farFuture })).expect(201);
      const d = res.body as DelegationJson;
      expect(res.headers.location).to.match(new RegExp(`/api/v1/delegations/${d.id}$`));
      expect(res.headers.etag).to.equal('"1"');
      expect(d).to.include({ customerId: w.c, customerName: `Customer ${w.c}`, email: w.consultant.email, role: 'customer', status: 'active', reason: 'Quarterly audit', createdBy: w.keyUserC.login, revokedAt: null, needsReview: false, version: 1 });
      expect(d.endsAt, 'a date ends at the end of that day, UTC').to.equal('2099-06-30T23:59:59.999Z');
      expect(Date.parse(d.startsAt)).to.be.closeTo(Date.now(), 60_000);
      expect(Object.keys(d)).to.not.include.members(['emailKey', 'email_key']);

      const invitations = (await delegationMailsSince(app, smtp, seen)).filter((m) => (m.subject ?? '').includes(`You may now work in Customer ${w.c}`));
      expect(invitations).to.have.length(1);
      expect(recipientsOf(invitations[0]!)).to.deep.equal([w.consultant.email.toLowerCase()]);
      expect(invitations[0]!.text).to.contain('http://loket.test/login').and.contain('Quarterly audit');

      // Without endsAt: a week.
      const other = await createCustomerUser(app, w.admin, { customerId: w.d });
      const week = (await keyUser.post('/delegations').send(grantBody(w, { email: other.email })).expect(201)).body as DelegationJson;
      expect(Date.parse(week.endsAt!) - Date.parse(week.startsAt)).to.be.closeTo(7 * 86_400_000, 60_000);
    });

    it('lets only key users of that customer grant: plain users, other key users, admins and staff get 403', async function () {
      const w = await delegationWorld(app);
      const cases: [string, Api, Record<string, unknown>][] = [
        ['a plain user of C', await apiOf(w.userC), grantBody(w)],
        ['the consultant', await apiOf(w.consultant), grantBody(w)],
        ['a key user of D, for C', await apiOf(w.keyUserD), grantBody(w)],
        ['a key user of C, for D', await apiOf(w.keyUserC), grantBody(w, { customerId: w.d, email: w.userC.email })],
        ['an admin', adminApi, grantBody(w)],
      ];
      for (const [who, api, body] of cases) {
        const res = await api.post('/delegations').send(body);
        expect(res.status, who).to.equal(403);
        expect(res.body.error.code, who).to.equal('forbidden');
      }
      const listed = (await (await apiOf(w.keyUserC)).get(`/delegations?customerId=${w.c}`).expect(200)).body as { items: DelegationJson[] };
      expect(listed.items).to.deep.equal([]);
      const inD = (await adminApi.get(`/delegations?customerId=${w.d}`).expect(200)).body as { items: DelegationJson[] };
      expect(inD.items).to.deep.equal([]);
    });

    it('refuses a duplicate (409), a member of the customer (422), an end in the past (422) and a customer that is not theirs (403)', async function () {
      const w = await delegationWorld(app);
      const keyUser = await apiOf(w.keyUserC);
      await keyUser.post('/delegations').send(grantBody(w)).expect(201);
      const dup = await keyUser.post('/delegations').send(grantBody(w, { email: w.consultant.email.toUpperCase(), role: 'key-user' })).expect(409);
      expect(dup.body.error).to.include({ code: 'duplicate', field: 'email' });
      const member = await keyUser.post('/delegations').send(grantBody(w, { email: w.userC.email })).expect(422);
      expect(member.body.error).to.include({ code: 'already_member', field: 'email' });
      const other = await createCustomerUser(app, w.admin, { customerId: w.d });
      for (const endsAt of ['2001-01-01', new Date(Date.now() - 60_000).toISOString()]) {
        const past = await keyUser.post('/delegations').send(grantBody(w, { email: other.email, endsAt })).expect(422);
        expect(past.body.error).to.include({ code: 'in_past', field: 'endsAt' });
      }
      // A customer that does not exist is nobody's to grant.
      await keyUser.post('/delegations').send(grantBody(w, { customerId: unique('nope') })).expect(403);
    });

    it('shows an open-ended delegation with endsAt null, lists it for review after 90 days, and review clears that', async function () {
      const w = await delegationWorld(app);
      const keyUser = await apiOf(w.keyUserC);
      const d = (await keyUser.post('/delegations').send(grantBody(w, { endsAt: null })).expect(201)).body as DelegationJson;
      expect(d).to.include({ endsAt: null, status: 'active', needsReview: false });
      const { knex, tables } = app.loket.container;
      await knex(tables.delegations).where('id', d.id).update({ created_at: new Date(Date.now() - 91 * 86_400_000).toISOString() });
      const due = (await keyUser.get(`/delegations/${d.id}`).expect(200)).body as DelegationJson;
      expect(due).to.include({ needsReview: true, endsAt: null });
      const listed = ((await keyUser.get(`/delegations?customerId=${w.c}`).expect(200)).body as { items: DelegationJson[] }).items.find((x) => x.id === d.id);
      expect(listed?.needsReview).to.equal(true);

      await keyUser.post(`/delegations/${d.id}/review`).send({ note: 'x' }).expect(400);
      const reviewed = (await keyUser.post(`/delegations/${d.id}/review`).expect(200)).body as DelegationJson & { reviewedAt: string };
      expect(reviewed).to.include({ needsReview: false, endsAt: null, version: 2 });
      expect(reviewed.reviewedAt).to.be.a('string');
      const audit = (await adminApi.get(`/audit?object=delegation:${d.id}`).expect(200)).body as { items: { action: string; actorLogin: string }[] };
      expect(audit.items.map((e) => e.action)).to.include.members(['delegation.grant', 'delegation.review']);
      for (const e of audit.items) expect(e.actorLogin).to.equal(w.keyUserC.login);
    });

    it('lists: a customer\'s for its key users and admins, managed and mine by default, scope=mine for the delegate; others 403', async function () {
      const w = await delegationWorld(app);
      const keyUserC = await apiOf(w.keyUserC);
      const d = (await keyUserC.post('/delegations').send(grantBody(w)).expect(201)).body as DelegationJson;
      // The consultant's own key user of D grants into D for somebody from C.
      const intoD = (await (await apiOf(w.keyUserD)).post('/delegations').send({ customerId: w.d, email: w.keyUserC.email, role: 'key-user', reason: 'help' }).expect(201)).body as DelegationJson;

      const ids = (res: request.Response) => (res.body as { items: DelegationJson[] }).items.map((x) => x.id);
      const both = await keyUserC.get('/delegations').expect(200);
      expect(both.body).to.include({ total: 2 });
      expect(ids(both), 'C\'s (managed) and the one granted to them (mine), newest first').to.deep.equal([intoD.id, d.id]);
      expect(both.headers['cache-control']).to.equal('no-store');
      expect(ids(await keyUserC.get('/delegations?scope=managed').expect(200))).to.deep.equal([d.id]);
      expect(ids(await keyUserC.get('/delegations?scope=mine').expect(200))).to.deep.equal([intoD.id]);
      expect(ids(await keyUserC.get(`/delegations?customerId=${w.c}`).expect(200))).to.deep.equal([d.id]);
      expect(ids(await keyUserC.get(`/delegations?customerId=${w.c}&scope=mine`).expect(200))).to.deep.equal([]);

      const consultant = await apiOf(w.consultant);
      expect(ids(await consultant.get('/delegations').expect(200))).to.deep.equal([d.id]);
      expect(ids(await consultant.get('/delegations?scope=mine').expect(200))).to.deep.equal([d.id]);
      expect(ids(await consultant.get('/delegations?scope=managed').expect(200))).to.deep.equal([]);
      for (const [who, api] of [['consultant', consultant], ['plain user of C', await apiOf(w.userC)], ['key user of D', await apiOf(w.keyUserD)]] as const) {
        expect((await api.get(`/delegations?customerId=${w.c}`)).status, who).to.equal(403);
      }
      expect(ids(await adminApi.get(`/delegations?customerId=${w.c}`).expect(200))).to.deep.equal([d.id]);
      expect(ids(await adminApi.get('/delegations').expect(200)), 'admins name a customer').to.deep.equal([]);
      // Exact customer IDs: a prefix or another case finds nothing of C's.
      expect((await keyUserC.get(`/delegations?customerId=${w.c.toLowerCase()}`)).status).to.equal(403);
    });

    it('shows one delegation to its delegate, C\'s key users and admins; 404 to others and for ids that are not ids', async function () {
      const w = await delegationWorld(app);
      const d = (await (await apiOf(w.keyUserC)).post('/delegations').send(grantBody(w)).expect(201)).body as DelegationJson;
      for (const user of [w.consultant, w.keyUserC, w.keyUserC2]) {
        const res = await (await apiOf(user)).get(`/delegations/${d.id}`).expect(200);
        expect(res.body.id).to.equal(d.id);
        expect(res.headers.etag).to.equal('"1"');
      }
      await adminApi.get(`/delegations/${d.id}`).expect(200);
      for (const user of [w.userC, w.keyUserD]) await (await apiOf(user)).get(`/delegations/${d.id}`).expect(404);
      const keyUser = await apiOf(w.keyUserC);
      for (const bad of [`${d.id}abc`, '1abc', '-1', '0x1', '1.0', '99999999999999', '0']) {
        const res = await keyUser.get(`/delegations/${bad}`);
        expect(res.status, bad).to.equal(404);
      }
      await keyUser.patch('/delegations/1abc').send({ endsAt: farFuture }).expect(404);
      await keyUser.delete('/delegations/1abc').expect(404);
      await request(app.url).get(`/api/v1/delegations/${d.id}`).expect(401);
    });

    it('extends, shortens and open-ends with PATCH (If-Match guards), revokes with DELETE (key users, admins), and then refuses changes', async function () {
      const w = await delegationWorld(app);
      const keyUser = await apiOf(w.keyUserC);
      const d = (await keyUser.post('/delegations').send(grantBody(w)).expect(201)).body as DelegationJson;
      const longer = await keyUser.patch(`/delegations/${d.id}`).set('If-Match', '"1"').send({ endsAt: farFuture }).expect(200);
      expect(longer.body).to.include({ endsAt: '2099-06-30T23:59:59.999Z', version: 2 });
      expect(longer.headers.etag).to.equal('"2"');
      const stale = await keyUser.patch(`/delegations/${d.id}`).set('If-Match', '"1"').send({ endsAt: '2098-01-01' }).expect(409);
      expect(stale.body.error.code).to.equal('version_conflict');
      await keyUser.patch(`/delegations/${d.id}`).set('If-Match', '"2"').send({ endsAt: '2098-01-01', version: 1 }).expect(400);
      const open = (await keyUser.patch(`/delegations/${d.id}`).send({ endsAt: null, version: 2 }).expect(200)).body as DelegationJson;
      expect(open).to.include({ endsAt: null, version: 3 });
      expect((await keyUser.patch(`/delegations/${d.id}`).send({ endsAt: '2001-01-01' }).expect(422)).body.error.code).to.equal('in_past');
      // The delegate reads theirs but manages nothing; other customers' key users do not see it at all.
      for (const other of [w.keyUserD, w.consultant]) {
        await (await apiOf(other)).patch(`/delegations/${d.id}`).send({ endsAt: farFuture }).expect(404);
        await (await apiOf(other)).delete(`/delegations/${d.id}`).expect(404);
      }
      await (await apiOf(w.keyUserC2)).patch(`/delegations/${d.id}`).send({ endsAt: null, version: 3 }).expect(200);
      await adminApi.patch(`/delegations/${d.id}`).send({ endsAt: farFuture }).expect(403);

      const revoked = (await keyUser.delete(`/delegations/${d.id}`).expect(200)).body as DelegationJson;
      expect(revoked).to.include({ status: 'revoked', revokedBy: w.keyUserC.login });
      expect(revoked.revokedAt).to.be.a('string');
      expect((await keyUser.patch(`/delegations/${d.id}`).send({ endsAt: farFuture }).expect(409)).body.error.code).to.equal('revoked');
      expect((await keyUser.delete(`/delegations/${d.id}`).expect(200)).body.revokedAt, 'revoking twice changes nothing').to.equal(revoked.revokedAt);
      // The delegate still sees it, as revoked.
      expect((await (await apiOf(w.consultant)).get(`/delegations/${d.id}`).expect(200)).body.status).to.equal('revoked');

      // Admins revoke in an emergency.
      const second = (await keyUser.post('/delegations').send(grantBody(w)).expect(201)).body as DelegationJson;
      expect((await adminApi.delete(`/delegations/${second.id}`).expect(200)).body.status).to.equal('revoked');
    });

    it('makes a guest account for an unknown address, whose set-up link works and leads into C', async function () {
      const w = await delegationWorld(app);
      const email = `${unique('guest')}@elsewhere.example`;
      const seen = smtp.messages.length;
      const d = (await (await apiOf(w.keyUserC)).post('/delegations').send(grantBody(w, { email })).expect(201)).body as DelegationJson;
      const mails = (await delegationMailsSince(app, smtp, seen)).filter((m) => recipientsOf(m).includes(email));
      expect(mails).to.have.length(1);
      const url = /http:\/\/loket\.test(\/password\/set\/[A-Za-z0-9_-]+)/.exec(mails[0]!.text ?? '');
      expect(url, 'a set-up link in the invitation').to.not.equal(null);
      const path = url![1]!;

      const browser = request.agent(app.url);
      const form = await browser.get(path).expect(200);
      const password = `pw-${unique('guest')}`;
      await browser.post(path).type('form').send({ _csrf: csrfFrom(form.text), password, confirm: password }).expect(303);
      await browser.get(path).expect(410);

      const { agent, csrf } = await signIn(app, { login: email, password });
      const home = (await agent.get('/api/v1/me').expect(200)).body as { customerId: string; effectiveCustomerId: string };
      expect(home.customerId).to.equal(app.loket.container.config.delegation.guestCustomerId);
      const inC = (await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.c }).expect(200)).body as { effectiveCustomerId: string; delegation: { id: number } };
      expect(inC.effectiveCustomerId).to.equal(w.c);
      expect(inC.delegation.id).to.equal(d.id);
    });

    it('reports usage: a ticket filed in C through the header counts to C', async function () {
      const w = await delegationWorld(app);
      const { queue, group } = await createQueue(app, w.admin);
      const { assignments } = app.loket.container.services;
      await assignments.setGroups(w.admin, { kind: 'customer-user', login: w.consultant.login }, { groups: [{ group, permissions: ['create'] }] }, cliSubject());
      await assignments.setGroups(w.admin, { kind: 'customer', customerId: w.c }, { groups: [{ group, permissions: ['create'] }] }, cliSubject());
      const keyUser = await apiOf(w.keyUserC);
      const d = (await keyUser.post('/delegations').send(grantBody(w)).expect(201)).body as DelegationJson;

      const consultant = await apiOf(w.consultant);
      const ticket = await consultant.post('/tickets').set('Loket-Organisation', w.c).send({ title: unique('Via header'), body: 'For C.', queue }).expect(201);
      expect(ticket.body).to.include({ customerId: w.c, delegationId: d.id, customerUser: w.consultant.login });
      await consultant.post('/tickets').send({ title: unique('At home'), body: 'For D.', queue }).expect(201);

      const report = (await keyUser.get(`/delegations/usage?customerId=${w.c}`).expect(200)).body as { customerId: string; since: string; total: number; items: Record<string, unknown>[] };
      expect(report).to.include({ customerId: w.c, total: 1 });
      expect(report.items[0]).to.include({ delegationId: d.id, email: w.consultant.email, ticketsFiled: 1, switchesIn: 1 });
      expect(report.items[0]!.lastActivityAt).to.be.a('string');
      const later = (await keyUser.get(`/delegations/usage?customerId=${w.c}&since=2099-01-01`).expect(200)).body as { items: { ticketsFiled: number }[] };
      expect(later.items[0]!.ticketsFiled).to.equal(0);
      await adminApi.get(`/delegations/usage?customerId=${w.c}`).expect(200);
      for (const user of [w.consultant, w.keyUserD, w.userC]) await (await apiOf(user)).get(`/delegations/usage?customerId=${w.c}`).expect(403);
      await keyUser.get('/delegations/usage').expect(400);
      await keyUser.get(`/delegations/usage?customerId=${w.c}&since=yesterday`).expect(400);
    });

    it('answers 400 for arrays or objects where strings belong, unknown fields and unknown query parameters', async function () {
      const w = await delegationWorld(app);
      const keyUser = await apiOf(w.keyUserC);
      const bodies: [string, unknown][] = [
        ['customerId', grantBody(w, { customerId: [w.c] })],
        ['email', grantBody(w, { email: { $ne: '' } })],
        ['email', grantBody(w, { email: [w.consultant.email] })],
        ['role', grantBody(w, { role: 'admin' })],
        ['reason', grantBody(w, { reason: ['x'] })],
        ['endsAt', grantBody(w, { endsAt: ['2099-01-01'] })],
        ['endsAt', grantBody(w, { endsAt: 'next week' })],
        ['startsAt', grantBody(w, { startsAt: '2099-01-01' })],
        ['createdBy', grantBody(w, { createdBy: w.keyUserC2.login })],
        ['reason', { customerId: w.c, email: w.consultant.email, role: 'customer' }],
      ];
      for (const [field, body] of bodies) {
        const res = await keyUser.post('/delegations').send(body as object);
        expect(res.status, field).to.equal(400);
        expect(res.body.error.field, JSON.stringify(body)).to.equal(field);
      }
      await keyUser.post('/delegations').send([grantBody(w)]).expect(400);
      await keyUser.post('/delegations').set('Content-Type', 'application/json').send('"text"').expect(400);
      const d = (await keyUser.post('/delegations').send(grantBody(w)).expect(201)).body as DelegationJson;
      expect((await keyUser.patch(`/delegations/${d.id}`).send({ endsAt: [farFuture] }).expect(400)).body.error.field).to.equal('endsAt');
      expect((await keyUser.patch(`/delegations/${d.id}`).send({ endsAt: farFuture, status: 'active' }).expect(400)).body.error.field).to.equal('status');
      await keyUser.patch(`/delegations/${d.id}`).send({}).expect(400);
      for (const query of ['customerId[]=x', `customerId=${w.c}&customerId=${w.c}`, 'scope=all', 'status=active']) {
        expect((await keyUser.get(`/delegations?${query}`)).status, query).to.equal(400);
      }
      expect((await keyUser.get('/deputies?login=x')).status).to.equal(400);
      expect((await keyUser.post('/session/organisation').send({ customerId: [w.c] })).status).to.equal(400);
    });
  });

  describe('deputies', function () {
    it('lets a key user name a colleague for themself; both see it, it grants the key-user marks, and it can be revoked', async function () {
      const w = await delegationWorld(app);
      const keyUser = await apiOf(w.keyUserC);
      const res = await keyUser.post('/deputies').send({ deputy: w.userC.login, endsAt: inDays(30), reason: 'Holiday' }).expect(201);
      const dep = res.body as DeputyJson;
      expect(res.headers.location).to.match(new RegExp(`/api/v1/deputies/${dep.id}$`));
      expect(dep).to.include({ customerId: w.c, status: 'active', endsAt: `${inDays(30)}T23:59:59.999Z` });
      expect(dep.principal).to.deep.equal({ login: w.keyUserC.login, name: 'Test Customer' });
      expect(dep.deputy).to.deep.equal({ login: w.userC.login, name: 'Test Customer' });

      const deputy = await apiOf(w.userC);
      for (const [who, api] of [['principal', keyUser], ['deputy', deputy], ['other key user of C', await apiOf(w.keyUserC2)]] as const) {
        const list = (await api.get('/deputies').expect(200)).body as { items: DeputyJson[]; total: number };
        expect(list.items.map((x) => x.id), who).to.include(dep.id);
        await api.get(`/deputies/${dep.id}`).expect(200);
      }
      for (const outsider of [w.keyUserD, w.consultant]) {
        expect(((await (await apiOf(outsider)).get('/deputies').expect(200)).body as { items: DeputyJson[] }).items.map((x) => x.id)).to.not.include(dep.id);
        await (await apiOf(outsider)).get(`/deputies/${dep.id}`).expect(404);
        await (await apiOf(outsider)).delete(`/deputies/${dep.id}`).expect(404);
      }
      expect(((await adminApi.get(`/deputies?customerId=${w.c}`).expect(200)).body as { items: DeputyJson[] }).items.map((x) => x.id)).to.deep.equal([dep.id]);
      await (await apiOf(w.userC)).get('/deputies/1abc').expect(404);

      const standingIn = (await deputy.get('/me').expect(200)).body as { deputyFor: { login: string; keyUserOf: string[] }[]; keyUserOf: string[] };
      expect(standingIn.deputyFor.map((g) => g.login)).to.deep.equal([w.keyUserC.login]);
      expect(standingIn.deputyFor[0]!.keyUserOf).to.deep.equal([w.c]);

      const overlap = await keyUser.post('/deputies').send({ deputy: w.keyUserC2.login, startsAt: inDays(10), endsAt: inDays(12) }).expect(409);
      expect(overlap.body.error.code).to.equal('overlap');

      const revoked = (await deputy.delete(`/deputies/${dep.id}`).expect(200)).body as DeputyJson & { revokedBy: string };
      expect(revoked).to.include({ status: 'revoked', revokedBy: w.userC.login });
      expect(((await deputy.get('/me').expect(200)).body as { deputyFor: unknown[] }).deputyFor).to.deep.equal([]);
      const audit = (await adminApi.get(`/audit?object=deputy:${dep.id}`).expect(200)).body as { items: { action: string; actorLogin: string }[] };
      expect(audit.items.map((e) => `${e.action}:${e.actorLogin}`).sort()).to.deep.equal([`deputy.create:${w.keyUserC.login}`, `deputy.revoke:${w.userC.login}`]);
    });

    it('lets a manager name one; refuses a plain user (403), another customer\'s person (422) and a past end (422)', async function () {
      const w = await delegationWorld(app);
      const manager = await createCustomerUser(app, w.admin, { customerId: w.c });
      const report = await createCustomerUser(app, w.admin, { customerId: w.c, extra: { manager: manager.login } });
      const managerApi = await apiOf(manager);
      const made = (await managerApi.post('/deputies').send({ deputy: w.userC.login, startsAt: inDays(40), endsAt: inDays(54) }).expect(201)).body as DeputyJson;
      expect(made).to.include({ status: 'scheduled' });
      expect(made.principal.login).to.equal(manager.login);

      const plain = await apiOf(report);
      const refused = await plain.post('/deputies').send({ deputy: w.userC.login, endsAt: inDays(30) }).expect(403);
      expect(refused.body.error.code).to.equal('forbidden');
      await plain.post('/deputies').send({ principal: manager.login, deputy: report.login, endsAt: inDays(30) }).expect(403);

      const keyUser = await apiOf(w.keyUserC);
      const elsewhere = await keyUser.post('/deputies').send({ deputy: w.consultant.login, endsAt: inDays(30) }).expect(422);
      expect(elsewhere.body.error).to.include({ code: 'other_customer', field: 'deputy' });
      expect((await keyUser.post('/deputies').send({ deputy: w.userC.login, endsAt: '2001-01-01' }).expect(422)).body.error.code).to.equal('in_past');
      expect((await keyUser.post('/deputies').send({ deputy: unique('nobody'), endsAt: inDays(30) }).expect(422)).body.error.code).to.equal('unknown_user');
      // A key user may name one for a manager of their customer; not for a person of another customer.
      await keyUser.post('/deputies').send({ principal: manager.login, deputy: w.userC.login, startsAt: inDays(60), endsAt: inDays(61) }).expect(201);
      await keyUser.post('/deputies').send({ principal: w.keyUserD.login, deputy: w.consultant.login, endsAt: inDays(30) }).expect(403);

      for (const [field, body] of [
        ['deputy', { deputy: [w.userC.login], endsAt: inDays(30) }],
        ['deputy', { deputy: { login: w.userC.login }, endsAt: inDays(30) }],
        ['endsAt', { deputy: w.userC.login, endsAt: 'soon' }],
        ['endsAt', { deputy: w.userC.login }],
        ['customerId', { deputy: w.userC.login, endsAt: inDays(30), customerId: w.d }],
      ] as const) {
        const res = await keyUser.post('/deputies').send(body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.field).to.equal(field);
      }
    });

    it('ends on time: past its end the deputy is ended and adds nothing to the actor', async function () {
      const w = await delegationWorld(app);
      const dep = (await (await apiOf(w.keyUserC)).post('/deputies').send({ deputy: w.userC.login, endsAt: inDays(30) }).expect(201)).body as DeputyJson;
      const deputy = await apiOf(w.userC);
      expect(((await deputy.get('/me').expect(200)).body as { deputyFor: unknown[] }).deputyFor).to.have.length(1);
      const { knex, tables } = app.loket.container;
      await knex(tables.deputies).where('id', dep.id).update({ ends_at: new Date(Date.now() - 1000).toISOString() });
      expect((await deputy.get(`/deputies/${dep.id}`).expect(200)).body.status).to.equal('ended');
      const after = (await deputy.get('/me').expect(200)).body as { deputyFor: unknown[]; keyUserOf: string[] };
      expect(after.deputyFor).to.deep.equal([]);
      expect(after.keyUserOf).to.deep.equal([]);
    });
  });

  it('documents every delegation and deputy operation in the OpenAPI document', async function () {
    const doc = (await request(app.url).get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const expected: [string, string[]][] = [
      ['/delegations', ['get', 'post']],
      ['/delegations/usage', ['get']],
      ['/delegations/{id}', ['get', 'patch', 'delete']],
      ['/delegations/{id}/review', ['post']],
      ['/deputies', ['get', 'post']],
      ['/deputies/{id}', ['get', 'delete']],
      ['/session/organisation', ['post']],
    ];
    for (const [path, methods] of expected) expect(Object.keys(doc.paths[path] ?? {}), path).to.include.members(methods);
    const post = doc.paths['/delegations']!.post as { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown>; required: string[] } } } } };
    expect(Object.keys(post.requestBody.content['application/json'].schema.properties)).to.have.members(['customerId', 'email', 'role', 'endsAt', 'reason']);
  });
});
