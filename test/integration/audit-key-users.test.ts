import { expect } from 'chai';
import request from 'supertest';
import { auditSubjectOf } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { createCustomerUser } from '../helpers/customers.js';
import { actorOf, delegationWorld, grantDelegation, type DelegationWorld } from '../helpers/delegation.js';

interface AuditItem {
  id: number;
  action: string;
  actorLogin: string;
  effectiveCustomerId: string | null;
  delegationId: number | null;
  objectType: string;
  objectId: string;
  ip: string | null;
}

interface AuditList {
  items: AuditItem[];
  total: number;
  limit: number;
}

/** The rows of the audit table, as text per row (tags stripped, entities kept). */
function tableRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

/**
 * SPEC "Audit": key users read the audit log of their own customers (entries whose effective organisation
 * is theirs), on /portal/audit and GET /api/v1/audit; never another customer's, never admin-only entries,
 * never through a delegation. Admins keep reading everything.
 */
describe('audit log for key users', function () {
  let app: TestApp;
  let w: DelegationWorld;
  let adminToken: string;
  /** keyUserC's grant into C (reason with markup), consultant's switch into C, keyUserD's grant into D. */
  let grantC: number;
  let grantD: number;
  let markupReason: string;
  /** An entry made in an organisation whose ID differs from C's only in case. */
  let caseTwin: number;

  const me = async (agent: Agent, path: string): Promise<AuditList> => (await agent.get(path).expect(200)).body as AuditList;

  before(async function () {
    app = await startTestApp();
    w = await delegationWorld(app);
    const admin = await app.createAgent('admin');
    adminToken = await issueToken(app, { type: 'agent', id: admin.id }, admin.login);

    markupReason = `<script>alert("${unique('kp')}")</script>`;
    grantC = (await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.consultant.email, reason: markupReason })).id;
    const outsider = await createCustomerUser(app, w.admin, { customerId: unique('E') });
    grantD = (await grantDelegation(app, w.keyUserD, { customerId: w.d, email: outsider.email })).id;

    // The consultant (of D) works in C: the switch-in is an entry of C, naming the consultant.
    const { agent, csrf } = await signIn(app, w.consultant);
    await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.c }).expect(200);

    const twin = await app.loket.container.services.audit.record(
      { ...auditSubjectOf(await actorOf(app, w.keyUserD)), effectiveCustomerId: w.c.toLowerCase() },
      { action: 'test.case-twin', objectType: 'test', objectId: unique('twin') },
    );
    caseTwin = twin.id;
  });
  after(async () => {
    await app?.close();
  });

  describe('GET /api/v1/audit', () => {
    it("gives a key user of C the entries made in C: their grant and a delegate's switch-in, nothing else", async () => {
      const { agent } = await signIn(app, w.keyUserC);
      const list = await me(agent, '/api/v1/audit?limit=1000');
      expect(list.items.length).to.equal(list.total);
      expect(list.items.every((i) => i.effectiveCustomerId === w.c), 'only entries of C').to.equal(true);
      const actions = list.items.map((i) => `${i.action} ${i.objectId} ${i.actorLogin}`);
      expect(actions).to.include(`delegation.grant ${grantC} ${w.keyUserC.login}`);
      expect(actions).to.include(`delegation.switch-in ${grantC} ${w.consultant.login}`);
      const switchIn = list.items.find((i) => i.action === 'delegation.switch-in');
      expect(switchIn?.delegationId).to.equal(grantC);
      // Where it was done from is the admins' to read: the same entry carries the address for them only.
      expect(list.items.every((i) => i.ip === null), 'no IP addresses for key users').to.equal(true);
      const asAdmin = await app.loket.container.services.audit.page(w.admin, { objectType: 'delegation', objectId: String(grantC), limit: 10 });
      expect(asAdmin.items.find((i) => i.action === 'delegation.switch-in')?.ip).to.be.a('string');
      // Not D's, not the case twin's, not the admin's (no effective organisation).
      expect(list.items.map((i) => i.id)).to.not.include(caseTwin);
      expect(list.items.some((i) => i.objectId === String(grantD))).to.equal(false);
      expect((await me(agent, `/api/v1/audit?actor=${w.admin.login}`)).total).to.equal(0);
      // The other key user of C reads the same entries; the filters work as for admins.
      const { agent: other } = await signIn(app, w.keyUserC2);
      const byObject = await me(other, `/api/v1/audit?object=delegation:${grantC}`);
      expect(byObject.items.map((i) => i.action).sort()).to.deep.equal(['delegation.grant', 'delegation.switch-in']);
      const byActor = await me(other, `/api/v1/audit?actor=${w.consultant.login}`);
      expect(byActor.items.map((i) => i.action)).to.deep.equal(['delegation.switch-in']);
    });

    it("narrows with customerId to one of the key user's customers; another customer (also a case twin) is 403", async () => {
      const { agent } = await signIn(app, w.keyUserC);
      const own = await me(agent, `/api/v1/audit?customerId=${encodeURIComponent(w.c)}&limit=1000`);
      expect(own.total).to.be.at.least(2);
      for (const other of [w.d, w.c.toLowerCase(), unique('nobody')]) {
        const res = await agent.get(`/api/v1/audit?customerId=${encodeURIComponent(other)}`);
        expect(res.status, other).to.equal(403);
        expect(res.body.error.code).to.equal('forbidden');
      }
      // Key user of D at home: D's entries, never what they or others did in C.
      const { agent: dAgent } = await signIn(app, w.keyUserD);
      const ofD = await me(dAgent, '/api/v1/audit?limit=1000');
      expect(ofD.items.every((i) => i.effectiveCustomerId === w.d)).to.equal(true);
      expect(ofD.items.some((i) => i.action === 'delegation.grant' && i.objectId === String(grantD))).to.equal(true);
      expect(ofD.items.map((i) => i.id)).to.not.include(caseTwin);
    });

    it('gives a key user of two customers both, and each one alone with customerId', async () => {
      const both = await createCustomerUser(app, w.admin, { customerId: w.c, customerIds: [w.d], keyUserOf: [w.c, w.d] });
      const { agent } = await signIn(app, both);
      const all = await me(agent, '/api/v1/audit?limit=1000');
      const orgs = new Set(all.items.map((i) => i.effectiveCustomerId));
      expect([...orgs].sort()).to.deep.equal([w.c, w.d].sort());
      const onlyD = await me(agent, `/api/v1/audit?customerId=${encodeURIComponent(w.d)}&limit=1000`);
      expect(onlyD.items.length).to.be.above(0);
      expect(onlyD.items.every((i) => i.effectiveCustomerId === w.d)).to.equal(true);
      expect(onlyD.total + (await me(agent, `/api/v1/audit?customerId=${encodeURIComponent(w.c)}&limit=1000`)).total).to.equal(all.total);
    });

    it('refuses a plain customer user and a delegate switched into C as key user (403), and answers 401 to nobody', async () => {
      const { agent: plain } = await signIn(app, w.userC);
      expect((await plain.get('/api/v1/audit').expect(403)).body.error.code).to.equal('forbidden');
      // Refused before the query is looked at.
      await plain.get('/api/v1/audit?bogus=1').expect(403);

      const strong = await createCustomerUser(app, w.admin, { customerId: w.d, keyUserOf: [w.d] });
      await grantDelegation(app, w.keyUserC, { customerId: w.c, email: strong.email, role: 'key-user' });
      const { agent, csrf } = await signIn(app, strong);
      // At home the delegate reads D's log ...
      await agent.get('/api/v1/audit').expect(200);
      await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.c }).expect(200);
      const inC = (await agent.get('/api/v1/me').expect(200)).body as { keyUserOf: string[]; effectiveCustomerId: string };
      expect(inC).to.deep.include({ keyUserOf: [w.c], effectiveCustomerId: w.c });
      // ... but never C's through the delegation, nor D's while switched.
      await agent.get('/api/v1/audit').expect(403);
      await agent.get(`/api/v1/audit?customerId=${encodeURIComponent(w.c)}`).expect(403);
      await agent.get('/portal/audit').expect(403);
      await request(app.url).get('/api/v1/audit').expect(401);
    });

    it('still gives the admin every entry, and customerId narrows for admins too', async () => {
      const all = (await bearer(app, adminToken).get('/audit?limit=1000').expect(200)).body as AuditList;
      const ids = all.items.map((i) => i.id);
      expect(ids).to.include(caseTwin);
      expect(all.items.some((i) => i.effectiveCustomerId === null)).to.equal(true);
      expect(all.items.some((i) => i.effectiveCustomerId === w.d)).to.equal(true);
      expect(all.items.some((i) => i.effectiveCustomerId === w.c)).to.equal(true);
      const twin = (await bearer(app, adminToken).get(`/audit?customerId=${encodeURIComponent(w.c.toLowerCase())}`).expect(200)).body as AuditList;
      expect(twin.items.map((i) => i.id)).to.deep.equal([caseTwin]);
      // The chain check stays the admins'.
      const keyUser = await actorOf(app, w.keyUserC);
      try {
        await app.loket.container.services.audit.verifyAsActor(keyUser);
        expect.fail('a key user verified the chain');
      } catch (err) {
        expect(err).to.have.property('status', 403);
      }
    });
  });

  describe('the portal screen /portal/audit', () => {
    it("renders the key user's entries with the markup of a reason escaped, without the chain check", async () => {
      const { agent } = await signIn(app, w.keyUserC);
      const page = await agent.get('/portal/audit?limit=1000').expect(200);
      expect(page.text).to.contain(`Audit log of Customer ${w.c}`);
      expect(page.text).to.not.contain('<script>alert').and.not.contain('/admin/audit/verify');
      expect(page.text).to.contain('&lt;script&gt;alert(');
      const rows = tableRows(page.text);
      expect(rows.some((r) => r.includes('delegation.grant') && r.includes(`delegation/${grantC}`))).to.equal(true);
      expect(rows.some((r) => r.includes('delegation.switch-in') && r.includes(w.consultant.login) && r.includes(`via delegation ${grantC}`))).to.equal(true);
      expect(rows.some((r) => r.includes(`delegation/${grantD}`) || r.includes('test.case-twin'))).to.equal(false);
      expect(rows.every((r) => r.includes(w.c))).to.equal(true);
      // One customer: no customer choice.
      expect(page.text).to.not.contain('name="customerId"');
      // The page is in the portal area.
      expect(page.text).to.match(/href="\/portal" aria-current="true"/);
    });

    it('filters and pages like the admin screen, keeping the customer in the links', async () => {
      const both = await createCustomerUser(app, w.admin, { customerId: w.c, customerIds: [w.d], keyUserOf: [w.c, w.d] });
      const { agent } = await signIn(app, both);
      const all = await agent.get('/portal/audit').expect(200);
      expect(all.text).to.contain('name="customerId"').and.contain(`<option value="${w.d}">`);
      const first = await agent.get(`/portal/audit?customerId=${encodeURIComponent(w.c)}&limit=1`).expect(200);
      expect(first.text).to.contain(`<option value="${w.c}" selected>`);
      const older = /href="[^"]*\/portal\/audit\?([^"]*)" rel="next"/.exec(first.text)?.[1];
      expect(older, 'older entries link').to.be.a('string');
      const params = new URLSearchParams(older!.replace(/&amp;/g, '&'));
      expect(params.get('customerId')).to.equal(w.c);
      const second = await agent.get(`/portal/audit?${params.toString()}`).expect(200);
      const [newest] = tableRows(first.text);
      const [next] = tableRows(second.text);
      expect(Number(next!.split(' ')[0])).to.be.below(Number(newest!.split(' ')[0]));
      expect(next).to.contain(w.c);
      const byActor = tableRows((await agent.get(`/portal/audit?actor=${w.consultant.login}&customerId=${encodeURIComponent(w.c)}`).expect(200)).text);
      expect(byActor).to.have.length(1);
      expect(byActor[0]).to.contain('delegation.switch-in');
      await agent.get('/portal/audit?limit=0').expect(400);
      await agent.get(`/portal/audit?customerId=${encodeURIComponent(unique('nobody'))}`).expect(403);
    });

    it('refuses a plain customer user and an agent (403) and sends visitors to the login page', async () => {
      const { agent: plain } = await signIn(app, w.userC);
      await plain.get('/portal/audit').expect(403);
      const staff = await app.createAgent('agent');
      const { agent: agentSession } = await signIn(app, staff);
      await agentSession.get('/portal/audit').expect(403);
      const visitor = await request(app.url).get('/portal/audit').expect(303);
      expect(visitor.headers.location).to.equal('/login?returnTo=%2Fportal%2Faudit');
    });

    it("is linked from the key users' delegations page, for the customer shown there", async () => {
      const { agent } = await signIn(app, w.keyUserC);
      const page = await agent.get('/portal/delegations').expect(200);
      expect(page.text).to.contain(`href="/portal/audit?customerId=${encodeURIComponent(w.c)}" id="dl-audit-link">Audit log of Customer ${w.c}</a>`);
    });
  });

  describe('the admin screen', () => {
    it('still shows every entry, with the chain check', async () => {
      const admin = await app.createAgent('admin');
      const { agent } = await signIn(app, admin);
      const page = await agent.get('/admin/audit?limit=1000').expect(200);
      const rows = tableRows(page.text);
      expect(rows.some((r) => r.includes('test.case-twin'))).to.equal(true);
      expect(rows.some((r) => r.includes(`delegation/${grantD}`))).to.equal(true);
      expect(page.text).to.contain('/admin/audit/verify').and.not.contain('name="customerId"');
    });
  });
});
