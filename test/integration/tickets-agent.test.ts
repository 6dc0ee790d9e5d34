import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestAccount, type TestApp } from '../helpers/app.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';

/** A form body with repeated names for lists (checkboxes), as a browser sends it. */
function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();

/** The ticket numbers in the list's table, in order. */
function listedNumbers(html: string): string[] {
  const body = /<table id="at-tickets">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>\s*<td>(\d+)<\/td>/g)].map((m) => m[1]!);
}

/** A word the search finds only where it was put. */
const word = (label: string) => unique(label).replace('-', '');

describe('agent ticket screens: list, filing, the ticket page, FAQ links and drafts', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: Actor;
  let queueA: string;
  let groupA: string;
  let queueB: string;
  let groupB: string;
  let worker: { agent: Agent; csrf: string };
  let workerAccount: TestAccount;
  let reader: { agent: Agent; csrf: string };
  const services = () => app.loket.container.services;

  before(async () => {
    app = await startTestApp();
    admin = await adminActor(app);
    ({ queue: queueA, group: groupA } = await createQueue(app, admin));
    ({ queue: queueB, group: groupB } = await createQueue(app, admin));
    workerAccount = await agentIn(app, admin, groupA, ['rw']);
    worker = await signIn(app, workerAccount);
    reader = await signIn(app, await agentIn(app, admin, groupA, ['ro']));
  });
  after(() => app.close());

  async function customerTicket(title: string, body = 'Something is wrong.', opts: { queue?: string; group?: string; customerId?: string } = {}) {
    const user = await customerIn(app, admin, opts.group ?? groupA, ['create'], opts.customerId ? { customerId: opts.customerId } : {});
    const actor = await actorOf(app, user, 'customer-user');
    const { ticket } = await services().tickets.create(actor, { title, body, queue: opts.queue ?? queueA }, null);
    return { user, actor, number: ticket.number };
  }

  describe('the list', () => {
    it('shows only tickets of queues the agent holds ro in; another queue\'s ticket is a 404 page', async () => {
      const mine = await customerTicket(unique('Printer jams'));
      const other = await customerTicket(unique('Badge broken'), 'x', { queue: queueB, group: groupB });
      const page = await worker.agent.get('/agent/tickets').expect(200);
      expect(listedNumbers(page.text)).to.include(mine.number).and.not.include(other.number);
      expect(page.text).to.contain(`<option value="${queueA}">`).and.not.contain(`<option value="${queueB}">`);
      await worker.agent.get(`/agent/tickets/${other.number}`).expect(404);
      await worker.agent.get('/agent/tickets/99999999999999').expect(404);
      await worker.agent.get('/agent/tickets/not-a-number').expect(404);
    });

    it('filters by state (active by default), queue, customer and words in a message', async () => {
      const both = await signIn(app, await agentIn(app, admin, groupA, ['rw']));
      const customerId = unique('cust');
      const open = await customerTicket(unique('Open one'), 'x', { customerId });
      const closed = await customerTicket(unique('Closed one'), 'x', { customerId });
      await services().tickets.changeState(closed.actor, closed.number, 'closed');
      const inB = await customerTicket(unique('In B'), 'x', { queue: queueB, group: groupB });

      const active = listedNumbers((await both.agent.get(`/agent/tickets?customerId=${customerId}`).expect(200)).text);
      expect(active).to.include(open.number).and.not.include(closed.number);
      expect(listedNumbers((await both.agent.get(`/agent/tickets?customerId=${customerId}&state=closed`).expect(200)).text)).to.deep.equal([closed.number]);
      expect(listedNumbers((await both.agent.get(`/agent/tickets?customerId=${customerId}&state=all`).expect(200)).text)).to.have.members([open.number, closed.number]);
      // Exact customer IDs: a prefix finds nothing.
      expect(listedNumbers((await both.agent.get(`/agent/tickets?customerId=${customerId.slice(0, -1)}&state=all`).expect(200)).text)).to.deep.equal([]);

      const admin2 = await signIn(app, await app.createAgent('admin'));
      const byQueue = listedNumbers((await admin2.agent.get(`/agent/tickets?queue=${encodeURIComponent(queueB)}`).expect(200)).text);
      expect(byQueue).to.include(inB.number).and.not.include(open.number);

      const secret = word('flux');
      await services().tickets.addMessage(open.actor, open.number, { body: `It says ${secret} on the screen.` });
      expect(listedNumbers((await both.agent.get(`/agent/tickets?search=${secret}`).expect(200)).text)).to.deep.equal([open.number]);
      const none = await both.agent.get(`/agent/tickets?search=${word('nothing')}`).expect(200);
      expect(text(none.text)).to.contain('No ticket matches these filters.');
    });

    it('explains an empty list: no queue at all, or nothing active', async () => {
      const nobody = await signIn(app, await app.createAgent('agent'));
      const page = await nobody.agent.get('/agent/tickets').expect(200);
      expect(page.text).to.contain('id="at-no-queues"').and.not.contain('id="at-tickets"');
      const { group } = await createQueue(app, admin);
      const idle = await signIn(app, await agentIn(app, admin, group, ['ro']));
      expect(text((await idle.agent.get('/agent/tickets').expect(200)).text)).to.contain('There are no active tickets in your queues right now.');
    });

    it('is for agents only', async () => {
      const customer = await customerIn(app, admin, groupA, ['rw']);
      const session = await signIn(app, customer);
      await session.agent.get('/agent/tickets').expect(403);
    });
  });

  describe('the ticket page', () => {
    it('answers as agent: new becomes open, and the customer sees the reply', async () => {
      const { actor, number } = await customerTicket(unique('VPN drops'), 'Every ten minutes.');
      const page = await worker.agent.get(`/agent/tickets/${number}`).expect(200);
      expect(page.text).to.contain('id="at-reply-form"').and.contain('id="at-state"');
      const sent = await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: csrfFrom(page.text), body: 'Please update the VPN client.' }));
      expect(sent.status).to.equal(303);
      expect(sent.headers.location).to.equal(`/agent/tickets/${number}?notice=replied`);
      const after = await worker.agent.get(sent.headers.location!).expect(200);
      expect(text(after.text)).to.contain('Your answer was sent.').and.contain('Please update the VPN client.');
      const seen = await services().tickets.view(actor, number);
      expect(seen.ticket.state).to.equal('open');
      expect(seen.ticket.messages.map((m) => m.body)).to.include('Please update the VPN client.');
    });

    it('keeps internal notes for agents, clearly marked, and never shows them to the customer', async () => {
      const { actor, number } = await customerTicket(unique('Mailbox full'));
      const secret = word('internal');
      const noted = await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: worker.csrf, body: `Quota raised by ${secret}`, internal: 'yes' }));
      expect(noted.status).to.equal(303);
      expect(noted.headers.location).to.contain('notice=noted');
      const page = text((await worker.agent.get(`/agent/tickets/${number}`).expect(200)).text);
      expect(page).to.contain('Internal note — not visible to the customer').and.contain(`Quota raised by ${secret}`);
      const seen = await services().tickets.view(actor, number);
      expect(seen.ticket.messages.map((m) => m.body).join(' ')).not.to.contain(secret);
      expect(seen.ticket.state).to.equal('new');
    });

    it('changes the state and refuses a state that does not exist on the form', async () => {
      const { number } = await customerTicket(unique('Slow laptop'));
      const changed = await worker.agent.post(`/agent/tickets/${number}/state`).type('form').send(form({ _csrf: worker.csrf, state: 'pending' }));
      expect(changed.status).to.equal(303);
      expect((await services().tickets.view(admin, number)).ticket.state).to.equal('pending');
      const refused = await worker.agent.post(`/agent/tickets/${number}/state`).type('form').send(form({ _csrf: worker.csrf, state: 'exploded' })).expect(400);
      expect(text(refused.text)).to.contain('Choose one of the states offered.');
      const empty = await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: worker.csrf, body: '  ' })).expect(400);
      expect(empty.text).to.contain('id="at-reply-body-error"');
    });

    it('gives an agent with ro only no forms, and 403 on every change', async () => {
      const { number } = await customerTicket(unique('Read only'));
      const page = await reader.agent.get(`/agent/tickets/${number}`).expect(200);
      expect(page.text).to.contain('id="at-read-only"');
      for (const id of ['at-reply-form', 'at-state', 'at-draft-form', 'at-faq-search']) expect(page.text).not.to.contain(`id="${id}"`);
      await reader.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: reader.csrf, body: 'Sneaky answer' })).expect(403);
      await reader.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: reader.csrf, body: 'Sneaky note', internal: 'yes' })).expect(403);
      await reader.agent.post(`/agent/tickets/${number}/state`).type('form').send(form({ _csrf: reader.csrf, state: 'closed' })).expect(403);
      await reader.agent.post(`/agent/tickets/${number}/faq-links`).type('form').send(form({ _csrf: reader.csrf })).expect(403);
      const category = await createFaqCategory(app, admin);
      const drafts = (await services().faqArticles.list(admin, { category, limit: 10, offset: 0 })).total;
      await reader.agent.post(`/agent/tickets/${number}/faq-draft`).type('form').send(form({ _csrf: reader.csrf, category, language: 'en' })).expect(403);
      expect((await services().faqArticles.list(admin, { category, limit: 10, offset: 0 })).total).to.equal(drafts);
      const seen = await services().tickets.view(admin, number);
      expect(seen.ticket.messages).to.have.length(1);
      expect(seen.ticket.state).to.equal('new');
    });

    it('refuses a form without its CSRF token (403) and changes nothing', async () => {
      const { number } = await customerTicket(unique('No token'));
      await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ body: 'Without a token' })).expect(403);
      await worker.agent.post(`/agent/tickets/${number}/state`).type('form').send(form({ _csrf: 'forged', state: 'closed' })).expect(403);
      const seen = await services().tickets.view(admin, number);
      expect(seen.ticket.messages).to.have.length(1);
      expect(seen.ticket.state).to.equal('new');
    });

    it('escapes a customer\'s title, body and fields on the list and the ticket page', async () => {
      const title = `<script>alert("t${word('x')}")</script>`;
      const { number } = await customerTicket(title, '<img src=x onerror=alert(1)> and </div><b>bold</b>');
      const list = await worker.agent.get('/agent/tickets?state=all').expect(200);
      const page = await worker.agent.get(`/agent/tickets/${number}`).expect(200);
      for (const html of [list.text, page.text]) {
        expect(html).not.to.contain(title);
        expect(html).to.contain('&lt;script&gt;alert(');
      }
      expect(page.text).not.to.contain('<img src=x');
      expect(page.text).to.contain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page.text).not.to.contain('<b>bold</b>');
    });
  });

  describe('FAQ in replies and drafts', () => {
    let category: string;
    let articleId: number;
    let keyword: string;

    before(async () => {
      category = await createFaqCategory(app, admin);
      keyword = word('printer');
      const article = await createArticle(app, await agentActor(app), { category, title: `Clear a ${keyword} jam`, body: `Open the ${keyword} tray.`, visibility: 'customer' }, await agentActor(app));
      articleId = article.id;
    });

    it('finds articles on the ticket page and links the ticked ones with the answer', async () => {
      const { actor, number } = await customerTicket(unique('Paper stuck'));
      const page = await worker.agent.get(`/agent/tickets/${number}?faq=${keyword}`).expect(200);
      expect(page.text).to.contain(`id="at-faq-${articleId}" name="articleIds" value="${articleId}"`);
      expect(page.text).to.contain(`data-faq-url="/faq/${category}/`);
      const sent = await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: worker.csrf, body: 'See the article.', articleIds: [String(articleId)], faq: keyword }));
      expect(sent.status).to.equal(303);
      const seen = await services().tickets.view(actor, number);
      expect(seen.faqs.map((f) => f.id)).to.deep.equal([articleId]);
      const again = await worker.agent.get(`/agent/tickets/${number}?faq=${keyword}`).expect(200);
      expect(text(again.text)).to.contain('already linked');
      expect(again.text).to.contain('id="at-faqs"');
    });

    it('links articles without replying, and refuses nothing ticked or an unknown article', async () => {
      const { actor, number } = await customerTicket(unique('Toner'));
      const linked = await worker.agent.post(`/agent/tickets/${number}/faq-links`).type('form').send(form({ _csrf: worker.csrf, articleIds: String(articleId), body: '' }));
      expect(linked.status).to.equal(303);
      expect(linked.headers.location).to.equal(`/agent/tickets/${number}?notice=linked`);
      expect((await services().tickets.view(actor, number)).faqs.map((f) => f.id)).to.deep.equal([articleId]);
      expect((await services().tickets.view(actor, number)).ticket.messages).to.have.length(1);
      const nothing = await worker.agent.post(`/agent/tickets/${number}/faq-links`).type('form').send(form({ _csrf: worker.csrf, body: 'kept text' })).expect(400);
      expect(text(nothing.text)).to.contain('Tick at least one article to link.');
      expect(nothing.text).to.contain('kept text</textarea>');
      const unknown = await worker.agent.post(`/agent/tickets/${number}/faq-links`).type('form').send(form({ _csrf: worker.csrf, articleIds: '999999999' })).expect(422);
      expect(text(unknown.text)).to.contain('does not exist any more');
      await worker.agent.post(`/agent/tickets/${number}/faq-links`).type('form').send(form({ _csrf: worker.csrf, articleIds: 'abc' })).expect(400);
    });

    it('creates an FAQ draft from the ticket, linked to it, and opens it in the editor', async () => {
      const question = `How do I clear the ${word('question')} error?`;
      const { actor, number } = await customerTicket('Error on the scanner', question);
      await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: worker.csrf, body: 'Restart it twice.' }));
      await worker.agent.post(`/agent/tickets/${number}/messages`).type('form').send(form({ _csrf: worker.csrf, body: 'Secret internal remark', internal: 'yes' }));
      const page = await worker.agent.get(`/agent/tickets/${number}`).expect(200);
      expect(page.text).to.contain('id="at-draft-form"').and.contain(`<option value="${category}">`);
      const made = await worker.agent.post(`/agent/tickets/${number}/faq-draft`).type('form').send(form({ _csrf: worker.csrf, category, language: 'nl' }));
      expect(made.status).to.equal(303);
      const match = /^\/faq\/manage\/(\d+)\?notice=created$/.exec(made.headers.location!);
      expect(match, made.headers.location).to.not.equal(null);
      const id = Number(match![1]);
      const { article, category: slug } = await services().faqArticles.detail(admin, id);
      expect(article.state).to.equal('draft');
      expect(article.language).to.equal('nl');
      expect(article.visibility).to.equal('customer');
      expect(article.title).to.equal('Error on the scanner');
      expect(article.slug).to.equal(`error-on-the-scanner-${number}`);
      expect(slug).to.equal(category);
      expect(article.bodyMd).to.contain(question).and.contain('Restart it twice.').and.not.contain('Secret internal remark');
      expect((await services().tickets.view(admin, number)).ticket.faqLinks.map((l) => l.articleId)).to.include(id);
      // The customer sees it only once it is published.
      expect((await services().tickets.view(actor, number)).faqs.map((f) => f.id)).not.to.include(id);
      const editor = await worker.agent.get(made.headers.location!).expect(200);
      expect(text(editor.text)).to.contain('The draft was created.');
      // A second draft in the same language gets a slug of its own.
      const second = await worker.agent.post(`/agent/tickets/${number}/faq-draft`).type('form').send(form({ _csrf: worker.csrf, category, language: 'nl' }));
      expect(second.status).to.equal(303);
      expect(second.headers.location).to.not.equal(made.headers.location);
    });

    it('refuses a draft without a category on the ticket page', async () => {
      const { number } = await customerTicket(unique('No category'));
      const refused = await worker.agent.post(`/agent/tickets/${number}/faq-draft`).type('form').send(form({ _csrf: worker.csrf, category: '', language: 'en' }));
      expect(refused.status).to.equal(400);
      expect(refused.text).to.contain('id="at-draft-category-error"');
      const unknown = await worker.agent.post(`/agent/tickets/${number}/faq-draft`).type('form').send(form({ _csrf: worker.csrf, category: 'no-such-category', language: 'en' })).expect(422);
      expect(text(unknown.text)).to.contain('There is no such FAQ category.');
    });
  });

  describe('filing for a customer user', () => {
    it('files a ticket for a customer user from the form, once on a double submit', async () => {
      const user = await customerIn(app, admin, groupA, ['create']);
      const blank = await worker.agent.get('/agent/tickets/new').expect(200);
      expect(blank.text).to.contain(`<option value="${queueA}">`).and.not.contain(`<option value="${queueB}">`);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(blank.text)![1]!;
      const fields = { _csrf: csrfFrom(blank.text), idempotencyKey: key, customerUser: user.login, queue: queueA, service: '', priority: 'high', title: 'Phoned in: monitor flickers', body: 'Caller says the monitor flickers.' };
      const [first, second] = await Promise.all([1, 2].map(() => worker.agent.post('/agent/tickets').type('form').send(form(fields))));
      expect(first!.status).to.equal(303);
      expect(second!.headers.location).to.equal(first!.headers.location);
      const number = /^\/agent\/tickets\/(\d+)\?notice=created$/.exec(first!.headers.location!)![1]!;
      const customer = await actorOf(app, user, 'customer-user');
      expect((await services().tickets.list(customer, { search: 'monitor flickers' })).total).to.equal(1);
      const seen = await services().tickets.view(customer, number);
      expect(seen.ticket.priority).to.equal('high');
      expect(seen.ticket.createdBy).to.equal(`agent:${workerAccount.id}`);
      const page = text((await worker.agent.get(first!.headers.location!).expect(200)).text);
      expect(page).to.contain('The ticket was filed.').and.contain(`for customer user ${user.login}`);
    });

    it('refuses an unknown login and a service the user may not use (422), keeping the input', async () => {
      const user = await customerIn(app, admin, groupA, ['create']);
      const unknown = await worker.agent.post('/agent/tickets').type('form').send(form({ _csrf: worker.csrf, customerUser: 'no-such-login-here', queue: queueA, title: 'Kept title', body: 'b' })).expect(422);
      expect(text(unknown.text)).to.contain('No customer user has this login.');
      expect(unknown.text).to.contain('value="Kept title"').and.contain('id="at-new-customerUser-error"');
      const service = await worker.agent.post('/agent/tickets').type('form').send(form({ _csrf: worker.csrf, customerUser: user.login, queue: queueA, service: 'Nope::Nothing', title: 't', body: 'b' })).expect(422);
      expect(text(service.text)).to.contain('may not use this service');
      const empty = await worker.agent.post('/agent/tickets').type('form').send(form({ _csrf: worker.csrf, customerUser: user.login, queue: queueA, title: '', body: 'b' })).expect(400);
      expect(empty.text).to.contain('id="at-new-title-error"');
    });

    it('needs create in the queue\'s group: without it no form, and a filed ticket is refused (403)', async () => {
      const user = await customerIn(app, admin, groupA, ['create']);
      const page = await reader.agent.get('/agent/tickets/new').expect(403);
      expect(page.text).to.contain('id="at-new-no-queues"').and.not.contain('id="at-new-form"');
      const refused = await reader.agent.post('/agent/tickets').type('form').send(form({ _csrf: reader.csrf, customerUser: user.login, queue: queueA, title: 'Not allowed', body: 'b' })).expect(403);
      expect(text(refused.text)).to.contain('You may not file tickets in this queue');
      const customer = await actorOf(app, user, 'customer-user');
      expect((await services().tickets.list(customer, { search: 'Not allowed' })).total).to.equal(0);
      await worker.agent.post('/agent/tickets').type('form').send(form({ customerUser: user.login, queue: queueA, title: 'No token', body: 'b' })).expect(403);
    });
  });
});
