import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { FieldMap } from '../../plugin/customers/field-map.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';

/** A form body with repeated names for lists (checkboxes), as a browser sends it. */
function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

/** Map keys are camelCase letters and digits only. */
const uniqueKey = (prefix: string) => `${prefix}${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

const versionIn = (html: string): string => {
  const match = /name="version" value="(\d+)"/.exec(html);
  if (!match?.[1]) throw new Error('no version field on the page');
  return match[1];
};

/** The whole field map as the field-map form posts it, unchanged, plus whatever `extra` adds. */
function mapForm(map: FieldMap, csrf: string, version: string, extra: Record<string, string> = {}): string {
  const fields: Record<string, string> = { _csrf: csrf, version };
  for (const row of map) {
    fields[`label.${row.key}`] = row.label ?? '';
    fields[`shown.${row.key}`] = String(row.shown);
    fields[`type.${row.key}`] = row.type;
    fields[`link.${row.key}`] = row.link ?? '';
    fields[`options.${row.key}`] = (row.options ?? []).join(', ');
    if (row.required) fields[`required.${row.key}`] = '1';
    if (row.readOnly) fields[`readOnly.${row.key}`] = '1';
    if (row.search) fields[`search.${row.key}`] = '1';
  }
  return form({ ...fields, ...extra });
}

describe('customer screens', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: { agent: Agent; csrf: string };
  let adminActor: Actor;

  const services = () => app.loket.container.services;

  async function ensureCustomer(customerId: string, name = `Company ${customerId}`): Promise<void> {
    if (!(await services().customers.findExact(customerId))) await services().customers.create(adminActor, { customerId, name }, cliSubject());
  }

  async function createUser(customerId: string, extra: Record<string, unknown> = {}): Promise<{ login: string; password: string }> {
    await ensureCustomer(customerId);
    const login = unique('cu');
    const password = `pw-${randomBytes(12).toString('hex')}`;
    await services().customerUsers.create(
      adminActor,
      { login, email: `${login}@example.test`, customerId, firstName: 'Test', lastName: 'Person', password, ...extra },
      cliSubject(),
    );
    return { login, password };
  }

  before(async () => {
    app = await startTestApp();
    const account = await app.createAgent('admin');
    admin = await signIn(app, account);
    adminActor = (await services().actors.resolve({ type: 'agent', id: account.id }, 'session'))!;
  });
  after(async () => {
    await app.close();
  });

  it('lets an admin create a customer and a user without password through the forms; the password is shown once only', async () => {
    const customerId = unique('ACME');
    const created = await admin.agent.post('/customers').type('form').send(form({ _csrf: admin.csrf, customerId, name: 'Acme Widgets', city: 'Utrecht' }));
    expect(created.status).to.equal(303);
    expect(created.headers.location).to.equal(`/customers/${encodeURIComponent(customerId)}?notice=created`);
    const customerPage = await admin.agent.get(`/customers/${encodeURIComponent(customerId)}`).expect(200);
    expect(customerPage.text).to.contain('Acme Widgets').and.contain('Utrecht');

    // The customer's page links to a new-user form that starts in this customer.
    const newLink = /href="(\/customer-users\/new\?customerId=[^"]+)"/.exec(customerPage.text)?.[1];
    expect(newLink).to.equal(`/customer-users/new?customerId=${encodeURIComponent(customerId)}`);
    const newForm = await admin.agent.get(newLink!).expect(200);
    expect(newForm.text).to.match(new RegExp(`<input id="cu-customerId" name="customerId" type="text" value="${customerId}"`));
    expect(newForm.text).to.match(/<input id="cu-lastName" name="lastName" type="text"[^>]* required/);
    expect(newForm.text).to.match(/<input id="cu-email" name="email" type="email"/);
    const login = unique('nopw');
    const res = await admin.agent
      .post('/customer-users')
      .type('form')
      .send(form({ _csrf: csrfFrom(newForm.text), login, email: `${login}@example.test`, customerId, firstName: 'Petra', lastName: 'Pieters', password: '', validity: 'valid', language: 'nl' }));
    expect(res.status).to.equal(201);
    const password = /<code class="secret">([^<]+)<\/code>/.exec(res.text)?.[1];
    expect(password).to.be.a('string').with.length.greaterThan(11);
    // No SMTP in the tests: the page says the set-password mail did not go out.
    expect(res.text).to.contain('could not be sent');

    const detail = await admin.agent.get(`/customer-users/${login}`).expect(200);
    const list = await admin.agent.get(`/customer-users?search=${login}`).expect(200);
    const customerUsers = await admin.agent.get(`/customers/${encodeURIComponent(customerId)}`).expect(200);
    for (const page of [detail, list, customerUsers]) expect(page.text).to.contain(login).and.not.contain(password!);
    expect(detail.text).to.contain('value="Petra"');
    expect(customerUsers.text).to.contain('Primary customer');

    const portal = await signIn(app, { login, password: password! });
    await portal.agent.get('/portal').expect(200);
  });

  it('keeps the input and names the field beside it when a required field is missing (400)', async () => {
    const customerId = unique('REQ');
    await ensureCustomer(customerId);
    const login = unique('req');
    const res = await admin.agent
      .post('/customer-users')
      .type('form')
      .send(form({ _csrf: admin.csrf, login, email: `${login}@example.test`, customerId, firstName: 'Karin', lastName: '  ' }));
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('role="alert"').and.contain('href="#cu-lastName"');
    expect(res.text).to.match(/id="cu-lastName"[^>]*aria-invalid="true" aria-describedby="cu-lastName-error"/);
    expect(res.text).to.match(/<small id="cu-lastName-error" class="field-error">Enter Last name\.<\/small>/);
    expect(res.text).to.contain('value="Karin"').and.contain(`value="${login}"`);
    expect(await services().customerUsers.findByLogin(login)).to.equal(null);

    const customer = await admin.agent.post('/customers').type('form').send(form({ _csrf: admin.csrf, customerId: unique('C'), name: '', city: 'Bergen' }));
    expect(customer.status).to.equal(400);
    expect(customer.text).to.contain('id="c-name-error"').and.contain('value="Bergen"');
  });

  it('refuses an unknown customer ID with 422 at the customer field, and a duplicate login with 409', async () => {
    const login = unique('nocust');
    const res = await admin.agent
      .post('/customer-users')
      .type('form')
      .send(form({ _csrf: admin.csrf, login, email: `${login}@example.test`, customerId: unique('GHOST'), firstName: 'No', lastName: 'Customer' }));
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/<small id="cu-customerId-error" class="field-error">There is no customer with this customer ID/);
    expect(res.text).to.contain('value="No"');

    const existing = await createUser(unique('DUP'));
    const customerId = unique('DUP');
    await ensureCustomer(customerId);
    const duplicate = await admin.agent
      .post('/customer-users')
      .type('form')
      .send(form({ _csrf: admin.csrf, login: existing.login, email: `${unique('x')}@example.test`, customerId, firstName: 'A', lastName: 'B' }));
    expect(duplicate.status).to.equal(409);
    expect(duplicate.text).to.contain('id="cu-login-error"').and.contain('This login is already in use');
  });

  it('answers an edit made on a stale version with a readable 409 and keeps what was typed', async () => {
    const user = await createUser(unique('STALE'));
    const page = await admin.agent.get(`/customer-users/${user.login}`).expect(200);
    const version = versionIn(page.text);
    // Somebody else saves in between.
    await services().customerUsers.update(adminActor, user.login, { phone: '+31 30 000 0000' }, cliSubject());
    const res = await admin.agent
      .post(`/customer-users/${user.login}`)
      .type('form')
      .send(form({ _csrf: admin.csrf, version, login: user.login, email: `${user.login}@example.test`, customerId: (await services().customerUsers.findByLogin(user.login))!.customerId, firstName: 'Typed', lastName: 'Again', validity: 'valid' }));
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Someone else saved a change while you were editing').and.contain('value="Typed"');
    expect((await services().customerUsers.findByLogin(user.login))!.fields.firstName).to.equal('Test');

    const customerId = unique('CSTALE');
    await ensureCustomer(customerId);
    const customerPage = await admin.agent.get(`/customers/${customerId}`).expect(200);
    await services().customers.update(adminActor, customerId, { city: 'Oslo' }, cliSubject());
    const stale = await admin.agent
      .post(`/customers/${customerId}`)
      .type('form')
      .send(form({ _csrf: admin.csrf, version: versionIn(customerPage.text), name: 'Renamed', city: 'Tromsø', validity: 'valid' }));
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Someone else saved a change').and.contain('value="Renamed"');
  });

  it('changes validity through the forms (user and customer) and filters the list by it', async () => {
    const customerId = unique('VAL');
    const user = await createUser(customerId);
    const page = await admin.agent.get(`/customer-users/${user.login}`).expect(200);
    const res = await admin.agent
      .post(`/customer-users/${user.login}`)
      .type('form')
      .send(form({ _csrf: admin.csrf, version: versionIn(page.text), login: user.login, email: `${user.login}@example.test`, customerId, firstName: 'Test', lastName: 'Person', validity: 'invalid-temporarily' }));
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/customer-users/${user.login}?notice=saved`);
    expect((await services().customerUsers.findByLogin(user.login))!.validity).to.equal('invalid-temporarily');
    const saved = await admin.agent.get(res.headers.location!).expect(200);
    expect(saved.text).to.contain('Your changes have been saved.');
    const filtered = await admin.agent.get(`/customer-users?customerId=${customerId}&validity=invalid-temporarily`).expect(200);
    expect(filtered.text).to.contain(user.login);
    const valid = await admin.agent.get(`/customer-users?customerId=${customerId}&validity=valid`).expect(200);
    expect(valid.text).to.not.contain(user.login);

    const customerPage = await admin.agent.get(`/customers/${customerId}`).expect(200);
    await admin.agent
      .post(`/customers/${customerId}`)
      .type('form')
      .send(form({ _csrf: admin.csrf, version: versionIn(customerPage.text), name: `Company ${customerId}`, validity: 'invalid' }))
      .expect(303);
    expect((await services().customers.findExact(customerId))!.validity).to.equal('invalid');
  });

  it('links an existing user to a second customer from the customer page, and unlinks them', async () => {
    const home = unique('HOME');
    const second = unique('SECOND');
    const user = await createUser(home);
    await ensureCustomer(second);
    const linked = await admin.agent.post(`/customers/${second}/users`).type('form').send(form({ _csrf: admin.csrf, login: user.login }));
    expect(linked.status).to.equal(303);
    expect((await services().customerUsers.findByLogin(user.login))!.customerIds).to.deep.equal([second]);
    const page = await admin.agent.get(`/customers/${second}`).expect(200);
    expect(page.text).to.contain(user.login).and.contain('Extra customer').and.contain('Showing 1 of 1 users.');
    expect(page.text).to.contain(`action="/customers/${second}/users/${user.login}/unlink"`);

    const unknown = await admin.agent.post(`/customers/${second}/users`).type('form').send(form({ _csrf: admin.csrf, login: unique('nobody') }));
    expect(unknown.status).to.equal(404);
    expect(unknown.text).to.contain('id="link-login-error"').and.contain('There is no customer user with this login.');

    await admin.agent.post(`/customers/${second}/users/${user.login}/unlink`).type('form').send(form({ _csrf: admin.csrf })).expect(303);
    expect((await services().customerUsers.findByLogin(user.login))!.customerIds).to.deep.equal([]);
    const after = await admin.agent.get(`/customers/${second}`).expect(200);
    expect(after.text).to.contain('Showing 0 of 0 users.');
    expect(after.text).to.not.contain(user.login);
  });

  it('adds a custom field on /admin/field-map that appears on the user form and saves', async () => {
    const key = uniqueKey('room');
    const page = await admin.agent.get('/admin/field-map').expect(200);
    expect(page.text).to.contain('needs no database change');
    const map = await services().customerUsers.fieldMap();
    const res = await admin.agent
      .post('/admin/field-map')
      .type('form')
      .send(mapForm(map, admin.csrf, versionIn(page.text), { 'key._new': key, 'label._new': 'Kamer', 'type._new': 'var', 'shown._new': '1', 'search._new': '1' }));
    expect(res.status).to.equal(303);
    const saved = await admin.agent.get(res.headers.location!).expect(200);
    expect(saved.text).to.match(/The field map has been saved\. The search index was rebuilt for \d+ users?\./);
    expect(saved.text).to.contain(`<code>extra.${key}</code>`);

    const newForm = await admin.agent.get('/customer-users/new').expect(200);
    expect(newForm.text).to.contain(`<label for="cu-${key}">Kamer</label>`).and.contain(`name="${key}"`);
    const customerId = unique('ROOM');
    await ensureCustomer(customerId);
    const login = unique('room');
    await admin.agent
      .post('/customer-users')
      .type('form')
      .send(form({ _csrf: admin.csrf, login, email: `${login}@example.test`, customerId, firstName: 'Rita', lastName: 'Room', [key]: 'B-2.14', password: `pw-${randomBytes(8).toString('hex')}` }))
      .expect(303);
    expect((await services().customerUsers.findByLogin(login))!.fields[key]).to.equal('B-2.14');
    const found = await admin.agent.get('/customer-users?search=b-2.14').expect(200);
    expect(found.text).to.contain(login);

    // A stale map version is a readable conflict, and the typed rows stay.
    const stale = await admin.agent
      .post('/admin/field-map')
      .type('form')
      .send(mapForm(map, admin.csrf, versionIn(page.text), { 'key._new': uniqueKey('desk'), 'label._new': 'Bureau' }));
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Someone else saved a change').and.contain('value="Bureau"');
  });

  it('refuses a bad custom field at its control (400) and saves nothing', async () => {
    const page = await admin.agent.get('/admin/field-map').expect(200);
    const map = await services().customerUsers.fieldMap();
    const res = await admin.agent
      .post('/admin/field-map')
      .type('form')
      .send(mapForm(map, admin.csrf, versionIn(page.text), { 'key._new': uniqueKey('nolabel'), 'label._new': '' }));
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('href="#fm-_new-label"').and.contain('A custom field needs a label.');
    expect(await services().customerUsers.fieldMap()).to.deep.equal(map);
  });

  it('shows "x of y" with the configured list limit', async () => {
    const small = await startTestApp({ options: { customerUsers: { searchLimit: 2 } } });
    try {
      const account = await small.createAgent('admin');
      const actor = (await small.loket.container.services.actors.resolve({ type: 'agent', id: account.id }, 'session'))!;
      const customerId = unique('XY');
      await small.loket.container.services.customers.create(actor, { customerId, name: 'X of Y' }, cliSubject());
      const surname = uniqueKey('zed');
      for (let i = 0; i < 3; i++) {
        const login = unique('xy');
        await small.loket.container.services.customerUsers.create(actor, { login, email: `${login}@example.test`, customerId, firstName: 'X', lastName: surname }, cliSubject());
      }
      const { agent } = await signIn(small, account);
      const list = await agent.get(`/customer-users?search=${surname.slice(0, 6)}`).expect(200);
      // The list limit bounds the work of a search too: beyond it, the count says "more than".
      expect(list.text).to.contain('Showing 2 of more than 2 customer users.').and.contain('Refine the search');
      const customerPage = await agent.get(`/customers/${customerId}`).expect(200);
      expect(customerPage.text).to.contain('Showing 2 of more than 2 users.');
      const exact = await agent.get(`/customer-users?search=${surname.slice(0, 6)}&validity=invalid`).expect(200);
      expect(exact.text).to.contain('Showing 0 of 0 customer users.');
    } finally {
      await small.close();
    }
  });

  it('gives agents read-only pages: no forms, and every change is 403', async () => {
    const customerId = unique('RO');
    const user = await createUser(customerId);
    const agentAccount = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, agentAccount);
    const pages = await Promise.all([
      agent.get('/customers').expect(200),
      agent.get(`/customers/${customerId}`).expect(200),
      agent.get('/customer-users').expect(200),
      agent.get(`/customer-users/${user.login}`).expect(200),
    ]);
    for (const page of pages) {
      expect(page.text).to.not.match(/method="post" action="\/(customers|customer-users)/);
      expect(page.text).to.not.contain('name="firstName"');
    }
    expect(pages[3].text).to.contain('changes are made by an administrator').and.contain(user.login);
    await agent.get('/customer-users/new').expect(403);
    await agent.get('/admin/field-map').expect(403);
    const posts: [string, Record<string, string>][] = [
      ['/customers', { customerId: unique('NO'), name: 'Nope' }],
      [`/customers/${customerId}`, { name: 'Changed', validity: 'invalid' }],
      [`/customers/${customerId}/users`, { login: user.login }],
      [`/customers/${customerId}/users/${user.login}/unlink`, {}],
      ['/customer-users', { login: unique('no'), email: 'no@example.test', customerId, firstName: 'N', lastName: 'O' }],
      [`/customer-users/${user.login}`, { firstName: 'Changed', lastName: 'Person', validity: 'invalid' }],
      [`/customer-users/${user.login}/password-link`, {}],
      [`/customer-users/${user.login}/anonymise`, { confirm: user.login }],
      ['/admin/field-map', { version: '1' }],
    ];
    for (const [path, body] of posts) {
      const res = await agent.post(path).type('form').send(form({ _csrf: csrf, ...body }));
      expect(res.status, path).to.equal(403);
    }
    const after = (await services().customerUsers.findByLogin(user.login))!;
    expect(after.fields.firstName).to.equal('Test');
    expect(after.validity).to.equal('valid');
    expect((await services().customers.findExact(customerId))!.name).to.equal(`Company ${customerId}`);
  });

  it('shows a key user of customer 1 nothing of customer 12 (list, filter, detail → 404)', async () => {
    await ensureCustomer('1', 'One');
    await ensureCustomer('12', 'Twelve');
    const keyUser = await createUser('1', { keyUserOf: ['1'] });
    const colleague = await createUser('1');
    const stranger = await createUser('12');
    const { agent } = await signIn(app, keyUser);
    const list = await agent.get('/customer-users').expect(200);
    expect(list.text).to.contain(colleague.login).and.not.contain(stranger.login);
    const filtered = await agent.get('/customer-users?customerId=12').expect(200);
    expect(filtered.text).to.not.contain(stranger.login);
    await agent.get(`/customer-users/${stranger.login}`).expect(404);
    await agent.get('/customers/12').expect(404);
    const own = await agent.get(`/customer-users/${colleague.login}`).expect(200);
    expect(own.text).to.not.contain('name="firstName"');
    const customers = await agent.get('/customers').expect(200);
    expect(customers.text).to.contain('href="/customers/1"').and.not.contain('href="/customers/12"');
    const customerOne = await agent.get('/customers/1').expect(200);
    expect(customerOne.text).to.contain(colleague.login).and.not.contain(stranger.login);
  });

  it('escapes a user named <script> everywhere and never renders a javascript: link template as a link', async () => {
    const customerId = unique('XSS');
    const script = '<script>alert(1)</script>';
    await ensureCustomer(customerId, script);
    const user = await createUser(customerId, { firstName: script, lastName: '"><img src=x onerror=alert(1)>', comment: 'alert(document.cookie)' });
    const before = await services().customerUsers.fieldMap();
    const { backend } = await services().backends.saveDbMap(
      adminActor,
      before.map((row) => (row.key === 'comment' ? { ...row, shown: 2 as const, link: 'javascript:{{comment}}' } : row.key === 'firstName' ? { ...row, link: 'https://example.test/?q={{firstName}}' } : row)),
      undefined,
      cliSubject(),
    );
    try {
      const agentAccount = await app.createAgent('agent');
      const reader = await signIn(app, agentAccount);
      const pages = await Promise.all([
        admin.agent.get(`/customer-users?customerId=${customerId}`).expect(200),
        admin.agent.get(`/customer-users/${user.login}`).expect(200),
        admin.agent.get(`/customers/${customerId}`).expect(200),
        admin.agent.get(`/customers?search=${customerId}`).expect(200),
        reader.agent.get(`/customer-users/${user.login}`).expect(200),
        reader.agent.get(`/customer-users?customerId=${customerId}`).expect(200),
      ]);
      for (const page of pages) {
        expect(page.text).to.not.contain(script).and.not.contain('<img src=x');
        expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(page.text.toLowerCase()).to.not.contain('href="javascript:');
      }
      // The safe template is a link, with the value URL-encoded into it.
      expect(pages[0].text).to.contain('alert(document.cookie)');
      expect(pages[4].text).to.contain('href="https://example.test/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"');
    } finally {
      await services().backends.saveDbMap(adminActor, before, backend.version, cliSubject());
    }
  });

  it('changes nothing when a form is posted without its CSRF token (403)', async () => {
    const customerId = unique('CSRF');
    const res = await admin.agent.post('/customers').type('form').send(form({ customerId, name: 'No token' }));
    expect(res.status).to.equal(403);
    expect(await services().customers.findExact(customerId)).to.equal(null);
    await ensureCustomer(customerId);
    const login = unique('csrf');
    await admin.agent
      .post('/customer-users')
      .type('form')
      .send(form({ login, email: `${login}@example.test`, customerId, firstName: 'No', lastName: 'Token' }))
      .expect(403);
    expect(await services().customerUsers.findByLogin(login)).to.equal(null);
    await admin.agent.post('/admin/field-map').type('form').send(form({ version: '1', 'key._new': uniqueKey('csrf'), 'label._new': 'X' })).expect(403);
  });

  it('lets a customer user edit their own profile; a tampered form with validity or customer ID is 403', async () => {
    const customerId = unique('PROF');
    const user = await createUser(customerId);
    const { agent } = await signIn(app, user);
    const portal = await agent.get('/portal').expect(200);
    expect(portal.text).to.contain('href="/portal/profile"');
    const page = await agent.get('/portal/profile').expect(200);
    expect(page.text).to.contain('name="firstName"').and.contain('autocomplete="given-name"');
    expect(page.text).to.not.contain('name="email"').and.not.contain('name="customerId"').and.not.contain('name="login"');
    const csrf = csrfFrom(page.text);
    const version = versionIn(page.text);
    const saved = await agent.post('/portal/profile').type('form').send(form({ _csrf: csrf, version, firstName: 'Own', lastName: 'Name', phone: '+47 22 00 00 00', language: 'nb' }));
    expect(saved.status).to.equal(303);
    const after = (await services().customerUsers.findByLogin(user.login))!;
    expect(after.fields).to.include({ firstName: 'Own', phone: '+47 22 00 00 00' });
    expect(after.language).to.equal('nb');

    const missing = await agent.post('/portal/profile').type('form').send(form({ _csrf: csrf, version: String(after.version), firstName: '', lastName: 'Name' }));
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain('id="p-firstName-error"');

    const tampers: Record<string, string>[] = [{ validity: 'invalid' }, { customerId: unique('OTHER') }];
    for (const tamper of tampers) {
      const res = await agent.post('/portal/profile').type('form').send(form({ _csrf: csrf, version: String(after.version), firstName: 'Own', lastName: 'Name', ...tamper }));
      expect(res.status).to.equal(403);
    }
    const unchanged = (await services().customerUsers.findByLogin(user.login))!;
    expect(unchanged.validity).to.equal('valid');
    expect(unchanged.customerId).to.equal(customerId);
    await admin.agent.get('/portal/profile').expect(403);
  });

  it('sends a set-password link on request and anonymises only after the login is typed', async () => {
    const user = await createUser(unique('GDPR'));
    const link = await admin.agent.post(`/customer-users/${user.login}/password-link`).type('form').send(form({ _csrf: admin.csrf }));
    expect(link.status).to.equal(303);
    expect(link.headers.location).to.equal(`/customer-users/${user.login}?notice=linkNotSent`);

    const wrong = await admin.agent.post(`/customer-users/${user.login}/anonymise`).type('form').send(form({ _csrf: admin.csrf, confirm: 'somebody-else' }));
    expect(wrong.status).to.equal(400);
    expect(wrong.text).to.contain('id="cu-confirm-error"').and.contain('value="somebody-else"');
    expect((await services().customerUsers.findByLogin(user.login))!.anonymisedAt).to.equal(null);

    const done = await admin.agent.post(`/customer-users/${user.login}/anonymise`).type('form').send(form({ _csrf: admin.csrf, confirm: user.login }));
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.match(/^\/customer-users\/anonymised-\d+\?notice=anonymised$/);
    expect(await services().customerUsers.findByLogin(user.login)).to.equal(null);
    const page = await admin.agent.get(done.headers.location!).expect(200);
    expect(page.text).to.contain('The customer user has been anonymised.').and.not.contain('anonymise" novalidate');
  });
});
