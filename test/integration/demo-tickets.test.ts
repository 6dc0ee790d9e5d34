import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { formatCredentials, seedDemo } from '../../plugin/demo/seed.js';
import { LoketError } from '../../plugin/errors.js';
import type { TicketSummary } from '../../plugin/tickets/ticket-system.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('Demo tickets', function () {
  let app: TestApp;
  let all: TicketSummary[];

  const services = () => app.loket.container.services;
  async function actorOf(login: string): Promise<Actor> {
    const agent = await services().agents.findByLogin(login);
    const id = agent?.id ?? (await services().customerUsers.findByLogin(login))!.id;
    return (await services().actors.resolve({ type: agent ? 'agent' : 'customer-user', id }, 'session'))!;
  }
  const numbersSeenBy = async (login: string, scope: 'mine' | 'company' = 'mine') =>
    (await services().tickets.list(await actorOf(login), { scope, limit: 200 })).items.map((t) => t.number).sort();
  const numbersWhere = (test: (t: TicketSummary) => boolean) => all.filter(test).map((t) => t.number).sort();

  before(async function () {
    app = await startTestApp();
    expect(await seedDemo(app.loket.container)).to.not.equal(null);
    all = (await services().tickets.list(await actorOf('admin'), { limit: 200 })).items;
  });
  after(() => app.close());

  it('lets Ola of Fjord work in Acme for a week, and names Jan\'s holiday deputy for next month', async function () {
    const choices = await services().delegations.switchable(await actorOf('ola.hansen'));
    expect(choices.map((d) => [d.customerId, d.role, d.createdBy])).to.deep.equal([['acme', 'customer', 'jan.devries']]);
    const deputies = await services().deputies.list(await actorOf('jan.devries'));
    expect(deputies.map((d) => [d.principal.login, d.deputy.login, d.status])).to.deep.equal([['jan.devries', 'sanne.bakker', 'scheduled']]);
  });

  it('files real tickets in the three demo queues, in at least four states, for both customers', function () {
    expect(new Set(all.map((t) => t.queue))).to.deep.equal(new Set(['Service desk', 'IT support', 'Facilities']));
    expect(new Set(all.map((t) => t.state)).size).to.be.at.least(4);
    for (const state of ['new', 'open', 'pending', 'resolved', 'closed']) expect(all.map((t) => t.state), state).to.include(state);
    expect(new Set(all.map((t) => t.customerId))).to.deep.equal(new Set(['acme', 'fjord']));
    for (const t of all) expect(t.createdBy, t.title).to.match(/^customer-user:\d+$/);
    expect(formatCredentials([], 'http://x')).to.contain('Service desk').and.contain('IT support').and.contain('Facilities');
  });

  it('shows a demo customer user their own tickets, and company tickets only where they may', async function () {
    const pieter = (await services().customerUsers.findByLogin('pieter.jansen'))!;
    expect(await numbersSeenBy('pieter.jansen')).to.deep.equal(numbersWhere((t) => t.customerUserId === pieter.id)).and.have.length(2);
    // Acme holds rw on facilities (not on it-support): besides his own, Pieter sees Acme's facilities tickets, nothing of Fjord.
    const company = numbersWhere((t) => t.customerUserId === pieter.id || (t.customerId === 'acme' && t.queue === 'Facilities'));
    expect(company.length).to.be.greaterThan(2);
    expect(await numbersSeenBy('pieter.jansen', 'company')).to.deep.equal(company);
    // A key user sees their whole organisation, never the other one.
    expect(await numbersSeenBy('kari.nordmann', 'company')).to.deep.equal(numbersWhere((t) => t.customerId === 'fjord'));
    const fjordTicket = all.find((t) => t.customerId === 'fjord')!;
    try {
      await services().tickets.view(await actorOf('jan.devries'), fjordTicket.number);
      expect.fail('an Acme key user opened a Fjord ticket');
    } catch (err) {
      expect(err).to.be.instanceOf(LoketError);
      expect((err as LoketError).status).to.equal(404);
    }
  });

  it('keeps the internal note from the customer and shows the linked FAQ article', async function () {
    const vpn = all.find((t) => t.title === 'VPN kobler fra hver time')!;
    expect((await services().tickets.view(await actorOf('agent'), vpn.number)).ticket.messages.some((m) => m.internal)).to.equal(true);
    const asOla = await services().tickets.view(await actorOf('ola.hansen'), vpn.number);
    expect(asOla.ticket.messages.some((m) => m.internal || m.body.includes('re-key'))).to.equal(false);
    expect(asOla.ticket.state).to.equal('open');

    const password = all.find((t) => t.title === 'Har glemt passordet mitt')!;
    const asIngrid = await services().tickets.view(await actorOf('ingrid.odegard'), password.number);
    expect(asIngrid.faqs.map((f) => f.slug)).to.deep.equal(['reset-password']);
    expect(asIngrid.ticket.state).to.equal('closed');
  });

  it('gives the demo agents the queues of their groups', async function () {
    expect(await numbersSeenBy('agent')).to.deep.equal(numbersWhere((t) => t.queue !== 'Facilities'));
    expect(await numbersSeenBy('agent2')).to.deep.equal(numbersWhere((t) => t.queue !== 'IT support'));
    const pending = all.find((t) => t.state === 'pending')!;
    expect((await services().tickets.view(await actorOf('agent2'), pending.number)).mayReply).to.equal(true);
    const serviceDesk = all.find((t) => t.queue === 'Service desk')!;
    expect((await services().tickets.view(await actorOf('agent2'), serviceDesk.number)).mayReply, 'ro in users').to.equal(false);
  });
});
