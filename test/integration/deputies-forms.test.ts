import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { auditSubjectOf, cliSubject } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { signIn, startMailingTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { actorOf } from '../helpers/delegation.js';
import { formInput, saveForm } from '../helpers/forms.js';
import type { TestSmtp } from '../helpers/smtp.js';
import { createQueue } from '../helpers/tickets.js';

interface RunBody {
  id: number;
  state: string;
  ticketNumber: string | null;
  payloadHash: string;
  target: { login?: string } | null;
  approvals: { id: number; approver: { login: string }; state: string }[];
}
interface MyApproval {
  approval: { id: number; approver: { login: string } };
  run: { id: number };
  onBehalfOf: { login: string; name: string } | null;
}
const errorCode = (body: unknown): string => (body as { error: { code: string } }).error.code;

/**
 * Holiday deputies in delegated forms: approvals of the person away route to their deputy at decide time
 * (also for runs submitted before the holiday began), a manager's deputy acts on the manager's reports,
 * a key user's deputy uses key-user forms; all of it stops when the period ends.
 */
describe('deputies in delegated forms and approvals', function () {
  let app: TestApp;
  let smtp: TestSmtp;
  let admin: Actor;
  let queue: string;
  const tokens = new Map<string, string>();

  before(async function () {
    ({ app, smtp } = await startMailingTestApp());
    admin = await adminActor(app);
    ({ queue } = await createQueue(app, admin));
    await app.loket.container.services.forms.installShipped(cliSubject(), { queue });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** One customer with people who have names of their own (the ticket line names two of them). */
  async function office() {
    const c = unique('C');
    const person = (first: string, last: string, opts: Parameters<typeof createCustomerUser>[2] = {}) =>
      createCustomerUser(app, admin, { customerId: c, ...opts, extra: { firstName: first, lastName: last, ...opts.extra } });
    const keyUser = await person('Kees', 'Keyuser', { keyUserOf: [c] });
    const deputy = await person('Dora', 'Deputy');
    const manager = await person('Mona', 'Manager');
    const report = await person('Rob', 'Report', { extra: { manager: manager.login } });
    const otherManager = await person('Otto', 'Othermanager');
    await person('Olga', 'Otherreport', { extra: { manager: otherManager.login } });
    const colleague = await person('Cor', 'Colleague');
    return { c, keyUser, deputy, manager, report, otherManager, colleague };
  }

  async function as(user: TestCustomerUser) {
    let token = tokens.get(user.login);
    if (!token) {
      token = await issueToken(app, { type: 'customer-user', id: user.id }, user.login);
      tokens.set(user.login, token);
    }
    return bearer(app, token);
  }

  /** `principal` names `deputy` as their deputy until tomorrow. */
  async function nameDeputy(principal: TestCustomerUser, deputy: TestCustomerUser) {
    const actor = await actorOf(app, principal);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    return app.loket.container.services.deputies.create(actor, { deputy: deputy.login, endsAt: tomorrow, reason: 'holiday' }, auditSubjectOf(actor));
  }

  /** A manager's form on a report that a key user of the report's customer approves; it deactivates the report. */
  async function approvedByKeyUsers(audience: ('manager' | 'key-user')[] = ['manager']): Promise<string> {
    const input = formInput({
      queue,
      audience,
      actions: [{ type: 'set-validity', input: { validity: 'invalid' } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
    });
    await saveForm(app, admin, input);
    return input.key;
  }

  async function mailTo(email: string, seen: number, matching = /./): Promise<{ subject: string; text: string }> {
    for (let n = seen; ; n++) {
      const mail = await smtp.next(n);
      const to = mail.to && !Array.isArray(mail.to) ? mail.to.text : '';
      if (to.includes(email) && matching.test(mail.text ?? '')) return { subject: mail.subject ?? '', text: mail.text ?? '' };
    }
  }

  const pendingOf = async (user: TestCustomerUser): Promise<MyApproval[]> => ((await (await as(user)).get('/approvals').expect(200)).body as { items: MyApproval[] }).items;

  it('a request awaiting a key user who is away is approved by their deputy: mailed, listed, executed, on the ticket and in the audit log', async function () {
    const o = await office();
    const key = await approvedByKeyUsers();
    const manager = await as(o.manager);
    // Submitted BEFORE the holiday starts: routing happens at decide time, so this one reaches the deputy too.
    const early = (await manager.post(`/forms/${key}/runs`).send({ target: o.report.login, values: {} }).expect(201)).body as RunBody;
    expect(early.approvals.map((a) => a.approver.login)).to.deep.equal([o.keyUser.login]);
    await (await as(o.deputy)).post(`/approvals/${early.approvals[0]!.id}/approve`).send({}).expect(404);

    const d = await nameDeputy(o.keyUser, o.deputy);
    expect(d.status).to.equal('active');

    // Submitted during the holiday: the approval mail goes to the key user of record and to the deputy.
    const seen = smtp.messages.length;
    const second = await createCustomerUser(app, admin, { customerId: o.c, extra: { manager: o.manager.login } });
    const during = (await manager.post(`/forms/${key}/runs`).send({ target: second.login, values: {} }).expect(201)).body as RunBody;
    const link = new RegExp(`http://loket\\.test/approvals/${during.approvals[0]!.id}\\b`);
    expect((await mailTo(o.deputy.email, seen, link)).text).to.include('deputy of Kees Keyuser');
    expect((await mailTo(o.keyUser.email, seen, link)).text).not.to.include('deputy of');

    // The deputy's list shows both, marked with whose they are; the key user's own list still has them.
    const listed = await pendingOf(o.deputy);
    expect(listed.map((p) => p.approval.id).sort()).to.deep.equal([early.approvals[0]!.id, during.approvals[0]!.id].sort());
    expect(listed.every((p) => p.onBehalfOf?.login === o.keyUser.login)).to.equal(true);
    expect((await pendingOf(o.keyUser)).map((p) => [p.approval.id, p.onBehalfOf])).to.deep.include([early.approvals[0]!.id, null]);
    // The colleague who is nobody's deputy sees none of it.
    expect(await pendingOf(o.colleague)).to.deep.equal([]);
    await (await as(o.colleague)).post(`/approvals/${early.approvals[0]!.id}/approve`).send({}).expect(404);

    const deputy = await as(o.deputy);
    await deputy.get(`/runs/${early.id}`).expect(200);
    const done = (await deputy.post(`/approvals/${early.approvals[0]!.id}/approve`).send({ payloadHash: early.payloadHash, comment: 'while Kees is away' }).expect(200)).body as RunBody;
    expect(done.state).to.equal('completed');
    expect(done.approvals[0]!.state).to.equal('approved');
    expect(done.approvals[0]!.approver.login, 'the approval stays the key user\'s of record').to.equal(o.keyUser.login);
    expect((await app.loket.container.services.customerUsers.findByLogin(o.report.login))?.validity).to.equal('invalid');

    const { knex, tables } = app.loket.container;
    const [row] = await knex<{ decided_by: string }>(tables.form_approvals).where('id', early.approvals[0]!.id).select('decided_by');
    expect(row?.decided_by).to.equal(`${o.deputy.login} (deputy of ${o.keyUser.login})`);

    const ticket = await manager.get(`/tickets/${early.ticketNumber}`).expect(200);
    const bodies = (ticket.body as { messages: { body: string }[] }).messages.map((m) => m.body).join('\n');
    expect(bodies).to.include('Approved by Dora Deputy, deputy of Kees Keyuser').and.include('Carried out');

    const audit = await app.loket.container.services.audit.page(admin, { objectType: 'form-run', objectId: String(early.id), limit: 20 });
    const decided = audit.items.find((e) => e.action === 'approval.decide');
    expect(decided?.actorLogin, 'the audit log names the deputy as the one who acted').to.equal(o.deputy.login);
    expect(decided?.after).to.deep.include({ decision: 'approved', onBehalfOf: o.keyUser.login });

    // Decided once: neither the deputy nor the key user decides it again.
    expect(errorCode((await deputy.post(`/approvals/${early.approvals[0]!.id}/approve`).send({}).expect(409)).body)).to.equal('already_decided');
    expect(errorCode((await (await as(o.keyUser)).post(`/approvals/${early.approvals[0]!.id}/approve`).send({}).expect(409)).body)).to.equal('already_decided');
  });

  it('with "all", a key user who also stands in for the other key user decides only one of the two approvals (four eyes)', async function () {
    const o = await office();
    const secondKeyUser = await createCustomerUser(app, admin, { customerId: o.c, keyUserOf: [o.c] });
    const input = formInput({
      queue,
      audience: ['manager'],
      actions: [{ type: 'set-validity', input: { validity: 'invalid' } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'all' }] },
    });
    await saveForm(app, admin, input);
    await nameDeputy(o.keyUser, secondKeyUser);
    const run = (await (await as(o.manager)).post(`/forms/${input.key}/runs`).send({ target: o.report.login, values: {} }).expect(201)).body as RunBody;
    const byLogin = new Map(run.approvals.map((a) => [a.approver.login, a.id]));
    const second = await as(secondKeyUser);
    await second.post(`/approvals/${byLogin.get(secondKeyUser.login)}/approve`).send({}).expect(200);
    const refused = await second.post(`/approvals/${byLogin.get(o.keyUser.login)}/approve`).send({}).expect(409);
    expect(errorCode(refused.body)).to.equal('one_decision_per_person');
    const after = (await second.get(`/runs/${run.id}`).expect(200)).body as RunBody;
    expect(after.state, 'the run still waits for the other person').to.equal('awaiting-approval');
    // The key user of record, back from holiday, gives the second pair of eyes.
    const done = (await (await as(o.keyUser)).post(`/approvals/${byLogin.get(o.keyUser.login)}/approve`).send({}).expect(200)).body as RunBody;
    expect(done.state).to.equal('completed');
  });

  it('the approval page tells the deputy for whom they decide, and the decision goes through the form', async function () {
    const o = await office();
    const key = await approvedByKeyUsers();
    const run = (await (await as(o.manager)).post(`/forms/${key}/runs`).send({ target: o.report.login, values: {} }).expect(201)).body as RunBody;
    await nameDeputy(o.keyUser, o.deputy);
    const { agent } = await signIn(app, o.deputy);
    const list = await agent.get('/approvals').expect(200);
    expect(list.text).to.include(`/approvals/${run.approvals[0]!.id}`).and.include('on behalf of Kees Keyuser');
    const page = await agent.get(`/approvals/${run.approvals[0]!.id}`).expect(200);
    expect(page.text).to.include('id="ap-deputy"').and.include('deputy of Kees Keyuser');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const posted = await agent.post(`/approvals/${run.approvals[0]!.id}`).type('form').send({ _csrf: csrf, decision: 'reject', comment: 'not now', payloadHash: run.payloadHash }).expect(303);
    expect(String(posted.headers.location)).to.match(new RegExp(`/runs/${run.id}\\b`));
    // The deputy reads the run they decided while the period runs.
    await agent.get(String(posted.headers.location)).expect(200);
    const after = (await (await as(o.manager)).get(`/runs/${run.id}`).expect(200)).body as RunBody;
    expect(after.state).to.equal('rejected');
  });

  it('when the period has ended or is revoked the deputy can no longer decide, list or read the run', async function () {
    const o = await office();
    const key = await approvedByKeyUsers();
    const manager = await as(o.manager);
    const run = (await manager.post(`/forms/${key}/runs`).send({ target: o.report.login, values: {} }).expect(201)).body as RunBody;
    const approvalId = run.approvals[0]!.id;
    const d = await nameDeputy(o.keyUser, o.deputy);
    expect((await pendingOf(o.deputy)).map((p) => p.approval.id)).to.deep.equal([approvalId]);
    await (await as(o.deputy)).get(`/runs/${run.id}`).expect(200);

    // The period's end passes (moved into the past in the database; nothing else changes).
    const { knex, tables } = app.loket.container;
    const past = new Date(Date.now() - 60_000).toISOString();
    await knex(tables.deputies).where('id', d.id).update({ starts_at: new Date(Date.now() - 86_400_000).toISOString(), ends_at: past });
    const deputy = await as(o.deputy);
    expect(await pendingOf(o.deputy)).to.deep.equal([]);
    await deputy.get(`/runs/${run.id}`).expect(404);
    expect(errorCode((await deputy.post(`/approvals/${approvalId}/approve`).send({}).expect(404)).body)).to.equal('not_found');

    // A new period, revoked by the key user: the same.
    const again = await nameDeputy(o.keyUser, o.deputy);
    expect((await pendingOf(o.deputy)).map((p) => p.approval.id)).to.deep.equal([approvalId]);
    const keyActor = await actorOf(app, o.keyUser);
    await app.loket.container.services.deputies.revoke(keyActor, again.id, auditSubjectOf(keyActor));
    expect(await pendingOf(o.deputy)).to.deep.equal([]);
    await deputy.post(`/approvals/${approvalId}/reject`).send({}).expect(404);

    // The key user of record still decides it.
    const decided = (await (await as(o.keyUser)).post(`/approvals/${approvalId}/approve`).send({}).expect(200)).body as RunBody;
    expect(decided.state).to.equal('completed');
  });

  it('a key user\'s deputy uses key-user forms, but never approves the request they made themself (self_approval)', async function () {
    const o = await office();
    const key = await approvedByKeyUsers(['key-user']);
    const target = await createCustomerUser(app, admin, { customerId: o.c });
    // Before the holiday the deputy is no key user: the form does not exist for them.
    await (await as(o.deputy)).post(`/forms/${key}/runs`).send({ target: target.login, values: {} }).expect(404);

    await nameDeputy(o.keyUser, o.deputy);
    const deputy = await as(o.deputy);
    const forms = (await deputy.get('/forms').expect(200)).body as { items: { key: string }[] };
    expect(forms.items.map((f) => f.key)).to.include.members([key, 'create-customer-user', 'grant-group-access']);
    const targets = (await deputy.get(`/forms/${key}/targets?search=${target.login}`).expect(200)).body as { items: { value: string }[] };
    expect(targets.items.map((t) => t.value)).to.deep.equal([target.login]);
    // Still only within the principal's customer.
    const elsewhere = await createCustomerUser(app, admin, { customerId: unique('E') });
    expect(errorCode((await deputy.post(`/forms/${key}/runs`).send({ target: elsewhere.login, values: {} }).expect(403)).body)).to.equal('out_of_scope');

    const run = (await deputy.post(`/forms/${key}/runs`).send({ target: target.login, values: {} }).expect(201)).body as RunBody;
    expect(run.state).to.equal('awaiting-approval');
    expect(run.approvals.map((a) => a.approver.login)).to.deep.equal([o.keyUser.login]);
    // The approval is the key user's, for whom the requester stands in: not theirs to decide, nor to list.
    expect((await pendingOf(o.deputy)).map((p) => p.run.id)).not.to.include(run.id);
    const refused = await deputy.post(`/approvals/${run.approvals[0]!.id}/approve`).send({ payloadHash: run.payloadHash }).expect(403);
    expect(errorCode(refused.body)).to.equal('self_approval');
    expect(((await deputy.get(`/runs/${run.id}`).expect(200)).body as RunBody).state).to.equal('awaiting-approval');
    // A colleague who stands in for nobody has no key-user forms.
    await (await as(o.colleague)).post(`/forms/${key}/runs`).send({ target: target.login, values: {} }).expect(404);
  });

  it('a manager\'s deputy requests a service for the manager\'s report; another manager and a plain colleague cannot', async function () {
    const o = await office();
    const service = unique('Svc');
    await app.loket.container.services.catalogue.create(admin, { name: service }, cliSubject());
    // Before the holiday the deputy manages nobody.
    await (await as(o.deputy)).get('/forms/team-request-service/targets').expect(404);

    await nameDeputy(o.manager, o.deputy);
    const deputy = await as(o.deputy);
    const targets = (await deputy.get('/forms/team-request-service/targets').expect(200)).body as { items: { value: string }[] };
    expect(targets.items.map((t) => t.value)).to.deep.equal([o.report.login]);
    const choices = (await deputy.get(`/forms/team-request-service/choices/service?target=${o.report.login}&limit=200`).expect(200)).body as { items: { value: string }[] };
    expect(choices.items.map((c) => c.value)).to.include(service);
    const run = (await deputy.post('/forms/team-request-service/runs').send({ target: o.report.login, values: { service } }).expect(201)).body as RunBody;
    expect(run.state).to.equal('awaiting-approval');
    expect(run.target?.login).to.equal(o.report.login);
    expect(run.approvals.map((a) => a.approver.login)).to.deep.equal([o.keyUser.login]);

    // Another manager of the same customer: the form is theirs, the report is not.
    const other = await as(o.otherManager);
    expect(((await other.get('/forms/team-request-service/targets').expect(200)).body as { items: { value: string }[] }).items.map((t) => t.value)).not.to.include(o.report.login);
    expect(errorCode((await other.post('/forms/team-request-service/runs').send({ target: o.report.login, values: { service } }).expect(403)).body)).to.equal('out_of_scope');
    // A colleague who manages nobody and stands in for nobody: no such form.
    await (await as(o.colleague)).post('/forms/team-request-service/runs').send({ target: o.report.login, values: { service } }).expect(404);

    // The key user approves; the report gets the service.
    const done = (await (await as(o.keyUser)).post(`/approvals/${run.approvals[0]!.id}/approve`).send({ payloadHash: run.payloadHash }).expect(200)).body as RunBody;
    expect(done.state).to.equal('completed');
    const effective = await app.loket.container.services.assignments.effective(admin, o.report.login);
    expect(effective.services.map((s) => s.service)).to.include(service);
  });
});
