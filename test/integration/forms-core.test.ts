import { expect } from 'chai';
import { cliSubject } from '../../plugin/audit/service.js';
import { LoketError } from '../../plugin/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminActor } from '../helpers/customers.js';
import { customerActor, formInput, formsWorld, saveForm, type FormsWorld } from '../helpers/forms.js';
import { unique } from '../helpers/app.js';
import { createCustomerUser } from '../helpers/customers.js';
import { actorOf, agentIn, customerIn } from '../helpers/tickets.js';

async function rejects(work: Promise<unknown>): Promise<LoketError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof LoketError) return err;
    throw err;
  }
  throw new Error('expected a LoketError');
}

describe('forms engine: definitions, scope and runs', function () {
  let app: TestApp;
  let w: FormsWorld;

  before(async function () {
    app = await startTestApp({ options: { baseUrl: 'http://loket.test' } });
    w = await formsWorld(app, await adminActor(app));
  });
  after(async () => app?.close());

  const services = () => app.loket.container.services;

  it('saves versions, refuses a stale version and names the path of a bad definition', async function () {
    const input = formInput({ queue: w.queue });
    const saved = await saveForm(app, w.admin, input);
    expect(saved.version).to.equal(1);
    const again = await services().forms.save(w.admin, input.key, { ...input, title: { en: 'Renamed' } }, 1, cliSubject());
    expect(again.version).to.equal(2);
    expect((await rejects(services().forms.save(w.admin, input.key, input, 1, cliSubject()))).code).to.equal('edit_conflict');
    const bad = await rejects(services().forms.save(w.admin, input.key, { ...input, fields: [{ key: 'x', label: { en: 'X' }, type: 'select' }] }, 2, cliSubject()));
    expect(bad.status).to.equal(400);
    expect(bad.field).to.equal('fields.0.source');
    expect((await services().forms.versions(w.admin, input.key)).map((v) => v.version)).to.deep.equal([2, 1]);
  });

  it('a key user sees only their customers\' users as targets and is refused another tenant\'s user, forged fields or not', async function () {
    const input = formInput({ queue: w.queue, actions: [{ type: 'set-validity', input: { validity: 'invalid' } }] });
    await saveForm(app, w.admin, input);
    const key = await customerActor(app, w.keyUser);
    const targets = (await services().forms.targets(key, input.key, { limit: 200 })).map((t) => t.value);
    expect(targets).to.include.members([w.member.login, w.report.login]);
    expect(targets).not.to.include(w.outsider.login);
    const err = await rejects(services().formRuns.submit(key, input.key, { target: w.outsider.login, values: {} }, null, cliSubject()));
    expect([err.status, err.code]).to.deep.equal([403, 'out_of_scope']);
    const outsider = await services().customerUsers.findByLogin(w.outsider.login);
    expect(outsider?.validity).to.equal('valid');
  });

  it('runs without approval at once, all-or-nothing, and leaves a request ticket', async function () {
    const input = formInput({ queue: w.queue, actions: [{ type: 'set-validity', input: { validity: 'invalid' } }] });
    await saveForm(app, w.admin, input);
    const key = await customerActor(app, w.keyUser);
    const { run } = await services().formRuns.submit(key, input.key, { target: w.member.login, values: {} }, null, cliSubject());
    expect(run.state).to.equal('completed');
    expect(run.ticketNumber).to.be.a('string');
    expect((await services().customerUsers.findByLogin(w.member.login))?.validity).to.equal('invalid');
  });

  it('an agent reaches the customer users holding a permission in the form\'s agent groups (direct or via their customer), nobody else', async function () {
    const group = unique('helpdesk');
    await services().groups.create(w.admin, { name: group }, cliSubject());
    const agent = await actorOf(app, await agentIn(app, w.admin, group, ['rw']), 'agent');
    const direct = await customerIn(app, w.admin, group, ['ro']);
    const viaCustomer = await createCustomerUser(app, w.admin);
    await services().assignments.setGroups(w.admin, { kind: 'customer', customerId: viaCustomer.customerId }, { groups: [{ group, permissions: ['ro'] }] }, cliSubject());
    await services().forms.installShipped(cliSubject(), { queue: w.queue, agentGroups: [group] });
    const input = formInput({ queue: w.queue, audience: ['agent'], agentGroups: [group], category: 'helpdesk', actions: [{ type: 'set-validity', input: { validity: 'invalid-temporarily' } }] });
    await saveForm(app, w.admin, input);
    expect((await services().forms.usable(agent, { category: 'helpdesk' })).map((f) => f.key)).to.include(input.key);
    const targets = (await services().forms.targets(agent, input.key, { limit: 200 })).map((t) => t.value);
    expect(targets).to.include.members([direct.login, viaCustomer.login]);
    expect(targets).not.to.include(w.outsider.login);
    const err = await rejects(services().formRuns.submit(agent, input.key, { target: w.outsider.login, values: {} }, null, cliSubject()));
    expect([err.status, err.code]).to.deep.equal([403, 'out_of_scope']);
    const { run } = await services().formRuns.submit(agent, input.key, { target: viaCustomer.login, values: {} }, null, cliSubject());
    expect(run.state).to.equal('completed');
    // The agent sees the run (requester) and another agent without the group does not.
    const other = await actorOf(app, await app.createAgent('agent'), 'agent');
    expect((await rejects(services().formRuns.get(other, run.id))).status).to.equal(404);
    expect((await services().formRuns.get(agent, run.id)).id).to.equal(run.id);
  });
});
