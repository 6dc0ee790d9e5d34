import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { LdapSettings } from '../../plugin/customers/backends/ldap/settings.js';
import { createJobLeaseStore } from '../../plugin/db/job-lease.js';
import { signIn, startTestApp, unique, type Agent, type TestApp } from '../helpers/app.js';
import { adminActor, createCustomerUser, ensureCustomer } from '../helpers/customers.js';
import { addLdapBackend, fixtureSettings, startFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE, FIXTURE_MARKUP } from '../helpers/ldap-fixtures.js';
import { closedPort, type Slapd } from '../helpers/slapd.js';

/** A form body as a browser sends it. */
const encode = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/**
 * The directory form's controls for `settings`, named as views/admin/backend-ldap.ejs names them (the
 * map rows as on the field-map screen). `extra` adds or overrides controls.
 */
function ldapForm(settings: LdapSettings, csrf: string, version: string, extra: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = {
    _csrf: csrf,
    version,
    name: settings.name ?? '',
    url: settings.url.join('\n'),
    tlsCa: settings.tlsCa ?? '',
    bindDn: settings.bindDn ?? '',
    baseDn: settings.baseDn,
    scope: settings.scope,
    filter: settings.filter,
    loginAttribute: settings.loginAttribute,
    idAttribute: settings.idAttribute,
    managerAttribute: settings.managerAttribute ?? '',
    pageSize: String(settings.pageSize),
    timeoutMs: String(settings.timeoutMs),
    cacheTtlSeconds: String(settings.cacheTtlSeconds),
    maxDeactivatePercent: String(settings.maxDeactivateShare * 100),
    'gs.baseDn': settings.groupSearch?.baseDn ?? '',
    'gs.filter': settings.groupSearch?.filter ?? '',
    'gs.memberAttribute': settings.groupSearch?.memberAttribute ?? '',
    previewLimit: '20',
    previewFilter: '',
  };
  if (settings.startTls) f.startTls = '1';
  if (settings.tlsRejectUnauthorized) f.tlsRejectUnauthorized = '1';
  const from = settings.customerIdFrom;
  if ('attribute' in from) Object.assign(f, { 'cid.source': 'attribute', 'cid.attribute': from.attribute });
  else if ('constant' in from) Object.assign(f, { 'cid.source': 'constant', 'cid.constant': from.constant });
  else {
    f['cid.source'] = 'rules';
    from.rules.forEach((r, i) => Object.assign(f, { [`rule.dnSuffix.${i}`]: r.dnSuffix, [`rule.customerId.${i}`]: r.customerId }));
  }
  for (const row of settings.map) {
    Object.assign(f, {
      [`storage.${row.key}`]: row.storage,
      [`label.${row.key}`]: row.label ?? '',
      [`shown.${row.key}`]: String(row.shown),
      [`type.${row.key}`]: row.type,
      [`link.${row.key}`]: row.link ?? '',
      [`options.${row.key}`]: (row.options ?? []).join(', '),
    });
    if (row.required) f[`required.${row.key}`] = '1';
    if (row.readOnly) f[`readOnly.${row.key}`] = '1';
    if (row.search) f[`search.${row.key}`] = '1';
  }
  settings.groupMapping.forEach((g, i) => {
    Object.assign(f, { [`gm.dn.${i}`]: g.ldapGroupDn, [`gm.group.${i}`]: g.group });
    for (const p of g.permissions) f[`gm.perm.${i}.${p}`] = '1';
  });
  return { ...f, ...extra };
}

const versionIn = (html: string): string => /name="version" value="(\d*)"/.exec(html)?.[1] ?? '';

/** The error text tied to a control: aria-describedby names it and the text sits under it. */
function fieldError(html: string, id: string): string | null {
  const control = new RegExp(`id="${id}"[^>]*aria-describedby="[^"]*${id}-error`).test(html) || new RegExp(`aria-describedby="[^"]*${id}-error[^"]*"[^>]*id="${id}"`).test(html);
  const text = new RegExp(`<small id="${id}-error" class="field-error">([^<]*)</small>`).exec(html)?.[1] ?? null;
  return control ? text : null;
}

