import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Principal } from '../../plugin/access/actor.js';
import { bearer, issueToken } from '../helpers/api.js';
import { signIn, startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';

const hex = () => randomBytes(4).toString('hex');
const path = (name: string) => encodeURIComponent(name);

interface Cell {
  group: string;
  permission: string;
  reasons: Record<string, unknown>[];
}
interface Entitlement {
  service: string;
  reasons: Record<string, unknown>[];
}
interface Effective {
  groups: Cell[];
  services: Entitlement[];
}

describe('API v1: assignments and effective permissions', () => {
  let app: TestApp;
  let admin: TestAccount;
  let adminToken: string;
  let agentToken: string;

  const tokenOf = (principal: Principal, login: string) => issueToken(app, principal, login);
  const as = (token: string) => bearer(app, token);
  const asAdmin = () => as(adminToken);

  async function newGroup(label = 'grp'): Promise<string> {
    const name = unique(label);
    await asAdmin().post('/groups').send({ name }).expect(201);
    return name;
  }

  async function newService(name: string): Promise<string> {
    await asAdmin().post('/services').send({ name }).expect(201);
    return name;
  }

  async function newCustomer(customerId = unique('cust')): Promise<string> {
    const exists = await asAdmin().get(`/customers/${customerId}`);
    if (exists.status !== 200) await asAdmin().post('/customers').send({ customerId, name: `Customer ${customerId}` }).expect(201);
    return customerId;
  }

  interface MadeUser {
    login: string;
    password: string;
    id: number;
  }

  async function newUser(customerId: string, extra: Record<string, unknown> = {}): Promise<MadeUser> {
    const login = unique('cu').toLowerCase();
    const password = `pw-${hex()}${hex()}`;
    await asAdmin().post('/customer-users').send({ login, email: `${login}@example.test`, firstName: 'Test', lastName: 'User', customerId, password, ...extra }).expect(201);
    const record = await app.loket.container.services.customerUsers.findByLogin(login);
    return { login, password, id: record!.id };
  }

  const userToken = (u: MadeUser) => tokenOf({ type: 'customer-user', id: u.id }, u.login);

  async function effective(login: string, only: readonly string[]): Promise<Effective> {
    const body = (await asAdmin().get(`/customer-users/${login}/effective-permissions`).expect(200)).body as Effective;
    return onlyThese(body, only);
  }

  /** Other tests may add defaults to the shared app; each test looks at its own groups and services only. */
  const onlyThese = (body: Effective, only: readonly string[]): Effective => ({
    groups: body.groups.filter((c) => only.includes(c.group)),
    services: body.services.filter((s) => only.includes(s.service)),
  });

  const auditTotal = async () => (await asAdmin().get('/audit?limit=1').expect(200)).body.total as number;

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

  it('assigns groups and services to a user, their customers, the defaults and groups, and explains every effective permission', async () => {
    const added = `approve-${hex()}`;
    await asAdmin().post('/permission-types').send({ name: added }).expect(201);
    const types = ((await asAdmin().get('/permission-types').expect(200)).body.items as { name: string }[]).map((t) => t.name);
    expect(types.at(-1)).to.equal('rw');

    const [direct, viaPrimary, viaExtra, userDefault, customerDefault] = [await newGroup('direct'), await newGroup('primary'), await newGroup('extra'), await newGroup('dflt'), await newGroup('cdflt')];
    const root = await newService(`Flow-${hex()}`);
    const [ownService, primaryService, extraService, groupService, defaultService] = [
      await newService(`${root}::Own`),
      await newService(`${root}::Primary`),
      await newService(`${root}::Extra`),
      await newService(`${root}::Group`),
      await newService(`${root}::Default`),
    ];
    const primary = await newCustomer();
    const extra = await newCustomer();
    const user = await newUser(primary, { customerIds: [extra] });

    const own = await asAdmin().put(`/customer-users/${user.login}/groups`).send({ groups: [{ group: direct, permissions: ['create', 'ro'] }] }).expect(200);
    expect(own.body).to.deep.equal({ groups: [{ group: direct, permissions: ['ro', 'create'] }] });
    expect((await asAdmin().get(`/customer-users/${user.login}/groups`).expect(200)).body).to.deep.equal(own.body);
    await asAdmin().put(`/customers/${primary}/groups`).send({ groups: [{ group: viaPrimary, permissions: ['ro'] }] }).expect(200);
    await asAdmin().put(`/customers/${extra}/groups`).send({ groups: [{ group: viaExtra, permissions: ['rw'] }] }).expect(200);
    const defaults = (await asAdmin().get('/defaults/groups').expect(200)).body.groups as { group: string; permissions: string[] }[];
    const customerDefaults = (await asAdmin().get('/defaults/customer-groups').expect(200)).body.groups as { group: string; permissions: string[] }[];
    const defaultServices = (await asAdmin().get('/defaults/services').expect(200)).body.services as string[];
    try {
      await asAdmin().put('/defaults/groups').send({ groups: [...defaults, { group: userDefault, permissions: ['ro'] }, { group: direct, permissions: ['ro'] }] }).expect(200);
      await asAdmin().put('/defaults/customer-groups').send({ groups: [...customerDefaults, { group: customerDefault, permissions: ['create'] }] }).expect(200);
      await asAdmin().put('/defaults/services').send({ services: [...defaultServices, defaultService] }).expect(200);
      expect((await asAdmin().get('/defaults/customer-groups').expect(200)).body.groups).to.deep.include({ group: customerDefault, permissions: ['create'] });

      await asAdmin().put(`/customer-users/${user.login}/services`).send({ services: [ownService] }).expect(200);
      await asAdmin().put(`/customers/${primary}/services`).send({ services: [primaryService] }).expect(200);
      await asAdmin().put(`/customers/${extra}/services`).send({ services: [extraService] }).expect(200);
      const groupServices = await asAdmin().put(`/groups/${viaPrimary}/services`).send({ services: [groupService, primaryService] }).expect(200);
      expect(groupServices.body).to.deep.equal({ services: [groupService, primaryService].sort() });
      expect((await asAdmin().get(`/customers/${primary}/services`).expect(200)).body).to.deep.equal({ services: [primaryService] });
      expect((await asAdmin().get(`/customer-users/${user.login}/services`).expect(200)).body).to.deep.equal({ services: [ownService] });

      const implied = (group: string, reason: Record<string, unknown>): Cell[] =>
        types.map((permission) => ({ group, permission, reasons: [permission === 'rw' ? reason : { ...reason, impliedBy: 'rw' }] }));
      const expected: Effective = {
        groups: [
          { group: direct, permission: 'ro', reasons: [{ source: 'direct' }, { source: 'default', scope: 'customer-users' }] },
          { group: direct, permission: 'create', reasons: [{ source: 'direct' }] },
          { group: viaPrimary, permission: 'ro', reasons: [{ source: 'customer', customerId: primary }] },
          ...implied(viaExtra, { source: 'customer', customerId: extra }),
          { group: userDefault, permission: 'ro', reasons: [{ source: 'default', scope: 'customer-users' }] },
          { group: customerDefault, permission: 'create', reasons: [{ source: 'default', scope: 'customers' }] },
        ].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : types.indexOf(a.permission) - types.indexOf(b.permission))),
        services: [
          { service: ownService, reasons: [{ source: 'direct' }] },
          { service: primaryService, reasons: [{ source: 'customer', customerId: primary }, { source: 'group', group: viaPrimary }] },
          { service: extraService, reasons: [{ source: 'customer', customerId: extra }] },
          { service: groupService, reasons: [{ source: 'group', group: viaPrimary }] },
          { service: defaultService, reasons: [{ source: 'default' }] },
        ].sort((a, b) => (a.service < b.service ? -1 : 1)),
      };
      const only = [direct, viaPrimary, viaExtra, userDefault, customerDefault, ownService, primaryService, extraService, groupService, defaultService];
      expect(await effective(user.login, only)).to.deep.equal(expected);
      // rw implies a type admins added, too.
      expect(expected.groups).to.deep.include({ group: viaExtra, permission: added, reasons: [{ source: 'customer', customerId: extra, impliedBy: 'rw' }] });

      // Agents see the same answer; every change was audited on its owner.
      expect(onlyThese((await as(agentToken).get(`/customer-users/${user.login}/effective-permissions`).expect(200)).body as Effective, only)).to.deep.equal(expected);
      const actions = async (object: string) => ((await asAdmin().get(`/audit?object=${encodeURIComponent(object)}`).expect(200)).body.items as { action: string }[]).map((e) => e.action);
      expect(await actions(`customer-user:${user.login}`)).to.include.members(['customer-user.groups', 'customer-user.services']);
      expect(await actions(`customer:${primary}`)).to.include.members(['customer.groups', 'customer.services']);
      expect(await actions(`group:${viaPrimary}`)).to.include('group.services');
      expect(await actions('defaults:customer-users')).to.include('defaults.groups');
      expect(await actions('defaults:services')).to.include('defaults.services');
      expect(await actions('defaults:customers')).to.include('defaults.groups');
    } finally {
      await asAdmin().put('/defaults/groups').send({ groups: defaults }).expect(200);
      await asAdmin().put('/defaults/customer-groups').send({ groups: customerDefaults }).expect(200);
      await asAdmin().put('/defaults/services').send({ services: defaultServices }).expect(200);
    }
    const withoutDefaults = await effective(user.login, [userDefault, customerDefault, defaultService]);
    expect(withoutDefaults).to.deep.equal({ groups: [], services: [] });
  });

  it('previews unsaved changes without writing anything', async () => {
    const [kept, proposed, ofExtra] = [await newGroup(), await newGroup(), await newGroup()];
    const service = await newService(`Preview-${hex()}`);
    const customerId = await newCustomer();
    const extra = await newCustomer();
    await asAdmin().put(`/customers/${extra}/groups`).send({ groups: [{ group: ofExtra, permissions: ['ro'] }] }).expect(200);
    const user = await newUser(customerId);
    await asAdmin().put(`/customer-users/${user.login}/groups`).send({ groups: [{ group: kept, permissions: ['ro'] }] }).expect(200);
    const only = [kept, proposed, ofExtra, service];
    const stored = await effective(user.login, only);
    expect(stored.groups.map((c) => c.group)).to.deep.equal([kept]);
    const auditBefore = await auditTotal();

    const preview = await asAdmin()
      .post(`/customer-users/${user.login}/effective-permissions/preview`)
      .send({ groups: [{ group: proposed, permissions: ['create'] }], services: [service], customerIds: [extra] })
      .expect(200);
    expect(onlyThese(preview.body as Effective, only)).to.deep.equal({
      groups: [
        { group: ofExtra, permission: 'ro', reasons: [{ source: 'customer', customerId: extra }] },
        { group: proposed, permission: 'create', reasons: [{ source: 'direct' }] },
      ].sort((a, b) => (a.group < b.group ? -1 : 1)),
      services: [{ service, reasons: [{ source: 'direct' }] }],
    });
    // Parts left out stay as stored.
    const servicesOnly = await asAdmin().post(`/customer-users/${user.login}/effective-permissions/preview`).send({ services: [service] }).expect(200);
    expect(onlyThese(servicesOnly.body as Effective, only).groups).to.deep.equal(stored.groups);

    expect(await effective(user.login, only)).to.deep.equal(stored);
    expect((await asAdmin().get(`/customer-users/${user.login}/groups`).expect(200)).body).to.deep.equal({ groups: [{ group: kept, permissions: ['ro'] }] });
    expect((await asAdmin().get(`/customer-users/${user.login}/services`).expect(200)).body).to.deep.equal({ services: [] });
    expect((await asAdmin().get(`/customer-users/${user.login}`).expect(200)).body.customerIds).to.deep.equal([]);
    expect(await auditTotal()).to.equal(auditBefore);

    const refused: [unknown, number, string | undefined][] = [
      [{ groups: [{ group: unique('nope'), permissions: ['ro'] }] }, 422, 'groups.0.group'],
      [{ groups: [{ group: kept, permissions: ['ro', 'nope'] }] }, 422, 'groups.0.permissions'],
      [{ services: [service, `Nope-${hex()}`] }, 422, 'services.1'],
      [{ customerIds: [extra, unique('nocust')] }, 422, 'customerIds.1'],
      [{ groups: kept }, 400, 'groups'],
      [{ services: [[service]] }, 400, 'services.0'],
      [{ customerIds: extra }, 400, 'customerIds'],
      [{ customerId: extra }, 400, 'customerId'],
    ];
    for (const [body, status, field] of refused) {
      const res = await asAdmin().post(`/customer-users/${user.login}/effective-permissions/preview`).send(body as object);
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.body.error.field, JSON.stringify(body)).to.equal(field);
    }
    await asAdmin().post(`/customer-users/${unique('nobody')}/effective-permissions/preview`).send({}).expect(404);
    await as(agentToken).post(`/customer-users/${user.login}/effective-permissions/preview`).send({}).expect(403);
    expect(await auditTotal()).to.equal(auditBefore);
  });

  it('counts nothing from an invalid group or service, and counts it again once valid', async () => {
    const group = await newGroup();
    const service = await newService(`Validity-${hex()}`);
    const viaGroup = await newService(`Validity-${hex()}`);
    const user = await newUser(await newCustomer());
    await asAdmin().put(`/customer-users/${user.login}/groups`).send({ groups: [{ group, permissions: ['rw'] }] }).expect(200);
    await asAdmin().put(`/customer-users/${user.login}/services`).send({ services: [service] }).expect(200);
    await asAdmin().put(`/groups/${group}/services`).send({ services: [viaGroup] }).expect(200);
    const only = [group, service, viaGroup];
    const before = await effective(user.login, only);
    expect(before.groups.map((c) => c.permission)).to.include.members(['ro', 'create', 'rw']);
    expect(before.services.map((s) => s.service).sort()).to.deep.equal([service, viaGroup].sort());

    await asAdmin().patch(`/groups/${group}`).send({ validity: 'invalid' }).expect(200);
    await asAdmin().patch(`/services/${service}`).send({ validity: 'invalid-temporarily' }).expect(200);
    expect(await effective(user.login, only)).to.deep.equal({ groups: [], services: [] });
    // The assignments stay (the edit screens show them) and count again once valid.
    expect((await asAdmin().get(`/customer-users/${user.login}/groups`).expect(200)).body.groups).to.deep.equal([{ group, permissions: ['rw'] }]);
    expect((await asAdmin().get(`/customer-users/${user.login}/services`).expect(200)).body.services).to.deep.equal([service]);
    await asAdmin().patch(`/groups/${group}`).send({ validity: 'valid' }).expect(200);
    await asAdmin().patch(`/services/${service}`).send({ validity: 'valid' }).expect(200);
    expect(await effective(user.login, only)).to.deep.equal(before);
  });

  it('refuses unknown groups, services and types with 422 naming the entry and bad shapes with 400; nothing changes', async () => {
    const group = await newGroup();
    const service = await newService(`Refuse-${hex()}`);
    const customerId = await newCustomer();
    const user = await newUser(customerId);
    await asAdmin().put(`/customer-users/${user.login}/groups`).send({ groups: [{ group, permissions: ['ro'] }] }).expect(200);
    await asAdmin().put(`/customers/${customerId}/services`).send({ services: [service] }).expect(200);
    const auditBefore = await auditTotal();

    const cases: [string, string, unknown, number, string | undefined, string | undefined][] = [
      ['user groups', `/customer-users/${user.login}/groups`, { groups: [{ group, permissions: ['create'] }, { group: unique('nope'), permissions: ['ro'] }] }, 422, 'groups.1.group', 'unknown_group'],
      ['user groups', `/customer-users/${user.login}/groups`, { groups: [{ group, permissions: ['ro', 'superuser'] }] }, 422, 'groups.0.permissions', 'unknown_permission'],
      ['customer groups', `/customers/${customerId}/groups`, { groups: [{ group: `<b>${hex()}</b>`, permissions: [] }] }, 422, 'groups.0.group', 'unknown_group'],
      ['default groups', '/defaults/groups', { groups: [{ group: unique('nope'), permissions: ['ro'] }] }, 422, 'groups.0.group', 'unknown_group'],
      ['customer services', `/customers/${customerId}/services`, { services: [service, service, `Nope-${hex()}`] }, 422, 'services.2', 'unknown_service'],
      ['user services', `/customer-users/${user.login}/services`, { services: [`${service}::Missing`] }, 422, 'services.0', 'unknown_service'],
      ['group services', `/groups/${group}/services`, { services: [`Nope-${hex()}`] }, 422, 'services.0', 'unknown_service'],
      ['string for array', `/customer-users/${user.login}/groups`, { groups: group }, 400, 'groups', 'validation_failed'],
      ['string permissions', `/customer-users/${user.login}/groups`, { groups: [{ group, permissions: 'ro' }] }, 400, 'groups.0.permissions', 'validation_failed'],
      ['array for name', `/customer-users/${user.login}/groups`, { groups: [{ group: [group], permissions: ['ro'] }] }, 400, 'groups.0.group', 'validation_failed'],
      ['extra key in entry', `/customer-users/${user.login}/groups`, { groups: [{ group, permissions: ['ro'], validity: 'valid' }] }, 400, 'groups.0.validity', 'validation_failed'],
      ['extra key', `/customers/${customerId}/groups`, { groups: [], services: [] }, 400, 'services', 'validation_failed'],
      ['no groups', '/defaults/customer-groups', {}, 400, 'groups', 'validation_failed'],
      ['string for services', `/customers/${customerId}/services`, { services: service }, 400, 'services', 'validation_failed'],
      ['object in services', '/defaults/services', { services: [{ name: service }] }, 400, 'services.0', 'validation_failed'],
      ['array body', `/customer-users/${user.login}/services`, [service], 400, undefined, 'validation_failed'],
    ];
    for (const [label, url, body, status, field, code] of cases) {
      const res = await asAdmin().put(url).send(body as object);
      expect(res.status, label).to.equal(status);
      expect(res.body.error, label).to.include({ code });
      expect(res.body.error.field, label).to.equal(field);
    }
    expect(await auditTotal()).to.equal(auditBefore);
    expect((await asAdmin().get(`/customer-users/${user.login}/groups`).expect(200)).body).to.deep.equal({ groups: [{ group, permissions: ['ro'] }] });
    expect((await asAdmin().get(`/customers/${customerId}/services`).expect(200)).body).to.deep.equal({ services: [service] });

    // Targets named in the path that do not exist are 404.
    await asAdmin().put(`/customer-users/${unique('nobody')}/groups`).send({ groups: [] }).expect(404);
    await asAdmin().get(`/customers/${unique('nocust')}/services`).expect(404);
    await asAdmin().put(`/groups/${unique('nogroup')}/services`).send({ services: [] }).expect(404);
    await asAdmin().get(`/customer-users/${unique('nobody')}/effective-permissions`).expect(404);

    // Listing one group twice (in any case) merges the entries; the same service twice counts once.
    const merged = await asAdmin()
      .put(`/customer-users/${user.login}/groups`)
      .send({ groups: [{ group, permissions: ['ro'] }, { group: group.toUpperCase(), permissions: ['create', 'ro'] }] })
      .expect(200);
    expect(merged.body).to.deep.equal({ groups: [{ group, permissions: ['ro', 'create'] }] });
    expect((await asAdmin().put(`/customer-users/${user.login}/services`).send({ services: [service, service.toLowerCase()] }).expect(200)).body).to.deep.equal({ services: [service] });
  });

  it('lets agents read assignments but not change them', async () => {
    const group = await newGroup();
    const customerId = await newCustomer();
    const user = await newUser(customerId);
    const agent = as(agentToken);
    for (const url of [`/customer-users/${user.login}/groups`, `/customer-users/${user.login}/services`, `/customers/${customerId}/groups`, `/customers/${customerId}/services`, `/groups/${group}/services`, '/defaults/groups', '/defaults/customer-groups', '/defaults/services']) {
      await agent.get(url).expect(200);
      const res = await agent.put(url).send(url.endsWith('services') ? { services: [] } : { groups: [{ group, permissions: ['ro'] }] });
      expect(res.status, url).to.equal(403);
    }
    expect((await asAdmin().get(`/customer-users/${user.login}/groups`).expect(200)).body).to.deep.equal({ groups: [] });
  });

  describe('tenants', () => {
    let group: string;
    let keyUser: MadeUser;
    let inOne: MadeUser;
    let inTwelve: MadeUser;

    before(async () => {
      await newCustomer('1');
      await newCustomer('12');
      group = await newGroup();
      keyUser = await newUser('1', { keyUserOf: ['1'] });
      inOne = await newUser('1');
      inTwelve = await newUser('12');
      await asAdmin().put(`/customer-users/${inOne.login}/groups`).send({ groups: [{ group, permissions: ['ro'] }] }).expect(200);
      await asAdmin().put(`/customer-users/${inTwelve.login}/groups`).send({ groups: [{ group, permissions: ['create'] }] }).expect(200);
      await asAdmin().put('/customers/12/groups').send({ groups: [{ group, permissions: ['rw'] }] }).expect(200);
    });

    it('shows a customer user (signed in) their own effective permissions only, and refuses their writes', async () => {
      const { agent, csrf } = await signIn(app, inOne);
      const own = await agent.get(`/api/v1/customer-users/${inOne.login}/effective-permissions`).expect(200);
      expect(onlyThese(own.body as Effective, [group])).to.deep.equal({ groups: [{ group, permission: 'ro', reasons: [{ source: 'direct' }] }], services: [] });
      await agent.get(`/api/v1/customer-users/${inOne.login}/groups`).expect(200);

      // Another customer's user is a 404 (1 never sees 12), as is a colleague the user is not key user for.
      for (const other of [inTwelve.login, keyUser.login, unique('nobody')]) {
        const res = await agent.get(`/api/v1/customer-users/${other}/effective-permissions`);
        expect(res.status, other).to.equal(404);
        expect(res.body.error.code).to.equal('not_found');
        await agent.get(`/api/v1/customer-users/${other}/groups`).expect(404);
        await agent.get(`/api/v1/customer-users/${other}/services`).expect(404);
      }
      for (const url of ['/customers/1/groups', '/customers/12/groups', '/defaults/groups', '/groups', '/services', `/groups/${group}/members`]) {
        const res = await agent.get(`/api/v1${url}`);
        expect(res.status, url).to.equal(403);
      }
      const writes: [string, object][] = [
        [`/customer-users/${inOne.login}/groups`, { groups: [{ group, permissions: ['rw'] }] }],
        [`/customer-users/${inOne.login}/services`, { services: [] }],
        ['/customers/1/groups', { groups: [{ group, permissions: ['rw'] }] }],
        ['/defaults/groups', { groups: [{ group, permissions: ['rw'] }] }],
      ];
      for (const [url, body] of writes) {
        const res = await agent.put(`/api/v1${url}`).set('X-CSRF-Token', csrf).send(body);
        expect(res.status, url).to.equal(403);
        expect(res.body.error.code, url).to.equal('forbidden');
      }
      const preview = await agent.post(`/api/v1/customer-users/${inOne.login}/effective-permissions/preview`).set('X-CSRF-Token', csrf).send({ groups: [{ group, permissions: ['rw'] }] });
      expect(preview.status).to.equal(403);
      expect(preview.body.error.code).to.equal('forbidden');
      expect((await asAdmin().get(`/customer-users/${inOne.login}/groups`).expect(200)).body).to.deep.equal({ groups: [{ group, permissions: ['ro'] }] });
    });

    it('lets a key user of 1 read the assignments of 1 and its users, never those of 12', async () => {
      const key = as(await userToken(keyUser));
      expect((await key.get(`/customer-users/${inOne.login}/groups`).expect(200)).body).to.deep.equal({ groups: [{ group, permissions: ['ro'] }] });
      await key.get(`/customer-users/${inOne.login}/services`).expect(200);
      await key.get(`/customer-users/${inOne.login}/effective-permissions`).expect(200);
      await key.get('/customers/1/groups').expect(200);
      await key.get('/customers/1/services').expect(200);
      for (const url of [`/customer-users/${inTwelve.login}/groups`, `/customer-users/${inTwelve.login}/services`, `/customer-users/${inTwelve.login}/effective-permissions`, '/customers/12/groups', '/customers/12/services']) {
        const res = await key.get(url);
        expect(res.status, url).to.equal(404);
        expect(JSON.stringify(res.body), url).to.not.contain('rw').and.not.contain(group);
      }
      await key.put(`/customer-users/${inOne.login}/groups`).send({ groups: [{ group, permissions: ['rw'] }] }).expect(403);
      await key.put('/customers/1/services').send({ services: [] }).expect(403);
      await key.post(`/customer-users/${inOne.login}/effective-permissions/preview`).send({}).expect(403);
    });
  });

  it('takes a revocation into account on the very next request (GET /me shows what the user holds)', async () => {
    const [direct, viaCustomer] = [await newGroup(), await newGroup()];
    const customerId = await newCustomer();
    const user = await newUser(customerId);
    const { agent } = await signIn(app, user);
    const held = async () => {
      const all = (await agent.get('/api/v1/me').expect(200)).body.groupPermissions as Record<string, string[]>;
      return Object.fromEntries(Object.entries(all).filter(([g]) => g === direct || g === viaCustomer));
    };
    expect(await held()).to.deep.equal({});

    await asAdmin().put(`/customer-users/${user.login}/groups`).send({ groups: [{ group: direct, permissions: ['ro'] }] }).expect(200);
    expect(await held()).to.deep.equal({ [direct]: ['ro'] });
    await asAdmin().post(`/groups/${viaCustomer}/members`).send({ changes: [{ customer: customerId, permissions: ['rw'] }] }).expect(200);
    expect((await held())[viaCustomer]).to.include.members(['ro', 'create', 'rw']);
    const token = as(await userToken(user));
    expect((await token.get('/me').expect(200)).body.groupPermissions).to.have.property(direct);

    await asAdmin().put(`/customer-users/${user.login}/groups`).send({ groups: [] }).expect(200);
    expect(await held()).to.not.have.property(direct);
    await asAdmin().patch(`/groups/${viaCustomer}`).send({ validity: 'invalid' }).expect(200);
    expect(await held()).to.deep.equal({});
    expect((await token.get('/me').expect(200)).body.groupPermissions).to.not.have.any.keys(direct, viaCustomer);
    // Staff hold every group through their role, not through grants.
    expect((await asAdmin().get('/me').expect(200)).body.groupPermissions).to.deep.equal({});
  });

  it('keeps exact names in paths: a group or service with a slash or :: is one path segment once encoded', async () => {
    const group = `a/b-${hex()}`;
    await asAdmin().post('/groups').send({ name: group }).expect(201);
    const service = await newService(`Path-${hex()}`);
    const child = await newService(`${service}::x/y`);
    await asAdmin().put(`/groups/${path(group)}/services`).send({ services: [child] }).expect(200);
    expect((await asAdmin().get(`/groups/${path(group)}/services`).expect(200)).body).to.deep.equal({ services: [child] });
    expect((await asAdmin().get(`/services/${path(child)}/holders`).expect(200)).body.groups).to.deep.equal([group]);
  });
});
