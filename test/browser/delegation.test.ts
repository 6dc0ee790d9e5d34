import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { cliSubject } from '../../plugin/audit/service.js';
import type { FormDefinitionInput } from '../../plugin/forms/definition.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, pathOf, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { actorOf, delegationMailsSince, delegationWorld, recipientsOf, type DelegationWorld } from '../helpers/delegation.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { createQueue } from '../helpers/tickets.js';

const BASE = 'https://loket.example.test';
const today = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 9 "Done when", in Chromium: a key user of C grants a consultant of D a week; the consultant
 * switches in, sees the banner, files a ticket that names them as delegate and switches out; the key
 * users' mailbox holds both notices; after revocation the consultant's open page can no longer act in C;
 * a deputy approves a request while the key user is away. axe-core on every delegation screen.
 */
describe('delegation in a browser (real Chromium, axe-core, mails from a real SMTP server)', function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let smtp: TestSmtp | undefined;
  let w: DelegationWorld;
  let queue: string;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    smtp = await startSmtp();
    app = await startTestApp({ options: { smtp: { url: smtp.url, from: 'Loket <loket@example.test>' }, baseUrl: BASE } });
    w = await delegationWorld(app);
    let group: string;
    ({ queue, group } = await createQueue(app, w.admin));
    // Both organisations file in the queue: a delegate holds what both their own and C's members hold.
    for (const customerId of [w.c, w.d]) {
      await app.loket.container.services.assignments.setGroups(w.admin, { kind: 'customer', customerId }, { groups: [{ group, permissions: ['create', 'rw'] }] }, cliSubject());
    }
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
      await smtp?.close();
    }
  });

  async function signedIn(account: { login: string; password: string }): Promise<Page> {
    const page = await pages.open();
    await signInWithForm(page, app!.url, account);
    return page;
  }

  const url = (path: string) => `${app!.url}${path}`;

  /** Fills the portal's new-ticket form on the page (without sending it). */
  async function fillTicket(page: Page, title: string): Promise<void> {
    await page.goto(url('/portal/tickets/new'));
    await page.getByLabel('Subject').fill(title);
    await page.getByLabel('Description').fill('The printer in room 2 jams on every page.');
    await page.selectOption('#tp-queue', queue);
  }

  const ticketsOfC = async () => (await app!.loket.container.services.tickets.list(w.admin, { customerId: w.c, limit: 100 })).items.map((t) => t.title);

  async function delegationOf(user: TestCustomerUser) {
    const mine = await app!.loket.container.services.delegations.mine(await actorOf(app!, user));
    const found = mine.find((d) => d.customerId === w.c && d.status === 'active');
    if (!found) throw new Error(`${user.login} has no active delegation in C`);
    return found;
  }

  it('a key user grants a week; the consultant switches in, files a ticket as delegate and switches out; both key users get both notices', async () => {
    const keyUser = await signedIn(w.keyUserC);
    await keyUser.goto(url('/portal'));
    await Promise.all([keyUser.waitForURL((u) => u.pathname === '/portal/delegations'), keyUser.getByRole('link', { name: 'Delegations', exact: true }).click()]);
    await expectAxeClean(keyUser, 'the delegations page');
    expect(await keyUser.inputValue('#dl-ends'), 'a week by default').to.equal(today(7));
    await keyUser.getByLabel('E-mail address of the person').fill(w.consultant.email);
    await keyUser.getByLabel('Reason').fill('Implementation project, phase 2');
    await Promise.all([keyUser.waitForURL(/notice=granted/), keyUser.click('#dl-grant')]);
    expect(await keyUser.textContent('main .notice')).to.contain('granted');
    expect(await keyUser.textContent('#dl-current')).to.contain(w.consultant.email).and.contain('active');
    await expectAxeClean(keyUser, 'the delegations page with a current delegation');
    await keyUser.goto(url('/portal/deputies'));
    await expectAxeClean(keyUser, 'the deputies page');

    const consultant = await signedIn(w.consultant);
    await consultant.goto(url('/portal/my-delegations'));
    expect(await consultant.textContent('#dm-list')).to.contain(`Customer ${w.c}`);
    await expectAxeClean(consultant, 'my delegations');

    const seen = smtp!.messages.length;
    await consultant.goto(url('/faq'));
    await consultant.getByLabel('Organisation you work in').selectOption(w.c);
    await Promise.all([consultant.waitForURL((u) => u.pathname === '/faq'), consultant.click('#organisation-switch')]);
    expect(await consultant.textContent('#organisation-notice')).to.equal(`You now work in Customer ${w.c}.`);
    expect(await consultant.textContent('#delegation-banner-text')).to.match(new RegExp(`You are working in Customer ${w.c} via delegation until ${today(7)} \\d\\d:\\d\\d UTC\\.`));
    await expectAxeClean(consultant, 'a page with the switch notice and the banner');

    const title = `Paper jam ${unique('t')}`;
    await fillTicket(consultant, title);
    expect(await consultant.locator('#delegation-banner').count(), 'the banner on the form too').to.equal(1);
    await Promise.all([consultant.waitForURL((u) => /\/portal\/tickets\/\d+$/.test(u.pathname)), consultant.getByRole('button', { name: 'File the ticket' }).click()]);
    const number = /\/portal\/tickets\/(\d+)$/.exec(pathOf(consultant))![1]!;
    expect((await consultant.textContent('#tp-filed-by'))!.replace(/\s+/g, ' ').trim()).to.equal('Test Customer (delegate)');
    await expectAxeClean(consultant, 'the ticket page with the banner');
    expect(await ticketsOfC()).to.include(title);

    await Promise.all([consultant.waitForURL((u) => u.pathname === '/portal'), consultant.getByRole('button', { name: `Back to Customer ${w.d}` }).click()]);
    expect(await consultant.textContent('#organisation-notice')).to.equal('You are back in your own organisation.');
    expect(await consultant.locator('#delegation-banner').count()).to.equal(0);

    // The key users of C, and only they, got the switch in and the switch out.
    const mails = await delegationMailsSince(app!, smtp!, seen);
    for (const person of [w.keyUserC, w.keyUserC2]) {
      const theirs = mails.filter((m) => recipientsOf(m).includes(person.email.toLowerCase())).map((m) => m.subject ?? '');
      expect(theirs.some((s) => s.includes(`started working in Customer ${w.c}`)), `${person.login}: ${JSON.stringify(theirs)}`).to.equal(true);
      expect(theirs.some((s) => s.includes(`stopped working in Customer ${w.c}`)), `${person.login}: ${JSON.stringify(theirs)}`).to.equal(true);
    }
    expect(mails.flatMap(recipientsOf)).not.to.include(w.userC.email.toLowerCase());

    // The key user reads who filed it.
    await keyUser.goto(url(`/portal/tickets/${number}`));
    expect((await keyUser.textContent('#tp-filed-by'))!.replace(/\s+/g, ' ').trim()).to.equal('Test Customer (delegate)');
  });

  it('after revocation the consultant\'s open page can no longer act in C', async () => {
    const consultant = await createCustomerUser(app!, w.admin, { customerId: w.d });
    const keyUser = await signedIn(w.keyUserC);
    await keyUser.goto(url('/portal/delegations'));
    await keyUser.getByLabel('E-mail address of the person').fill(consultant.email);
    await keyUser.getByLabel('Reason').fill('Support for the migration');
    await Promise.all([keyUser.waitForURL(/notice=granted/), keyUser.click('#dl-grant')]);
    const d = await delegationOf(consultant);

    const page = await signedIn(consultant);
    await page.goto(url('/portal/my-delegations'));
    await Promise.all([page.waitForURL((u) => u.pathname === '/portal'), page.getByRole('button', { name: `Switch to Customer ${w.c}` }).click()]);
    expect(await page.locator('#delegation-banner').count()).to.equal(1);
    const title = `Late ticket ${unique('t')}`;
    await fillTicket(page, title);

    // Meanwhile the key user revokes it on their page.
    await keyUser.goto(url('/portal/delegations'));
    await keyUser.check(`#dl-revoke-${d.id}-confirm`);
    await Promise.all([keyUser.waitForURL(/notice=revoked/), keyUser.click(`#dl-revoke-${d.id}-submit`)]);
    expect(await keyUser.textContent(`#dl-history-${d.id}`)).to.contain('revoked');

    // The open form is sent: refused, and nothing lands in C (or anywhere).
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/portal/tickets'), page.getByRole('button', { name: 'File the ticket' }).click()]);
    expect(response.status()).to.equal(403);
    await page.waitForLoadState();
    expect(await ticketsOfC()).not.to.include(title);
    expect((await app!.loket.container.services.tickets.list(w.admin, { search: title })).items).to.deep.equal([]);

    await page.goto(url('/portal'));
    expect(await page.textContent('#organisation-notice')).to.equal(`Your delegation in Customer ${w.c} has ended (revoked); you are back in your own organisation.`);
    expect(await page.locator('#delegation-banner').count()).to.equal(0);
    expect(await page.locator('#organisation-switcher').count()).to.equal(0);
    await expectAxeClean(page, 'the portal with the ended notice');
  });

  it('a deputy named on the deputies page approves a request while the key user is away', async () => {
    const { catalogue, forms } = app!.loket.container.services;
    const service = unique('Share');
    await catalogue.create(w.admin, { name: service }, cliSubject());
    const manager = await createCustomerUser(app!, w.admin, { customerId: w.c });
    const report = await createCustomerUser(app!, w.admin, { customerId: w.c, extra: { manager: manager.login } });
    const deputy = await createCustomerUser(app!, w.admin, { customerId: w.c });
    const key = unique('svc-for-report');
    const definition: FormDefinitionInput = {
      key,
      title: { en: 'Request a service for a report' },
      category: 'team',
      audience: ['manager'],
      target: 'customer-user',
      fields: [{ key: 'service', label: { en: 'Service' }, type: 'select', source: 'services', required: true }],
      criteria: [{ check: 'service-not-entitled', field: 'service' }],
      actions: [{ type: 'assign-service', input: { service: { field: 'service' } } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }] }] },
      ticket: { queue },
    };
    await forms.save(w.admin, key, definition, undefined, cliSubject());

    // Both key users of C go on holiday: one names the same colleague for themself and, as key user, for the other.
    for (const [away, principal] of [[w.keyUserC, ''], [w.keyUserC, w.keyUserC2.login]] as const) {
      const page = await signedIn(away);
      await page.goto(url('/portal/deputies'));
      if (principal) await page.getByLabel('Person who is away (login)').fill(principal);
      await page.getByLabel('Deputy (login of a colleague)').fill(deputy.login);
      await page.fill('#dp-ends', today(14));
      await page.getByLabel('Reason').fill('Summer holiday');
      await Promise.all([page.waitForURL(/notice=deputyCreated/), page.click('#dp-submit')]);
      expect(await page.textContent('#dp-list')).to.contain(deputy.login).and.contain('active');
      await expectAxeClean(page, 'the deputies page with a deputy');
    }

    const boss = await signedIn(manager);
    await boss.goto(url(`/forms/${key}?target=${report.login}`));
    await boss.selectOption('#fr-service', service);
    await Promise.all([boss.waitForURL(/\/runs\/\d+/), boss.click('#fr-submit')]);
    expect(await boss.textContent('#run-state')).to.equal('Awaiting approval');

    const stand = await signedIn(deputy);
    await stand.goto(url('/portal'));
    expect(await stand.getByRole('link', { name: 'Deputies', exact: true }).count(), 'the deputy finds the deputies page').to.equal(1);
    await stand.goto(url('/approvals'));
    const item = stand.locator('#ap-list a').first();
    expect(await item.count(), 'the approval reaches the deputy').to.equal(1);
    await Promise.all([stand.waitForURL(/\/approvals\/\d+/), item.click()]);
    expect(await stand.textContent('#run-payload')).to.contain(service).and.contain(report.login);
    await Promise.all([stand.waitForURL(/\/runs\/\d+/), stand.click('#ap-approve')]);
    expect(await stand.textContent('#run-state')).to.equal('Completed');
  });
});
