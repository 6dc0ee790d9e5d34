import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { csrfFrom, signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { createCustomerUser, ensureCustomer } from '../helpers/customers.js';

/** A form body with repeated names for lists (checkboxes), as a browser sends it. */
function form(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

const userPath = (login: string) => `/customer-users/${encodeURIComponent(login)}`;
const groupPath = (name: string) => `/groups/${encodeURIComponent(name)}`;
const servicePath = (name: string) => `/services/${encodeURIComponent(name)}`;

/** The text of the effective-permissions table's cell for one group and type ('' when the row is missing). */
function effectiveCell(html: string, group: string, permission: string): string {
  const table = /<table id="acc-eff-groups">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const types = [...(/<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? '').matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
  const column = types.indexOf(permission);
  for (const row of table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    if (!row[1]!.includes(`<th scope="row">${group}</th>`)) continue;
    const cells = [...row[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    return cells[column - 1] ?? '';
  }
  return '';
}

/** The reasons beside one service in the entitled-services table. */
function serviceReasons(html: string, service: string): string {
  const table = /<table id="acc-eff-services">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const row = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].find((r) => r[1]!.includes(`<th scope="row">${service}</th>`));
  return row ? row[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() : '';
}

const isChecked = (html: string, id: string): boolean => new RegExp(`<input type="checkbox" id="${id}"[^>]*\\schecked>`).test(html);

/** The id of the grid checkbox for `type:group` on a page. */
function gridBoxId(html: string, permission: string, group: string): string {
  const value = `${permission}:${group}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const match = new RegExp(`<input type="checkbox" id="([^"]+)" name="grant" value="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(html);
  if (!match?.[1]) throw new Error(`no grid box ${permission}:${group}`);
  return match[1];
}

describe('group, service and assignment screens', function () {
  this.timeout(60000);
  let app: TestApp;
  let admin: { agent: Agent; csrf: string };
  let actor: Actor;

  const services = () => app.loket.container.services;

  async function createGroup(name = unique('grp')): Promise<string> {
    await services().groups.create(actor, { name }, cliSubject());
    return name;
  }

  async function createService(name = unique('Svc')): Promise<string> {
    await services().catalogue.create(actor, { name }, cliSubject());
    return name;
  }

  async function auditOf(objectType: string, objectId: string) {
    return services().audit.list(actor, { objectType, objectId, limit: 50 });
  }

  before(async () => {
    app = await startTestApp();
    const account = await app.createAgent('admin');
    admin = await signIn(app, account);
    actor = (await services().actors.resolve({ type: 'agent', id: account.id }, 'session'))!;
  });
  after(async () => {
    await app.close();
  });

  it('lets an admin create groups and a services tree through the forms, and refuses what is wrong on the form', async () => {
    const group = unique('it-support');
    const created = await admin.agent.post('/groups').type('form').send(form({ _csrf: admin.csrf, name: group, comment: 'First line', validity: 'valid' }));
    expect(created.status).to.equal(303);
    expect(created.headers.location).to.equal(`${groupPath(group)}?notice=created`);
    const page = await admin.agent.get(created.headers.location!).expect(200);
    expect(page.text).to.contain('Created.').and.contain('First line');
    const list = await admin.agent.get(`/groups?search=${encodeURIComponent(group.slice(0, 12))}`).expect(200);
    expect(list.text).to.contain(`href="${groupPath(group)}"`);

    const duplicate = await admin.agent.post('/groups').type('form').send(form({ _csrf: admin.csrf, name: group.toUpperCase() }));
    expect(duplicate.status).to.equal(409);
    expect(duplicate.text).to.contain('A group with this name already exists.').and.contain('href="#n-name"');
    expect(duplicate.text).to.contain(`value="${group.toUpperCase()}"`);
    const repeated = await admin.agent.post('/groups').type('form').send(form({ _csrf: admin.csrf, name: [group, 'other'] }));
    expect(repeated.status).to.equal(400);

    const root = unique('IT');
    for (const name of [root, `${root}::Email`, `${root}::Email::Archive`, `${root} Support`]) {
      const res = await admin.agent.post('/services').type('form').send(form({ _csrf: admin.csrf, name, comment: `about ${name}` }));
      expect(res.status, name).to.equal(303);
    }
    const orphan = await admin.agent.post('/services').type('form').send(form({ _csrf: admin.csrf, name: `${unique('Nope')}::Child` }));
    expect(orphan.status).to.equal(422);
    expect(orphan.text).to.contain('The parent service does not exist.');
    const tree = await admin.agent.get('/services').expect(200);
    // Email nests inside IT, Archive inside Email; "IT Support" is a root of its own despite sorting between them.
    const nested = new RegExp(`>${root}</a>[\\s\\S]*?<ul>\\s*<li>\\s*<a href="${servicePath(`${root}::Email`)}"[^>]*>Email</a>[\\s\\S]*?<ul>\\s*<li>\\s*<a href="${servicePath(`${root}::Email::Archive`)}"[^>]*>Archive</a>`);
    expect(tree.text).to.match(nested);
    expect(tree.text).to.contain(`>${root} Support</a>`);

    const detail = await admin.agent.get(servicePath(`${root}::Email`)).expect(200);
    const version = /name="version" value="(\d+)"/.exec(detail.text)![1]!;
    const saved = await admin.agent.post(servicePath(`${root}::Email`)).type('form').send(form({ _csrf: admin.csrf, version, comment: 'Mailboxes', validity: 'invalid-temporarily' }));
    expect(saved.status).to.equal(303);
    expect((await services().catalogue.get(actor, `${root}::Email`)).validity).to.equal('invalid-temporarily');
    // The same version again is someone else's stale edit: 409, the input kept.
    const stale = await admin.agent.post(servicePath(`${root}::Email`)).type('form').send(form({ _csrf: admin.csrf, version, comment: 'Stale', validity: 'valid' }));
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Stale');
  });

  it('assigns in both directions and shows the effective permissions with their reasons on the user page', async () => {
    const customerId = unique('ACME');
    await ensureCustomer(app, actor, customerId, 'Acme Widgets');
    const user = await createCustomerUser(app, actor, { customerId });
    const [own, viaCustomer, viaDefault, matrixGroup] = [await createGroup(), await createGroup(), await createGroup(), await createGroup()];
    const [ownService, customerService, groupService, defaultService] = [await createService(), await createService(), await createService(), await createService()];

    // User → groups and services, from the user's page.
    const page = await admin.agent.get(userPath(user.login)).expect(200);
    expect(page.text).to.contain('Groups and services');
    const save = await admin.agent.post(`${userPath(user.login)}/assignments`).type('form').send(form({ _csrf: csrfFrom(page.text), grant: [`rw:${own}`], service: [ownService] }));
    expect(save.status).to.equal(303);
    expect(save.headers.location).to.equal(`${userPath(user.login)}?notice=saved`);

    // Customer → groups and services, from the customer's page.
    const customerPage = await admin.agent.get(`/customers/${encodeURIComponent(customerId)}`).expect(200);
    expect(customerPage.text).to.contain(`Groups and permission types of customer ${customerId}`);
    await admin.agent.post(`/customers/${encodeURIComponent(customerId)}/assignments`).type('form').send(form({ _csrf: admin.csrf, grant: [`create:${viaCustomer}`], service: [customerService] })).expect(303);
    const customerAgain = await admin.agent.get(`/customers/${encodeURIComponent(customerId)}`).expect(200);
    expect(isChecked(customerAgain.text, gridBoxId(customerAgain.text, 'create', viaCustomer))).to.equal(true);

    // Defaults for all customer users.
    await admin.agent.post('/admin/defaults/customer-users').type('form').send(form({ _csrf: admin.csrf, grant: [`ro:${viaDefault}`] })).expect(303);
    await admin.agent.post('/admin/defaults/services').type('form').send(form({ _csrf: admin.csrf, service: [defaultService] })).expect(303);
    const defaults = await admin.agent.get('/admin/defaults?notice=defaultsSaved').expect(200);
    expect(defaults.text).to.contain('The defaults have been saved.');
    expect(isChecked(defaults.text, gridBoxId(defaults.text, 'ro', viaDefault))).to.equal(true);

    // Group → members: the matrix's add row, and the group's services.
    const groupPage = await admin.agent.get(groupPath(matrixGroup)).expect(200);
    const added = await admin.agent
      .post(`${groupPath(matrixGroup)}/members`)
      .type('form')
      .send(form({ _csrf: csrfFrom(groupPage.text), members: 'customer-users', 'add-member': user.login.toUpperCase(), 'add-perm': ['ro'] }));
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(`${groupPath(matrixGroup)}?members=customer-users&count=1&notice=membersSaved#members`);
    await admin.agent.post(`${groupPath(matrixGroup)}/services`).type('form').send(form({ _csrf: admin.csrf, service: [groupService] })).expect(303);

    const shown = await admin.agent.get(`${userPath(user.login)}?notice=saved`).expect(200);
    expect(shown.text).to.contain('Your changes have been saved.');
    expect(effectiveCell(shown.text, own, 'rw')).to.equal('direct');
    expect(effectiveCell(shown.text, own, 'ro')).to.equal('direct, implied by rw');
    expect(effectiveCell(shown.text, viaCustomer, 'create')).to.equal(`via customer Acme Widgets (${customerId})`);
    expect(effectiveCell(shown.text, viaCustomer, 'ro')).to.contain('not held');
    expect(effectiveCell(shown.text, viaDefault, 'ro')).to.equal('default for all customer users');
    expect(effectiveCell(shown.text, matrixGroup, 'ro')).to.equal('direct');
    expect(serviceReasons(shown.text, ownService)).to.contain('direct');
    expect(serviceReasons(shown.text, customerService)).to.contain(`via customer Acme Widgets (${customerId})`);
    expect(serviceReasons(shown.text, groupService)).to.contain(`via group ${matrixGroup}`);
    expect(serviceReasons(shown.text, defaultService)).to.contain('default for everybody');
    // The user's own boxes are ticked in the grid, the matrix's grant among them.
    expect(isChecked(shown.text, gridBoxId(shown.text, 'rw', own))).to.equal(true);
    expect(isChecked(shown.text, gridBoxId(shown.text, 'ro', matrixGroup))).to.equal(true);
    expect(isChecked(shown.text, gridBoxId(shown.text, 'ro', own))).to.equal(false);

    // The service's page names every holder, with links.
    const holders = await admin.agent.get(servicePath(groupService)).expect(200);
    expect(holders.text).to.contain(`href="${groupPath(matrixGroup)}"`);
    const ownHolders = await admin.agent.get(servicePath(ownService)).expect(200);
    expect(ownHolders.text).to.contain(`href="${userPath(user.login)}"`);
    expect((await admin.agent.get(servicePath(customerService)).expect(200)).text).to.contain(`href="/customers/${encodeURIComponent(customerId)}"`);
    expect((await admin.agent.get(servicePath(defaultService)).expect(200)).text).to.contain('A default service');

    for (const [objectType, objectId, action] of [['customer-user', user.login, 'customer-user.groups'], ['customer', customerId, 'customer.groups'], ['group', matrixGroup, 'group.members']] as const) {
      expect((await auditOf(objectType, objectId)).map((e) => e.action), objectId).to.include(action);
    }
  });

  it('previews unsaved boxes without JavaScript and saves nothing', async () => {
    const user = await createCustomerUser(app, actor);
    const [kept, added] = [await createGroup(), await createGroup()];
    const service = await createService();
    await services().assignments.setGroups(actor, { kind: 'customer-user', login: user.login }, { groups: [{ group: kept, permissions: ['ro'] }] }, cliSubject());
    const before = await auditOf('customer-user', user.login);

    const page = await admin.agent.get(userPath(user.login)).expect(200);
    expect(page.text).to.contain(`formaction="${userPath(user.login)}/assignments/preview"`);
    expect(page.text).to.contain('src="/assets/js/effective-preview.js"');
    expect(page.text).not.to.match(/role="status" aria-live="polite"><strong>/);
    expect(page.text).to.contain('<caption id="acc-eff-caption">Effective permissions by group and type');
    const preview = await admin.agent
      .post(`${userPath(user.login)}/assignments/preview`)
      .type('form')
      .send(form({ _csrf: csrfFrom(page.text), grant: [`rw:${added}`], service: [service] }));
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('<caption id="acc-eff-caption">Preview — not saved: effective permissions');
    expect(preview.text).to.match(/<p id="acc-preview-status" role="status" aria-live="polite"><strong>Preview — not saved/);
    expect(effectiveCell(preview.text, added, 'rw')).to.equal('direct');
    expect(effectiveCell(preview.text, added, 'create')).to.equal('direct, implied by rw');
    expect(effectiveCell(preview.text, kept, 'ro')).to.equal('');
    expect(serviceReasons(preview.text, service)).to.contain('direct');
    // The boxes come back as ticked, not as stored.
    expect(isChecked(preview.text, gridBoxId(preview.text, 'rw', added))).to.equal(true);
    expect(isChecked(preview.text, gridBoxId(preview.text, 'ro', kept))).to.equal(false);

    expect(await services().assignments.groupsOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ groups: [{ group: kept, permissions: ['ro'] }] });
    expect(await services().assignments.servicesOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ services: [] });
    expect(await auditOf('customer-user', user.login)).to.have.length(before.length);
    const stored = await admin.agent.get(userPath(user.login)).expect(200);
    expect(effectiveCell(stored.text, kept, 'ro')).to.equal('direct');
    expect(effectiveCell(stored.text, added, 'rw')).to.equal('');

    // A box naming a group that is gone is refused on the page, the other boxes kept.
    const gone = await admin.agent
      .post(`${userPath(user.login)}/assignments/preview`)
      .type('form')
      .send(form({ _csrf: admin.csrf, grant: [`ro:${unique('gone')}`, `rw:${added}`] }));
    expect(gone.status).to.equal(422);
    expect(gone.text).to.contain('One of the groups does not exist');
    expect(isChecked(gone.text, gridBoxId(gone.text, 'rw', added))).to.equal(true);
  });

  it('saves the visible page of the matrix as one audited change, or nothing at all', async () => {
    const group = await createGroup();
    const users = [await createCustomerUser(app, actor), await createCustomerUser(app, actor), await createCustomerUser(app, actor)];
    await services().assignments.setMembers(actor, group, users.map((u) => ({ customerUser: u.login, permissions: ['ro'] })), cliSubject());
    const page = await admin.agent.get(groupPath(group)).expect(200);
    expect(page.text).to.contain('Showing 1–3 of 3.');
    expect(page.text).to.contain('rw implies every other type (ro, create)');
    const rows = [...page.text.matchAll(/name="row-(\d+)-member" value="([^"]+)"/g)].map((m) => ({ index: m[1]!, login: m[2]! }));
    expect(rows.map((r) => r.login)).to.deep.equal(users.map((u) => u.login).sort());
    const [first, second, third] = rows as [{ index: string; login: string }, { index: string; login: string }, { index: string; login: string }];
    const extra = await createCustomerUser(app, actor);
    const body = {
      _csrf: csrfFrom(page.text),
      members: 'customer-users',
      page: '1',
      [`row-${first.index}-member`]: first.login,
      [`row-${first.index}-perm`]: ['ro', 'rw'],
      [`row-${second.index}-member`]: second.login,
      [`row-${third.index}-member`]: third.login,
      [`row-${third.index}-perm`]: 'ro',
    };
    const auditBefore = (await auditOf('group', group)).length;

    // One unknown login in the add row: nothing of the page is written.
    const refused = await admin.agent.post(`${groupPath(group)}/members`).type('form').send(form({ ...body, 'add-member': unique('nobody'), 'add-perm': 'create' }));
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('There is no customer user with this login.').and.contain('href="#m-add-member"');
    expect(refused.text).to.match(/id="m-add-member"[^>]*aria-invalid="true"/);
    expect(isChecked(refused.text, `m-${first.index}-rw`), 'the ticks as sent').to.equal(true);
    const untouched = await services().assignments.members(actor, group, 'customer-user', { limit: 50, offset: 0 });
    expect(untouched.items.map((i) => i.permissions)).to.deep.equal([['ro'], ['ro'], ['ro']]);
    expect(await auditOf('group', group)).to.have.length(auditBefore);
    // A login in the add row without any type ticked is a mistake on the form, not an empty grant.
    const noType = await admin.agent.post(`${groupPath(group)}/members`).type('form').send(form({ ...body, 'add-member': extra.login }));
    expect(noType.status).to.equal(400);
    expect(noType.text).to.contain('Tick at least one permission type');

    const saved = await admin.agent.post(`${groupPath(group)}/members`).type('form').send(form({ ...body, 'add-member': extra.login, 'add-perm': 'create' }));
    expect(saved.status).to.equal(303);
    const after = await services().assignments.members(actor, group, 'customer-user', { limit: 50, offset: 0 });
    const held = Object.fromEntries(after.items.map((i) => [i.key, [...i.permissions].sort()]));
    expect(held).to.deep.equal({ [first.login]: ['ro', 'rw'], [third.login]: ['ro'], [extra.login]: ['create'] });
    const entries = (await auditOf('group', group)).filter((e) => e.action === 'group.members' && e.actorKind === 'admin');
    expect(entries).to.have.length(1);
    expect(await auditOf('group', group)).to.have.length(auditBefore + 1);
    expect(entries[0]!.after).to.deep.equal({
      members: [
        { member: `customer-user:${first.login}`, permissions: ['ro', 'rw'] },
        { member: `customer-user:${second.login}`, permissions: [] },
        { member: `customer-user:${third.login}`, permissions: ['ro'] },
        { member: `customer-user:${extra.login}`, permissions: ['create'] },
      ],
    });
    const notice = await admin.agent.get(saved.headers.location!.replace(/#.*$/, '')).expect(200);
    expect(notice.text).to.contain('Saved: 4 members on this page.');
  });

  it('pages the matrix by 50 with "x of y", filters by login or customer ID, and switches to customers', async () => {
    const group = await createGroup();
    const prefix = unique('pg').toLowerCase();
    const customerId = unique('PAGED');
    await ensureCustomer(app, actor, customerId);
    const members: { customerUser: string; permissions: string[] }[] = [];
    for (let i = 0; i < 55; i += 1) {
      const login = `${prefix}-${String(i).padStart(2, '0')}`;
      await services().customerUsers.create(actor, { login, email: `${login}@example.test`, customerId, firstName: 'P', lastName: 'Q', password: `pw-${prefix}-long-enough` }, cliSubject());
      members.push({ customerUser: login, permissions: ['ro'] });
    }
    await services().assignments.setMembers(actor, group, members, cliSubject());
    await services().assignments.setMembers(actor, group, [{ customer: customerId, permissions: ['create'] }], cliSubject());

    const first = await admin.agent.get(groupPath(group)).expect(200);
    expect(first.text).to.contain('Showing 1–50 of 55.');
    expect([...first.text.matchAll(/name="row-\d+-member"/g)]).to.have.length(50);
    expect(first.text).to.contain(`href="${groupPath(group)}?members=customer-users&amp;page=2#members"`);
    const second = await admin.agent.get(`${groupPath(group)}?members=customer-users&page=2`).expect(200);
    expect(second.text).to.contain('Showing 51–55 of 55.').and.contain(`${prefix}-54`).and.not.contain(`value="${prefix}-00"`);
    const filtered = await admin.agent.get(`${groupPath(group)}?members=customer-users&filter=${encodeURIComponent(`${prefix.toUpperCase()}-1`)}`).expect(200);
    expect(filtered.text).to.contain('Showing 1–10 of 10.');
    const literal = await admin.agent.get(`${groupPath(group)}?members=customer-users&filter=%25`).expect(200);
    expect(literal.text).to.contain('No members found.');
    const customers = await admin.agent.get(`${groupPath(group)}?members=customers&filter=${encodeURIComponent(customerId.slice(0, 8).toLowerCase())}`).expect(200);
    expect(customers.text).to.contain('Showing 1–1 of 1.').and.contain(`value="${customerId}"`).and.contain('aria-current="page">Customers<');
    await admin.agent.get(`${groupPath(group)}?page=x`).expect(400);
  });

  it('gives agents read-only screens: no forms, every change 403, no defaults page', async () => {
    const group = await createGroup();
    const service = await createService();
    const user = await createCustomerUser(app, actor);
    await services().assignments.setGroups(actor, { kind: 'customer-user', login: user.login }, { groups: [{ group, permissions: ['create'] }] }, cliSubject());
    const account = await app.createAgent('agent');
    const { agent, csrf } = await signIn(app, account);

    for (const path of ['/groups', groupPath(group), '/services', servicePath(service), userPath(user.login), `/customers/${encodeURIComponent(user.customerId)}`]) {
      const res = await agent.get(path).expect(200);
      expect(res.text, path).not.to.match(/<form method="post" action="[^"]*(groups|services|assignments|members)/);
      expect(res.text, path).not.to.contain('name="grant"');
    }
    const userPage = await agent.get(userPath(user.login)).expect(200);
    expect(effectiveCell(userPage.text, group, 'create')).to.equal('direct');
    expect(userPage.text).not.to.contain('effective-preview.js');
    const groupPage = await agent.get(groupPath(group)).expect(200);
    expect(groupPage.text).to.contain(`>${user.login}</a>`);
    await agent.get('/admin/defaults').expect(403);

    const posts: [string, Record<string, string | string[]>][] = [
      ['/groups', { name: unique('agent-grp') }],
      [groupPath(group), { comment: 'x', validity: 'valid' }],
      [`${groupPath(group)}/services`, { service }],
      [`${groupPath(group)}/members`, { members: 'customer-users', 'add-member': user.login, 'add-perm': 'rw' }],
      ['/services', { name: unique('AgentSvc') }],
      [servicePath(service), { comment: 'x', validity: 'valid' }],
      [`${userPath(user.login)}/assignments`, { grant: `rw:${group}` }],
      [`${userPath(user.login)}/assignments/preview`, { grant: `rw:${group}` }],
      [`/customers/${encodeURIComponent(user.customerId)}/assignments`, { grant: `rw:${group}` }],
      ['/admin/defaults/customer-users', { grant: `rw:${group}` }],
      ['/admin/defaults/services', { service }],
    ];
    for (const [path, fields] of posts) {
      const res = await agent.post(path).type('form').send(form({ _csrf: csrf, ...fields }));
      expect(res.status, path).to.equal(403);
    }
    expect(await services().assignments.groupsOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ groups: [{ group, permissions: ['create'] }] });
  });

  it('shows a key user of customer 1 their own users read-only, and nothing of customer 12 (404)', async () => {
    const group = await createGroup();
    await ensureCustomer(app, actor, '1', 'One');
    await ensureCustomer(app, actor, '12', 'Twelve');
    const keyUser = await createCustomerUser(app, actor, { customerId: '1', keyUserOf: ['1'] });
    const colleague = await createCustomerUser(app, actor, { customerId: '1' });
    const stranger = await createCustomerUser(app, actor, { customerId: '12' });
    await services().assignments.setGroups(actor, { kind: 'customer', customerId: '12' }, { groups: [{ group, permissions: ['rw'] }] }, cliSubject());
    await services().assignments.setGroups(actor, { kind: 'customer-user', login: colleague.login }, { groups: [{ group, permissions: ['ro'] }] }, cliSubject());
    const { agent, csrf } = await signIn(app, keyUser);

    await agent.get(userPath(stranger.login)).expect(404);
    const own = await agent.get(userPath(colleague.login)).expect(200);
    expect(effectiveCell(own.text, group, 'ro')).to.equal('direct');
    expect(own.text).not.to.contain('name="grant"');
    await agent.get('/groups').expect(403);
    const preview = await agent.post(`${userPath(stranger.login)}/assignments/preview`).type('form').send(form({ _csrf: csrf, grant: `rw:${group}` }));
    expect(preview.status).to.equal(403);
  });

  it('escapes admin-defined names with markup on every screen', async () => {
    const group = `<b>x</b> ${unique('g')}`;
    const service = `<i>s</i> ${unique('s')}`;
    const customerId = unique('MARK');
    await createGroup(group);
    await createService(service);
    await ensureCustomer(app, actor, customerId, '<script>alert(1)</script> Inc');
    const user = await createCustomerUser(app, actor, { customerId });
    await services().assignments.setGroups(actor, { kind: 'customer', customerId }, { groups: [{ group, permissions: ['rw'] }] }, cliSubject());
    await services().assignments.setServices(actor, { kind: 'group', name: group }, { services: [service] }, cliSubject());
    await services().assignments.setMembers(actor, group, [{ customerUser: user.login, permissions: ['ro'] }], cliSubject());

    const escapedGroup = group.replace('<b>x</b>', '&lt;b&gt;x&lt;/b&gt;');
    const escapedService = service.replace('<i>s</i>', '&lt;i&gt;s&lt;/i&gt;');
    const pages = ['/groups', groupPath(group), '/services', servicePath(service), '/admin/defaults', userPath(user.login), `/customers/${encodeURIComponent(customerId)}`];
    for (const path of pages) {
      const res = await admin.agent.get(path).expect(200);
      expect(res.text, path).not.to.contain('<b>x</b>').and.not.to.contain('<i>s</i>').and.not.to.contain('<script>alert(1)');
      if (path !== '/services' && path !== servicePath(service)) expect(res.text, path).to.contain(escapedGroup);
      if (path !== '/groups') expect(res.text, path).to.contain(escapedService);
    }
    const userPage = await admin.agent.get(userPath(user.login)).expect(200);
    expect(effectiveCell(userPage.text, escapedGroup, 'rw')).to.equal(`via customer &lt;script&gt;alert(1)&lt;/script&gt; Inc (${customerId})`);
  });

  it('refuses every form of these screens without its CSRF token (403) and changes nothing', async () => {
    const group = await createGroup();
    const user = await createCustomerUser(app, actor);
    const paths: [string, Record<string, string>][] = [
      ['/groups', { name: unique('nocsrf') }],
      [`${groupPath(group)}/members`, { members: 'customer-users', 'add-member': user.login, 'add-perm': 'rw' }],
      [`${userPath(user.login)}/assignments`, { grant: `rw:${group}` }],
      ['/admin/defaults/customer-users', { grant: `rw:${group}` }],
    ];
    for (const [path, fields] of paths) {
      const res = await admin.agent.post(path).type('form').send(form(fields));
      expect(res.status, path).to.equal(403);
    }
    expect(await services().assignments.groupsOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ groups: [] });
    expect((await services().assignments.groupsOf(actor, { kind: 'default', scope: 'customer-users' })).groups.map((g) => g.group)).not.to.include(group);
  });
});
