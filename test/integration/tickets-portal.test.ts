import { expect } from 'chai';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import type { TestCustomerUser } from '../helpers/customers.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

/** Every node of the page as a browser's parser builds it; a loop, so deep pages cannot overflow. */
function nodesOf(root: Node): Node[] {
  const found: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    if ('childNodes' in node) stack.push(...[...node.childNodes].reverse());
    if (node.nodeName === 'template' && 'content' in node) stack.push(node.content);
  }
  return found;
}

const elementsOf = (root: Node): Element[] => nodesOf(root).filter((n): n is Element => 'tagName' in n);
const attr = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;
const textOf = (root: Node): string => nodesOf(root).map((n) => (n.nodeName === '#text' && 'value' in n ? n.value : '')).join('');

function mainOf(html: string): Element {
  const main = elementsOf(parse(html)).find((e) => e.tagName === 'main');
  if (!main) throw new Error('the page has no <main>');
  return main;
}

const mainText = (html: string): string => textOf(mainOf(html)).replace(/\s+/g, ' ');
const byId = (html: string, id: string): Element | undefined => elementsOf(parse(html)).find((e) => attr(e, 'id') === id);
const valueOf = (html: string, id: string): string | undefined => {
  const element = byId(html, id);
  if (!element) return undefined;
  return element.tagName === 'textarea' ? textOf(element) : attr(element, 'value');
};
const linksIn = (html: string): string[] => elementsOf(mainOf(html)).filter((e) => e.tagName === 'a').map((e) => attr(e, 'href') ?? '');

/** No element or event handler came from the data; the one script is the form's own file. */
function expectNothingInjected(html: string): void {
  for (const element of elementsOf(parse(html))) {
    if (element.tagName === 'script') {
      expect(attr(element, 'src'), 'a script that is not one of ours').to.match(/^\/assets\/js\/[a-z-]+\.js$/);
      expect(textOf(element)).to.equal('');
      continue;
    }
    expect(element.tagName, 'an element from the data').not.to.be.oneOf(['img', 'iframe', 'object', 'embed', 'svg']);
    for (const { name } of element.attrs) expect(name, `attribute ${name} on <${element.tagName}>`).not.to.match(/^on/i);
  }
}

/** A form body as a browser sends it. */
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/** A word the FAQ search finds only where it was put. */
const word = (label: string) => unique(label).replace('-', '');

