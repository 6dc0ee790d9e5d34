import { expect } from 'chai';
import { auditSubjectOf } from '../../plugin/audit/service.js';
import { signIn, startMailingTestApp, type TestApp } from '../helpers/app.js';
import { actorOf, delegationWorld, grantDelegation, sessionCookieOf, type DelegationWorld } from '../helpers/delegation.js';
import type { TestSmtp } from '../helpers/smtp.js';

describe('delegation core: grant, switch, act, revoke', function () {
  let app: TestApp;
  let smtp: TestSmtp;
  let w: DelegationWorld;

  before(async function () {
    ({ app, smtp } = await startMailingTestApp());
    w = await delegationWorld(app);
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('switches a consultant into C with a new session id, works as C, and drops back home after revocation', async function () {
    const d = await grantDelegation(app, w.keyUserC, { customerId: w.c, email: w.consultant.email });
    expect(d.status).to.equal('active');
    expect(d.endsAt).to.be.a('string');
    const { agent, csrf } = await signIn(app, w.consultant);
    const before = await agent.get('/api/v1/me').expect(200);
    expect((before.body as { effectiveCustomerId: string }).effectiveCustomerId).to.equal(w.d);

    const switched = await agent.post('/api/v1/session/organisation').set('X-CSRF-Token', csrf).send({ customerId: w.c }).expect(200);
    expect(sessionCookieOf(switched), 'a new session cookie on switch').to.be.a('string');
    const me = (await agent.get('/api/v1/me').expect(200)).body as { effectiveCustomerId: string; login: string; delegation: { id: number; customerId: string } | null; customerIds: string[] };
    expect(me.effectiveCustomerId).to.equal(w.c);
    expect(me.login).to.equal(w.consultant.login);
    expect(me.delegation?.id).to.equal(d.id);
    expect(me.customerIds).to.deep.equal([w.c]);

    const keyUser = await actorOf(app, w.keyUserC);
    await app.loket.container.services.delegations.revoke(keyUser, d.id, auditSubjectOf(keyUser));
    const after = (await agent.get('/api/v1/me').expect(200)).body as { effectiveCustomerId: string; delegation: unknown };
    expect(after.effectiveCustomerId).to.equal(w.d);
    expect(after.delegation).to.equal(null);
  });
});
