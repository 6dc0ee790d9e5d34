import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { bearer, issueToken } from '../helpers/api.js';
import { startMailingTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { formInput, formsWorld, saveForm, type FormsWorld } from '../helpers/forms.js';
import type { TestSmtp } from '../helpers/smtp.js';

interface RunBody {
  id: number;
  state: string;
  ticketNumber: string | null;
  payloadHash: string;
  approvals: { id: number; approver: { login: string }; state: string }[];
}

describe('forms API: runs, approvals, request tickets, sweep', function () {
  let app: TestApp;
  let smtp: TestSmtp;
  let w: FormsWorld;
  let keyUser2: TestCustomerUser;
  const tokens = new Map<string, string>();

  before(async function () {
    ({ app, smtp } = await startMailingTestApp());
    w = await formsWorld(app, await adminActor(app));
    keyUser2 = await createCustomerUser(app, w.admin, { customerId: w.c, keyUserOf: [w.c] });
    await app.loket.container.services.forms.installShipped(cliSubject(), { queue: w.queue });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** The first mail since `seen` to this address (and matching), whatever else arrives around it. */
  async function mailTo(email: string, seen: number, matching = /./): Promise<{ subject: string; text: string }> {
    for (let n = seen; ; n++) {
      const mail = await smtp.next(n);
      const to = mail.to && !Array.isArray(mail.to) ? mail.to.text : '';
      if (to.includes(email) && matching.test(mail.text ?? '')) return { subject: mail.subject ?? '', text: mail.text ?? '' };
    }
  }

  async function as(user: TestCustomerUser) {
    let token = tokens.get(user.login);
    if (!token) {
      token = await issueToken(app, { type: 'customer-user', id: user.id }, user.login);
      tokens.set(user.login, token);
    }
    return bearer(app, token);
  }

  it('lists the forms a key user may use and shows the engine in the OpenAPI document', async function () {
    const res = await (await as(w.keyUser)).get('/forms').expect(200);
    const keys = (res.body as { items: { key: string }[] }).items.map((f) => f.key);
    expect(keys).to.include.members(['reset-password', 'create-customer-user', 'grant-group-access']);
    expect(keys).not.to.include('team-request-service');
    const doc = await (await as(w.keyUser)).get('/openapi.json').expect(200);
    expect(Object.keys((doc.body as { paths: Record<string, unknown> }).paths)).to.include.members(['/forms/{key}/runs', '/approvals/{id}/approve']);
  });

  it('a double submit with one Idempotency-Key makes one run and one ticket; another body with it is a 409', async function () {
    const api = await as(w.keyUser);
    const key = unique('idem-key');
    const body = { target: w.member.login, values: { reason: 'left the company' } };
    const first = await api.post('/forms/deactivate-customer-user/runs').set('Idempotency-Key', key).send(body).expect(201);
    const second = await api.post('/forms/deactivate-customer-user/runs').set('Idempotency-Key', key).send(body).expect(200);
    expect(second.headers['idempotent-replayed']).to.equal('true');
    expect((second.body as RunBody).id).to.equal((first.body as RunBody).id);
    expect((first.body as RunBody).state).to.equal('completed');
    const { knex, tables } = app.loket.container;
    const rows = (await knex(tables.form_runs).where({ form_key: 'deactivate-customer-user', target_login: w.member.login })) as unknown[];
    expect(rows).to.have.length(1);
    const tickets = (await knex(tables.tickets).where({ customer_user_login: w.member.login, type: 'request' })) as unknown[];
    expect(tickets).to.have.length(1);
    const other = await api.post('/forms/deactivate-customer-user/runs').set('Idempotency-Key', key).send({ ...body, values: { reason: 'other' } });
    expect(other.status).to.equal(409);
  });

  it('an out-of-scope target is a 403 even with forged id and customerId fields', async function () {
    const api = await as(w.keyUser);
    const forged = await api.post('/forms/deactivate-customer-user/runs').send({ target: w.outsider.login, values: { reason: 'x' }, customerId: w.c, id: w.member.id }).expect(403);
    expect((forged.body as { error: { code: string } }).error.code).to.equal('out_of_scope');
    const clean = await api.post('/forms/deactivate-customer-user/runs').send({ target: w.outsider.login, values: { reason: 'x' } }).expect(403);
    expect((clean.body as { error: { code: string } }).error.code).to.equal('out_of_scope');
    expect((await app.loket.container.services.customerUsers.findByLogin(w.outsider.login))?.validity).to.equal('valid');
  });

  it('manager asks a service for a report, a key user approves from the mailed link; the service shows "via form run N" and the ticket tells the story', async function () {
    const service = unique('Svc');
    await app.loket.container.services.catalogue.create(w.admin, { name: service }, cliSubject());
    const report = await createCustomerUser(app, w.admin, { customerId: w.c, extra: { manager: w.manager.login } });
    const manager = await as(w.manager);
    const choices = await manager.get(`/forms/team-request-service/choices/service?target=${report.login}&limit=200`).expect(200);
    expect((choices.body as { items: { value: string }[] }).items.map((c) => c.value)).to.include(service);
    const seen = smtp.messages.length;
    const submitted = await manager.post('/forms/team-request-service/runs').send({ target: report.login, values: { service } }).expect(201);
    const run = submitted.body as RunBody;
    expect(run.state).to.equal('awaiting-approval');
    expect(run.approvals.map((a) => a.approver.login).sort()).to.deep.equal([w.keyUser.login, keyUser2.login].sort());
    const approvalId = run.approvals.find((a) => a.approver.login === keyUser2.login)!.id;
    expect((await mailTo(keyUser2.email, seen)).text).to.include(`http://loket.test/approvals/${approvalId}`);

    const approver = await as(keyUser2);
    const pending = await approver.get('/approvals').expect(200);
    expect((pending.body as { items: { approval: { id: number } }[] }).items.map((i) => i.approval.id)).to.include(approvalId);
    // The request ticket is visible to requester and approvers (participants), not to another tenant.
    await manager.get(`/tickets/${run.ticketNumber}`).expect(200);
    await approver.get(`/tickets/${run.ticketNumber}`).expect(200);
    await (await as(w.outsider)).get(`/tickets/${run.ticketNumber}`).expect(404);
    await (await as(w.outsider)).get(`/runs/${run.id}`).expect(404);

    const done = await approver.post(`/approvals/${approvalId}/approve`).send({ payloadHash: run.payloadHash, comment: 'fine' }).expect(200);
    expect((done.body as RunBody).state).to.equal('completed');
    const effective = await app.loket.container.services.assignments.effective(w.admin, report.login);
    const entry = effective.services.find((s) => s.service === service);
    expect(entry?.reasons).to.deep.include({ source: 'form-run', runId: run.id });
    const ticket = await manager.get(`/tickets/${run.ticketNumber}`).expect(200);
    const bodies = (ticket.body as { messages: { body: string }[] }).messages.map((m) => m.body).join('\n');
    expect(bodies).to.include(service).and.include(`Approved by`).and.include('Carried out');
    await approver.post(`/approvals/${approvalId}/approve`).send({}).expect(409);
  });

  it('the sweep reminds once before expiry and then expires the run', async function () {
    const input = formInput({
      queue: w.queue,
      actions: [{ type: 'set-validity', input: { validity: 'invalid' } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }], expiresHours: 48, remindHoursBefore: 24 },
    });
    await saveForm(app, w.admin, input);
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const run = (await (await as(w.keyUser)).post(`/forms/${input.key}/runs`).send({ target: target.login, values: {} }).expect(201)).body as RunBody;
    const { formRuns } = app.loket.container.services;
    await formRuns.settle();
    const seen = smtp.messages.length;
    const soon = new Date(Date.now() + 30 * 3_600_000);
    expect((await formRuns.sweep(soon)).reminded).to.be.at.least(1);
    expect((await mailTo(keyUser2.email, seen, /expires soon/)).subject).to.match(/^Reminder/);
    expect((await formRuns.sweep(soon)).reminded).to.equal(0);
    const later = new Date(Date.now() + 49 * 3_600_000);
    expect((await formRuns.sweep(later)).expired).to.be.at.least(1);
    const after = await (await as(w.keyUser)).get(`/runs/${run.id}`).expect(200);
    expect((after.body as RunBody).state).to.equal('expired');
    const late = await (await as(keyUser2)).post(`/approvals/${run.approvals[0]!.id}/approve`).send({});
    expect([late.status, (late.body as { error: { code: string } }).error.code]).to.deep.equal([409, 'expired']);
    expect((await app.loket.container.services.customerUsers.findByLogin(target.login))?.validity).to.equal('valid');
  });

  it('filters the runs list by form: only that form\'s runs, an unknown key none, a malformed key 400', async function () {
    const one = formInput({ queue: w.queue });
    const two = formInput({ queue: w.queue });
    await saveForm(app, w.admin, one);
    await saveForm(app, w.admin, two);
    const api = await as(w.keyUser);
    const first = (await api.post(`/forms/${one.key}/runs`).send({ target: w.member.login, values: {} }).expect(201)).body as RunBody;
    const second = (await api.post(`/forms/${two.key}/runs`).send({ target: w.member.login, values: {} }).expect(201)).body as RunBody;
    for (const scope of ['mine', 'all']) {
      const res = await api.get(`/runs?scope=${scope}&formKey=${one.key}`).expect(200);
      const page = res.body as { items: { id: number; form: { key: string } }[]; total: number };
      expect(page.items.map((r) => r.id)).to.deep.equal([first.id]);
      expect(page.total).to.equal(1);
    }
    const both = (await api.get('/runs?limit=200').expect(200)).body as { items: { id: number }[] };
    expect(both.items.map((r) => r.id)).to.include.members([first.id, second.id]);
    const unknown = (await api.get(`/runs?formKey=${unique('nope').toLowerCase()}`).expect(200)).body as { items: unknown[]; total: number };
    expect([unknown.items.length, unknown.total]).to.deep.equal([0, 0]);
    for (const bad of ['formKey=..%2Fx', `formKey=${one.key}&formKey=${two.key}`, 'formKey=', 'formKey=A-B']) {
      const res = await api.get(`/runs?${bad}`).expect(400);
      expect((res.body as { error: { field: string } }).error.field).to.equal('formKey');
    }
  });

  it('a key user adds a colleague: the user is created in their customer and gets a set-password mail', async function () {
    const login = unique('new').toLowerCase();
    const seen = smtp.messages.length;
    const res = await (await as(w.keyUser))
      .post('/forms/create-customer-user/runs')
      .send({ target: w.c, values: { firstName: 'New', lastName: 'Colleague', email: `${login}@example.test`, login } })
      .expect(201);
    expect((res.body as RunBody).state).to.equal('completed');
    const created = await app.loket.container.services.customerUsers.findByLogin(login);
    expect(created?.customerId).to.equal(w.c);
    expect((await mailTo(`${login}@example.test`, seen, /\/password\/set\//)).text).to.include('/password/set/');
    const other = await (await as(w.keyUser)).post('/forms/create-customer-user/runs').send({ target: w.d, values: { firstName: 'X', lastName: 'Y', email: `x${login}@example.test`, login: `x${login}` } });
    expect(other.status).to.equal(403);
  });

  it('a key user resets a colleague\'s password: the colleague gets a set-password mail', async function () {
    const colleague = await createCustomerUser(app, w.admin, { customerId: w.c });
    const seen = smtp.messages.length;
    const res = await (await as(w.keyUser)).post('/forms/reset-password/runs').send({ target: colleague.login, values: {} }).expect(201);
    expect((res.body as RunBody).state).to.equal('completed');
    expect((await mailTo(colleague.email, seen, /\/password\/set\//)).text).to.include('/password/set/');
  });

  it('a request by ticket creates nothing but the request ticket, with the payload readable', async function () {
    const requester = await createCustomerUser(app, w.admin, { customerId: w.c });
    const res = await (await as(requester)).post('/forms/request-by-ticket/runs').send({ values: { kind: 'mailbox', details: 'A shared mailbox for sales' } }).expect(201);
    const run = res.body as RunBody;
    expect(run.state).to.equal('completed');
    const ticket = await (await as(requester)).get(`/tickets/${run.ticketNumber}`).expect(200);
    expect((ticket.body as { type: string }).type).to.equal('request');
    expect((ticket.body as { messages: { body: string }[] }).messages[0]!.body).to.include('A shared mailbox for sales');
    const bad = await (await as(requester)).post('/forms/request-by-ticket/runs').send({ values: { kind: 'printer', details: 'x' } }).expect(400);
    expect((bad.body as { error: { field: string } }).error.field).to.equal('kind');
  });
});