describe('portal ticket pages: filing with FAQ suggestions, lists, one ticket, the portal home', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: Actor;
  let queue: string;
  let group: string;
  let category: string;
  let approver: Actor;
  let author: Actor;
  const services = () => app.loket.container.services;

  before(async () => {
    app = await startTestApp();
    admin = await adminActor(app);
    ({ queue, group } = await createQueue(app, admin));
    category = await createFaqCategory(app, admin);
    author = await agentActor(app);
    approver = await agentActor(app);
  });
  after(() => app.close());

  async function customer(permissions: string[] = ['create'], opts: Parameters<typeof customerIn>[4] = {}): Promise<{ user: TestCustomerUser; session: { agent: Agent; csrf: string } }> {
    const user = await customerIn(app, admin, group, permissions, opts);
    return { user, session: await signIn(app, user) };
  }

  /** The new-ticket page's token and idempotency key. */
  async function newForm(agent: Agent): Promise<{ csrf: string; key: string; html: string }> {
    const page = await agent.get('/portal/tickets/new').expect(200);
    const key = valueOf(page.text, 'tp-key');
    if (!key) throw new Error('no idempotency key on the form');
    return { csrf: csrfFrom(page.text), key, html: page.text };
  }

  async function ticketsOf(user: TestCustomerUser) {
    return (await services().tickets.list(await actorOf(app, user, 'customer-user'), { state: undefined, limit: 200 })).items;
  }

  async function deflections(articleId: number): Promise<{ outcome: string; query: string; customer_user_id: number | null }[]> {
    const { knex, tables } = app.loket.container;
    return knex(tables.faq_deflections).where({ article_id: articleId }).orderBy('id').select('outcome', 'query', 'customer_user_id');
  }

  async function article(title: string, body = 'Some steps.') {
    return createArticle(app, author, { category, title, body, summary: 'A short answer.', visibility: 'customer' }, approver);
  }

  describe('filing', () => {
    it('files a ticket through the form: 303 to its page with a notice naming the number', async () => {
      const { user, session } = await customer();
      const { csrf, key, html } = await newForm(session.agent);
      expect(byId(html, 'tp-queue')).to.exist;
      expect(byId(html, 'tp-suggestions') && attr(byId(html, 'tp-suggestions')!, 'aria-live')).to.equal('polite');
      expect(key).to.match(/^[0-9a-f]{32}$/);
      const title = `Printer ${word('quux')} jams`;
      const res = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title, body: 'Line one.\nLine two.', queue, priority: 'high' })).expect(303);
      const number = /\/portal\/tickets\/(\d+)\?notice=filed$/.exec(res.headers.location!)?.[1];
      expect(number, res.headers.location).to.be.a('string');
      const page = await session.agent.get(`/portal/tickets/${number}?notice=filed`).expect(200);
      const text = mainText(page.text);
      expect(text).to.contain(`Ticket ${number} filed.`).and.contain(title).and.contain(queue).and.contain('High');
      // The body is text with its line breaks, shown pre-wrapped, never as HTML.
      expect(page.text).to.contain('Line one.\nLine two.');
      const [ticket] = await ticketsOf(user);
      expect(ticket?.number).to.equal(number);
      expect(ticket?.priority).to.equal('high');
    });

    it('files one ticket for a double submit or a retry with the same idempotency key', async () => {
      const { user, session } = await customer();
      const { csrf, key } = await newForm(session.agent);
      const fields = form({ _csrf: csrf, idempotencyKey: key, title: `Double ${word('dbl')}`, body: 'Clicked twice.', queue });
      const [first, second] = await Promise.all([session.agent.post('/portal/tickets').type('form').send(fields), session.agent.post('/portal/tickets').type('form').send(fields)]);
      const retry = await session.agent.post('/portal/tickets').type('form').send(fields);
      expect([first.status, second.status, retry.status]).to.deep.equal([303, 303, 303]);
      expect(second.headers.location).to.equal(first.headers.location);
      expect(retry.headers.location).to.equal(first.headers.location);
      expect(await ticketsOf(user)).to.have.length(1);
      // A new render is a new key: the next ticket is a ticket of its own.
      const again = await newForm(session.agent);
      expect(again.key).not.to.equal(key);
    });

    it('re-renders a form with problems, the text kept: 400 for a missing subject, 403 for a queue without create, 413 for a huge body', async () => {
      const { user } = await customer();
      const other = await createQueue(app, admin);
      await services().assignments.setGroups(admin, { kind: 'customer-user', login: user.login }, { groups: [{ group, permissions: ['create'] }, { group: other.group, permissions: ['ro'] }] }, cliSubject());
      const fresh = await signIn(app, user);
      const { csrf, key } = await newForm(fresh.agent);
      const body = `Kept ${word('kept')} text.`;

      const missing = await fresh.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title: '', body, queue })).expect(400);
      expect(valueOf(missing.text, 'tp-body')).to.equal(body);
      expect(attr(byId(missing.text, 'tp-title')!, 'aria-invalid')).to.equal('true');
      expect(mainText(missing.text)).to.contain('Give the ticket a subject');

      const refused = await fresh.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title: 'Not here', body, queue: other.queue, checked: '1' })).expect(403);
      expect(mainText(refused.text)).to.contain('You may not file tickets in this queue.');
      expect(valueOf(refused.text, 'tp-body')).to.equal(body);
      // The queue one may only read is not even offered.
      expect(elementsOf(byId(refused.text, 'tp-queue')!).filter((e) => e.tagName === 'option').map((o) => attr(o, 'value'))).to.deep.equal([queue]);

      const huge = await fresh.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title: 'Huge', body: 'x'.repeat(100_001), queue, checked: '1' })).expect(413);
      expect(mainText(huge.text)).to.contain('The text is too long');
      expect(attr(byId(huge.text, 'tp-body')!, 'aria-invalid')).to.equal('true');

      await fresh.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title: 'Urgent!', body, queue, priority: 'urgent', checked: '1' })).expect(400);
      expect(await ticketsOf(user)).to.have.length(0);
    });

    it('refuses a form without the CSRF token (403) and files nothing', async () => {
      const { user, session } = await customer();
      const { key } = await newForm(session.agent);
      await session.agent.post('/portal/tickets').type('form').send(form({ idempotencyKey: key, title: 'No token', body: 'x', queue, checked: '1' })).expect(403);
      expect(await ticketsOf(user)).to.have.length(0);
    });

    it('says why there is no form for someone without create anywhere (403), and the home page offers no button', async () => {
      const { session } = await customer(['ro']);
      const page = await session.agent.get('/portal/tickets/new').expect(403);
      expect(byId(page.text, 'tp-no-queues')).to.exist;
      expect(byId(page.text, 'tp-new-form')).to.equal(undefined);
      const home = await session.agent.get('/portal').expect(200);
      expect(byId(home.text, 'tp-home-new')).to.equal(undefined);
      expect(byId(home.text, 'tp-home-no-queues')).to.exist;
    });
  });

  describe('FAQ suggestions and deflection', () => {
    it('without JavaScript stops once at the FAQ, keeps the draft across the article, and files anyway with the article linked', async () => {
      const secret = word('zorp');
      const found = await article(`Reset your ${secret} password`, 'Use the **reset** link.');
      const { user, session } = await customer();
      const { csrf, key } = await newForm(session.agent);
      const title = `My ${secret} password expired`;
      const body = 'It says expired since this morning.';

      const check = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title, body, queue })).expect(200);
      expect(byId(check.text, 'tp-check')).to.exist;
      expect(mainText(check.text)).to.contain('Check the FAQ first').and.contain(found.title);
      expect(valueOf(check.text, 'tp-title')).to.equal(title);
      expect(valueOf(check.text, 'tp-body')).to.equal(body);
      expect(valueOf(check.text, 'tp-key')).to.equal(key);
      expect(byId(check.text, 'tp-file-anyway')).to.exist;
      expect(await ticketsOf(user)).to.have.length(0);
      const link = linksIn(check.text).find((href) => href.startsWith(`/portal/tickets/new/faq/${found.id}?q=`));
      expect(link, 'a link to the article inside the ticket flow').to.be.a('string');

      const reading = await session.agent.get(link!).expect(200);
      expect(mainText(reading.text)).to.contain(found.title);
      expect(reading.text).to.contain('<strong>reset</strong>');
      expect(byId(reading.text, 'tp-answered')).to.exist;
      expect(attr(byId(reading.text, 'tp-back-to-ticket')!, 'href')).to.equal('/portal/tickets/new');
      const opened = await deflections(found.id);
      expect(opened.map((d) => [d.outcome, d.customer_user_id])).to.deep.equal([['opened', user.id]]);
      expect(opened[0]!.query).to.contain(secret);

      const back = await session.agent.get('/portal/tickets/new').expect(200);
      expect(valueOf(back.text, 'tp-title')).to.equal(title);
      expect(valueOf(back.text, 'tp-body')).to.equal(body);
      expect(valueOf(back.text, 'tp-key')).to.equal(key);
      expect(valueOf(back.text, 'tp-checked'), 'they have looked at the FAQ').to.equal('1');
      expect(byId(back.text, 'tp-kept')).to.exist;

      const filed = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrfFrom(back.text), idempotencyKey: key, title, body, queue, checked: '1' })).expect(303);
      const page = await session.agent.get(filed.headers.location!).expect(200);
      const looked = byId(page.text, 'tp-looked-at');
      expect(looked, 'articles you looked at').to.exist;
      expect(textOf(looked!)).to.contain(found.title);
      expect(linksIn(page.text)).to.include(`/faq/${category}/${found.slug}?lang=en`);
      expect(await ticketsOf(user)).to.have.length(1);
      // Filed: the draft is gone, the next form is empty.
      const next = await session.agent.get('/portal/tickets/new').expect(200);
      expect(valueOf(next.text, 'tp-title')).to.equal('');
      expect(byId(next.text, 'tp-kept')).to.equal(undefined);
    });

    it('"this answered my question" records the deflection, files nothing and clears the draft', async () => {
      const secret = word('vpnx');
      const found = await article(`Connect the ${secret} client`);
      const { user, session } = await customer();
      const { csrf, key } = await newForm(session.agent);
      const check = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title: `${secret} will not connect`, body: 'Timeout.', queue })).expect(200);
      const link = linksIn(check.text).find((href) => href.startsWith(`/portal/tickets/new/faq/${found.id}?`))!;
      const reading = await session.agent.get(link).expect(200);

      const done = await session.agent.post('/portal/tickets/deflect').type('form').send(form({ _csrf: csrfFrom(reading.text), articleId: String(found.id), q: secret })).expect(303);
      expect(done.headers.location).to.equal('/portal?notice=deflected');
      const home = await session.agent.get(done.headers.location!).expect(200);
      expect(mainText(home.text)).to.contain('Glad that helped — no ticket was filed.');
      expect((await deflections(found.id)).map((d) => d.outcome)).to.deep.equal(['opened', 'answered']);
      expect(await ticketsOf(user)).to.have.length(0);
      const fresh = await session.agent.get('/portal/tickets/new').expect(200);
      expect(valueOf(fresh.text, 'tp-title')).to.equal('');
    });

    it('shows only articles the person may read: an internal article is a 404 in the flow and records nothing', async () => {
      const secret = word('intl');
      const hidden = await createArticle(app, author, { category, title: `Internal ${secret}`, visibility: 'internal' }, approver);
      const { session } = await customer();
      const { csrf, key } = await newForm(session.agent);
      const res = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title: `About ${secret}`, body: 'x', queue })).expect(303);
      expect(res.headers.location).to.match(/notice=filed$/);
      await session.agent.get(`/portal/tickets/new/faq/${hidden.id}?q=${secret}`).expect(404);
      await session.agent.get('/portal/tickets/new/faq/not-an-id').expect(404);
      const reading = await session.agent.get('/portal/tickets/new').expect(200);
      await session.agent.post('/portal/tickets/deflect').type('form').send(form({ _csrf: csrfFrom(reading.text), articleId: String(hidden.id), q: secret })).expect(404);
      expect(await deflections(hidden.id)).to.deep.equal([]);
    });
  });

  describe('one ticket', () => {
    it('is a 404 for another customer, by GET and by POST', async () => {
      const a = await customer();
      const b = await customer();
      const { ticket } = await services().tickets.create(await actorOf(app, a.user, 'customer-user'), { title: `Mine ${word('own')}`, body: 'Private.', queue }, null);
      await b.session.agent.get(`/portal/tickets/${ticket.number}`).expect(404);
      const page = await b.session.agent.get('/portal/tickets').expect(200);
      expect(mainText(page.text)).not.to.contain(ticket.title);
      await b.session.agent.post(`/portal/tickets/${ticket.number}/messages`).type('form').send(form({ _csrf: b.session.csrf, body: 'Let me in.' })).expect(404);
      await b.session.agent.post(`/portal/tickets/${ticket.number}/state`).type('form').send(form({ _csrf: b.session.csrf, state: 'closed' })).expect(404);
      await b.session.agent.get('/portal/tickets/99999999999999').expect(404);
      const view = await services().tickets.view(await actorOf(app, a.user, 'customer-user'), ticket.number);
      expect(view.ticket.messages.map((m) => m.body)).to.deep.equal(['Private.']);
      expect(view.ticket.state).to.equal('new');
    });

    it('never shows an internal note; shows the agent\'s answer and state changes as events', async () => {
      const { user, session } = await customer();
      const { ticket } = await services().tickets.create(await actorOf(app, user, 'customer-user'), { title: 'Mail bounces', body: 'Since Monday.', queue }, null);
      const agent = await actorOf(app, await agentIn(app, admin, group, ['rw']), 'agent');
      const secret = word('internalnote');
      await services().tickets.addMessage(agent, ticket.number, { body: `Customer is on the old plan ${secret}`, internal: true });
      await services().tickets.addMessage(agent, ticket.number, { body: 'We are looking into it.' });
      const page = await session.agent.get(`/portal/tickets/${ticket.number}`).expect(200);
      expect(page.text).not.to.contain(secret);
      const text = mainText(page.text);
      expect(text).to.contain('We are looking into it.').and.contain('service desk');
      expect(text).to.contain('Open');
    });

    it('replies, closes and reopens through the forms, each back on the ticket with a notice', async () => {
      const { user, session } = await customer();
      const { ticket } = await services().tickets.create(await actorOf(app, user, 'customer-user'), { title: 'Screen flickers', body: 'Now and then.', queue }, null);
      const path = `/portal/tickets/${ticket.number}`;
      const first = await session.agent.get(path).expect(200);
      const csrf = csrfFrom(first.text);
      expect(byId(first.text, 'tp-state-closed')).to.exist;
      expect(byId(first.text, 'tp-state-open')).to.equal(undefined);

      const replied = await session.agent.post(`${path}/messages`).type('form').send(form({ _csrf: csrf, body: 'Also when it is cold.' })).expect(303);
      expect(replied.headers.location).to.equal(`${path}?notice=replied`);
      const closed = await session.agent.post(`${path}/state`).type('form').send(form({ _csrf: csrf, state: 'closed' })).expect(303);
      const closedPage = await session.agent.get(closed.headers.location!).expect(200);
      expect(mainText(closedPage.text)).to.contain('The ticket is closed.').and.contain('Also when it is cold.');
      expect(textOf(byId(closedPage.text, 'tp-state-now')!)).to.equal('Closed');
      expect(byId(closedPage.text, 'tp-state-open')).to.exist;
      expect(mainText(closedPage.text)).to.contain('changed the state: New → Closed');

      const reopened = await session.agent.post(`${path}/state`).type('form').send(form({ _csrf: csrf, state: 'open' })).expect(303);
      expect(reopened.headers.location).to.equal(`${path}?notice=reopened`);
      // A state a customer may not set, an empty reply and a huge reply come back on the page.
      const refused = await session.agent.post(`${path}/state`).type('form').send(form({ _csrf: csrf, state: 'resolved' })).expect(422);
      expect(mainText(refused.text)).to.contain('cannot be set to that state');
      await session.agent.post(`${path}/messages`).type('form').send(form({ _csrf: csrf, body: '' })).expect(400);
      const huge = await session.agent.post(`${path}/messages`).type('form').send(form({ _csrf: csrf, body: 'y'.repeat(100_001) })).expect(413);
      expect(mainText(huge.text)).to.contain('The text is too long');
      await session.agent.post(`${path}/messages`).type('form').send(form({ body: 'No token.' })).expect(403);
    });

    it('shows an XSS title and body as text on the ticket page, the list and the home page', async () => {
      const { session } = await customer();
      const { csrf, key } = await newForm(session.agent);
      const title = '"><img src=x onerror=alert(1)>';
      const body = '<script>alert(1)</script><svg onload=alert(2)>';
      const res = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title, body, queue, checked: '1' })).expect(303);
      for (const path of [res.headers.location!, '/portal/tickets', '/portal']) {
        const page = await session.agent.get(path).expect(200);
        expectNothingInjected(page.text);
        expect(mainText(page.text), path).to.contain(title);
      }
      const page = await session.agent.get(res.headers.location!).expect(200);
      expect(mainText(page.text)).to.contain(body);
      // A refused form echoes the input escaped too.
      const refused = await session.agent.post('/portal/tickets').type('form').send(form({ _csrf: csrf, idempotencyKey: key, title, body, queue: '', checked: '1' })).expect(400);
      expectNothingInjected(refused.text);
      expect(valueOf(refused.text, 'tp-title')).to.equal(title);
    });
  });

  describe('lists and the home page', () => {
    it('lists own tickets with state filter and search; the home page shows the five latest and a New ticket button', async () => {
      const { user, session } = await customer();
      const actor = await actorOf(app, user, 'customer-user');
      const numbers: string[] = [];
      const words = Array.from({ length: 6 }, () => word('item'));
      for (const w of words) numbers.push((await services().tickets.create(actor, { title: `Item ${w}`, body: 'x', queue }, null)).ticket.number);
      await services().tickets.changeState(actor, numbers[0]!, 'closed');

      const all = await session.agent.get('/portal/tickets').expect(200);
      const rows = elementsOf(byId(all.text, 'tp-tickets')!).filter((e) => e.tagName === 'tr').length - 1;
      expect(rows).to.equal(6);
      expect(linksIn(all.text)).to.include(`/portal/tickets/${numbers[3]}`);
      expect(elementsOf(byId(all.text, 'tp-tickets')!).some((e) => e.tagName === 'time')).to.equal(true);

      const active = await session.agent.get('/portal/tickets?state=active').expect(200);
      expect(linksIn(active.text)).to.include(`/portal/tickets/${numbers[1]}`).and.not.include(`/portal/tickets/${numbers[0]}`);
      const closed = await session.agent.get('/portal/tickets?state=closed').expect(200);
      expect(linksIn(closed.text).filter((h) => /\/portal\/tickets\/\d+$/.test(h))).to.deep.equal([`/portal/tickets/${numbers[0]}`]);
      const searched = await session.agent.get(`/portal/tickets?search=${words[4]}`).expect(200);
      expect(linksIn(searched.text).filter((h) => /\/portal\/tickets\/\d+$/.test(h))).to.deep.equal([`/portal/tickets/${numbers[4]}`]);
      const none = await session.agent.get(`/portal/tickets?search=${word('nothing')}`).expect(200);
      expect(mainText(none.text)).to.contain('No ticket matches these filters.');
      // Odd query values are hints, never errors.
      await session.agent.get('/portal/tickets?state=bogus&page=-3&scope=x').expect(200);

      const home = await session.agent.get('/portal').expect(200);
      const listed = linksIn(home.text).filter((h) => /\/portal\/tickets\/\d+$/.test(h));
      // The five most recently updated, in the list's order.
      const latest = (await services().tickets.list(actor, { limit: 5 })).items.map((t) => `/portal/tickets/${t.number}`);
      expect(listed).to.deep.equal(latest);
      expect(latest).to.have.length(5);
      expect(attr(byId(home.text, 'tp-home-new')!, 'href')).to.equal('/portal/tickets/new');
      expect(attr(byId(home.text, 'tp-home-all')!, 'href')).to.equal('/portal/tickets');
      expect(linksIn(home.text)).to.include('/faq');

      // A page holds twenty; the pager leads to the rest.
      for (let i = 0; i < 15; i++) await services().tickets.create(actor, { title: `More ${i}`, body: 'x', queue }, null);
      const first = await session.agent.get('/portal/tickets').expect(200);
      expect(mainText(first.text)).to.contain('21 tickets');
      expect(linksIn(first.text)).to.include('/portal/tickets?page=2');
      const second = await session.agent.get('/portal/tickets?page=2').expect(200);
      expect(linksIn(second.text).filter((h) => /\/portal\/tickets\/\d+$/.test(h))).to.have.length(1);
    });

    it('says who filed a ticket someone else filed for the customer', async () => {
      const { user, session } = await customer();
      const agentAccount = await agentIn(app, admin, group, ['create', 'rw']);
      const agent = await actorOf(app, agentAccount, 'agent');
      const { ticket } = await services().tickets.create(agent, { title: 'Phoned in', body: 'Called the desk.', queue, customerUser: user.login }, null);
      const page = await session.agent.get(`/portal/tickets/${ticket.number}`).expect(200);
      expect(textOf(byId(page.text, 'tp-filed-by')!)).to.equal(agent.displayName);
      expect(byId(page.text, 'tp-for'), 'their own ticket').to.equal(undefined);
      const own = await session.agent.get('/portal/tickets').expect(200);
      expect(linksIn(own.text)).to.include(`/portal/tickets/${ticket.number}`);
      const { ticket: mine } = await services().tickets.create(await actorOf(app, user, 'customer-user'), { title: 'Self', body: 'x', queue }, null);
      expect(byId((await session.agent.get(`/portal/tickets/${mine.number}`).expect(200)).text, 'tp-filed-by')).to.equal(undefined);
    });

    it('offers the organisation tab only with permission: a key user sees a colleague\'s ticket there', async () => {
      const customerId = unique('org');
      const plain = await customer(['create'], { customerId });
      const key = await customer(['create'], { customerId, keyUserOf: [customerId] });
      const { ticket } = await services().tickets.create(await actorOf(app, plain.user, 'customer-user'), { title: `Colleague ${word('col')}`, body: 'x', queue }, null);

      const plainList = await plain.session.agent.get('/portal/tickets').expect(200);
      expect(byId(plainList.text, 'tp-tab-company')).to.equal(undefined);
      const forced = await key.session.agent.get('/portal/tickets').expect(200);
      expect(byId(forced.text, 'tp-tab-company')).to.exist;
      expect(linksIn(forced.text)).not.to.include(`/portal/tickets/${ticket.number}`);

      const company = await key.session.agent.get('/portal/tickets?scope=company').expect(200);
      expect(linksIn(company.text)).to.include(`/portal/tickets/${ticket.number}`);
      const page = await key.session.agent.get(`/portal/tickets/${ticket.number}`).expect(200);
      expect(textOf(byId(page.text, 'tp-for')!)).to.equal(plain.user.login);

      // Without the permission the address alone shows one's own tickets, not the organisation's.
      const other = await customer(['create'], { customerId });
      const sneaky = await other.session.agent.get('/portal/tickets?scope=company').expect(200);
      expect(linksIn(sneaky.text)).not.to.include(`/portal/tickets/${ticket.number}`);
      await other.session.agent.get(`/portal/tickets/${ticket.number}`).expect(404);
    });

    it('is for customers: an agent gets 403, a visitor the login page', async () => {
      const agent = await signIn(app, await app.createAgent('agent'));
      await agent.agent.get('/portal/tickets').expect(403);
      await agent.agent.get('/portal').expect(403);
      const anonymous = await request(app.url).get('/portal/tickets/new').expect(303);
      expect(anonymous.headers.location).to.equal(`/login?returnTo=${encodeURIComponent('/portal/tickets/new')}`);
    });
  });
});