describe('LDAP admin screens against a real slapd (issue 7: mapping screen, test, preview, dry run, sync)', function () {
  this.timeout(60000);
  let slapd: Slapd | null;
  let app: TestApp;
  let admin: Actor;
  let page: { agent: Agent; csrf: string };
  let key: string;

  const services = () => app.loket.container.services;
  const stored = () => services().backends.ldapSettings(admin, key);

  /** Posts the edit form of `key` with its stored settings, changed by `extra`. */
  async function post(extra: Record<string, string>, forKey = key) {
    const current = await page.agent.get(`/admin/backends/${forKey}`).expect(200);
    const body = ldapForm(await services().backends.ldapSettings(admin, forKey), page.csrf, versionIn(current.text), extra);
    return page.agent.post(`/admin/backends/${forKey}`).type('form').send(encode(body));
  }

  before(async function () {
    slapd = await startFixtureDirectory(this);
    app = await startTestApp();
    admin = await adminActor(app);
    key = await addLdapBackend(app, admin, slapd!);
    const account = await app.createAgent('admin');
    page = await signIn(app, account);
  });
  after(async () => {
    await services()?.directoryOps.settle();
    await app?.close();
    await slapd?.stop();
  });

  it('keeps every backend screen to admins: an agent gets 403 on each path', async () => {
    const account = await app.createAgent('agent');
    const agent = await signIn(app, account);
    for (const path of ['/admin/backends', `/admin/backends/${key}`, `/admin/backends/${key}/sync`, `/admin/backends/${key}/sync/status`, '/admin/backends/other?new=1']) {
      expect((await agent.agent.get(path)).status, path).to.equal(403);
    }
    for (const path of ['/admin/backends', `/admin/backends/${key}`, `/admin/backends/${key}/move`, `/admin/backends/${key}/delete`]) {
      const res = await agent.agent.post(path).type('form').send(encode({ _csrf: agent.csrf, key: 'x', direction: 'up', intent: 'test' }));
      expect(res.status, path).to.equal(403);
    }
    const home = await page.agent.get('/admin').expect(200);
    expect(home.text).to.contain('href="/admin/backends"');
  });

  it('lists the backends in order with their users, moves one, and links the database backend to its field map', async () => {
    const list = await page.agent.get('/admin/backends').expect(200);
    expect(list.text).to.contain('href="/admin/field-map"').and.contain(`href="/admin/backends/${key}"`).and.contain('Fixture directory').and.contain(slapd!.url);
    const up = await page.agent.post(`/admin/backends/${key}/move`).type('form').send(encode({ _csrf: page.csrf, direction: 'up' }));
    expect(up.status).to.equal(303);
    expect((await services().backends.list(admin)).map((b) => b.key)).to.deep.equal([key, 'db']);
    const moved = await page.agent.get(up.headers.location!).expect(200);
    expect(moved.text).to.contain('The order was changed.');
    await page.agent.post(`/admin/backends/${key}/move`).type('form').send(encode({ _csrf: page.csrf, direction: 'down' })).expect(303);
    expect((await services().backends.list(admin)).map((b) => b.key)).to.deep.equal(['db', key]);
    const audit = await services().audit.list(admin, { objectType: 'backend', limit: 50 });
    expect(audit.some((e) => e.action === 'backend.order')).to.equal(true);
  });

  it('adds a directory backend: the key is checked, the form starts from the default map, and a save creates version 1', async () => {
    const bad = await page.agent.post('/admin/backends').type('form').send(encode({ _csrf: page.csrf, key: 'Not OK' }));
    expect(bad.status).to.equal(400);
    expect(fieldError(bad.text, 'bk-key')).to.contain('lower-case letters');
    expect(bad.text).to.contain('value="Not OK"');
    const taken = await page.agent.post('/admin/backends').type('form').send(encode({ _csrf: page.csrf, key }));
    expect(fieldError(taken.text, 'bk-key')).to.contain(`key ${key}`);

    const newKey = unique('dir').toLowerCase();
    const added = await page.agent.post('/admin/backends').type('form').send(encode({ _csrf: page.csrf, key: newKey }));
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(`/admin/backends/${newKey}?new=1`);
    const form = await page.agent.get(added.headers.location!).expect(200);
    expect(form.text).to.contain(`New directory backend ${newKey}`).and.contain('name="storage.firstName" value="givenName"').and.contain('name="new" value="1"');
    expect(form.text).to.contain('No password is stored');
    await page.agent.get(`/admin/backends/${newKey}`).expect(404);

    const settings = fixtureSettings(slapd!);
    const body = ldapForm({ ...(await stored()), name: 'Second directory' }, page.csrf, '', { new: '1', bindPassword: String(settings.bindPassword), intent: 'save' });
    const saved = await page.agent.post(`/admin/backends/${newKey}`).type('form').send(encode(body));
    expect(saved.status, saved.text.slice(0, 400)).to.equal(303);
    const after = await page.agent.get(saved.headers.location!).expect(200);
    expect(after.text).to.contain('Version 1 saved.').and.contain('A password is stored (not shown)');
    expect(after.text).not.to.contain(String(settings.bindPassword));
    // The same "new" form sent again finds the backend made meanwhile: a conflict, nothing overwritten.
    const again = await page.agent.post(`/admin/backends/${newKey}`).type('form').send(encode({ ...body, name: 'Overwritten' }));
    expect(again.status).to.equal(409);
    expect((await services().backends.ldapSettings(admin, newKey)).name).to.equal('Second directory');

    const removed = await page.agent.post(`/admin/backends/${newKey}/delete`).type('form').send(encode({ _csrf: page.csrf }));
    expect(removed.status).to.equal(303);
    expect((await services().backends.list(admin)).map((b) => b.key)).not.to.include(newKey);
  });

  it('refuses invalid settings at the field (aria-describedby), keeps what was typed and stores nothing', async () => {
    const version = (await services().backends.get(admin, key)).version;
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ url: 'http://example.test' }, 'lb-url', /ldap:\/\/host/],
      [{ baseDn: '' }, 'lb-baseDn', /A DN/],
      [{ filter: '(objectClass=person' }, 'lb-filter', /LDAP filter/],
      [{ pageSize: 'many' }, 'lb-pageSize', /1 to 5000/],
      [{ maxDeactivatePercent: '250' }, 'lb-maxDeactivatePercent', /0 to 100/],
      [{ 'rule.dnSuffix.1': '', 'rule.customerId.1': 'fjord' }, 'lb-rule-1-dnSuffix', /A DN/],
      [{ 'cid.source': 'attribute', 'cid.attribute': '1bad' }, 'lb-cid-attribute', /attribute name/],
      [{ 'storage.phone': 'tele phone' }, 'fm-phone-storage', /attribute name/],
      [{ 'gm.dn.0': FIXTURE.helpdeskUsers, 'gm.group.0': 'no-such-group', 'gm.perm.0.ro': '1', 'gs.baseDn': FIXTURE.groups }, 'lb-gm-0-group', /group/],
      [{ 'gs.baseDn': FIXTURE.groups, 'gs.filter': 'nonsense' }, 'lb-gs-filter', /LDAP filter/],
    ];
    for (const [extra, id, message] of cases) {
      const res = await post({ ...extra, intent: 'save' });
      expect(res.status, id).to.equal(400);
      expect(fieldError(res.text, id), id).to.match(message);
      for (const value of Object.values(extra)) if (value !== '' && value !== '1') expect(res.text, `${id} keeps ${value}`).to.contain(value);
    }
    expect((await services().backends.get(admin, key)).version).to.equal(version);
  });

  it('saves a changed map row with the optimistic version, audits it without the password, and refuses a stale version', async () => {
    const before = await page.agent.get(`/admin/backends/${key}`).expect(200);
    const version = versionIn(before.text);
    const res = await post({ 'label.phone': 'Work phone', intent: 'save' });
    expect(res.status).to.equal(303);
    const saved = await page.agent.get(res.headers.location!).expect(200);
    expect(saved.text).to.contain(`Version ${Number(version) + 1} saved.`).and.contain('value="Work phone"');
    expect(saved.text).to.contain(`/admin/audit?objectType=backend&amp;objectId=${key}`);
    expect((await stored()).map.find((r) => r.key === 'phone')?.label).to.equal('Work phone');

    const stale = await page.agent
      .post(`/admin/backends/${key}`)
      .type('form')
      .send(encode(ldapForm(await stored(), page.csrf, version, { 'label.phone': 'Stale', intent: 'save' })));
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('value="Stale"').and.contain('changed');

    const password = String(slapd!.readerPassword);
    const entries = await services().audit.list(admin, { objectType: 'backend', objectId: key, limit: 50 });
    expect(entries.length).to.be.greaterThan(0);
    expect(JSON.stringify(entries)).not.to.contain(password);
    const auditPage = await page.agent.get(`/admin/audit?objectType=backend&objectId=${key}`).expect(200);
    expect(auditPage.text).not.to.contain(password);
  });

  it('keeps the bind password write-only: never in the page, kept when left empty, cleared on request', async () => {
    const password = slapd!.readerPassword;
    const edit = await page.agent.get(`/admin/backends/${key}`).expect(200);
    expect(edit.text).not.to.contain(password);
    expect(edit.text).to.match(/id="lb-bindPassword"[^>]*value=""/);
    await post({ intent: 'save' }).then((r) => expect(r.status).to.equal(303));
    expect((await stored()).bindPassword).to.equal(password);
    await post({ clearPassword: '1', intent: 'save' }).then((r) => expect(r.status).to.equal(303));
    expect((await stored()).bindPassword).to.equal(undefined);
    await post({ bindPassword: password, intent: 'save' }).then((r) => expect(r.status).to.equal(303));
    expect((await stored()).bindPassword).to.equal(password);
  });

  it('tests the connection with the unsaved form: ok, a wrong bind password (49), a directory that is down', async () => {
    const ok = await post({ intent: 'test' });
    expect(ok.status).to.equal(200);
    expect(ok.text).to.contain('The connection works.').and.contain(`${FIXTURE.counts.enabled} entries match`);
    const wrong = await post({ intent: 'test', bindPassword: 'not-the-password' });
    expect(wrong.text).to.contain('The connection test failed.').and.contain('invalid credentials (49)');
    expect(wrong.text).not.to.contain('not-the-password');
    const port = await closedPort();
    const down = await post({ intent: 'test', url: `ldap://127.0.0.1:${port}` });
    expect(down.text).to.contain('The connection test failed.').and.contain('unavailable');
    expect(down.text).to.contain(`>ldap://127.0.0.1:${port}</textarea>`);
    // A preview needs the directory: down, the form stays with the reason on top.
    const noPreview = await post({ intent: 'preview', url: `ldap://127.0.0.1:${port}`, 'label.phone': 'Kept label' });
    expect(noPreview.status).to.equal(503);
    expect(noPreview.text).to.contain('role="alert"').and.contain('unavailable').and.contain('value="Kept label"');
    expect((await stored()).url).to.deep.equal([slapd!.url]);
  });

  it('previews real entries through the unsaved map: markup escaped, javascript: no link, binary and unknown attributes warned', async () => {
    const res = await post({
      intent: 'preview',
      previewLimit: '50',
      'key._new': 'photo',
      'storage._new': 'jpegPhoto',
      'label._new': 'Photo',
      'shown._new': '1',
      'type._new': 'var',
      'storage.phone': 'noSuchAttribute',
    });
    expect(res.status).to.equal(200);
    const html = res.text;
    expect(html).to.contain('id="lb-preview-table"');
    expect(html).to.contain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.to.contain(FIXTURE_MARKUP.displayName);
    expect(html).not.to.contain('<script>alert(1)</script>');
    expect(html).to.contain('javascript:alert(1)');
    expect(html).not.to.match(/href="javascript:/i);
    expect(html).to.contain('href="mailto:jan.devries@acme.example"');
    expect(html).to.contain('binary value, not shown');
    expect(html).to.contain('no previewed entry has this attribute');
    expect(html).to.contain('several values');
    expect(html).to.match(/role="img" aria-label="Warning"/);
    // Still the form as typed: the new row is kept and nothing was saved.
    expect(html).to.contain('name="storage._new" value="jpegPhoto"').and.contain('value="noSuchAttribute"');
    expect((await stored()).map.map((r) => r.key)).not.to.include('photo');

    const group = unique('helpdesk');
    await services().groups.create(admin, { name: group }, cliSubject());
    const grouped = await post({ intent: 'preview', 'gs.baseDn': FIXTURE.groups, 'gm.dn.0': FIXTURE.helpdeskUsers, 'gm.group.0': group, 'gm.perm.0.ro': '1', 'gm.perm.0.create': '1' });
    expect(grouped.status).to.equal(200);
    const groupTable = /<table id="lb-preview-groups">([\s\S]*?)<\/table>/.exec(grouped.text)?.[1] ?? '';
    expect(groupTable).to.contain(FIXTURE.helpdeskUsers).and.contain(group).and.contain('ro, create').and.contain('jdevries');
    expect(grouped.text).to.match(/id="lb-gm-0-perm"[^>]*checked/);

    const filtered = await post({ intent: 'preview', previewLimit: '5', previewFilter: '(uid=dmitri)' });
    expect(filtered.text).to.contain('1 entry through the map').and.contain('Дмитрий');
    const badFilter = await post({ intent: 'preview', previewFilter: '(uid=dmitri' });
    expect(badFilter.status).to.equal(400);
    expect(fieldError(badFilter.text, 'lb-previewFilter')).to.match(/LDAP filter/);
  });

  it('dry-runs the values on the screen, saved or not: counts and lists, writes nothing', async () => {
    // Counted in the table itself: a customer-user search would ask the directory and refresh shadow rows.
    const { knex, tables } = app.loket.container;
    const count = async () => JSON.stringify(await knex(tables.customer_users).select('id', 'version', 'validity').orderBy('id'));
    const before = await count();
    const res = await post({ intent: 'dryrun' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Dry run finished: nothing was written.').and.contain('used the values on the screen');
    expect(res.text).to.match(/<dd data-count="created">\d+<\/dd>/);
    expect(res.text).to.contain('conflict');
    expect(await count()).to.equal(before);
    // An unsaved always-filter is what the dry run reads: one entry.
    const narrowed = await post({ intent: 'dryrun', filter: '(&(objectClass=inetOrgPerson)(uid=jdevries))' });
    expect(narrowed.text).to.match(/<dd data-count="entries">1<\/dd>/);
    expect(await count()).to.equal(before);
  });

  it('starts a sync, shows its progress page and report, and says so when one is running already', async () => {
    const leases = createJobLeaseStore(app.loket.container.knex, app.loket.container.tables);
    expect(await leases.acquire(`ldap-sync:${key}`, 'someone-else', 60_000, null)).to.equal(true);
    const busy = await post({ intent: 'sync' });
    expect(busy.status).to.equal(303);
    expect(busy.headers.location).to.equal(`/admin/backends/${key}/sync?notice=syncRunning`);
    expect((await page.agent.get(busy.headers.location!).expect(200)).text).to.contain('A sync is running already');
    await leases.release(`ldap-sync:${key}`, 'someone-else', null);

    const started = await post({ intent: 'sync' });
    expect(started.status).to.equal(303);
    expect(started.headers.location).to.equal(`/admin/backends/${key}/sync?notice=syncStarted`);
    await services().directoryOps.settle();
    const status = await page.agent.get(`/admin/backends/${key}/sync/status`).expect(200);
    expect(status.body).to.include({ running: false });
    expect(status.body.last.counts.entries, JSON.stringify(status.body)).to.equal(FIXTURE.counts.enabled);
    expect(status.body.last.lists.conflicts.map((c: { login: string }) => c.login)).to.deep.equal(['dup', 'dup']);
    const report = await page.agent.get(`/admin/backends/${key}/sync`).expect(200);
    expect(report.text).to.contain('Report of the last finished run').and.contain('Sync finished.');
    expect(report.text).not.to.contain('ldap-sync.js');
  });

  it('shows a directory user read-only where the directory decides, and edits what Loket keeps', async () => {
    await services().directoryOps.sync(admin, key, { dryRun: false, force: false }, cliSubject());
    const user = await services().customerUsers.findByLogin('jdevries');
    expect(user?.backend).to.equal(key);
    const form = await page.agent.get('/customer-users/jdevries').expect(200);
    expect(form.text).to.contain(`From directory Fixture directory (${key})`).and.contain(FIXTURE.user('jdevries', 'acme'));
    expect(form.text).to.contain('id="cu-directory-fields"').and.contain('de Vries');
    expect(form.text).not.to.contain('name="firstName"').and.not.to.contain('name="password"').and.not.to.contain('/password-link');
    expect(form.text).to.contain('name="validity"').and.contain('name="manager"').and.contain('name="extra-customers"');

    await ensureCustomer(app, admin, 'fjord');
    const res = await page.agent
      .post('/customer-users/jdevries')
      .type('form')
      .send(encode({ _csrf: page.csrf, version: String(user!.version), validity: 'valid', 'extra-customers': 'fjord', manager: '', language: 'nl', firstName: 'Tampered' }));
    expect(res.status).to.equal(303);
    const after = await services().customerUsers.findByLogin('jdevries');
    expect(after).to.include({ language: 'nl' });
    expect(after?.customerIds).to.deep.equal(['fjord']);
    expect(after?.fields.firstName).to.equal('Jan');

    const agentAccount = await app.createAgent('agent');
    const agent = await signIn(app, agentAccount);
    const detail = await agent.agent.get('/customer-users/jdevries').expect(200);
    expect(detail.text).to.contain(`From directory ${key}`).and.contain(FIXTURE.user('jdevries', 'acme')).and.contain('Last seen by a sync');
    const local = await createCustomerUser(app, admin, { customerId: 'acme' });
    const localPage = await page.agent.get(`/customer-users/${local.login}`).expect(200);
    expect(localPage.text).to.contain('name="firstName"').and.not.to.contain('From directory');
  });

  it('refuses to remove a directory backend that users came from, with a message', async () => {
    const res = await page.agent.post(`/admin/backends/${key}/delete`).type('form').send(encode({ _csrf: page.csrf }));
    expect(res.status).to.equal(409);
    expect(res.text).to.contain(`Customer users came from ${key}`);
    const list = await page.agent.get('/admin/backends').expect(200);
    const users = (await services().customerUsers.search(admin, { limit: 1000, offset: 0 })).items.filter((u) => u.backend === key).length;
    expect(list.text).to.match(new RegExp(`<td>${users}</td>`));
  });
});
