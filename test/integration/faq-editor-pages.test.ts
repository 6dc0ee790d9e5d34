import { expect } from 'chai';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { signIn, startTestApp, unique, type Agent, type TestAccount, type TestApp } from '../helpers/app.js';
import { createCustomerUser } from '../helpers/customers.js';
import { createArticle, createFaqCategory } from '../helpers/faq.js';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

/** A form body with repeated names for lists (checkboxes), as a browser sends it. */
function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

/** Every element of the page, as a browser's parser builds them. */
function elementsOf(html: string): Element[] {
  const found: Element[] = [];
  const visit = (node: Node): void => {
    if ('tagName' in node) found.push(node);
    if ('childNodes' in node) node.childNodes.forEach(visit);
    if ('content' in node && node.content) visit(node.content);
  };
  visit(parse(html));
  return found;
}

/** The elements inside `root`. */
function within(root: Element): Element[] {
  const found: Element[] = [];
  const visit = (node: Node): void => {
    if ('tagName' in node && node !== root) found.push(node);
    if ('childNodes' in node) node.childNodes.forEach(visit);
  };
  visit(root);
  return found;
}

const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

const byId = (html: string, id: string): Element | undefined => elementsOf(html).find((el) => attr(el, 'id') === id);
const valueOf = (html: string, id: string): string | undefined => {
  const el = byId(html, id);
  if (!el) return undefined;
  return el.tagName === 'textarea' ? textOf(el) : attr(el, 'value');
};
const versionOn = (html: string): string => elementsOf(html).find((el) => el.tagName === 'input' && attr(el, 'name') === 'version')?.attrs.find((a) => a.name === 'value')?.value ?? '';

/** Scripts a page may carry: our own files, loaded by address. Anything else came from content. */
function foreignElements(html: string): Element[] {
  return elementsOf(html).filter(
    (el) => (el.tagName === 'script' && !/\/assets\/js\/[a-z-]+\.js$/.test(attr(el, 'src') ?? '')) || el.attrs.some((a) => a.name.startsWith('on')),
  );
}

