import { expect } from 'chai';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { Article } from '../../plugin/faq/schema.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

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

/** The `<main>` of a page: what the page says, without the navigation and footer around it. */
function mainOf(html: string): Element {
  const main = elementsOf(parse(html)).find((e) => e.tagName === 'main');
  if (!main) throw new Error('the page has no <main>');
  return main;
}

const mainText = (html: string): string => textOf(mainOf(html)).replace(/\s+/g, ' ');
const linksIn = (html: string): string[] => elementsOf(mainOf(html)).filter((e) => e.tagName === 'a').map((e) => attr(e, 'href') ?? '');

/** No element or event handler came from the data: Loket's pages have no scripts and no images of their own. */
function expectNothingInjected(html: string): void {
  for (const element of elementsOf(parse(html))) {
    expect(element.tagName, 'an element from the data').not.to.be.oneOf(['script', 'img', 'iframe', 'object', 'embed']);
    for (const { name } of element.attrs) expect(name, `attribute ${name} on <${element.tagName}>`).not.to.match(/^on/i);
  }
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict reader for the XML the feed uses (declaration, elements, attributes, text, comments), written
 * apart from the feed code: it throws on anything a conforming XML parser would refuse in that subset
 * (unescaped `<` or `&`, unknown entities, unquoted or repeated attributes, bad nesting, two roots).
 */
function parseXml(xml: string): XmlElement {
  const decode = (text: string): string => {
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`a bare & in ${JSON.stringify(text)}`);
    return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '');
  };
  const declaration = /^<\?xml version="1\.0" encoding="utf-8"\?>/.exec(xml);
  if (!declaration) throw new Error('no XML declaration');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  let at = declaration[0].length;
  const NAME = '[A-Za-z_][\\w.:-]*';
  while (at < xml.length) {
    const top = stack[stack.length - 1]!;
    if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at);
      if (end === -1) throw new Error('unclosed comment');
      at = end + 3;
    } else if (xml.startsWith('</', at)) {
      const close = new RegExp(`</(${NAME})\\s*>`, 'y');
      close.lastIndex = at;
      const match = close.exec(xml);
      if (match?.[1] !== top.name) throw new Error(`bad end tag at ${at}: expected </${top.name}>`);
      stack.pop();
      at = close.lastIndex;
    } else if (xml[at] === '<') {
      const open = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
      open.lastIndex = at;
      const match = open.exec(xml);
      if (!match) throw new Error(`bad tag at ${at}: ${xml.slice(at, at + 60)}`);
      if (stack.length === 1 && root.children.length > 0) throw new Error('a second root element');
      const element: XmlElement = { name: match[1]!, attrs: {}, children: [], text: '' };
      for (const [, name = '', double, single] of match[2]!.matchAll(new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g'))) {
        if (name in element.attrs) throw new Error(`attribute ${name} twice`);
        element.attrs[name] = decode(double ?? single ?? '');
      }
      top.children.push(element);
      if (match[3] !== '/') stack.push(element);
      at = open.lastIndex;
    } else {
      const next = xml.indexOf('<', at);
      const end = next === -1 ? xml.length : next;
      const text = xml.slice(at, end);
      if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root element');
      top.text += decode(text);
      at = end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0]!;
}

/** The page's CSRF token as a form field, when the page has one (anonymous pages without a session do not). */
const tokenOf = (html: string): { _csrf?: string } => (html.includes('name="csrf-token"') ? { _csrf: csrfFrom(html) } : {});

const child = (element: XmlElement, name: string): XmlElement | undefined => element.children.find((c) => c.name === name);

