import { expect } from 'chai';
import type { ParsedMail } from 'mailparser';
import pino from 'pino';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { createTranslator } from '../../plugin/i18n/index.js';
import { composeTicketMail } from '../../plugin/tickets/notification-mails.js';
import type { Ticket } from '../../plugin/tickets/ticket-system.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { adminActor } from '../helpers/customers.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';

const BASE = 'http://loket.test/helpdesk';

const addressesOf = (mail: ParsedMail): string[] => {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
};

describe('Ticket e-mail notifications', function () {
  let smtp: TestSmtp;
  let app: TestApp;
  let admin: Actor;

  const mailsTo = (address: string, about?: string): ParsedMail[] =>
    smtp.messages.filter((m) => addressesOf(m).includes(address.toLowerCase()) && (about === undefined || `${m.subject ?? ''}\n${m.text ?? ''}`.includes(about)));

  /** The first mail to `address` that mentions `about` (waits for it to arrive). */
  async function mailFor(address: string, about: string): Promise<ParsedMail> {
    const until = Date.now() + 10_000;
    for (;;) {
      const [found] = mailsTo(address, about);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no mail to ${address} about ${about}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const services = () => app.loket.container.services;
  const asCustomer = (account: TestAccount) => actorOf(app, account, 'customer-user');
  const asAgent = (account: TestAccount) => actorOf(app, account, 'agent');

  before(async function () {
    smtp = await startSmtp();
    app = await startTestApp({ options: { smtp: { url: smtp.url, from: 'Loket <loket@example.test>' }, baseUrl: BASE } });
    admin = await adminActor(app);
  });
  after(async function () {
    await app.close();
    await smtp.close();
  });

  it('confirms a new ticket to the customer and tells the agents who see the queue, nobody else', async function () {
    const { queue, group } = await createQueue(app, admin);
    const seer = await agentIn(app, admin, group, ['ro']);
    const worker = await agentIn(app, admin, group, ['rw']);
    const filerOnly = await agentIn(app, admin, group, ['create']);
    const outsider = await agentIn(app, admin, (await createQueue(app, admin)).group, ['rw']);
    const user = await customerIn(app, admin, group, ['create']);
    const title = unique('Printer on floor 3 jams');
    const { ticket } = await services().tickets.create(await asCustomer(user), { title, body: 'Every second page jams. The paper is fresh.', queue }, null);

    const confirmation = await mailFor(user.email, ticket.number);
    expect(confirmation.subject).to.equal(`[Ticket#${ticket.number}] Received: ${title}`);
    expect(confirmation.text).to.contain('We received your ticket').and.contain('Every second page jams. The paper is fresh.');
    expect(confirmation.text).to.contain(`${BASE}/portal/tickets/${ticket.number}`).and.not.contain('/agent/tickets/');
    expect(addressesOf(confirmation)).to.deep.equal([user.email]);

    for (const agent of [seer, worker]) {
      const notice = await mailFor(agent.email, ticket.number);
      expect(notice.subject).to.equal(`[Ticket#${ticket.number}] New ticket in ${queue}: ${title}`);
      expect(notice.text).to.contain(`${BASE}/agent/tickets/${ticket.number}`).and.contain(user.login).and.contain('Every second page jams');
      expect(addressesOf(notice), 'one mail per person: agents never see each other or the customer').to.deep.equal([agent.email]);
    }

    // Later mail arrives after anything this filing could have sent, so absence is no race.
    await services().tickets.addMessage(await asAgent(worker), ticket.number, { body: 'Looking at it.' });
    await mailFor(user.email, 'Looking at it.');
    for (const nobody of [filerOnly.email, outsider.email, `${admin.login}@example.test`]) expect(mailsTo(nobody, ticket.number), nobody).to.have.length(0);
  });

  it('mails an agent\'s reply to the customer once, with the new state, and later state changes too', async function () {
    const { queue, group } = await createQueue(app, admin);
    const worker = await agentIn(app, admin, group, ['rw']);
    const user = await customerIn(app, admin, group, ['create']);
    const { ticket } = await services().tickets.create(await asCustomer(user), { title: 'VPN drops', body: 'Every ten minutes.', queue }, null);
    await mailFor(user.email, ticket.number);

    const reply = unique('Please update the VPN client to 5.2');
    await services().tickets.addMessage(await asAgent(worker), ticket.number, { body: reply });
    const mail = await mailFor(user.email, reply);
    expect(mail.subject).to.equal(`[Ticket#${ticket.number}] New reply: VPN drops`);
    expect(mail.text).to.contain(`${reply}`).and.contain('replied to your ticket').and.contain('The ticket is now open.');

    await services().tickets.changeState(await asAgent(worker), ticket.number, 'pending');
    const pending = await mailFor(user.email, 'State changed to pending');
    expect(pending.subject).to.equal(`[Ticket#${ticket.number}] State changed to pending: VPN drops`);
    expect(pending.text).to.contain('from open to pending');
    // Confirmation, the reply (its state move in the same mail) and the state change: three, not four.
    expect(mailsTo(user.email, ticket.number)).to.have.length(3);
    expect(mailsTo(worker.email, 'State changed'), 'nobody hears of their own step').to.have.length(0);
  });

  it('sends an internal note only to the other agents who work the queue, never to the customer', async function () {
    const { queue, group } = await createQueue(app, admin);
    const author = await agentIn(app, admin, group, ['rw']);
    const colleague = await agentIn(app, admin, group, ['rw']);
    const seer = await agentIn(app, admin, group, ['ro']);
    const user = await customerIn(app, admin, group, ['create']);
    const { ticket } = await services().tickets.create(await asCustomer(user), { title: 'Laptop fan loud', body: 'It sounds like a jet.', queue }, null);
    await mailFor(user.email, ticket.number);

    const secret = unique('Zanzibarsecret');
    await services().tickets.addMessage(await asAgent(author), ticket.number, { body: `Customer was warned before, ${secret}.`, internal: true });
    const note = await mailFor(colleague.email, secret);
    expect(note.subject).to.equal(`[Ticket#${ticket.number}] Internal note: Laptop fan loud`);
    expect(note.text).to.contain('Customers never see internal notes');

    await services().tickets.addMessage(await asAgent(author), ticket.number, { body: 'A technician comes by tomorrow.' });
    await mailFor(user.email, 'A technician comes by tomorrow.');
    expect(smtp.messages.filter((m) => addressesOf(m).includes(user.email) && JSON.stringify([m.subject, m.text, m.html]).includes(secret))).to.have.length(0);
    expect(mailsTo(seer.email, secret), 'ro agents do not work the ticket').to.have.length(0);
    expect(mailsTo(author.email, secret)).to.have.length(0);
    // Not through a state line or the reply mail either: the note is no state change.
    expect(mailsTo(user.email, ticket.number)).to.have.length(2);
  });

  it('tells the agents when the customer writes, reopens or closes, and the owner when a key user writes', async function () {
    const { queue, group } = await createQueue(app, admin);
    const seer = await agentIn(app, admin, group, ['ro']);
    const worker = await agentIn(app, admin, group, ['rw']);
    const user = await customerIn(app, admin, group, ['create']);
    const keyUser = await customerIn(app, admin, group, ['create'], { customerId: user.customerId, keyUserOf: [user.customerId] });
    const { ticket } = await services().tickets.create(await asCustomer(user), { title: 'Badge broken', body: 'Door 4 refuses it.', queue }, null);
    await mailFor(worker.email, ticket.number);
    await services().tickets.changeState(await asAgent(worker), ticket.number, 'pending');
    await mailFor(user.email, 'State changed to pending');

    const answer = unique('It is badge 4471');
    await services().tickets.addMessage(await asCustomer(user), ticket.number, { body: answer });
    for (const agent of [seer, worker]) {
      const mail = await mailFor(agent.email, answer);
      expect(mail.subject).to.equal(`[Ticket#${ticket.number}] Customer wrote: Badge broken`);
      expect(mail.text).to.contain('The ticket is now open.');
    }

    const note = unique('I am picking this up for my colleague');
    await services().tickets.addMessage(await asCustomer(keyUser), ticket.number, { body: note });
    expect((await mailFor(user.email, note)).text).to.contain('replied to your ticket');
    await mailFor(worker.email, note);
    expect(mailsTo(keyUser.email, note)).to.have.length(0);

    await services().tickets.changeState(await asCustomer(user), ticket.number, 'closed');
    for (const agent of [seer, worker]) {
      const closed = await mailFor(agent.email, 'State changed to closed');
      expect(closed.subject).to.equal(`[Ticket#${ticket.number}] State changed to closed: Badge broken`);
      expect(closed.text).to.contain('from open to closed').and.contain(`${BASE}/agent/tickets/${ticket.number}`);
    }
    expect(mailsTo(user.email, 'State changed to closed'), 'nobody hears of their own step').to.have.length(0);
  });

  it('writes to each person in their own language, at their current address', async function () {
    const { queue, group } = await createQueue(app, admin);
    const norwegian = await app.createAgent('agent', { language: 'nb' });
    await services().agentGroups.setGroups(admin, norwegian.login, { groups: [{ group, permissions: ['rw'] }] }, cliSubject());
    const dutch = await customerIn(app, admin, group, ['create'], { extra: { language: 'nl' } });
    const { ticket } = await services().tickets.create(await asCustomer(dutch), { title: 'Scherm flikkert', body: 'Sinds gisteren.', queue }, null);

    const confirmation = await mailFor(dutch.email, ticket.number);
    expect(confirmation.subject).to.equal(`[Ticket#${ticket.number}] Ontvangen: Scherm flikkert`);
    expect(confirmation.text).to.contain('Beste Test Customer').and.contain('We hebben uw ticket ontvangen').and.contain('Status: nieuw');
    const notice = await mailFor(norwegian.email, ticket.number);
    expect(notice.subject).to.equal(`[Ticket#${ticket.number}] Ny sak i ${queue}: Scherm flikkert`);
    expect(notice.text).to.contain('Åpne saken:');

    const moved = `${unique('moved')}@example.test`;
    await services().customerUsers.update(admin, dutch.login, { email: moved }, cliSubject());
    await services().tickets.addMessage(await asAgent(norwegian), ticket.number, { body: 'Vi ser på det.' });
    const reply = await mailFor(moved, 'Vi ser på det.');
    expect(reply.subject).to.equal(`[Ticket#${ticket.number}] Nieuwe reactie: Scherm flikkert`);
    expect(mailsTo(dutch.email, 'Vi ser på det.')).to.have.length(0);
  });

  it('keeps line breaks in a title out of the mail headers (no header injection)', async function () {
    const { queue, group } = await createQueue(app, admin);
    const user = await customerIn(app, admin, group, ['create']);
    const evil = `${unique('evil')}@example.test`;
    const { ticket } = await services().tickets.create(await asCustomer(user), { title: `Hello\r\nBcc: ${evil}\r\nX-Injected: yes`, body: 'x', queue }, null);
    const mail = await mailFor(user.email, ticket.number);
    expect(mail.subject).to.not.match(/[\r\n]/);
    expect(mail.headers.has('bcc')).to.equal(false);
    expect(mail.headers.has('x-injected')).to.equal(false);
    expect(mailsTo(evil)).to.have.length(0);
  });

  it('never puts an internal note in a customer\'s mail, even when asked to', function () {
    const t = createTranslator('en').t('en');
    const ticket = { number: '1', title: 't', queue: 'q', state: 'open', priority: 'normal', customerUserLogin: 'x', customerId: 'c', messages: [] } as unknown as Ticket;
    const message = { id: 1, authorKind: 'agent' as const, author: 'agent:1', authorName: 'A', internal: true, body: 'secret', delegationId: null, createdAt: '' };
    const compose = () => composeTicketMail(t, { kind: 'message', ticket, message, nowState: null }, { key: 'customer-user:1', side: 'customer', email: 'a@example.test', name: 'A', language: 'en' }, null);
    expect(compose).to.throw('internal note');
  });
});

describe('Ticket e-mail when the mail server is down', function () {
  it('files the ticket anyway and logs the failure instead of raising it', async function () {
    const down = await startSmtp();
    const url = down.url;
    await down.close();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const app = await startTestApp({ options: { smtp: { url, from: 'loket@example.test' }, logger } });
    try {
      const admin = await adminActor(app);
      const { queue, group } = await createQueue(app, admin);
      const user = await customerIn(app, admin, group, ['create']);
      const { ticket } = await app.loket.container.services.tickets.create(await actorOf(app, user, 'customer-user'), { title: 'Mail is down', body: 'x', queue }, null);
      expect(ticket.number).to.match(/^\d+$/);
      const until = Date.now() + 10_000;
      while (!lines.some((l) => l.includes('ticket notification could not be mailed'))) {
        if (Date.now() > until) throw new Error(`no warning logged:\n${lines.join('')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(lines.join('')).to.contain(ticket.number).and.not.contain(user.email);
    } finally {
      await app.close();
    }
  });
});