describe('FAQ editor screens', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: Actor;
  let adminSession: { agent: Agent; csrf: string };
  let authorAccount: TestAccount;
  let author: { agent: Agent; csrf: string };
  let reviewer: { agent: Agent; csrf: string };
  let category: string;
  let service: string;

  const services = () => app.loket.container.services;
  const articleOf = (id: number) => services().faqArticles.detail(admin, id);

  before(async () => {
    app = await startTestApp();
    const adminAccount = await app.createAgent('admin');
    admin = (await services().actors.resolve({ type: 'agent', id: adminAccount.id }, 'session'))!;
    adminSession = await signIn(app, adminAccount);
    authorAccount = await app.createAgent('agent');
    author = await signIn(app, authorAccount);
    reviewer = await signIn(app, await app.createAgent('agent'));
    category = await createFaqCategory(app, admin, { name: 'Remote work' });
    service = unique('VPN');
    await services().catalogue.create(admin, { name: service }, cliSubject());
  });
  after(async () => {
    await app.close();
  });

  /** Creates a draft through the new-article form as `who`; returns its id. */
  async function createThroughForm(who: { agent: Agent; csrf: string }, fields: Record<string, string | string[]> = {}): Promise<number> {
    const res = await who.agent
      .post('/faq/manage')
      .type('form')
      .send(form({ _csrf: who.csrf, slug: unique('vpn'), language: 'en', title: 'Connect to the VPN', summary: 'From home', keywords: 'vpn, remote', category, visibility: 'public', customers: '', body: '# Connect\n\nStart the client.', ...fields }));
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const match = /\/faq\/manage\/(\d+)\?notice=created$/.exec(res.headers.location ?? '');
    expect(match, res.headers.location).to.not.equal(null);
    return Number(match![1]);
  }

  it('lets an agent write, version and submit an article; only another agent approves it, and it is then public', async () => {
    const form0 = await author.agent.get('/faq/manage/new').expect(200);
    expect(byId(form0.text, 'fe-form')).to.not.equal(undefined);
    const slug = unique('vpn');
    const id = await createThroughForm(author, { slug, service });
    const created = await author.agent.get(`/faq/manage/${id}?notice=created`).expect(200);
    expect(created.text).to.contain('The draft was created.');
    expect(valueOf(created.text, 'fe-keywords')).to.equal('vpn, remote');
    expect(attr(elementsOf(created.text).find((el) => attr(el, 'value') === service && attr(el, 'name') === 'service')!, 'checked')).to.equal('');
    expect((await articleOf(id)).article.keywords).to.deep.equal(['vpn', 'remote']);
    expect((await articleOf(id)).services).to.deep.equal([service]);

    const saved = await author.agent
      .post(`/faq/manage/${id}`)
      .type('form')
      .send(form({ _csrf: author.csrf, version: versionOn(created.text), title: 'Connect to the company VPN', summary: 'From home', keywords: 'vpn', category, visibility: 'public', customers: '', service, body: '# Connect\n\nStart the client, then sign in.', note: 'Clearer steps' }));
    expect(saved.status).to.equal(303);
    expect(saved.headers.location).to.equal(`/faq/manage/${id}?notice=saved`);
    expect((await articleOf(id)).article).to.include({ version: 2, title: 'Connect to the company VPN', state: 'draft' });
    const versions = await author.agent.get(`/faq/manage/${id}/versions`).expect(200);
    expect(textOf(byId(versions.text, 'fe-versions')!)).to.contain('Clearer steps');

    expect((await author.agent.post(`/faq/manage/${id}/submit`).type('form').send(form({ _csrf: author.csrf }))).status).to.equal(303);
    expect((await articleOf(id)).article.state).to.equal('review');
    const queue = await reviewer.agent.get('/faq/manage/review').expect(200);
    const queueRow = textOf(byId(queue.text, 'fe-review')!);
    expect(queueRow).to.contain('Connect to the company VPN').and.contain('Test agent');

    // The author is offered no decision, and a forged one is refused by the service with its reason.
    const own = await author.agent.get(`/faq/manage/${id}`).expect(200);
    expect(byId(own.text, 'fe-approve')).to.equal(undefined);
    expect(byId(own.text, 'fe-reject')).to.equal(undefined);
    expect(byId(own.text, 'fe-own-article')).to.not.equal(undefined);
    const forged = await author.agent.post(`/faq/manage/${id}/approve`).type('form').send(form({ _csrf: author.csrf, version: '2' }));
    expect(forged.status).to.equal(403);
    expect(forged.text).to.contain('another editor has to approve or reject it');
    expect((await articleOf(id)).article.state).to.equal('review');

    const reviewPage = await reviewer.agent.get(`/faq/manage/${id}`).expect(200);
    const outdated = await reviewer.agent.post(`/faq/manage/${id}/approve`).type('form').send(form({ _csrf: reviewer.csrf, version: '1' }));
    expect(outdated.status).to.equal(409);
    expect(outdated.text).to.contain('The article changed since you opened it.');
    expect(byId(reviewPage.text, 'fe-approve')).to.not.equal(undefined);
    const approved = await reviewer.agent.post(`/faq/manage/${id}/approve`).type('form').send(form({ _csrf: reviewer.csrf, version: versionOn(reviewPage.text) }));
    expect(approved.status).to.equal(303);
    expect(approved.headers.location).to.equal(`/faq/manage/${id}?notice=approved`);
    const published = await reviewer.agent.get(approved.headers.location!).expect(200);
    expect(textOf(byId(published.text, 'fe-state')!).trim()).to.equal('Published');
    expect(textOf(byId(published.text, 'fe-approved')!)).to.match(/Test agent, \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    // Readers find it at its public address, without signing in.
    const publicPage = await request(app.url).get(`/faq/${category}/${slug}?lang=en`).expect(200);
    expect(publicPage.text).to.contain('Connect to the company VPN').and.contain('Start the client, then sign in.');

    // Saving a published article says it goes back to review, and does so.
    const again = await author.agent.get(`/faq/manage/${id}`).expect(200);
    expect(textOf(byId(again.text, 'fe-save-hint')!)).to.contain('sends it back to review');
    const edited = await author.agent
      .post(`/faq/manage/${id}`)
      .type('form')
      .send(form({ _csrf: author.csrf, version: versionOn(again.text), title: 'Connect to the company VPN', keywords: 'vpn', category, visibility: 'public', service, body: 'Changed.' }));
    expect(edited.headers.location).to.equal(`/faq/manage/${id}?notice=backInReview`);
    expect((await articleOf(id)).article.state).to.equal('review');
  });

  it('lists the review queue oldest first, 50 to a page', async () => {
    const writer = (await services().actors.resolve({ type: 'agent', id: authorAccount.id }, 'session'))!;
    const submitted = async (title: string) => {
      const article = await createArticle(app, writer, { category, title });
      await services().faqArticles.submit(writer, article.id, cliSubject());
      return article;
    };
    const oldest = await submitted('Oldest waiting');
    for (let i = 1; i <= 50; i++) await submitted(`Waiting ${String(i).padStart(2, '0')}`);
    const first = await reviewer.agent.get('/faq/manage/review').expect(200);
    const titles = (html: string) => within(byId(html, 'fe-review')!).filter((el) => el.tagName === 'a').map(textOf);
    expect(titles(first.text)).to.have.length(50);
    expect(titles(first.text)).to.include(oldest.title).and.not.include('Waiting 50');
    const ordered = titles(first.text).filter((t) => t.startsWith('Waiting'));
    expect(ordered).to.deep.equal([...ordered].sort());
    const next = elementsOf(first.text).find((el) => el.tagName === 'a' && attr(el, 'rel') === 'next');
    const second = await reviewer.agent.get(attr(next!, 'href')!).expect(200);
    expect(titles(second.text)).to.include('Waiting 50').and.not.include(oldest.title);
  });

  it('shows the reviewer\'s comment to the author after a rejection', async () => {
    const id = await createThroughForm(author);
    await author.agent.post(`/faq/manage/${id}/submit`).type('form').send(form({ _csrf: author.csrf })).expect(303);
    const rejected = await reviewer.agent.post(`/faq/manage/${id}/reject`).type('form').send(form({ _csrf: reviewer.csrf, comment: 'Add a screenshot of the login window' }));
    expect(rejected.status).to.equal(303);
    const page = await author.agent.get(`/faq/manage/${id}`).expect(200);
    expect(textOf(byId(page.text, 'fe-state')!).trim()).to.equal('Draft');
    expect(textOf(byId(page.text, 'fe-review-comment')!)).to.contain('Add a screenshot of the login window');
  });

  it('refuses a stale version with a conflict message and keeps what was typed', async () => {
    const id = await createThroughForm(author);
    const page = await author.agent.get(`/faq/manage/${id}`).expect(200);
    const version = versionOn(page.text);
    const base = { _csrf: author.csrf, version, keywords: '', category, visibility: 'public' };
    await reviewer.agent.post(`/faq/manage/${id}`).type('form').send(form({ ...base, _csrf: reviewer.csrf, title: 'Saved first', body: 'First.' })).expect(303);
    const stale = await author.agent.post(`/faq/manage/${id}`).type('form').send(form({ ...base, title: 'My stale change', body: 'Typed with care.' }));
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Someone else saved this article while you were editing.');
    expect(valueOf(stale.text, 'fe-title')).to.equal('My stale change');
    expect(valueOf(stale.text, 'fe-body')).to.equal('Typed with care.');
    expect((await articleOf(id)).article.title).to.equal('Saved first');
  });

  it('shows refused input on the form with the message beside the field', async () => {
    const bad = await author.agent.post('/faq/manage').type('form').send(form({ _csrf: author.csrf, slug: 'Not A Slug', language: 'en', title: 'Kept title', category, body: 'Kept body' }));
    expect(bad.status).to.equal(400);
    expect(textOf(byId(bad.text, 'fe-slug-error')!)).to.contain('lower-case letters');
    expect(attr(byId(bad.text, 'fe-slug')!, 'aria-invalid')).to.equal('true');
    expect(valueOf(bad.text, 'fe-title')).to.equal('Kept title');
    const unknownCustomer = await author.agent.post('/faq/manage').type('form').send(form({ _csrf: author.csrf, slug: unique('cust'), language: 'en', title: 'Limited', category, customers: unique('NOPE'), body: 'x' }));
    expect(unknownCustomer.status).to.equal(422);
    expect(textOf(byId(unknownCustomer.text, 'fe-customers-error')!)).to.contain('customer IDs does not exist');
  });

  it('previews the unsaved body through the Preview button without saving, keeping the input', async () => {
    const id = await createThroughForm(author);
    const before = (await articleOf(id)).article.version;
    const res = await author.agent
      .post(`/faq/manage/${id}`)
      .type('form')
      .send(form({ _csrf: author.csrf, intent: 'preview', version: String(before), title: 'Unsaved title', category, visibility: 'public', body: '## Preview heading\n\n- first <b>item</b>' }));
    expect(res.status).to.equal(200);
    const pane = byId(res.text, 'fe-preview')!;
    const heading = elementsOf(res.text).find((el) => el.tagName === 'h2' && textOf(el) === 'Preview heading' && attr(el, 'id')?.startsWith('fe-') !== true);
    expect(heading, 'rendered heading').to.not.equal(undefined);
    expect(textOf(pane)).to.contain('first <b>item</b>');
    expect(elementsOf(res.text).filter((el) => el.tagName === 'b')).to.have.length(0);
    expect(valueOf(res.text, 'fe-title')).to.equal('Unsaved title');
    expect(valueOf(res.text, 'fe-body')).to.equal('## Preview heading\n\n- first <b>item</b>');
    expect(textOf(byId(res.text, 'fe-preview-status')!)).to.contain('unsaved');
    expect((await articleOf(id)).article).to.include({ version: before, title: 'Connect to the VPN' });

    const fresh = await author.agent.post('/faq/manage').type('form').send(form({ _csrf: author.csrf, intent: 'preview', slug: 'not-yet', language: 'nl', title: 'Nieuw', category, body: '**vet**' }));
    expect(fresh.status).to.equal(200);
    expect(elementsOf(fresh.text).some((el) => el.tagName === 'strong' && textOf(el) === 'vet')).to.equal(true);
    expect(valueOf(fresh.text, 'fe-slug')).to.equal('not-yet');
    expect(await services().faqArticles.list(admin, { category, language: 'nl', limit: 10, offset: 0 })).to.include({ total: 0 });
  });

  it('escapes titles and category names on the list, edit, review, versions and diff pages', async () => {
    const evilCategory = await createFaqCategory(app, admin, { name: '<script>alert("cat")</script>' });
    const evilTitle = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const article = await createArticle(app, (await services().actors.resolve({ type: 'agent', id: authorAccount.id }, 'session'))!, { category: evilCategory, title: evilTitle, summary: '<iframe src=javascript:alert(3)>', keywords: ['<svg onload=alert(4)>'] });
    const page = await author.agent.get(`/faq/manage/${article.id}`).expect(200);
    await author.agent.post(`/faq/manage/${article.id}`).type('form').send(form({ _csrf: author.csrf, version: versionOn(page.text), title: `${evilTitle} 2`, category: evilCategory, body: '<script>alert(5)</script>', note: '<script>alert(6)</script>' })).expect(303);
    await author.agent.post(`/faq/manage/${article.id}/submit`).type('form').send(form({ _csrf: author.csrf })).expect(303);
    // The newest article waiting is on the review queue's last page.
    const waiting = (await services().faqArticles.list(admin, { state: 'review', limit: 1, offset: 0 })).total;
    const paths = [`/faq/manage?category=${evilCategory}`, `/faq/manage/${article.id}`, `/faq/manage/review?page=${Math.ceil(waiting / 50)}`, `/faq/manage/${article.id}/versions`, `/faq/manage/${article.id}/diff?from=1&to=2`, '/faq/manage/categories'];
    for (const path of paths) {
      const res = await adminSession.agent.get(path).expect(200);
      expect(foreignElements(res.text).map((el) => el.tagName), path).to.deep.equal([]);
      expect(elementsOf(res.text).filter((el) => ['img', 'iframe', 'svg'].includes(el.tagName)), path).to.have.length(0);
      expect(textOf(parse(res.text)), path).to.contain(path.startsWith('/faq/manage/categories') ? '<script>alert("cat")</script>' : evilTitle);
    }
  });

  it('lists searches without results with a prefilled "write" link, and dismisses them', async () => {
    const words = `zqx${unique('w').slice(2)} vpnless`;
    await services().faqReader.search(null, { q: words, language: 'en', limit: 10 });
    const gaps = await author.agent.get('/faq/manage/gaps').expect(200);
    const row = elementsOf(gaps.text).find((el) => el.tagName === 'tr' && textOf(el).includes(words));
    expect(row, 'the gap is listed').to.not.equal(undefined);
    const write = within(row!).find((el) => el.tagName === 'a');
    const prefilled = await author.agent.get(attr(write!, 'href')!).expect(200);
    expect(valueOf(prefilled.text, 'fe-title')).to.equal(words);
    expect(valueOf(prefilled.text, 'fe-language')).to.equal(undefined);
    expect(attr(within(byId(prefilled.text, 'fe-language')!).find((o) => attr(o, 'selected') !== undefined)!, 'value')).to.equal('en');
    const dismiss = within(row!).find((el) => el.tagName === 'form');
    const done = await author.agent.post(attr(dismiss!, 'action')!).type('form').send(form({ _csrf: author.csrf }));
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal('/faq/manage/gaps?notice=dismissed');
    const after = await author.agent.get(done.headers.location!).expect(200);
    expect(after.text).to.contain('Dismissed.').and.not.contain(words);
  });

  it('filters the list by category and state, with a count per state', async () => {
    const own = await createFaqCategory(app, admin, { name: 'Filtering' });
    const writer = (await services().actors.resolve({ type: 'agent', id: authorAccount.id }, 'session'))!;
    await createArticle(app, writer, { category: own, title: 'Draft one' });
    await createArticle(app, writer, { category: own, title: 'Draft two' });
    const published = await createArticle(app, writer, { category: own, title: 'Live one' }, admin);
    const all = await author.agent.get(`/faq/manage?category=${own}`).expect(200);
    const links = elementsOf(all.text).filter((el) => el.tagName === 'a' && (attr(el, 'href') ?? '').startsWith('/faq/manage?') && (attr(el, 'href') ?? '').includes(`category=${own}`)).map(textOf);
    expect(links).to.include.members(['All (3)', 'Draft (2)', 'Published (1)', 'In review (0)', 'Archived (0)']);
    const drafts = await author.agent.get(`/faq/manage?category=${own}&state=draft`).expect(200);
    const table = textOf(byId(drafts.text, 'fe-articles')!);
    expect(table).to.contain('Draft one').and.contain('Draft two').and.not.contain('Live one');
    expect(table).to.contain('Test agent');
    expect(published.state).to.equal('published');
    expect((await author.agent.get('/faq/manage?state=published&state=draft')).status).to.equal(400);
  });

  it('lets admins create and edit categories, and refuses agents', async () => {
    const group = unique('grp');
    await services().groups.create(admin, { name: group }, cliSubject());
    const slug = unique('cat');
    const created = await adminSession.agent.post('/faq/manage/categories').type('form').send(form({ _csrf: adminSession.csrf, slug, name: 'Printers', parent: category, group, position: '3' }));
    expect(created.status).to.equal(303);
    const { category: stored, tree } = await services().faqCategories.get(slug);
    expect(tree.view(stored)).to.include({ name: 'Printers', parent: category, group, position: 3 });
    const list = await adminSession.agent.get(created.headers.location!).expect(200);
    expect(list.text).to.contain('The category was created.');
    expect(textOf(byId(list.text, 'fc-tree')!)).to.contain('Printers');

    const edit = await adminSession.agent.get(`/faq/manage/categories/${slug}`).expect(200);
    const version = versionOn(edit.text);
    expect((await adminSession.agent.post(`/faq/manage/categories/${slug}`).type('form').send(form({ _csrf: adminSession.csrf, version, name: 'Printers and scanners', parent: '', group: '', position: '1', validity: 'valid' }))).status).to.equal(303);
    expect(tree.view((await services().faqCategories.get(slug)).category)).to.include({ name: 'Printers and scanners', parent: null, group: null });
    const stale = await adminSession.agent.post(`/faq/manage/categories/${slug}`).type('form').send(form({ _csrf: adminSession.csrf, version, name: 'Stale name', parent: '', group: '', position: '1', validity: 'valid' }));
    expect(stale.status).to.equal(409);
    expect(valueOf(stale.text, 'fc-name')).to.equal('Stale name');
    expect(stale.text).to.contain('Someone else saved a change while you were editing.');
    const reserved = await adminSession.agent.post('/faq/manage/categories').type('form').send(form({ _csrf: adminSession.csrf, slug: 'manage', name: 'Nope' }));
    expect(reserved.status).to.equal(400);
    expect(textOf(byId(reserved.text, 'fc-slug-error')!)).to.contain('taken by pages');

    expect((await author.agent.get('/faq/manage/categories')).status).to.equal(403);
    expect((await author.agent.post('/faq/manage/categories').type('form').send(form({ _csrf: author.csrf, slug: unique('cat'), name: 'Agent category' }))).status).to.equal(403);
    expect((await author.agent.post(`/faq/manage/categories/${slug}`).type('form').send(form({ _csrf: author.csrf, version: '2', name: 'Agent rename' }))).status).to.equal(403);
  });

  it('keeps customer users and anonymous visitors out of every editor path, and needs the CSRF token', async () => {
    const id = await createThroughForm(author);
    const customer = await createCustomerUser(app, admin);
    const portal = await signIn(app, customer);
    const gets = ['/faq/manage', '/faq/manage/new', '/faq/manage/review', '/faq/manage/gaps', '/faq/manage/categories', `/faq/manage/categories/${category}`, `/faq/manage/${id}`, `/faq/manage/${id}/versions`, `/faq/manage/${id}/diff?from=1&to=1`];
    for (const path of gets) {
      const anonymous = await request(app.url).get(path);
      expect(anonymous.status, path).to.equal(303);
      expect(anonymous.headers.location, path).to.equal(`/login?returnTo=${encodeURIComponent(path)}`);
      expect((await portal.agent.get(path)).status, path).to.equal(403);
    }
    const posts = ['/faq/manage', `/faq/manage/${id}`, `/faq/manage/${id}/submit`, `/faq/manage/${id}/approve`, `/faq/manage/${id}/reject`, `/faq/manage/${id}/archive`, '/faq/manage/categories', '/faq/manage/gaps/1/dismiss'];
    for (const path of posts) {
      expect((await portal.agent.post(path).type('form').send(form({ _csrf: portal.csrf, title: 'x', category, slug: unique('x'), language: 'en', body: 'x' }))).status, path).to.equal(403);
      expect((await request(app.url).post(path).type('form').send(form({ title: 'x' }))).status, path).to.be.oneOf([303, 403]);
    }
    expect((await articleOf(id)).article).to.include({ state: 'draft', version: 1 });

    const before = (await services().faqArticles.list(admin, { category, limit: 1, offset: 0 })).total;
    const forged = await author.agent.post('/faq/manage').type('form').send(form({ slug: unique('csrf'), language: 'en', title: 'No token', category, body: 'x' }));
    expect(forged.status).to.equal(403);
    const archive = await author.agent.post(`/faq/manage/${id}/archive`).type('form').send(form({ _csrf: 'not-the-token' }));
    expect(archive.status).to.equal(403);
    expect((await services().faqArticles.list(admin, { category, limit: 1, offset: 0 })).total).to.equal(before);
    expect((await articleOf(id)).article.state).to.equal('draft');
  });
});