describe('FAQ reader pages: home, search, categories, articles, votes and the feed', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: Actor;
  let writer: Actor;
  let reviewer: Actor;
  /** A word no other test uses, to find this suite's articles. */
  const word = unique('kiwano').replace('-', '');
  let category: string;
  let english: Article;
  let dutch: Article;
  let internal: Article;
  let draft: Article;
  let customerCategory: string;
  let customerArticle: Article;
  let group: string;
  let xssCategory: string;
  let xss: Article;

  const anonymous = () => request(app.url);

  before(async function () {
    app = await startTestApp();
    admin = await adminActor(app);
    writer = await agentActor(app);
    reviewer = await agentActor(app);
    const services = app.loket.container.services;

    category = await createFaqCategory(app, admin, { name: 'Accounts and passwords' });
    const slug = unique('reset-password');
    english = await createArticle(app, writer, { category, slug, title: `Reset your password ${word}`, summary: 'Forgot your password? Set a new one.', body: `Use the **Forgot password** link on the sign-in page. ${word}` }, reviewer);
    dutch = await createArticle(app, writer, { category, slug, language: 'nl', title: `Wachtwoord opnieuw instellen ${word}`, summary: 'Wachtwoord vergeten? Kies een nieuw.', body: `Gebruik de link **Wachtwoord vergeten** op de aanmeldpagina. ${word}` }, reviewer);
    internal = await createArticle(app, writer, { category, title: `Internal escalation ${word}`, visibility: 'internal', body: `Only for agents. ${word}` }, reviewer);
    draft = await createArticle(app, writer, { category, title: `Unfinished draft ${word}`, visibility: 'public', body: `Not approved yet. ${word}` });

    group = unique('faqgroup');
    await services.groups.create(admin, { name: group }, cliSubject());
    customerCategory = await createFaqCategory(app, admin, { group, name: 'Customer corner' });
    customerArticle = await createArticle(app, writer, { category: customerCategory, title: `Customer only VPN ${word}`, visibility: 'customer', body: `For signed-in customers. ${word}` }, reviewer);

    xssCategory = await createFaqCategory(app, admin, { name: `Cat ${SCRIPT} ${IMG}` });
    xss = await createArticle(
      app,
      writer,
      { category: xssCategory, title: `Title ${SCRIPT} ${IMG}`, summary: `Summary ${SCRIPT} ${IMG}`, keywords: [SCRIPT, IMG], body: `Body ${SCRIPT} <img src=x onerror=alert(1)> [x](javascript:alert(1))` },
      reviewer,
    );
  });
  after(() => app.close());

  async function customerWithRo(): Promise<Agent> {
    const user = await createCustomerUser(app, admin);
    await app.loket.container.services.assignments.setGroups(admin, { kind: 'customer-user', login: user.login }, { groups: [{ group, permissions: ['ro'] }] }, cliSubject());
    return (await signIn(app, user)).agent;
  }

  async function customerWithoutRo(): Promise<Agent> {
    return (await signIn(app, await createCustomerUser(app, admin))).agent;
  }

  it('lets anybody read the home page: search form, categories with counts, most read, recent and the feed link', async function () {
    const res = await anonymous().get('/faq').expect(200);
    const main = mainOf(res.text);
    const input = elementsOf(main).find((e) => e.tagName === 'input' && attr(e, 'name') === 'q');
    expect(input, 'search field').to.exist;
    const label = elementsOf(main).find((e) => e.tagName === 'label' && attr(e, 'for') === attr(input!, 'id'));
    expect(label, 'a label for the search field').to.exist;
    expect(linksIn(res.text)).to.include(`/faq/${category}`);
    expect(mainText(res.text)).to.include('Accounts and passwords (1 article)');
    expect(linksIn(res.text)).to.include(`/faq/${category}/${english.slug}`);
    expect(linksIn(res.text)).to.include('/faq/feed.atom?lang=en');
    expect(mainText(res.text)).not.to.include(`Wachtwoord opnieuw instellen ${word}`);
  });

  it('shows the home page in Dutch with the Dutch translation', async function () {
    const res = await anonymous().get('/faq').set('Accept-Language', 'nl').expect(200);
    expect(mainText(res.text)).to.include('Veelgestelde vragen');
    expect(mainText(res.text)).to.include(`Wachtwoord opnieuw instellen ${word}`);
    expect(mainText(res.text)).not.to.include(`Reset your password ${word}`);
  });

  it('shows a category page with breadcrumb and articles, and 404 for a category without anything to read', async function () {
    const res = await anonymous().get(`/faq/${category}`).expect(200);
    const main = mainOf(res.text);
    const breadcrumb = elementsOf(main).find((e) => e.tagName === 'nav');
    expect(breadcrumb && textOf(breadcrumb).replace(/\s+/g, ' ')).to.include('FAQ').and.include('Accounts and passwords');
    expect(elementsOf(main).find((e) => e.tagName === 'h1') && textOf(elementsOf(main).find((e) => e.tagName === 'h1')!)).to.equal('Accounts and passwords');
    expect(mainText(res.text)).to.include(`Reset your password ${word}`).and.include('Forgot your password? Set a new one.');
    await anonymous().get(`/faq/${unique('nothing-here')}`).expect(404);
    await anonymous().get('/faq/Not%20A%20Slug').expect(404);
    const empty = await createFaqCategory(app, admin);
    await anonymous().get(`/faq/${empty}`).expect(404);
  });

  it('shows an article: title, summary, rendered body, last update, translations, vote form', async function () {
    const res = await anonymous().get(`/faq/${category}/${english.slug}`).expect(200);
    const main = mainOf(res.text);
    expect(textOf(elementsOf(main).find((e) => e.tagName === 'h1')!)).to.equal(`Reset your password ${word}`);
    expect(elementsOf(main).some((e) => e.tagName === 'strong' && textOf(e) === 'Forgot password'), 'the rendered markdown').to.equal(true);
    const updated = elementsOf(main).find((e) => e.tagName === 'time');
    expect(Number.isNaN(Date.parse(attr(updated!, 'datetime') ?? '')), 'last updated').to.equal(false);
    expect(linksIn(res.text)).to.include(`/faq/${category}/${english.slug}?lang=nl`);
    const form = elementsOf(main).find((e) => e.tagName === 'form' && attr(e, 'action') === `/faq/${category}/${english.slug}/vote`);
    expect(form, 'vote form').to.exist;
    const signedIn = await (await customerWithoutRo()).get(`/faq/${category}/${english.slug}`).expect(200);
    const signedInForm = elementsOf(mainOf(signedIn.text)).find((e) => e.tagName === 'form' && attr(e, 'action') === `/faq/${category}/${english.slug}/vote`);
    expect(elementsOf(signedInForm!).some((e) => attr(e, 'name') === '_csrf' && attr(e, 'type') === 'hidden' && !!attr(e, 'value')), 'the CSRF field').to.equal(true);
    expect(elementsOf(form!).filter((e) => e.tagName === 'button').map((e) => attr(e, 'value'))).to.deep.equal(['yes', 'no']);
    expect(mainText(res.text)).not.to.include('Edit this article');

    const nl = await anonymous().get(`/faq/${category}/${english.slug}?lang=nl`).expect(200);
    const h1 = elementsOf(mainOf(nl.text)).find((e) => e.tagName === 'h1')!;
    expect(textOf(h1)).to.equal(`Wachtwoord opnieuw instellen ${word}`);
    expect(attr(h1, 'lang')).to.equal('nl');
  });

  it("leaves the editors' paths under /faq/manage to their own pages", async function () {
    for (const path of ['/faq/manage', `/faq/manage/${english.id}`]) {
      const res = await anonymous().get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location, path).to.match(/^\/login\?returnTo=/);
    }
  });

  it('ignores an unknown or repeated ?lang= instead of failing', async function () {
    for (const query of ['lang=xx', 'lang=', 'lang=en&lang=nl', 'lang=%3Cscript%3E']) {
      const res = await anonymous().get(`/faq/${category}/${english.slug}?${query}`);
      expect(res.status, query).to.equal(200);
      expect(mainText(res.text)).to.include(`Reset your password ${word}`);
    }
  });

  it('sends a reader who uses an old category in the URL to the right one with 301', async function () {
    const res = await anonymous().get(`/faq/${customerCategory}/${english.slug}?lang=nl`).expect(301);
    expect(res.headers.location).to.equal(`/faq/${category}/${english.slug}?lang=nl`);
  });

  it('finds English articles by English words and Dutch ones by Dutch words, with a marked snippet', async function () {
    const en = await anonymous().get('/faq/search').query({ q: `password ${word}` }).expect(200);
    expect(mainText(en.text)).to.include(`Reset your password ${word}`).and.include('1 article found.');
    const marks = elementsOf(mainOf(en.text)).filter((e) => e.tagName === 'mark').map((e) => textOf(e).toLowerCase());
    expect(marks).to.include('password');
    expect(linksIn(en.text)).to.include(`/faq/${category}/${english.slug}`);

    const nl = await anonymous().get('/faq/search').query({ q: `wachtwoord ${word}` }).set('Accept-Language', 'nl').expect(200);
    expect(mainText(nl.text)).to.include(`Wachtwoord opnieuw instellen ${word}`).and.include('1 artikel gevonden.');
    expect(mainText(nl.text)).not.to.include(`Reset your password ${word}`);
  });

  it('shows the form for an empty query and helpful advice when nothing is found', async function () {
    const empty = await anonymous().get('/faq/search').expect(200);
    expect(mainText(empty.text)).to.include('Type what you are looking for');
    const none = await anonymous().get('/faq/search').query({ q: unique('zzyzx').replace('-', '') }).expect(200);
    expect(mainText(none.text)).to.include('Nothing found for').and.include('Try other or fewer words');
    expect(linksIn(none.text)).to.include('/faq');
    expect(linksIn(none.text).some((href) => href.startsWith('/login'))).to.equal(true);

    const customer = await customerWithoutRo();
    const signedIn = await customer.get('/faq/search').query({ q: unique('zzyzx').replace('-', '') }).expect(200);
    expect(linksIn(signedIn.text)).to.include('/portal');
  });

  it('pages through search results and category pages, twenty at a time', async function () {
    const many = await createFaqCategory(app, admin, { name: 'Many articles' });
    const pageWord = unique('paging').replace('-', '');
    for (let i = 0; i < 23; i++) await createArticle(app, writer, { category: many, title: `Paged ${pageWord} ${String(i).padStart(2, '0')}`, body: pageWord }, reviewer);

    const first = await anonymous().get('/faq/search').query({ q: pageWord }).expect(200);
    const results = (html: string) => elementsOf(mainOf(html)).find((e) => e.tagName === 'ol' && attr(e, 'class') === 'faq-results');
    const items = (html: string) => results(html)!.childNodes.filter((n) => 'tagName' in n && n.tagName === 'li').length;
    expect(items(first.text)).to.equal(20);
    expect(mainText(first.text)).to.include('23 articles found.');
    expect(linksIn(first.text)).to.include(`/faq/search?q=${pageWord}&page=2`);
    const second = await anonymous().get('/faq/search').query({ q: pageWord, page: 2 }).expect(200);
    expect(items(second.text)).to.equal(3);
    expect(attr(results(second.text)!, 'start')).to.equal('21');
    await anonymous().get('/faq/search').query({ q: pageWord, page: 'abc' }).expect(200);

    const categoryPage = await anonymous().get(`/faq/${many}`).query({ page: 2 }).expect(200);
    expect(mainText(categoryPage.text)).to.include('Articles 21 to 23 of 23.');
    expect(linksIn(categoryPage.text)).to.include(`/faq/${many}`);
  });

  it('keeps internal articles and drafts away from anonymous readers and customers, everywhere', async function () {
    const customer = await customerWithRo();
    for (const [who, client] of [['anonymous', anonymous()], ['customer', customer]] as const) {
      for (const article of [internal, draft]) {
        const res = await client.get(`/faq/${category}/${article.slug}`);
        expect(res.status, `${who}: ${article.title}`).to.equal(404);
      }
      const pages = [await client.get('/faq'), await client.get(`/faq/${category}`), await client.get('/faq/search').query({ q: word })];
      for (const page of pages) {
        expect(page.status).to.equal(200);
        expect(page.text, who).not.to.include(internal.title).and.not.to.include(draft.title);
      }
    }
    const feed = await anonymous().get('/faq/feed.atom').expect(200);
    expect(feed.text).not.to.include(internal.title).and.not.to.include(draft.title);
  });

  it('shows staff internal articles and drafts, with the state and an edit link', async function () {
    const agent = await app.createAgent('agent');
    const { agent: staff } = await signIn(app, agent);
    await staff.get(`/faq/${category}/${internal.slug}`).expect(200);
    const res = await staff.get(`/faq/${category}/${draft.slug}`).expect(200);
    expect(mainText(res.text)).to.include('State: draft');
    expect(linksIn(res.text)).to.include(`/faq/manage/${draft.id}`);
  });

  it('shows a customer article only to customer users holding ro on the category group', async function () {
    const path = `/faq/${customerCategory}/${customerArticle.slug}`;
    await anonymous().get(path).expect(404);
    await anonymous().get(`/faq/${customerCategory}`).expect(404);

    const allowed = await customerWithRo();
    const page = await allowed.get(path).expect(200);
    expect(mainText(page.text)).to.include(customerArticle.title);
    expect(linksIn((await allowed.get('/faq').expect(200)).text)).to.include(`/faq/${customerCategory}`);
    expect(mainText((await allowed.get('/faq/search').query({ q: `vpn ${word}` })).text)).to.include(customerArticle.title);

    const refused = await customerWithoutRo();
    await refused.get(path).expect(404);
    await refused.get(`/faq/${customerCategory}`).expect(404);
    expect((await refused.get('/faq').expect(200)).text).not.to.include(`/faq/${customerCategory}`);
    expect((await refused.get('/faq/search').query({ q: `vpn ${word}` })).text).not.to.include(customerArticle.title);
  });

  it('escapes titles, summaries, keywords, category names and queries on every page', async function () {
    const pages = [
      await anonymous().get('/faq').expect(200),
      await anonymous().get(`/faq/${xssCategory}`).expect(200),
      await anonymous().get(`/faq/${xssCategory}/${xss.slug}`).expect(200),
      await anonymous().get('/faq/search').query({ q: SCRIPT }).expect(200),
      await anonymous().get('/faq/search').query({ q: IMG }).expect(200),
    ];
    for (const page of pages) expectNothingInjected(page.text);
    const [home, categoryPage, article, searchScript, searchImg] = pages.map((p) => mainText(p.text));
    expect(home).to.include(`Cat ${SCRIPT} ${IMG}`);
    expect(categoryPage).to.include(`Cat ${SCRIPT} ${IMG}`).and.include(`Title ${SCRIPT} ${IMG}`);
    expect(article).to.include(`Title ${SCRIPT} ${IMG}`).and.include(`Summary ${SCRIPT} ${IMG}`).and.include(`${SCRIPT}, ${IMG}`);
    expect(searchScript).to.include(`Search results for “${SCRIPT}”`).and.include(`Title ${SCRIPT} ${IMG}`);
    expect(searchImg).to.include(`Search results for “${IMG}”`);
    const field = elementsOf(mainOf(pages[4]!.text)).find((e) => e.tagName === 'input' && attr(e, 'name') === 'q');
    expect(attr(field!, 'value')).to.equal(IMG);
  });

  it('serves a well-formed Atom feed of public articles only, with absolute links', async function () {
    const res = await anonymous().get('/faq/feed.atom').expect(200);
    expect(res.headers['content-type']).to.match(/^application\/atom\+xml/);
    const feed = parseXml(res.text);
    expect(feed.name).to.equal('feed');
    expect(feed.attrs.xmlns).to.equal('http://www.w3.org/2005/Atom');
    for (const name of ['id', 'title', 'updated', 'author']) expect(child(feed, name), name).to.exist;
    const entries = feed.children.filter((c) => c.name === 'entry');
    const titles = entries.map((e) => child(e, 'title')!.text);
    expect(titles).to.include(english.title).and.include(xss.title);
    expect(titles).not.to.include(internal.title).and.not.to.include(customerArticle.title).and.not.to.include(draft.title).and.not.to.include(dutch.title);
    for (const entry of entries) {
      for (const name of ['id', 'title', 'updated', 'link']) expect(child(entry, name), name).to.exist;
      expect(child(entry, 'link')!.attrs.href).to.match(new RegExp(`^${app.url.replace(/[.]/g, '\\.')}/faq/[a-z0-9-]+/[a-z0-9-]+\\?lang=(en|nl|nb)$`));
      expect(Number.isNaN(Date.parse(child(entry, 'updated')!.text))).to.equal(false);
    }
    const xssEntry = entries.find((e) => child(e, 'title')!.text === xss.title)!;
    expect(child(xssEntry, 'summary')!.text).to.equal(xss.summary);
    expect(child(xssEntry, 'category')!.attrs.label).to.equal(`Cat ${SCRIPT} ${IMG}`);

    const again = await anonymous().get('/faq/feed.atom').set('If-None-Match', String(res.headers.etag)).expect(304);
    expect(again.text ?? '').to.equal('');
    const dutchFeed = parseXml((await anonymous().get('/faq/feed.atom?lang=nl').expect(200)).text);
    expect(dutchFeed.attrs['xml:lang']).to.equal('nl');
    expect(dutchFeed.children.filter((c) => c.name === 'entry').map((e) => child(e, 'title')!.text)).to.include(dutch.title);
  });

  it('counts one vote per session, lets the voter change it, and shows the counts after voting', async function () {
    const path = `/faq/${category}/${english.slug}`;
    // A visitor without a session gets no token (reading costs no session); the vote starts one.
    const vote = async (client: Agent, helpful: 'yes' | 'no') => {
      const page = await client.get(path).expect(200);
      return client.post(`${path}/vote`).type('form').send({ ...tokenOf(page.text), helpful, lang: 'en' });
    };
    const stats = async () => (await app.loket.container.services.faqArticles.detail(null, english.id)).stats;

    const visitor = request.agent(app.url);
    const first = await vote(visitor, 'yes');
    expect(first.status).to.equal(303);
    expect(first.headers.location).to.equal(`${path}?lang=en&notice=voted`);
    await vote(visitor, 'yes');
    expect(await stats()).to.include({ helpfulYes: 1, helpfulNo: 0 });

    const after = await visitor.get(first.headers.location!).expect(200);
    expect(mainText(after.text)).to.include('Thank you for your feedback.').and.include('Helpful: 1. Not helpful: 0.');

    await vote(request.agent(app.url), 'no');
    expect(await stats()).to.include({ helpfulYes: 1, helpfulNo: 1 });
    await vote(visitor, 'no');
    expect(await stats()).to.include({ helpfulYes: 0, helpfulNo: 2 });

    const customer = await customerWithoutRo();
    await vote(customer, 'yes');
    await vote(customer, 'yes');
    expect(await stats()).to.include({ helpfulYes: 1, helpfulNo: 2 });

    const crossSite = await request(app.url).post(`${path}/vote`).set('Origin', 'https://elsewhere.example').type('form').send({ helpful: 'yes' });
    expect(crossSite.status).to.equal(403);
    const sessionWithoutToken = await visitor.post(`${path}/vote`).type('form').send({ helpful: 'yes' });
    expect(sessionWithoutToken.status).to.equal(403);
    expect(await stats()).to.include({ helpfulYes: 1, helpfulNo: 2 });
    const bad = await vote(request.agent(app.url), 'maybe' as 'yes');
    expect(bad.status).to.equal(400);
    await request(app.url).post(`/faq/${category}/${internal.slug}/vote`).type('form').send({ helpful: 'yes' }).expect(404);
  });

  it("counts readers' views but not staff views", async function () {
    const { faqViews, faqArticles } = app.loket.container.services;
    const path = `/faq/${category}/${dutch.slug}?lang=nl`;
    await faqViews.flush();
    const before = (await faqArticles.detail(null, dutch.id)).stats.views;
    await anonymous().get(path).expect(200);
    await anonymous().get(path).expect(200);
    const { agent: staff } = await signIn(app, await app.createAgent('agent'));
    await staff.get(path).expect(200);
    await faqViews.flush();
    expect((await faqArticles.detail(null, dutch.id)).stats.views).to.equal(before + 2);
  });
});
