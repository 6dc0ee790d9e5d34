import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { signIn, type TestApp } from '../helpers/app.js';
import { createCustomerUser } from '../helpers/customers.js';
import { addLdapBackend, useFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE_MARKUP, FIXTURE_PASSWORDS } from '../helpers/ldap-fixtures.js';
import type { Slapd } from '../helpers/slapd.js';

describe('customer-user search across the database and a directory (real slapd)', function () {
  const env = useFixtureDirectory();
  let slapd: Slapd;
  let app: TestApp;
  let admin: Actor;
  before(() => ({ slapd, app, admin } = env));

  const search = (actor: Actor, text: string, extra: { customerId?: string; limit?: number } = {}) =>
    app.loket.container.services.customerUsers.search(actor, { search: text, limit: extra.limit ?? 50, offset: 0, ...(extra.customerId ? { customerId: extra.customerId } : {}) });

  it('finds directory users never seen before, beside database users, de-duplicated and sorted by login', async () => {
    const local = await createCustomerUser(app, admin, { customerId: 'acme', extra: { lastName: 'Vries' } });
    const page = await search(admin, 'vries');
    const logins = page.items.map((u) => u.login);
    expect(logins).to.include.members(['jdevries', local.login]);
    expect([...logins].sort()).to.deep.equal(logins);
    expect(page.items.find((u) => u.login === 'jdevries')).to.include({ backend: 'ldap1', customerId: 'acme' });
    // Accent-insensitive matching is Loket's own (the shadow rows' index), also for directory users.
    expect((await search(admin, 'jose muller')).items.map((u) => u.login)).to.deep.equal(['smuller']);
  });

  it('applies the list limit across backends and says when there were more', async () => {
    const page = await app.loket.container.services.customerUsers.search(admin, { search: '', limit: 3, offset: 0 });
    expect(page.items).to.have.length(3);
    expect(page.total).to.be.greaterThan(3);
  });

  it('keeps a key user inside their customer for directory users too (no other tenant, also not through words)', async () => {
    const keyUser = await createCustomerUser(app, admin, { customerId: 'fjord', keyUserOf: ['fjord'] });
    const actor = (await app.loket.container.services.actors.resolve({ type: 'customer-user', id: keyUser.id }, 'session'))!;
    const page = await search(actor, '');
    const customers = new Set(page.items.map((u) => u.customerId));
    expect([...customers]).to.deep.equal(['fjord']);
    expect((await search(actor, 'jdevries')).items).to.deep.equal([]);
    expect(page.items.map((u) => u.login)).to.include('aodegard');
  });

  it('answers from the shadow rows when the directory is down, instead of failing the page', async () => {
    await search(admin, 'dmitri');
    await addLdapBackend(app, admin, slapd!, { overrides: { url: 'ldap://127.0.0.1:1' } });
    try {
      const page = await search(admin, 'dmitri');
      expect(page.items.map((u) => u.login)).to.deep.equal(['dmitri']);
    } finally {
      await addLdapBackend(app, admin, slapd!);
    }
  });

  it('escapes directory markup on the customer-user list and detail pages', async () => {
    await search(admin, 'markup');
    const adminAccount = await app.createAgent('admin');
    const { agent } = await signIn(app, adminAccount);
    const list = await agent.get('/customer-users?search=markup').expect(200);
    expect(list.text).to.include('markup');
    expect(list.text).not.to.include(FIXTURE_MARKUP.displayName);
    expect(list.text).not.to.include(FIXTURE_MARKUP.cn);
    const detail = await agent.get('/customer-users/markup').expect(200);
    expect(detail.text).not.to.include(FIXTURE_MARKUP.displayName);
    expect(detail.text).not.to.match(/href="javascript:/i);
  });

  it('shows a directory user, after their portal login, their own tickets and FAQ like any customer user', async () => {
    const { agent } = await signIn(app, { login: 'dmitri', password: FIXTURE_PASSWORDS.dmitri! });
    await agent.get('/portal').expect(200);
    await agent.get('/faq').expect(200);
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body.customerIds).to.deep.equal(['fjord']);
    // Relations set in Loket stick across directory refreshes.
    const { customerUsers } = app.loket.container.services;
    const dmitri = await customerUsers.findByLogin('dmitri');
    await customerUsers.update(admin, 'dmitri', { customerIds: ['acme'], version: dmitri!.version }, cliSubject());
    await signIn(app, { login: 'dmitri', password: FIXTURE_PASSWORDS.dmitri! });
    expect((await customerUsers.findByLogin('dmitri'))?.customerIds).to.deep.equal(['acme']);
  });
});
