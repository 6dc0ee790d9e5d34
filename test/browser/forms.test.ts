import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { FormDefinitionInput } from '../../plugin/forms/definition.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { adminActor, createCustomerUser, type TestCustomerUser } from '../helpers/customers.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { agentIn, createQueue } from '../helpers/tickets.js';

/** Links in mails are built from BASE_URL; the test follows their path on the running app. */
const BASE = 'https://loket.example.test';

describe('delegated forms in a browser (real Chromium, axe-core, mails from a real SMTP server)', function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let smtp: TestSmtp | undefined;
  let admin: Actor;
  let queue: string;
  let group: string;
  let service: string;
  let customer: string;
  let keyUser: TestCustomerUser;
  let manager: TestCustomerUser;
  let report: TestCustomerUser;
  const pages = pagePool(() => browser);
  const keys = { service: unique('svc-for-report'), reset: unique('reset'), helpdesk: unique('helpdesk') };
  const label = (en: string) => ({ en });

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    smtp = await startSmtp();
    app = await startTestApp({ options: { smtp: { url: smtp.url, from: 'Loket <loket@example.test>' }, baseUrl: BASE } });
    admin = await adminActor(app);
    ({ queue, group } = await createQueue(app, admin));
    const { catalogue, forms } = app.loket.container.services;
    service = unique('Share');
    await catalogue.create(admin, { name: service }, cliSubject());
    customer = unique('acme');
    keyUser = await createCustomerUser(app, admin, { customerId: customer, keyUserOf: [customer] });
    manager = await createCustomerUser(app, admin, { customerId: customer });
    report = await createCustomerUser(app, admin, { customerId: customer, extra: { manager: manager.login } });
    const definitions: FormDefinitionInput[] = [
      {
        key: keys.service,
        title: label('Request a service for a report'),
        category: 'team',
        audience: ['manager'],
        target: 'customer-user',
        fields: [{ key: 'service', label: label('Service'), type: 'select', source: 'services', required: true }],
        criteria: [{ check: 'service-not-entitled', field: 'service' }],
        actions: [{ type: 'assign-service', input: { service: { field: 'service' } } }],
        approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }] }] },
        ticket: { queue },
      },
      {
        key: keys.reset,
        title: label('Reset a colleague\'s password'),
        category: 'organisation',
        audience: ['key-user'],
        target: 'customer-user',
        actions: [{ type: 'send-password-link', input: {} }],
        ticket: { queue },
      },
      {
        key: keys.helpdesk,
        title: label('Helpdesk: note for a user'),
        category: 'helpdesk',
        audience: ['agent'],
        agentGroups: [group],
        target: 'customer-user',
        fields: [{ key: 'note', label: label('Note'), type: 'textarea', required: true }],
        ticket: { queue },
      },
    ];
    for (const d of definitions) await forms.save(admin, d.key, d, undefined, cliSubject());
    // The helpdesk form reaches customer users holding a permission in the agents' group.
    await app.loket.container.services.assignments.setGroups(admin, { kind: 'customer-user', login: report.login }, { groups: [{ group, permissions: ['create'] }] }, cliSubject());
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

  const mailTo = (address: string, about: string) =>
    smtp!.messages.find((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()) && `${m.subject ?? ''}\n${m.text ?? ''}`.includes(about));

  async function mailArriving(address: string, about: string) {
    for (let seen = 0; ; seen += 1) {
      const found = mailTo(address, about);
      if (found) return found;
      await smtp!.next(smtp!.messages.length);
      if (seen > 20) throw new Error(`no mail to ${address} about ${about}`);
    }
  }

  it('a manager requests a service for a report; the key user approves from the e-mail link; the service and the ticket tell the story', async () => {
    const boss = await signedIn(manager);
    await boss.goto(`${app!.url}/portal/team`);
    await expectAxeClean(boss, 'My team');
    await boss.click(`a[href="/forms/${keys.service}?target=${report.login}"]`);
    await expectAxeClean(boss, 'the form page');
    await boss.selectOption('#fr-service', service);
    await Promise.all([boss.waitForURL(/\/runs\/\d+/), boss.click('#fr-submit')]);
    const runId = Number(/\/runs\/(\d+)/.exec(boss.url())![1]);
    expect(await boss.textContent('#run-state')).to.equal('Awaiting approval');
    await expectAxeClean(boss, 'the run page');
    await boss.goto(`${app!.url}/portal/requests`);
    expect(await boss.textContent('#rq-runs')).to.contain('Awaiting approval by');
    await expectAxeClean(boss, 'the requests catalogue');

    const mail = await mailArriving(keyUser.email, '/approvals/');
    const link = /https:\/\/loket\.example\.test(\/approvals\/\d+)/.exec(mail.text ?? '');
    expect(link, 'the approval mail carries a link').to.not.equal(null);
    const approver = await pages.open();
    await approver.goto(`${app!.url}${link![1]}`);
    expect(new URL(approver.url()).pathname).to.equal('/login');
    await approver.fill('#login', keyUser.login);
    await approver.fill('#password', keyUser.password);
    await Promise.all([approver.waitForURL((u) => u.pathname === link![1]), approver.click('main form button[type="submit"]')]);
    expect(await approver.textContent('#run-payload')).to.contain(service).and.contain(report.login);
    await expectAxeClean(approver, 'the approval page');
    await approver.fill('#ap-comment', 'Approved for the project');
    await Promise.all([approver.waitForURL(/\/runs\/\d+/), approver.click('#ap-approve')]);
    expect(await approver.textContent('#run-state')).to.equal('Completed');

    const staff = await signedIn(await app!.createAgent('admin'));
    await staff.goto(`${app!.url}/customer-users/${report.login}`);
    const entitlements = (await staff.textContent('main'))!.replace(/\s+/g, " ");
    expect(entitlements, entitlements.slice(entitlements.lastIndexOf(service) - 300, entitlements.lastIndexOf(service) + 300)).to.contain(`via form run ${runId}`);

    await boss.goto(`${app!.url}/runs/${runId}`);
    await Promise.all([boss.waitForURL(/\/portal\/tickets\/\d+/), boss.click('#run-ticket')]);
    const story = (await boss.textContent('main'))!;
    expect(story).to.contain(service).and.contain('Approved for the project');
  });

  it('a key user resets a colleague\'s password: the set-password mail arrives', async () => {
    const colleague = await createCustomerUser(app!, admin, { customerId: customer });
    const page = await signedIn(keyUser);
    await page.goto(`${app!.url}/portal/organisation`);
    await expectAxeClean(page, 'Our organisation');
    await page.goto(`${app!.url}/forms/${keys.reset}`);
    await page.fill('#fr-target-search', colleague.login);
    await Promise.all([page.waitForURL(/targetSearch=/), page.click('#fr-search')]);
    await page.selectOption('#fr-target', colleague.login);
    await Promise.all([page.waitForURL(/\/runs\/\d+/), page.click('#fr-submit')]);
    expect(await page.textContent('#run-state')).to.equal('Completed');
    const mail = await mailArriving(colleague.email, '/password/set/');
    expect(mail.text).to.contain(`${BASE}/password/set/`);
  });

  it('an agent uses the helpdesk form for a customer user of their group', async () => {
    const agentAccount = await agentIn(app!, admin, group, ['rw']);
    const page = await signedIn(agentAccount);
    await page.goto(`${app!.url}/agent/forms`);
    await expectAxeClean(page, 'the helpdesk forms');
    await Promise.all([page.waitForURL(new RegExp(`/forms/${keys.helpdesk}`)), page.click(`a[href="/forms/${keys.helpdesk}"]`)]);
    await page.selectOption('#fr-target', report.login);
    await page.fill('#fr-note', 'Called about the printer');
    await Promise.all([page.waitForURL(/\/runs\/\d+/), page.click('#fr-submit')]);
    expect(await page.textContent('#run-state')).to.equal('Completed');
    await Promise.all([page.waitForURL(/\/agent\/tickets\/\d+/), page.click('#run-ticket')]);
    expect(await page.textContent('main')).to.contain('Called about the printer');
  });

  it('has no serious or critical axe violations on the admin list, editor and approvals list', async () => {
    const page = await signedIn(await app!.createAgent('admin'));
    await page.goto(`${app!.url}/admin/forms`);
    await expectAxeClean(page, 'the forms list');
    await page.goto(`${app!.url}/admin/forms/${keys.service}`);
    await expectAxeClean(page, 'the form editor');
    await page.goto(`${app!.url}/admin/forms/new`);
    await expectAxeClean(page, 'a new form');
    await page.goto(`${app!.url}/approvals`);
    await expectAxeClean(page, 'my approvals');
  });
});
