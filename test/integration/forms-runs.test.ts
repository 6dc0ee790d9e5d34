import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { LoketError } from '../../plugin/errors.js';
import type { FormDefinitionInput } from '../../plugin/forms/definition.js';
import { signature } from '../../plugin/forms/webhook.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser } from '../helpers/customers.js';
import { customerActor, formInput, formsWorld, saveForm, type FormsWorld } from '../helpers/forms.js';
import type { TestCustomerUser } from '../helpers/customers.js';

async function rejects(work: Promise<unknown>): Promise<LoketError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof LoketError) return err;
    throw err;
  }
  throw new Error('expected a LoketError');
}

const SECRET = 'a-webhook-secret-for-tests-only';

describe('forms engine: approvals, execution, webhooks', function () {
  let app: TestApp;
  let w: FormsWorld;
  let keyUser2: TestCustomerUser;
  let group: string;

  before(async function () {
    app = await startTestApp({ options: { baseUrl: 'http://loket.test', forms: { webhookSecret: SECRET, webhookRetries: 1, webhookTimeoutMs: 2000 } } });
    w = await formsWorld(app, await adminActor(app));
    keyUser2 = await createCustomerUser(app, w.admin, { customerId: w.c, keyUserOf: [w.c] });
    group = unique('grp');
    await services().groups.create(w.admin, { name: group }, cliSubject());
  });
  after(async () => app?.close());

  const services = () => app.loket.container.services;
  const validity = async (login: string) => (await services().customerUsers.findByLogin(login))?.validity;

  /** Key users approve; the action grants rw in the test group, then makes the target invalid. */
  async function approvalForm(extra: Partial<FormDefinitionInput> = {}): Promise<string> {
    const input = formInput({
      queue: w.queue,
      actions: [
        { type: 'grant-group', input: { group, permission: 'rw' } },
        { type: 'set-validity', input: { validity: 'invalid' } },
      ],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
      ...extra,
    });
    await saveForm(app, w.admin, input);
    return input.key;
  }

  async function submitAs(user: TestCustomerUser, key: string, target: TestCustomerUser, values: Record<string, unknown> = {}) {
    return (await services().formRuns.submit(await customerActor(app, user), key, { target: target.login, values }, null, cliSubject())).run;
  }

  it('leaves the requester out of the approvers and refuses their decision as self-approval', async function () {
    const key = await approvalForm();
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const run = await submitAs(w.keyUser, key, target);
    expect(run.state).to.equal('awaiting-approval');
    expect(run.approvals.map((a) => a.approver.login)).to.deep.equal([keyUser2.login]);
    const err = await rejects(services().formRuns.decide(await customerActor(app, w.keyUser), run.approvals[0]!.id, { approve: true }, cliSubject()));
    expect([err.status, err.code]).to.deep.equal([403, 'self_approval']);
    const stranger = await rejects(services().formRuns.decide(await customerActor(app, w.member), run.approvals[0]!.id, { approve: true }, cliSubject()));
    expect(stranger.status).to.equal(404);
  });

  it('executes on approval, and refuses a replayed decision', async function () {
    const key = await approvalForm();
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const run = await submitAs(w.keyUser, key, target);
    const approver = await customerActor(app, keyUser2);
    const done = await services().formRuns.decide(approver, run.approvals[0]!.id, { approve: true, payloadHash: run.payloadHash }, cliSubject());
    expect(done.state).to.equal('completed');
    expect(done.actions.map((a) => a.outcome)).to.deep.equal(['done', 'done']);
    expect(await validity(target.login)).to.equal('invalid');
    const again = await rejects(services().formRuns.decide(approver, run.approvals[0]!.id, { approve: true }, cliSubject()));
    expect([again.status, again.code]).to.deep.equal([409, 'already_decided']);
  });

  it('refuses an approval after a rejection ended the run', async function () {
    const key = await approvalForm({ approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'all' }] } });
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const third = await createCustomerUser(app, w.admin, { customerId: w.c, keyUserOf: [w.c] });
    const run = await submitAs(w.keyUser, key, target);
    const mine = (u: TestCustomerUser) => run.approvals.find((a) => a.approver.login === u.login)!.id;
    const rejected = await services().formRuns.decide(await customerActor(app, keyUser2), mine(keyUser2), { approve: false, comment: 'no' }, cliSubject());
    expect(rejected.state).to.equal('rejected');
    const late = await rejects(services().formRuns.decide(await customerActor(app, third), mine(third), { approve: true }, cliSubject()));
    expect([late.status, late.code]).to.deep.equal([409, 'already_decided']);
    expect(await validity(target.login)).to.equal('valid');
  });

  it('refuses approval of a changed payload, also when the stored values were changed behind its back', async function () {
    const key = await approvalForm({ fields: [{ key: 'note', label: { en: 'Note' }, type: 'text' }] });
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const run = await submitAs(w.keyUser, key, target, { note: 'first' });
    const approver = await customerActor(app, keyUser2);
    const stale = await rejects(services().formRuns.decide(approver, run.approvals[0]!.id, { approve: true, payloadHash: 'f'.repeat(64) }, cliSubject()));
    expect([stale.status, stale.code]).to.deep.equal([409, 'payload_changed']);
    const { knex, tables } = app.loket.container;
    await knex(tables.form_runs).where({ id: run.id }).update({ values_json: JSON.stringify({ note: 'changed' }) });
    const changed = await rejects(services().formRuns.decide(approver, run.approvals[0]!.id, { approve: true }, cliSubject()));
    expect([changed.status, changed.code]).to.deep.equal([409, 'payload_changed']);
    expect(await validity(target.login)).to.equal('valid');
  });

  it('refuses a later step while an earlier one is open (no skipped states)', async function () {
    const key = await approvalForm({
      approval: { steps: [{ approvers: [{ kind: 'manager-of-target' }], mode: 'any' }, { approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
    });
    const run = await submitAs(w.keyUser, key, w.report);
    const step2 = run.approvals.find((a) => a.step === 2)!;
    expect(step2.state).to.equal('waiting');
    const err = await rejects(services().formRuns.decide(await customerActor(app, keyUser2), step2.id, { approve: true }, cliSubject()));
    expect([err.status, err.code]).to.deep.equal([409, 'not_yet']);
    expect((await services().formRuns.get(w.admin, run.id)).state).to.equal('awaiting-approval');
  });

  it('rolls back every earlier action when a later one fails (a group made invalid meanwhile)', async function () {
    const local = unique('grp');
    await services().groups.create(w.admin, { name: local }, cliSubject());
    const input = formInput({
      queue: w.queue,
      actions: [
        { type: 'set-validity', input: { validity: 'invalid' } },
        { type: 'grant-group', input: { group: local, permission: 'rw' } },
      ],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
    });
    await saveForm(app, w.admin, input);
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const run = await submitAs(w.keyUser, input.key, target);
    const stored = await services().groups.get(w.admin, local);
    await services().groups.update(w.admin, local, { validity: 'invalid', version: stored.version }, cliSubject());
    const failed = await services().formRuns.decide(await customerActor(app, keyUser2), run.approvals[0]!.id, { approve: true }, cliSubject());
    expect(failed.state).to.equal('failed');
    expect(failed.error).to.match(/group/);
    expect(failed.actions.map((a) => a.outcome)).to.deep.equal(['not-run', 'failed']);
    expect(await validity(target.login)).to.equal('valid');
  });

  it('a webhook target that is down fails the run, applies nothing and writes a dead letter', async function () {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const input = formInput({
      queue: w.queue,
      actions: [
        { type: 'set-validity', input: { validity: 'invalid' } },
        { type: 'webhook', input: { url: `http://127.0.0.1:${port}/hook` } },
      ],
    });
    await saveForm(app, w.admin, input);
    const target = await createCustomerUser(app, w.admin, { customerId: w.c });
    const run = await submitAs(w.keyUser, input.key, target);
    expect(run.state).to.equal('failed');
    expect(run.error).to.match(/dead-letter/);
    expect(run.actions[1]!.outcome).to.equal('failed');
    expect(await validity(target.login)).to.equal('valid');
    const { knex, tables } = app.loket.container;
    const letters = (await knex(tables.webhook_dead_letters).where({ run_id: run.id })) as { attempts: number }[];
    expect(letters).to.have.length(1);
    expect(Number(letters[0]!.attempts)).to.equal(2);
  });

  it('a webhook target that is up receives a body whose signature verifies', async function () {
    const received: { body: string; signature: string | undefined; delivery: string | undefined }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-loket-signature'] as string | undefined, delivery: req.headers['x-loket-delivery'] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const input = formInput({ queue: w.queue, actions: [{ type: 'webhook', input: { url: `http://127.0.0.1:${port}/hook` } }] });
      await saveForm(app, w.admin, input);
      const run = await submitAs(w.keyUser, input.key, w.member);
      expect(run.state).to.equal('completed');
      expect(received).to.have.length(1);
      expect(received[0]!.signature).to.equal(signature(SECRET, received[0]!.body));
      expect(received[0]!.delivery).to.equal(String(run.id));
      expect(JSON.parse(received[0]!.body)).to.include({ run: run.id, form: input.key });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses at submit when a step has nobody left to approve', async function () {
    const key = await approvalForm({ approval: { steps: [{ approvers: [{ kind: 'manager-of-target' }], mode: 'any' }] } });
    const err = await rejects(submitAs(w.keyUser, key, w.member));
    expect([err.status, err.code]).to.deep.equal([422, 'no_approver']);
  });

  it('a manager reaches only their reports', async function () {
    const input = formInput({ queue: w.queue, audience: ['manager'], category: 'team', actions: [{ type: 'set-validity', input: { validity: 'invalid' } }] });
    await saveForm(app, w.admin, input);
    const manager = await customerActor(app, w.manager);
    expect((await services().forms.targets(manager, input.key, { limit: 50 })).map((t) => t.value)).to.deep.equal([w.report.login]);
    const err = await rejects(services().formRuns.submit(manager, input.key, { target: w.member.login, values: {} }, null, cliSubject()));
    expect([err.status, err.code]).to.deep.equal([403, 'out_of_scope']);
    expect(await validity(w.member.login)).to.equal('valid');
  });

  it('data sources answer only what the requester may see, and a value outside them is refused naming the field', async function () {
    const held = unique('grp');
    await services().groups.create(w.admin, { name: held }, cliSubject());
    await services().assignments.setGroups(w.admin, { kind: 'customer', customerId: w.c }, { groups: [{ group: held, permissions: ['ro'] }] }, cliSubject());
    const input = formInput({
      queue: w.queue,
      fields: [
        { key: 'group', label: { en: 'Group' }, type: 'select', required: true, source: 'groups' },
        { key: 'colleague', label: { en: 'Colleague' }, type: 'select', source: 'customer-users' },
      ],
    });
    await saveForm(app, w.admin, input);
    const key = await customerActor(app, w.keyUser);
    expect((await services().forms.choices(key, input.key, 'group', { limit: 100 })).map((c) => c.value)).to.deep.equal([held]);
    const colleagues = (await services().forms.choices(key, input.key, 'colleague', { limit: 100 })).map((c) => c.value);
    expect(colleagues).to.include(w.member.login).and.not.include(w.outsider.login);
    const err = await rejects(services().formRuns.submit(key, input.key, { target: w.member.login, values: { group } }, null, cliSubject()));
    expect([err.status, err.field]).to.deep.equal([400, 'group']);
    const forged = await rejects(services().formRuns.submit(key, input.key, { target: w.member.login, values: { group: held, colleague: w.outsider.login } }, null, cliSubject()));
    expect([forged.status, forged.field]).to.deep.equal([400, 'colleague']);
  });
});
