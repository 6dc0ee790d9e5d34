import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { bearer, issueToken } from '../helpers/api.js';
import { csrfFrom, signIn, startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';

/** A word no other article in the shared test database contains, so searches find exactly what a test wrote. */
const word = (label: string) => `${label}${randomBytes(5).toString('hex')}`;

interface Hit {
  id: number;
  title: string;
  url: string;
  snippet?: string;
}

describe('API v1: FAQ', function () {
  let app: TestApp;
  let adminToken: string;
  let writer: TestAccount;
  let writerToken: string;
  let reviewer: TestAccount;
  let reviewerToken: string;
  let category: string;

  const as = (token: string) => bearer(app, token);
  const anonymous = () => {
    const call = (method: 'get' | 'post' | 'patch' | 'delete') => (path: string) => request(app.url)[method](`/api/v1${path}`);
    return { get: call('get'), post: call('post'), patch: call('patch'), delete: call('delete') };
  };

  async function newCategory(group: string | null = null): Promise<string> {
    const slug = unique('cat');
    await as(adminToken).post('/faq/categories').send({ slug, name: `Category ${slug}`, group }).expect(201);
    return slug;
  }

  interface Draft {
    category: string;
    title: string;
    visibility?: 'internal' | 'customer' | 'public';
    customers?: string[];
    body?: string;
    language?: 'en' | 'nl' | 'nb';
    slug?: string;
  }

  async function draft(input: Draft): Promise<number> {
    const res = await as(writerToken)
      .post('/faq/articles')
      .send({ slug: input.slug ?? unique('art'), summary: '', keywords: [], body: input.body ?? 'Some text.', language: input.language ?? 'en', visibility: 'public', ...input })
      .expect(201);
    return res.body.id as number;
  }

  /** Written by one agent, approved by another: published. */
  async function published(input: Draft): Promise<number> {
    const id = await draft(input);
    await as(writerToken).post(`/faq/articles/${id}/submit`).expect(200);
    await as(reviewerToken).post(`/faq/articles/${id}/approve`).expect(200);
    return id;
  }

  async function customerUser(customerId?: string): Promise<TestCustomerUser & { token: string }> {
    const user = await createCustomerUser(app, await adminActor(app), customerId === undefined ? {} : { customerId });
    return { ...user, token: await issueToken(app, { type: 'customer-user', id: user.id }, user.login) };
  }

  const titles = (items: Hit[]) => items.map((i) => i.title);

  /** A visitor with a session and its CSRF token but nobody signed in: writes get past CSRF and meet the API's own answer. */
  async function anonymousSession() {
    const agent = request.agent(app.url);
    const csrf = csrfFrom((await agent.get('/login').expect(200)).text);
    return { post: (path: string) => agent.post(`/api/v1${path}`).set('X-CSRF-Token', csrf) };
  }

  before(async function () {
    app = await startTestApp();
    const admin = await app.createAgent('admin');
    adminToken = await issueToken(app, { type: 'agent', id: admin.id }, admin.login);
    writer = await app.createAgent('agent');
    writerToken = await issueToken(app, { type: 'agent', id: writer.id }, writer.login);
    reviewer = await app.createAgent('agent');
    reviewerToken = await issueToken(app, { type: 'agent', id: reviewer.id }, reviewer.login);
    category = await newCategory();
  });
  after(() => app.close());

  it('takes an article from draft through review to published, and anonymous readers find it', async function () {
    const topic = word('vpn');
    const created = await as(writerToken)
      .post('/faq/articles')
      .send({ slug: unique('vpn'), title: `Connecting to the ${topic} VPN`, summary: 'Install the client, then sign in.', body: `# Steps\n\nOpen the **${topic}** client.`, language: 'en', category, keywords: ['remote'], visibility: 'public' })
      .expect(201);
    expect(created.headers.location).to.match(new RegExp(`/api/v1/faq/articles/${created.body.id}$`));
    expect(created.headers.etag).to.equal('"1"');
    expect(created.body).to.include({ state: 'draft', version: 1, category, body: `# Steps\n\nOpen the **${topic}** client.`, createdBy: 'Test agent' });
    expect(created.body.html).to.include(`<strong>${topic}</strong>`);
    const id = created.body.id as number;

    // A draft is nobody's business but the editors'.
    await anonymous().get(`/faq/articles/${id}`).expect(404);
    expect((await anonymous().get('/faq/search').query({ q: topic }).expect(200)).body.items).to.deep.equal([]);

    expect((await as(writerToken).post(`/faq/articles/${id}/submit`).expect(200)).body.state).to.equal('review');
    const own = await as(writerToken).post(`/faq/articles/${id}/approve`).expect(403);
    expect(own.body.error.code).to.equal('forbidden');
    const approved = await as(reviewerToken).post(`/faq/articles/${id}/approve`).send({ version: 1 }).expect(200);
    expect(approved.body).to.include({ state: 'published', approvedBy: 'Test agent' });
    expect(approved.body.publishedAt).to.be.a('string');

    const found = await anonymous().get('/faq/search').query({ q: topic }).expect(200);
    expect(found.body).to.include({ total: 1, limit: 20, capped: false });
    expect(found.body.items[0]).to.include({ id, category, language: 'en', url: `/faq/${category}/${created.body.slug}` });
    expect(found.body.items[0].snippet).to.include(`<mark>${topic}</mark>`);
    expect(found.body.items[0].score).to.be.a('number');

    const suggested = await anonymous().get('/faq/suggest').query({ q: topic.slice(0, 6) }).expect(200);
    expect(suggested.headers['cache-control']).to.equal('no-store');
    expect(suggested.body.items.find((s: { id: number }) => s.id === id)).to.deep.equal({
      id,
      title: `Connecting to the ${topic} VPN`,
      summary: 'Install the client, then sign in.',
      url: `/faq/${category}/${created.body.slug}`,
      language: 'en',
    });

    const read = await anonymous().get(`/faq/articles/${id}`).expect(200);
    expect(read.headers.etag).to.equal('"1"');
    expect(read.body).to.include({ id, title: `Connecting to the ${topic} VPN`, state: 'published', visibility: 'public' });
    expect(read.body.helpful).to.deep.equal({ yes: 0, no: 0 });
    for (const editorsOnly of ['body', 'customers', 'createdBy', 'updatedBy', 'approvedBy', 'reviewComment']) expect(read.body).not.to.have.property(editorsOnly);
  });

  it('keeps an internal article from customers and anonymous readers on every path, and shows it to staff', async function () {
    const secret = word('intern');
    const own = await newCategory();
    const id = await published({ category: own, title: `Resetting ${secret} switches`, visibility: 'internal' });
    const customer = await customerUser();

    for (const reader of [anonymous(), as(customer.token)]) {
      expect((await reader.get('/faq/search').query({ q: secret }).expect(200)).body).to.include({ total: 0 });
      expect((await reader.get('/faq/suggest').query({ q: secret }).expect(200)).body.items).to.deep.equal([]);
      await reader.get(`/faq/articles/${id}`).expect(404);
      const categories = (await reader.get('/faq/categories').expect(200)).body.items as { slug: string }[];
      expect(categories.map((c) => c.slug)).not.to.include(own);
    }
    await anonymous().get('/faq/articles').query({ category: own }).expect(401);
    await as(customer.token).get('/faq/articles').query({ category: own }).expect(403);

    expect(titles((await as(writerToken).get('/faq/search').query({ q: secret }).expect(200)).body.items)).to.deep.equal([`Resetting ${secret} switches`]);
    const list = await as(writerToken).get('/faq/articles').query({ category: own }).expect(200);
    expect(list.body).to.include({ total: 1, limit: 100 });
    expect(list.body.items[0]).to.include({ id, state: 'published', visibility: 'internal', category: own });
    const staffCategories = (await as(writerToken).get('/faq/categories').expect(200)).body.items as { slug: string; count: number; validity?: string }[];
    expect(staffCategories.find((c) => c.slug === own)).to.include({ count: 1, validity: 'valid' });
  });

  it('shows customer articles only to customer users holding ro on the category group', async function () {
    const group = unique('faq-grp');
    await as(adminToken).post('/groups').send({ name: group }).expect(201);
    const guarded = await newCategory(group);
    const topic = word('mailbox');
    const id = await published({ category: guarded, title: `Shared ${topic} mailbox`, visibility: 'customer' });
    const user = await customerUser();

    const sees = async (token: string | null) => {
      const reader = token === null ? anonymous() : as(token);
      const search = (await reader.get('/faq/search').query({ q: topic }).expect(200)).body.items as Hit[];
      const suggest = (await reader.get('/faq/suggest').query({ q: topic }).expect(200)).body.items as Hit[];
      const detail = (await reader.get(`/faq/articles/${id}`)).status;
      const categories = ((await reader.get('/faq/categories').expect(200)).body.items as { slug: string; count: number }[]).find((c) => c.slug === guarded);
      return { search: search.length, suggest: suggest.length, detail, count: categories?.count ?? 0 };
    };

    expect(await sees(null)).to.deep.equal({ search: 0, suggest: 0, detail: 404, count: 0 });
    expect(await sees(user.token)).to.deep.equal({ search: 0, suggest: 0, detail: 404, count: 0 });
    await as(adminToken).put(`/customer-users/${user.login}/groups`).send({ groups: [{ group, permissions: ['ro'] }] }).expect(200);
    expect(await sees(user.token)).to.deep.equal({ search: 1, suggest: 1, detail: 200, count: 1 });
    const forCustomer = await as(user.token).get(`/faq/articles/${id}`).expect(200);
    expect(forCustomer.body).not.to.have.property('customers');
  });

  it('shows an article limited to customer X only to customer users working for X', async function () {
    const x = unique('cust-x');
    const ofX = await customerUser(x);
    const ofY = await customerUser(unique('cust-y'));
    const topic = word('printer');
    const id = await published({ category, title: `Floor ${topic} printer`, visibility: 'customer', customers: [x] });

    const staffView = await as(writerToken).get(`/faq/articles/${id}`).expect(200);
    expect(staffView.body.customers).to.deep.equal([x]);
    await as(ofY.token).get(`/faq/articles/${id}`).expect(404);
    expect((await as(ofY.token).get('/faq/search').query({ q: topic }).expect(200)).body.items).to.deep.equal([]);
    expect((await as(ofY.token).get('/faq/suggest').query({ q: topic }).expect(200)).body.items).to.deep.equal([]);
    await as(ofX.token).get(`/faq/articles/${id}`).expect(200);
    expect(titles((await as(ofX.token).get('/faq/search').query({ q: topic }).expect(200)).body.items)).to.deep.equal([`Floor ${topic} printer`]);
  });

  it('never answers 500 for full-text syntax in q', async function () {
    const customer = await customerUser();
    for (const q of ['"', 'foo"', '"unbalanced', 'NEAR(', 'NEAR(a b', '*', 'a*', '+-<>()~', 'a AND', 'OR', 'AND OR NOT', '-', '@@', "'; drop table x; --", '%_', '\\']) {
      for (const reader of [anonymous(), as(customer.token), as(writerToken)]) {
        const search = await reader.get('/faq/search').query({ q });
        expect(search.status, `search ${q}`).to.equal(200);
        const suggest = await reader.get('/faq/suggest').query({ q });
        expect(suggest.status, `suggest ${q}`).to.equal(200);
      }
    }
  });

  it('refuses a stale edit with 409 and saves a current one as a new version', async function () {
    const id = await draft({ category, title: 'Mapping a network drive', body: 'line one\nline two\n' });
    const first = await as(writerToken).get(`/faq/articles/${id}`).expect(200);
    const saved = await as(reviewerToken).patch(`/faq/articles/${id}`).set('If-Match', first.headers.etag!).send({ body: 'line one\nline 2\n', note: 'typo' }).expect(200);
    expect(saved.headers.etag).to.equal('"2"');
    expect(saved.body).to.include({ version: 2, updatedBy: 'Test agent', body: 'line one\nline 2\n' });

    const stale = await as(writerToken).patch(`/faq/articles/${id}`).set('If-Match', first.headers.etag!).send({ title: 'Overwritten' }).expect(409);
    expect(stale.body.error.code).to.equal('version_conflict');
    await as(writerToken).patch(`/faq/articles/${id}`).send({ title: 'Overwritten', version: 1 }).expect(409);
    expect((await as(writerToken).get(`/faq/articles/${id}`).expect(200)).body.title).to.equal('Mapping a network drive');

    const versions = await as(writerToken).get(`/faq/articles/${id}/versions`).expect(200);
    expect(versions.body.items.map((v: { number: number }) => v.number)).to.deep.equal([2, 1]);
    expect(versions.body.items[0]).to.include({ note: 'typo' }).and.not.to.have.property('body');
    expect((await as(writerToken).get(`/faq/articles/${id}/versions/1`).expect(200)).body.body).to.equal('line one\nline two\n');
    await as(writerToken).get(`/faq/articles/${id}/versions/9`).expect(404);
    const diff = await as(writerToken).get(`/faq/articles/${id}/diff`).query({ from: 1, to: 2 }).expect(200);
    const body = (diff.body.changes as { field: string; parts: { kind: string; text: string }[] }[]).find((c) => c.field === 'body');
    expect(body?.parts.filter((p) => p.kind === 'removed').map((p) => p.text)).to.deep.equal(['line two\n']);
  });

  it('changes only the fields a PATCH sends', async function () {
    const x = unique('cust-keep');
    await customerUser(x);
    const id = await draft({ category, title: 'Before', visibility: 'customer', customers: [x], body: 'Body stays.' });
    await as(writerToken).patch(`/faq/articles/${id}`).send({ title: 'After' }).expect(200);
    const after = await as(writerToken).get(`/faq/articles/${id}`).expect(200);
    expect(after.body).to.include({ title: 'After', visibility: 'customer', body: 'Body stays.' });
    expect(after.body.customers).to.deep.equal([x]);

    // A rename must not make an invalid category (and so its articles) readable again.
    const hidden = await newCategory();
    await as(adminToken).patch(`/faq/categories/${hidden}`).send({ validity: 'invalid', comment: 'Retired' }).expect(200);
    const renamed = await as(adminToken).patch(`/faq/categories/${hidden}`).send({ name: 'Renamed' }).expect(200);
    expect(renamed.body).to.include({ name: 'Renamed', validity: 'invalid', comment: 'Retired' });
  });

  it('sends an article back with a comment and archives instead of deleting', async function () {
    const id = await draft({ category, title: 'Half finished' });
    await as(writerToken).post(`/faq/articles/${id}/submit`).expect(200);
    await as(writerToken).post(`/faq/articles/${id}/reject`).send({ comment: 'Mine' }).expect(403);
    const rejected = await as(reviewerToken).post(`/faq/articles/${id}/reject`).send({ comment: 'Add screenshots' }).expect(200);
    expect(rejected.body).to.include({ state: 'draft', reviewComment: 'Add screenshots' });
    expect((await as(writerToken).post(`/faq/articles/${id}/approve`).expect(422)).body.error.code).to.equal('invalid_transition');

    const refused = await as(writerToken).delete(`/faq/articles/${id}`).expect(405);
    expect(refused.headers.allow).to.equal('GET, PATCH');
    expect(refused.body.error.code).to.equal('method_not_allowed');
    expect((await as(writerToken).post(`/faq/articles/${id}/archive`).expect(200)).body.state).to.equal('archived');
    await as(writerToken).get(`/faq/articles/${id}`).expect(200);
  });

  it('refuses fields nobody may set through the body (mass assignment)', async function () {
    const valid = { slug: unique('mass'), title: 'Mass', body: 'x', language: 'en', category, visibility: 'public' };
    for (const [field, value] of [['state', 'published'], ['approvedBy', 'agent:1'], ['createdBy', 'agent:1'], ['version', 7], ['id', 1]] as const) {
      const res = await as(writerToken).post('/faq/articles').send({ ...valid, [field]: value }).expect(400);
      expect(res.body.error.field).to.equal(field);
    }
    const id = await draft({ category, title: 'Patched' });
    const patch = await as(writerToken).patch(`/faq/articles/${id}`).send({ state: 'published' }).expect(400);
    expect(patch.body.error.field).to.equal('state');
    expect((await as(writerToken).get(`/faq/articles/${id}`).expect(200)).body.state).to.equal('draft');
    await as(writerToken).get('/faq/search').query({ q: 'Mass' }).expect(200);
    expect((await as(adminToken).post('/faq/categories').send({ slug: unique('cat'), name: 'X', version: 3 }).expect(400)).body.error.field).to.equal('version');
  });

  it('lets no customer user write, by token or by session', async function () {
    const user = await customerUser();
    const body = { slug: unique('cu'), title: 'By a customer', body: 'x', language: 'en', category, visibility: 'public' };
    await as(user.token).post('/faq/articles').send(body).expect(403);
    const { agent, csrf } = await signIn(app, user);
    await agent.post('/api/v1/faq/articles').set('X-CSRF-Token', csrf).send(body).expect(403);
    await agent.post('/api/v1/faq/preview').set('X-CSRF-Token', csrf).send({ body: '# x' }).expect(403);
    await (await anonymousSession()).post('/faq/articles').send(body).expect(401);
    await as(user.token).post('/faq/categories').send({ slug: unique('cat'), name: 'Mine' }).expect(403);
    await as(writerToken).post('/faq/categories').send({ slug: unique('cat'), name: 'Agents do not' }).expect(403);
    const search = await as(writerToken).get('/faq/search').query({ q: 'By a customer' }).expect(200);
    expect(titles(search.body.items)).not.to.include('By a customer');
  });

  it('answers 400 for repeated, unknown or oversized query parameters', async function () {
    for (const path of ['/faq/search?q=a&q=b', '/faq/suggest?q=a&q=b', '/faq/search?q=a&language=en&language=nl', '/faq/search?q=a&sort=title', '/faq/categories?language=xx', '/faq/suggest?q=a&limit=11', '/faq/search']) {
      const res = await anonymous().get(path);
      expect(res.status, path).to.equal(400);
      expect(res.body.error.code, path).to.equal('validation_failed');
    }
    expect((await anonymous().get('/faq/suggest').query({ q: 'x'.repeat(201) }).expect(400)).body.error.field).to.equal('q');
    await anonymous().get('/faq/suggest').query({ q: 'x'.repeat(200) }).expect(200);
    await as(writerToken).get('/faq/articles?state=draft&state=review').expect(400);
    await as(writerToken).get('/faq/articles/abc').expect(400);
  });

  it('counts one vote per person; voting again replaces it', async function () {
    const id = await published({ category, title: 'Voting' });
    const first = await customerUser();
    const second = await customerUser();
    await as(first.token).post(`/faq/articles/${id}/votes`).send({ helpful: true }).expect(204);
    await as(first.token).post(`/faq/articles/${id}/votes`).send({ helpful: true }).expect(204);
    expect((await anonymous().get(`/faq/articles/${id}`).expect(200)).body.helpful).to.deep.equal({ yes: 1, no: 0 });
    await as(first.token).post(`/faq/articles/${id}/votes`).send({ helpful: false }).expect(204);
    await as(second.token).post(`/faq/articles/${id}/votes`).send({ helpful: true }).expect(204);
    expect((await anonymous().get(`/faq/articles/${id}`).expect(200)).body.helpful).to.deep.equal({ yes: 1, no: 1 });
    await (await anonymousSession()).post(`/faq/articles/${id}/votes`).send({ helpful: true }).expect(401);
    await as(first.token).post(`/faq/articles/${id}/votes`).send({ helpful: 'yes' }).expect(400);
    const internal = await published({ category, title: 'Internal vote', visibility: 'internal' });
    await as(first.token).post(`/faq/articles/${internal}/votes`).send({ helpful: true }).expect(404);
  });

  it('manages categories with versions, and hides an invalid one from readers', async function () {
    const slug = await newCategory();
    const child = unique('cat');
    const created = await as(adminToken).post('/faq/categories').send({ slug: child, name: 'Child', parent: slug }).expect(201);
    expect(created.headers.location).to.match(new RegExp(`/api/v1/faq/categories/${child}$`));
    expect(created.body).to.include({ parent: slug, version: 1 });
    expect(created.body.path).to.deep.equal([slug, child]);
    await published({ category: child, title: 'In a child category' });

    const visible = (await anonymous().get('/faq/categories').expect(200)).body.items as { slug: string; count: number; parent: string | null }[];
    expect(visible.find((c) => c.slug === slug)).to.deep.include({ count: 1, parent: null });
    expect(visible.find((c) => c.slug === child)).to.deep.include({ count: 1, parent: slug });
    expect(visible.find((c) => c.slug === slug)).not.to.have.property('validity');

    await as(adminToken).patch(`/faq/categories/${slug}`).set('If-Match', '"7"').send({ name: 'Stale' }).expect(409);
    const patched = await as(adminToken).patch(`/faq/categories/${slug}`).set('If-Match', '"1"').send({ validity: 'invalid' }).expect(200);
    expect(patched.headers.etag).to.equal('"2"');
    const after = (await anonymous().get('/faq/categories').expect(200)).body.items as { slug: string }[];
    expect(after.map((c) => c.slug)).not.to.include.members([slug, child]);
    await as(adminToken).delete(`/faq/categories/${slug}`).expect(405);
  });

  it('previews markdown for editors and lists and dismisses content gaps', async function () {
    const preview = await as(writerToken).post('/faq/preview').send({ body: '[x](javascript:alert(1)) **bold** <script>alert(1)</script>' }).expect(200);
    expect(preview.body.html).to.include('<strong>bold</strong>');
    expect(preview.body.html).not.to.include('<script');
    expect(preview.body.html).not.to.include('href="javascript:');

    const missing = word('nothing');
    await anonymous().get('/faq/search').query({ q: missing, language: 'nl' }).expect(200);
    const gaps = await as(writerToken).get('/faq/gaps').query({ language: 'nl', limit: 1000 }).expect(200);
    const gap = (gaps.body.items as { id: number; query: string; searches: number }[]).find((g) => g.query === missing);
    expect(gap).to.include({ searches: 1 });
    const customer = await customerUser();
    await as(customer.token).get('/faq/gaps').expect(403);
    await as(writerToken).post(`/faq/gaps/${gap!.id}/dismiss`).expect(204);
    await as(writerToken).post(`/faq/gaps/${gap!.id}/dismiss`).expect(404);
    const left = (await as(writerToken).get('/faq/gaps').query({ language: 'nl', limit: 1000 }).expect(200)).body.items as { query: string }[];
    expect(left.map((g) => g.query)).not.to.include(missing);
  });

  it('lists the FAQ paths in the OpenAPI document', async function () {
    const doc = await anonymous().get('/openapi.json').expect(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    for (const [path, methods] of Object.entries({
      '/faq/categories': ['get', 'post'],
      '/faq/categories/{slug}': ['patch', 'delete'],
      '/faq/articles': ['get', 'post'],
      '/faq/articles/{id}': ['get', 'patch', 'delete'],
      '/faq/articles/{id}/submit': ['post'],
      '/faq/articles/{id}/approve': ['post'],
      '/faq/articles/{id}/reject': ['post'],
      '/faq/articles/{id}/archive': ['post'],
      '/faq/articles/{id}/versions': ['get'],
      '/faq/articles/{id}/versions/{number}': ['get'],
      '/faq/articles/{id}/diff': ['get'],
      '/faq/articles/{id}/votes': ['post'],
      '/faq/search': ['get'],
      '/faq/suggest': ['get'],
      '/faq/preview': ['post'],
      '/faq/gaps': ['get'],
      '/faq/gaps/{id}/dismiss': ['post'],
    })) {
      expect(Object.keys(paths[path] ?? {}), path).to.include.members(methods);
    }
    const create = paths['/faq/articles']!.post as { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } };
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties)).not.to.include('state');
  });
});
