import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { LoketError } from '../../plugin/errors.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { adminActor } from '../helpers/customers.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';

async function statusOf(work: Promise<unknown>): Promise<number> {
  try {
    await work;
  } catch (err) {
    if (err instanceof LoketError) return err.status;
    throw err;
  }
  return 200;
}

describe('Tickets core: filing, visibility, idempotency, states', function () {
  let app: TestApp;
  let admin: Actor;
  let queue: string;
  let group: string;

  before(async function () {
    app = await startTestApp();
    admin = await adminActor(app);
    ({ queue, group } = await createQueue(app, admin));
  });
  after(() => app.close());

  it('files a ticket with a readable unique number, the first message and a snapshot of the user', async function () {
    const user = await customerIn(app, admin, group, ['create']);
    const actor = await actorOf(app, user, 'customer-user');
    const { tickets } = app.loket.container.services;
    const { ticket, replayed } = await tickets.create(actor, { title: 'Printer jams', body: 'Every page jams on floor 2.', queue }, null);
    expect(replayed).to.equal(false);
    expect(ticket.number).to.match(/^\d{8}\d{6,}$/);
    expect(ticket.state).to.equal('new');
    expect(ticket.customerId).to.equal(user.customerId);
    const view = await tickets.view(actor, ticket.number);
    expect(view.ticket.messages.map((m) => m.body)).to.deep.equal(['Every page jams on floor 2.']);
    expect(view.ticket.customerSnapshot.login).to.equal(user.login);
    expect(view.ticket.customerSnapshot.fields.map((f) => f.value)).to.include('Test');
  });

  it('answers a repeated Idempotency-Key with the first ticket, also when both arrive at once', async function () {
    const user = await customerIn(app, admin, group, ['create']);
    const actor = await actorOf(app, user, 'customer-user');
    const { tickets } = app.loket.container.services;
    const key = unique('idem-key');
    const input = { title: 'VPN drops', body: 'Every ten minutes.', queue };
    const results = await Promise.all([1, 2, 3, 4].map(() => tickets.create(actor, input, key)));
    expect(new Set(results.map((r) => r.ticket.number)).size).to.equal(1);
    expect(results.filter((r) => !r.replayed)).to.have.length(1);
    const mine = await tickets.list(actor, { search: 'VPN drops' });
    expect(mine.total).to.equal(1);
    expect(await statusOf(tickets.create(actor, { ...input, body: 'Something else' }, key))).to.equal(409);
  });

  it('keeps a customer out of another customer\'s ticket (404) and shows company tickets only with permission', async function () {
    const { tickets } = app.loket.container.services;
    const alice = await customerIn(app, admin, group, ['create']);
    const bob = await customerIn(app, admin, group, ['create']);
    const colleague = await customerIn(app, admin, group, ['create'], { customerId: alice.customerId });
    const worker = await customerIn(app, admin, group, ['rw'], { customerId: alice.customerId });
    const keyUser = await customerIn(app, admin, group, ['create'], { customerId: alice.customerId, keyUserOf: [alice.customerId] });
    const { ticket } = await tickets.create(await actorOf(app, alice, 'customer-user'), { title: 'Alice private', body: 'x', queue }, null);
    expect(await statusOf(tickets.view(await actorOf(app, bob, 'customer-user'), ticket.number))).to.equal(404);
    expect(await statusOf(tickets.addMessage(await actorOf(app, bob, 'customer-user'), ticket.number, { body: 'hi' }))).to.equal(404);
    expect(await statusOf(tickets.view(await actorOf(app, colleague, 'customer-user'), ticket.number))).to.equal(404);
    expect((await tickets.list(await actorOf(app, colleague, 'customer-user'), { scope: 'company' })).total).to.equal(0);
    expect((await tickets.view(await actorOf(app, worker, 'customer-user'), ticket.number)).ticket.number).to.equal(ticket.number);
    expect((await tickets.list(await actorOf(app, keyUser, 'customer-user'), { scope: 'company' })).items.map((t) => t.number)).to.include(ticket.number);
    expect(await statusOf(tickets.view(await actorOf(app, bob, 'customer-user'), 'not-a-number'))).to.equal(404);
  });

  it('never shows internal notes to the customer: not on the ticket, not through search', async function () {
    const { tickets } = app.loket.container.services;
    const user = await customerIn(app, admin, group, ['create']);
    const customer = await actorOf(app, user, 'customer-user');
    const agent = await actorOf(app, await agentIn(app, admin, group, ['rw']), 'agent');
    const { ticket } = await tickets.create(customer, { title: 'Mailbox full', body: 'Cannot send mail.', queue }, null);
    const secret = unique('secretword').replace('-', '');
    await tickets.addMessage(agent, ticket.number, { body: `Internal: ${secret}`, internal: true });
    await tickets.addMessage(agent, ticket.number, { body: 'We enlarged your mailbox.' });
    const seen = await tickets.view(customer, ticket.number);
    expect(seen.ticket.messages.map((m) => m.body)).to.deep.equal(['Cannot send mail.', 'We enlarged your mailbox.']);
    expect(seen.ticket.state).to.equal('open');
    expect((await tickets.list(customer, { search: secret })).total).to.equal(0);
    expect((await tickets.list(agent, { search: secret })).items.map((t) => t.number)).to.deep.equal([ticket.number]);
    expect((await tickets.view(agent, ticket.number)).ticket.messages.some((m) => m.internal)).to.equal(true);
    expect(await statusOf(tickets.addMessage(customer, ticket.number, { body: 'sneaky', internal: true }))).to.equal(403);
  });

  it('refuses queues and services the user may not use, and oversized bodies', async function () {
    const { tickets } = app.loket.container.services;
    const reader = await customerIn(app, admin, group, ['ro']);
    const actor = await actorOf(app, reader, 'customer-user');
    expect(await statusOf(tickets.create(actor, { title: 't', body: 'b', queue }, null))).to.equal(403);
    expect(await statusOf(tickets.create(actor, { title: 't', body: 'b', queue: 'no such queue' }, null))).to.equal(422);
    const filer = await actorOf(app, await customerIn(app, admin, group, ['create']), 'customer-user');
    expect(await statusOf(tickets.create(filer, { title: 't', body: 'b', queue, service: 'Nope::Nothing' }, null))).to.equal(422);
    expect(await statusOf(tickets.create(filer, { title: 't', body: 'x'.repeat(100_001), queue }, null))).to.equal(413);
    expect(await statusOf(tickets.create(filer, { title: 't', body: 'b', queue, customerUser: reader.login }, null))).to.equal(403);
  });

  it('lets a customer close and reopen, and an agent without rw change nothing', async function () {
    const { tickets } = app.loket.container.services;
    const customer = await actorOf(app, await customerIn(app, admin, group, ['create']), 'customer-user');
    const reader = await actorOf(app, await agentIn(app, admin, group, ['ro']), 'agent');
    const outsider = await actorOf(app, await app.createAgent('agent'), 'agent');
    const { ticket } = await tickets.create(customer, { title: 'Badge broken', body: 'b', queue }, null);
    expect(await statusOf(tickets.changeState(customer, ticket.number, 'pending'))).to.equal(422);
    expect((await tickets.changeState(customer, ticket.number, 'closed')).state).to.equal('closed');
    expect((await tickets.changeState(customer, ticket.number, 'open')).state).to.equal('open');
    expect((await tickets.view(reader, ticket.number)).mayReply).to.equal(false);
    expect(await statusOf(tickets.changeState(reader, ticket.number, 'resolved'))).to.equal(403);
    expect(await statusOf(tickets.view(outsider, ticket.number))).to.equal(404);
    const history = (await tickets.view(customer, ticket.number)).ticket.messages.filter((m) => m.authorKind === 'system').map((m) => m.body);
    expect(history).to.deep.equal(['new → closed', 'closed → open']);
  });
});
