import { expect } from 'chai';
import type { Actor } from '../../plugin/access/actor.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { bearer, issueToken } from '../helpers/api.js';
import { adminActor, createCustomerUser, ensureCustomer } from '../helpers/customers.js';

/** Search is bounded by the list limit (3 here): its work never grows with the number of matches. */
describe('customer-user search within the list limit', () => {
  let app: TestApp;
  let admin: Actor;
  let token: string;
  const surname = `Zw${unique('art').replace(/[^a-z0-9]/g, '')}`;
  const [small, big] = [unique('small'), unique('big')];

  before(async () => {
    app = await startTestApp({ options: { customerUsers: { searchLimit: 3 } } });
    admin = await adminActor(app);
    const account = await app.loket.container.services.agents.findByLogin(admin.login);
    token = await issueToken(app, { type: 'agent', id: account!.id }, admin.login);
    for (const id of [small, big]) await ensureCustomer(app, admin, id);
    for (const [customerId, count] of [[small, 2], [big, 5]] as const) {
      for (let i = 0; i < count; i++) {
        await createCustomerUser(app, admin, { customerId, extra: { firstName: i === 0 ? 'Ingrid' : 'Test', lastName: `${surname} van der Berg` } });
      }
    }
  });
  after(async () => {
    await app.close();
  });

  const search = (query: string, as = token) => bearer(app, as).get(`/customer-users?${query}`).expect(200);

  it('counts up to the limit and says when there were more', async () => {
    const broad = await search(`search=${surname}`);
    expect(broad.body).to.include({ total: 3, totalCapped: true, limit: 3 });
    expect(broad.body.items).to.have.length(3);
    const narrow = await search(`search=${surname}&customerId=${small}`);
    expect(narrow.body).to.include({ total: 2, totalCapped: false });
    const everybody = await search('search=*');
    expect(everybody.body).to.include({ total: 3, totalCapped: true });
  });

  it('keeps the tenant filter inside the bound: a key user finds all of their own users however many others match', async () => {
    const key = await createCustomerUser(app, admin, { customerId: small, keyUserOf: [small], extra: { lastName: 'Keyholder' } });
    const keyToken = await issueToken(app, { type: 'customer-user', id: key.id }, key.login);
    const mine = await search(`search=${surname}`, keyToken);
    expect(mine.body).to.include({ total: 2, totalCapped: false });
    expect(mine.body.items.map((u: { customerId: string }) => u.customerId)).to.deep.equal([small, small]);
  });

  it('needs every word, in any order, each as the start of a word', async () => {
    const both = await search(`search=${encodeURIComponent(`berg ingrid`)}&customerId=${small}`);
    expect(both.body.total).to.equal(1);
    const reversed = await search(`search=${encodeURIComponent(`${surname.slice(0, 5)} ing`)}&customerId=${small}`);
    expect(reversed.body.total).to.equal(1);
    const none = await search(`search=${encodeURIComponent(`ingrid nobody${unique('x')}`)}`);
    expect(none.body).to.include({ total: 0, totalCapped: false });
  });

  it('treats % and _ as ordinary characters, and a leading * as "contains"', async () => {
    expect((await search('search=%25')).body.total).to.equal(0);
    expect((await search('search=_')).body.total).to.equal(0);
    const contains = await search(`search=${encodeURIComponent(`*${surname.slice(3)}`)}&customerId=${small}`);
    expect(contains.body.total).to.equal(2);
  });

  it('pages within the limit without repeating anybody', async () => {
    const first = await search(`search=${surname}&limit=2&offset=0`);
    const second = await search(`search=${surname}&limit=2&offset=2`);
    const logins = [...first.body.items, ...second.body.items].map((u: { login: string }) => u.login);
    expect(new Set(logins).size).to.equal(logins.length);
    expect(logins).to.have.length(3);
    const sorted = [...logins].sort();
    expect(logins).to.deep.equal(sorted);
  });
});
