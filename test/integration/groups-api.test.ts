import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { Principal } from '../../plugin/access/actor.js';
import { bearer, issueToken } from '../helpers/api.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';

const hex = () => randomBytes(4).toString('hex');
const path = (name: string) => encodeURIComponent(name);

describe('API v1: groups, permission types and services', () => {
  let app: TestApp;
  let admin: TestAccount;
  let adminToken: string;
  let agentToken: string;

  const tokenOf = (principal: Principal, login: string) => issueToken(app, principal, login);
  const as = (token: string) => bearer(app, token);
  const asAdmin = () => as(adminToken);
  const asAgent = () => as(agentToken);

  async function newGroup(name = unique('grp')): Promise<string> {
    await asAdmin().post('/groups').send({ name }).expect(201);
    return name;
  }

  async function newCustomer(): Promise<string> {
    const customerId = unique('cust');
    await asAdmin().post('/customers').send({ customerId, name: `Customer ${customerId}` }).expect(201);
    return customerId;
  }

  async function newUser(customerId: string): Promise<string> {
    const login = unique('cu').toLowerCase();
    await asAdmin()
      .post('/customer-users')
      .send({ login, email: `${login}@example.test`, firstName: 'Test', lastName: 'User', customerId, password: `pw-${hex()}${hex()}` })
      .expect(201);
    return login;
  }

  const auditOf = async (object: string) =>
    (await asAdmin().get(`/audit?object=${encodeURIComponent(object)}`).expect(200)).body.items as { action: string; before: unknown; after: unknown }[];

  before(async () => {
    app = await startTestApp();
    admin = await app.createAgent('admin');
    adminToken = await tokenOf({ type: 'agent', id: admin.id }, admin.login);
    const agent = await app.createAgent('agent');
    agentToken = await tokenOf({ type: 'agent', id: agent.id }, agent.login);
  });
  after(async () => {
    await app.close();
  });

  it('creates, finds, renames and invalidates groups with optimistic locking, and never deletes them', async () => {
    const name = `IT-Support-${hex()}`;
    const created = await asAdmin().post('/groups').send({ name, comment: 'first line' }).expect(201);
    expect(created.headers.location).to.equal(`/api/v1/groups/${name}`);
    expect(created.headers.etag).to.equal('"1"');
    expect(created.body).to.include({ name, comment: 'first line', validity: 'valid', version: 1 });
    expect(created.body).to.not.have.property('id');

    // Names are unique in any case and found in any case; they are shown as typed.
    const duplicate = await asAdmin().post('/groups').send({ name: name.toLowerCase() }).expect(409);
    expect(duplicate.body.error).to.include({ code: 'duplicate', field: 'name' });
    const got = await asAdmin().get(`/groups/${name.toUpperCase()}`).expect(200);
    expect(got.headers.etag).to.equal('"1"');
    expect(got.body).to.deep.equal(created.body);

    const found = await asAdmin().get(`/groups?search=${name.slice(0, 12).toLowerCase()}`).expect(200);
    expect(found.body.items.map((g: { name: string }) => g.name)).to.deep.equal([name]);
    expect(found.body).to.include({ total: 1, limit: 100 });

    const patched = await asAdmin().patch(`/groups/${name}`).set('If-Match', '"1"').send({ comment: 'second line' }).expect(200);
    expect(patched.body).to.include({ comment: 'second line', version: 2 });
    expect(patched.headers.etag).to.equal('"2"');
    const stale = await asAdmin().patch(`/groups/${name}`).set('If-Match', '"1"').send({ comment: 'lost' }).expect(409);
    expect(stale.body.error.code).to.equal('edit_conflict');
    await asAdmin().patch(`/groups/${name}`).send({ comment: 'lost', version: 1 }).expect(409);
    await asAdmin().patch(`/groups/${name}`).set('If-Match', '"2"').send({ version: 1 }).expect(400);

    const renamed = `${name}-renamed`;
    await asAdmin().patch(`/groups/${name}`).send({ name: renamed, validity: 'invalid', version: 2 }).expect(200);
    await asAdmin().get(`/groups/${name}`).expect(404);
    const invalid = await asAdmin().get(`/groups?validity=invalid&search=${renamed}`).expect(200);
    expect(invalid.body.items.map((g: { name: string; validity: string }) => [g.name, g.validity])).to.deep.equal([[renamed, 'invalid']]);
    expect((await asAdmin().get(`/groups?validity=valid&search=${renamed}`).expect(200)).body.total).to.equal(0);

    const deleted = await asAdmin().delete(`/groups/${renamed}`).expect(405);
    expect(deleted.headers.allow).to.equal('GET, PATCH');
    expect(deleted.body.error.code).to.equal('method_not_allowed');
    await asAdmin().get(`/groups/${renamed}`).expect(200);

    const actions = (await auditOf(`group:${renamed}`)).map((e) => e.action);
    expect(actions).to.deep.equal(['group.update']);
    expect((await auditOf(`group:${name}`)).map((e) => e.action)).to.deep.equal(['group.update', 'group.create']);
  });

  it('refuses bad group and list input with 400 naming the field', async () => {
    for (const body of [{}, { name: '' }, { name: ['x'] }, { name: { a: 1 } }, { name: 'x\u0007y' }, { name: 'x'.repeat(101) }, { name: unique('g'), extra: 1 }, { name: unique('g'), validity: 'gone' }]) {
      const res = await asAdmin().post('/groups').send(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
    }
    expect((await asAdmin().post('/groups').send({ name: unique('g'), extra: 1 })).body.error.field).to.equal('extra');
    await asAdmin().post('/groups').set('Content-Type', 'application/json').send('["x"]').expect(400);
    const group = await newGroup();
    for (const body of [{ comment: ['x'] }, { validity: 'gone' }, { id: 5 }, { version: '1' }]) {
      const res = await asAdmin().patch(`/groups/${group}`).send(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    for (const query of ['limit=0', 'limit=1001', 'limit=ten', 'offset=-1', 'search=a&search=b', 'validity=gone', 'serach=x']) {
      const res = await asAdmin().get(`/groups?${query}`);
      expect(res.status, query).to.equal(400);
    }
    for (const query of ['kind=agent', 'limit=0', 'kind=customer&kind=customer-user', 'who=x']) {
      const res = await asAdmin().get(`/groups/${group}/members?${query}`);
      expect(res.status, query).to.equal(400);
    }
  });

  it('builds the services tree: a child needs its parent, names are URL-encoded in paths and never change', async () => {
    const root = `IT-${hex()}`;
    const child = `${root}::Email`;
    await asAdmin().post('/services').send({ name: root, comment: 'Information technology' }).expect(201);
    const created = await asAdmin().post('/services').send({ name: child, comment: 'Mailboxes' }).expect(201);
    expect(created.headers.location).to.equal(`/api/v1/services/${root}%3A%3AEmail`);
    expect(created.body).to.include({ name: child, parent: root, validity: 'valid', version: 1 });

    const got = await asAdmin().get(`/services/${path(child)}`).expect(200);
    expect(got.body).to.deep.equal(created.body);
    expect(got.headers.etag).to.equal('"1"');
    expect((await asAdmin().get(`/services/${path(root)}`).expect(200)).body.parent).to.equal(null);

    const orphan = await asAdmin().post('/services').send({ name: `Nope-${hex()}::Child` }).expect(422);
    expect(orphan.body.error).to.include({ code: 'unknown_parent', field: 'name' });
    await asAdmin().post('/services').send({ name: `${child}::Archive` }).expect(201);

    for (const name of [`${root}:: Email`, `${root}::::X`, `::${root}`, `${root}::`, Array.from({ length: 11 }, () => 'L').join('::'), ['x'], 5]) {
      const res = await asAdmin().post('/services').send({ name });
      expect(res.status, JSON.stringify(name)).to.equal(400);
    }
    await asAdmin().post('/services').send({ name: unique('svc'), parent: root }).expect(400);

    const renamed = await asAdmin().patch(`/services/${path(child)}`).send({ name: `${root}::Mail` }).expect(422);
    expect(renamed.body.error).to.include({ code: 'immutable', field: 'name' });
    const changed = await asAdmin().patch(`/services/${path(child)}`).set('If-Match', '"1"').send({ comment: 'Mail and calendars', validity: 'invalid' }).expect(200);
    expect(changed.body).to.include({ name: child, comment: 'Mail and calendars', validity: 'invalid', version: 2 });
    await asAdmin().patch(`/services/${path(child)}`).set('If-Match', '"1"').send({ comment: 'x' }).expect(409);

    const listed = await asAdmin().get(`/services?search=${encodeURIComponent(root)}`).expect(200);
    expect(listed.body.items.map((s: { name: string }) => s.name)).to.deep.equal([root, child, `${child}::Archive`]);
    expect((await asAdmin().delete(`/services/${path(child)}`).expect(405)).headers.allow).to.equal('GET, PATCH');
    await asAdmin().get(`/services/${path(`${root}::Nothing`)}`).expect(404);
    expect((await auditOf(`service:${child}`)).map((e) => e.action)).to.deep.equal(['service.update', 'service.create']);
  });

  it('lists permission types weakest first with rw last; admins add types that rank below rw', async () => {
    const before = await asAdmin().get('/permission-types').expect(200);
    const names = before.body.items.map((t: { name: string }) => t.name) as string[];
    expect(names.slice(0, 2)).to.deep.equal(['ro', 'create']);
    expect(names.at(-1)).to.equal('rw');
    expect(before.body.items.filter((t: { strongest: boolean }) => t.strongest).map((t: { name: string }) => t.name)).to.deep.equal(['rw']);
    expect(before.body.items[0]).to.include({ builtIn: true });

    const name = `approve-${hex()}`;
    const added = await asAdmin().post('/permission-types').send({ name, comment: 'approve requests' }).expect(201);
    const after = added.body.items.map((t: { name: string }) => t.name) as string[];
    expect(after).to.have.length(names.length + 1);
    expect(after.at(-1)).to.equal('rw');
    expect(after.at(-2)).to.equal(name);
    expect(added.body.items.find((t: { name: string }) => t.name === name)).to.deep.equal({ name, comment: 'approve requests', builtIn: false, strongest: false });
    expect((await asAdmin().get('/permission-types').expect(200)).body.items.map((t: { name: string }) => t.name)).to.deep.equal(after);

    expect((await asAdmin().post('/permission-types').send({ name }).expect(409)).body.error.code).to.equal('duplicate');
    for (const body of [{ name: 'Two Words' }, { name: 'x'.repeat(33) }, { name: ['ro'] }, { name: 'ok-name', rank: 1 }, {}]) {
      const res = await asAdmin().post('/permission-types').send(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await auditOf(`permission-type:${name}`)).map((e) => e.action)).to.deep.equal(['permission-type.create']);
  });

  it('lets agents read groups, types, services and members, but not change them (403)', async () => {
    const group = await newGroup();
    const service = `Svc-${hex()}`;
    await asAdmin().post('/services').send({ name: service }).expect(201);
    await asAgent().get('/groups').expect(200);
    await asAgent().get(`/groups/${group}`).expect(200);
    await asAgent().get(`/groups/${group}/members`).expect(200);
    await asAgent().get(`/groups/${group}/services`).expect(200);
    await asAgent().get('/permission-types').expect(200);
    await asAgent().get('/services').expect(200);
    await asAgent().get(`/services/${service}`).expect(200);
    await asAgent().get(`/services/${service}/holders`).expect(200);

    const writes: [string, () => request.Test][] = [
      ['create group', () => asAgent().post('/groups').send({ name: unique('agent') })],
      ['change group', () => asAgent().patch(`/groups/${group}`).send({ comment: 'x' })],
      ['members', () => asAgent().post(`/groups/${group}/members`).send({ changes: [{ customer: 'x', permissions: ['ro'] }] })],
      ['group services', () => asAgent().put(`/groups/${group}/services`).send({ services: [service] })],
      ['permission type', () => asAgent().post('/permission-types').send({ name: `t-${hex()}` })],
      ['create service', () => asAgent().post('/services').send({ name: unique('agent') })],
      ['change service', () => asAgent().patch(`/services/${service}`).send({ comment: 'x' })],
    ];
    for (const [label, call] of writes) {
      const res = await call();
      expect(res.status, label).to.equal(403);
      expect(res.body.error.code, label).to.equal('forbidden');
    }
    expect((await asAdmin().get(`/groups/${group}`).expect(200)).body).to.include({ version: 1, comment: '' });
    expect((await asAdmin().get(`/groups/${group}/services`).expect(200)).body).to.deep.equal({ services: [] });
    await request(app.url).get('/api/v1/groups').expect(401);
  });

  it('changes members in bulk in one transaction: one bad row changes nothing; every change is audited', async () => {
    const group = await newGroup();
    const customerId = await newCustomer();
    const [first, second] = [await newUser(customerId), await newUser(customerId)];
    interface MemberPage {
      items: { customerUser?: string; customer?: string; permissions: string[] }[];
      total: number;
      limit: number;
    }
    const members = async (kind: 'customer-user' | 'customer', extra = ''): Promise<MemberPage> =>
      (await asAdmin().get(`/groups/${group}/members?kind=${kind}${extra}`).expect(200)).body as MemberPage;

    const done = await asAdmin()
      .post(`/groups/${group}/members`)
      .send({ changes: [{ customerUser: first, permissions: ['create', 'ro'] }, { customer: customerId, permissions: ['rw'] }, { customerUser: second, permissions: ['ro'] }] })
      .expect(200);
    expect(done.body).to.deep.equal({ changed: 3 });
    expect(await members('customer-user')).to.deep.equal({
      items: [{ customerUser: first, permissions: ['ro', 'create'] }, { customerUser: second, permissions: ['ro'] }].sort((a, b) => (a.customerUser < b.customerUser ? -1 : 1)),
      total: 2,
      limit: 100,
    });
    expect(await members('customer')).to.deep.equal({ items: [{ customer: customerId, permissions: ['rw'] }], total: 1, limit: 100 });
    // The default kind is customer users; pages hold limit rows and total counts them all.
    expect((await asAdmin().get(`/groups/${group}/members?limit=1&offset=1`).expect(200)).body).to.include({ total: 2, limit: 1 }).and.have.nested.property('items.length', 1);
    expect((await members('customer-user', `&search=${second.slice(-6)}`)).items.map((m) => m.customerUser)).to.deep.equal([second]);
    // Both directions show the same grant.
    expect((await asAdmin().get(`/customer-users/${first}/groups`).expect(200)).body).to.deep.equal({ groups: [{ group, permissions: ['ro', 'create'] }] });
    expect((await asAdmin().get(`/customers/${customerId}/groups`).expect(200)).body).to.deep.equal({ groups: [{ group, permissions: ['rw'] }] });

    const snapshot = { users: await members('customer-user'), customers: await members('customer') };
    const badBatches: [unknown, number, string | undefined][] = [
      [{ changes: [{ customerUser: first, permissions: [] }, { customerUser: unique('nobody'), permissions: ['ro'] }] }, 422, 'changes.1.customerUser'],
      [{ changes: [{ customerUser: second, permissions: ['rw'] }, { customer: unique('nocust'), permissions: ['ro'] }] }, 422, 'changes.1.customer'],
      [{ changes: [{ customer: customerId, permissions: [] }, { customerUser: first, permissions: ['ro', 'bogus'] }] }, 422, 'changes.1.permissions'],
      [{ changes: [{ customerUser: first, customer: customerId, permissions: ['ro'] }] }, 400, 'changes.0'],
      [{ changes: [{ permissions: ['ro'] }] }, 400, 'changes.0'],
      [{ changes: [{ customerUser: first, permissions: 'ro' }] }, 400, 'changes.0.permissions'],
      [{ changes: [{ customerUser: [first], permissions: ['ro'] }] }, 400, 'changes.0.customerUser'],
      [{ changes: [{ customerUser: first, permissions: ['ro'], admin: true }] }, 400, 'changes.0.admin'],
      [{ changes: [] }, 400, 'changes'],
      [{ changes: 'all' }, 400, 'changes'],
      [{ changes: [{ customerUser: first, permissions: [] }], dryRun: true }, 400, 'dryRun'],
    ];
    for (const [body, status, field] of badBatches) {
      const res = await asAdmin().post(`/groups/${group}/members`).send(body as object);
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.body.error.field, JSON.stringify(body)).to.equal(field);
    }
    expect({ users: await members('customer-user'), customers: await members('customer') }).to.deep.equal(snapshot);
    await asAdmin().post(`/groups/${unique('nogroup')}/members`).send({ changes: [{ customerUser: first, permissions: ['ro'] }] }).expect(404);
    await asAdmin().get(`/groups/${unique('nogroup')}/members`).expect(404);

    await asAdmin().post(`/groups/${group}/members`).send({ changes: [{ customerUser: first, permissions: [] }] }).expect(200);
    expect((await members('customer-user')).items.map((m) => m.customerUser)).to.deep.equal([second]);

    const entries = (await auditOf(`group:${group}`)).filter((e) => e.action === 'group.members');
    expect(entries).to.have.length(2);
    expect(entries[0]!.after).to.deep.equal({ members: [{ member: `customer-user:${first}`, permissions: [] }] });
    expect((entries[1]!.after as { members: unknown[] }).members).to.have.deep.members([
      { member: `customer-user:${first}`, permissions: ['create', 'ro'] },
      { member: `customer:${customerId}`, permissions: ['rw'] },
      { member: `customer-user:${second}`, permissions: ['ro'] },
    ]);
  });

  it('keeps names with markup as data, in paths, answers and assignments', async () => {
    const group = `<b>x</b>-${hex()}`;
    const service = `<img src=x onerror=alert(1)>-${hex()}`;
    const created = await asAdmin().post('/groups').send({ name: group, comment: '<script>alert(1)</script>' }).expect(201);
    expect(created.headers['content-type']).to.match(/^application\/json/);
    expect(created.body).to.include({ name: group, comment: '<script>alert(1)</script>' });
    expect((await asAdmin().get(`/groups/${path(group)}`).expect(200)).body.name).to.equal(group);
    await asAdmin().post('/services').send({ name: service }).expect(201);
    const child = `${service}::<i>child</i>`;
    await asAdmin().post('/services').send({ name: child }).expect(201);
    expect((await asAdmin().get(`/services/${path(child)}`).expect(200)).body).to.include({ name: child, parent: service });

    const login = await newUser(await newCustomer());
    await asAdmin().put(`/customer-users/${login}/groups`).send({ groups: [{ group, permissions: ['ro'] }] }).expect(200);
    await asAdmin().put(`/groups/${path(group)}/services`).send({ services: [child] }).expect(200);
    const effective = await asAdmin().get(`/customer-users/${login}/effective-permissions`).expect(200);
    expect(effective.body.groups).to.deep.include({ group, permission: 'ro', reasons: [{ source: 'direct' }] });
    expect(effective.body.services).to.deep.include({ service: child, reasons: [{ source: 'group', group }] });
    expect((await asAdmin().get(`/services/${path(child)}/holders`).expect(200)).body).to.deep.equal({ service: child, customerUsers: [], customers: [], groups: [group], isDefault: false });
  });

  it('names who holds a service: customer users, customers, groups and the defaults', async () => {
    const service = `Holders-${hex()}`;
    await asAdmin().post('/services').send({ name: service }).expect(201);
    const customerId = await newCustomer();
    const login = await newUser(customerId);
    const group = await newGroup();
    await asAdmin().put(`/customer-users/${login}/services`).send({ services: [service] }).expect(200);
    await asAdmin().put(`/customers/${customerId}/services`).send({ services: [service] }).expect(200);
    await asAdmin().put(`/groups/${group}/services`).send({ services: [service] }).expect(200);
    const defaults = (await asAdmin().get('/defaults/services').expect(200)).body.services as string[];
    await asAdmin().put('/defaults/services').send({ services: [...defaults, service] }).expect(200);
    try {
      const holders = await asAdmin().get(`/services/${service.toLowerCase()}/holders`).expect(200);
      expect(holders.body).to.deep.equal({ service, customerUsers: [login], customers: [customerId], groups: [group], isDefault: true });
    } finally {
      await asAdmin().put('/defaults/services').send({ services: defaults }).expect(200);
    }
    expect((await asAdmin().get(`/services/${service}/holders`).expect(200)).body.isDefault).to.equal(false);
    await asAdmin().get(`/services/${unique('none')}/holders`).expect(404);
  });

  it('lists the new paths in the OpenAPI document, and groupPermissions in /me', async () => {
    const doc = (await request(app.url).get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: { properties?: Record<string, unknown> } } } }>; requestBody?: unknown }>>;
    };
    expect(doc.paths).to.include.keys(
      '/groups',
      '/groups/{name}',
      '/groups/{name}/members',
      '/groups/{name}/services',
      '/permission-types',
      '/services',
      '/services/{name}',
      '/services/{name}/holders',
      '/customer-users/{login}/groups',
      '/customer-users/{login}/services',
      '/customer-users/{login}/effective-permissions',
      '/customer-users/{login}/effective-permissions/preview',
      '/customers/{customerId}/groups',
      '/customers/{customerId}/services',
      '/defaults/groups',
      '/defaults/customer-groups',
      '/defaults/services',
    );
    expect(doc.paths['/groups/{name}']).to.have.keys('get', 'patch', 'delete');
    expect(doc.paths['/services/{name}']!.delete!.responses).to.have.property('405');
    expect(doc.paths['/customer-users/{login}/groups']).to.have.keys('get', 'put');
    expect(doc.paths['/customer-users/{login}/groups']!.put!.responses).to.include.keys('400', '403', '404', '422');
    expect(doc.paths['/groups/{name}/members']!.post!.requestBody).to.not.equal(undefined);
    const effective = doc.paths['/customer-users/{login}/effective-permissions']!.get!.responses['200']!.content!['application/json'].schema;
    expect(effective.properties).to.have.keys('groups', 'services');
    expect(JSON.stringify(effective)).to.contain('impliedBy').and.contain('scope').and.contain('customerId');
    const me = doc.paths['/me']!.get!.responses['200']!.content!['application/json'].schema;
    expect(me.properties).to.have.property('groupPermissions');
  });
});
