import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Principal } from '../../plugin/access/actor.js';
import { bearer, issueToken } from '../helpers/api.js';
import { DEFAULT_DB_MAP, type FieldMapRowInput } from '../../plugin/customers/field-map.js';
import { signIn, startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';

const ROOM: FieldMapRowInput = { key: 'room', label: 'Kamer', storage: 'extra.room', shown: 1, required: false, type: 'var', readOnly: false, search: true };

describe('API v1: backends and the field map', () => {
  let app: TestApp;
  let admin: TestAccount;
  let adminToken: string;

  const tokenOf = (principal: Principal, login: string) => issueToken(app, principal, login);

  const as = (token: string) => bearer(app, token);
  const asAdmin = () => as(adminToken);

  /** Saves a map on top of whatever version is current (each test sets the whole map it needs). */
  async function saveMap(map: FieldMapRowInput[]) {
    const current = await asAdmin().get('/backends/db').expect(200);
    const res = await asAdmin().put('/backends/db').set('If-Match', current.headers.etag!).send({ type: 'db', map });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { version: number; reindexed: number | null; map: FieldMapRowInput[] };
  }

  let customerId: string;
  const newUser = (extra: Record<string, unknown>) => {
    const login = unique('fm').toLowerCase();
    return asAdmin()
      .post('/customer-users')
      .send({ login, email: `${login}@example.test`, firstName: 'Map', lastName: 'User', customerId, password: `pw-${randomBytes(12).toString('hex')}`, ...extra });
  };

  before(async () => {
    app = await startTestApp();
    admin = await app.createAgent('admin');
    adminToken = await tokenOf({ type: 'agent', id: admin.id }, admin.login);
    customerId = unique('fm-cust');
    await asAdmin().post('/customers').send({ customerId, name: 'Field map test' }).expect(201);
  });
  after(async () => {
    await app.close();
  });

  it('lists the backends in order, each with its map, and answers one with its ETag', async () => {
    const list = await asAdmin().get('/backends').expect(200);
    expect(list.body).to.include({ total: 1, limit: 10 });
    const [db] = list.body.items;
    expect(db).to.include({ key: 'db', type: 'db', order: 0, readOnly: false });
    expect(db.map.map((r: { key: string }) => r.key)).to.include.members(['login', 'email', 'customerId', 'firstName', 'lastName']);
    expect(db).to.have.keys('key', 'type', 'order', 'readOnly', 'map', 'updatedAt', 'updatedBy', 'version');
    const one = await asAdmin().get('/backends/db').expect(200);
    expect(one.headers.etag).to.equal(`"${one.body.version}"`);
    await asAdmin().get('/backends/ldap1').expect(404);
  });

  it('adds the custom field room ("Kamer") as extra.room: stored, shown, searchable by prefix, audited', async () => {
    const saved = await saveMap([...DEFAULT_DB_MAP, ROOM]);
    expect(saved.map.find((r) => r.key === 'room')).to.include({ label: 'Kamer', storage: 'extra.room', search: true });
    expect(saved.reindexed).to.be.a('number');

    const room = `Z${randomBytes(4).toString('hex')}.14`;
    const created = await newUser({ room });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.room).to.equal(room);
    const login = created.body.login as string;
    expect((await asAdmin().get(`/customer-users/${login}`).expect(200)).body.room).to.equal(room);

    const found = await asAdmin().get(`/customer-users?search=${room.slice(0, 6).toLowerCase()}`).expect(200);
    expect(found.body.items.map((u: { login: string }) => u.login)).to.deep.equal([login]);
    const moved = await asAdmin().patch(`/customer-users/${login}`).send({ room: 'Y-1' }).expect(200);
    expect(moved.body.room).to.equal('Y-1');
    expect((await asAdmin().get(`/customer-users?search=${room.slice(0, 6)}`).expect(200)).body.total).to.equal(0);
    expect((await asAdmin().get(`/customer-users?search=y-1&customerId=${customerId}`).expect(200)).body.items.map((u: { login: string }) => u.login)).to.include(login);

    const audit = await asAdmin().get('/audit?object=backend:db').expect(200);
    const entry = audit.body.items.find((e: { action: string; after: { map: { key: string }[] } }) => e.action === 'backend.map' && e.after.map.some((r) => r.key === 'room'));
    expect(entry, 'backend.map audit entry').to.exist;
    expect(entry.actorLogin).to.equal(admin.login);
  });

  it('refuses an unknown field in a user write with 400 naming it', async () => {
    await saveMap([...DEFAULT_DB_MAP, ROOM]);
    const res = await newUser({ roomNumber: '12' });
    expect(res.status).to.equal(400);
    expect(res.body.error).to.include({ code: 'validation_failed', field: 'roomNumber' });
    // Without the row, room is no field at all.
    await saveMap(DEFAULT_DB_MAP);
    const gone = await newUser({ room: 'A-1' });
    expect(gone.status).to.equal(400);
    expect(gone.body.error.field).to.equal('room');
  });

  it('rebuilds the search index when the searchable fields change', async () => {
    await saveMap(DEFAULT_DB_MAP);
    const city = `Zwolle${randomBytes(4).toString('hex')}`;
    const created = await newUser({ city });
    expect(created.status).to.equal(201);
    expect((await asAdmin().get(`/customer-users?search=${city}`).expect(200)).body.total).to.equal(0);
    const saved = await saveMap(DEFAULT_DB_MAP.map((r) => (r.key === 'city' ? { ...r, search: true } : r)));
    expect(saved.reindexed).to.be.at.least(1);
    const found = await asAdmin().get(`/customer-users?search=${city.slice(0, 10)}`).expect(200);
    expect(found.body.items.map((u: { login: string }) => u.login)).to.deep.equal([created.body.login]);
    // A change that leaves the search fields alone rebuilds nothing.
    const relabelled = await saveMap(DEFAULT_DB_MAP.map((r) => (r.key === 'city' ? { ...r, search: true, label: 'Town' } : r)));
    expect(relabelled.reindexed).to.equal(null);
  });

  it('enforces read-only fields: an admin PATCH and the owner\'s own change answer 403', async () => {
    await saveMap([...DEFAULT_DB_MAP, { ...ROOM, readOnly: true }]);
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const created = await newUser({ room: 'R-1', password });
    expect(created.status).to.equal(201);
    const login = created.body.login as string;
    const res = await asAdmin().patch(`/customer-users/${login}`).send({ room: 'R-2' });
    expect(res.status).to.equal(403);
    const { agent, csrf } = await signIn(app, { login, password });
    const own = await agent.patch('/api/v1/me/profile').set('X-CSRF-Token', csrf).send({ room: 'R-3' });
    expect(own.status).to.equal(403);
    expect(own.body.error.field).to.equal('room');
    expect((await asAdmin().get(`/customer-users/${login}`).expect(200)).body).to.include({ room: 'R-1', version: 1 });
  });

  it('refuses an invalid map with 400 naming the row, and a stale version with 409', async () => {
    const current = await asAdmin().get('/backends/db').expect(200);
    const version = current.body.version as number;
    const cases: [unknown, string][] = [
      [{ type: 'db', map: [...DEFAULT_DB_MAP, { ...ROOM, type: 'colour' }] }, `map.${DEFAULT_DB_MAP.length}.type`],
      [{ type: 'db', map: [...DEFAULT_DB_MAP, { ...ROOM, storage: 'room' }] }, `map.${DEFAULT_DB_MAP.length}.storage`],
      [{ type: 'db', map: [...DEFAULT_DB_MAP, { ...ROOM, label: undefined }] }, `map.${DEFAULT_DB_MAP.length}.label`],
      [{ type: 'db', map: [...DEFAULT_DB_MAP, { ...ROOM, colour: 'red' }] }, `map.${DEFAULT_DB_MAP.length}.colour`],
      [{ type: 'db', map: [...DEFAULT_DB_MAP, { ...ROOM, key: 'password' }] }, `map.${DEFAULT_DB_MAP.length}.key`],
      [{ type: 'db', map: DEFAULT_DB_MAP.map((r) => (r.key === 'email' ? { ...r, storage: 'mail' } : r)) }, 'map.4.storage'],
      [{ type: 'db', map: DEFAULT_DB_MAP.filter((r) => r.key !== 'lastName') }, 'map'],
      [{ type: 'db', map: 'login,email' }, 'map'],
      [{ type: 'ldap', map: DEFAULT_DB_MAP }, 'type'],
      [{ map: DEFAULT_DB_MAP }, 'type'],
      [{ type: 'db', map: DEFAULT_DB_MAP, settings: {} }, 'settings'],
    ];
    for (const [body, field] of cases) {
      const res = await asAdmin().put('/backends/db').send(body as object);
      expect(res.status, field).to.equal(400);
      expect(res.body.error, field).to.include({ code: 'validation_failed', field });
    }
    expect((await asAdmin().get('/backends/db').expect(200)).body.version).to.equal(version);

    await asAdmin().put('/backends/db').set('If-Match', `"${version}"`).send({ type: 'db', map: DEFAULT_DB_MAP }).expect(200);
    const stale = await asAdmin().put('/backends/db').set('If-Match', `"${version}"`).send({ type: 'db', map: DEFAULT_DB_MAP });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('edit_conflict');
    const staleBody = await asAdmin().put('/backends/db').send({ type: 'db', map: DEFAULT_DB_MAP, version });
    expect(staleBody.status).to.equal(409);
  });

  it('edits only the database backend, at its own position', async () => {
    const unknown = await asAdmin().put('/backends/ldap1').send({ type: 'db', map: DEFAULT_DB_MAP });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.message).to.contain('Only the database backend (db)');
    const moved = await asAdmin().put('/backends/db').send({ type: 'db', order: 2, map: DEFAULT_DB_MAP });
    expect(moved.status).to.equal(422);
    expect(moved.body.error).to.include({ code: 'order_out_of_range', field: 'order' });
    await asAdmin().put('/backends/db').send({ type: 'db', order: 0, map: DEFAULT_DB_MAP }).expect(200);
  });

  it('keeps backends to admins: agents and customer users get 403', async () => {
    const account = await app.createAgent('agent');
    const agent = as(await tokenOf({ type: 'agent', id: account.id }, account.login));
    await agent.get('/backends').expect(403);
    await agent.get('/backends/db').expect(403);
    await agent.put('/backends/db').send({ type: 'db', map: DEFAULT_DB_MAP }).expect(403);
    await agent.put('/backends/ldap1').send({ type: 'db', map: DEFAULT_DB_MAP }).expect(403);
    const created = await newUser({});
    const user = await app.loket.container.services.customerUsers.findByLogin(created.body.login as string);
    const customer = as(await tokenOf({ type: 'customer-user', id: user!.id }, user!.login));
    await customer.get('/backends').expect(403);
    await customer.put('/backends/db').send({ type: 'db', map: DEFAULT_DB_MAP }).expect(403);
  });
});
