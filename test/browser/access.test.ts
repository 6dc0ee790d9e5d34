import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { createCustomerUser, ensureCustomer, type TestCustomerUser } from '../helpers/customers.js';

describe('group, service and assignment screens in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let admin: TestAccount;
  let actor: Actor;
  let group: string;
  let customerGroup: string;
  let service: string;
  let customerId: string;
  let user: TestCustomerUser;
  let members: TestCustomerUser[];
  const pages = pagePool(() => browser);

  const services = () => app!.loket.container.services;
  const groupPath = (name: string) => `/groups/${encodeURIComponent(name)}`;
  const userPath = (login: string) => `/customer-users/${encodeURIComponent(login)}`;

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    admin = await app.createAgent('admin');
    actor = (await services().actors.resolve({ type: 'agent', id: admin.id }, 'session'))!;
    group = unique('it-support');
    customerGroup = unique('facilities');
    for (const name of [group, customerGroup]) await services().groups.create(actor, { name, comment: `The ${name} desk` }, cliSubject());
    const root = unique('IT');
    service = `${root}::Email`;
    for (const name of [root, service, `${root}::Laptops`]) await services().catalogue.create(actor, { name }, cliSubject());
    customerId = unique('ACME');
    await ensureCustomer(app, actor, customerId, 'Acme Widgets');
    user = await createCustomerUser(app, actor, { customerId });
    members = [await createCustomerUser(app, actor, { customerId }), await createCustomerUser(app, actor, { customerId })];
    await services().assignments.setGroups(actor, { kind: 'customer', customerId }, { groups: [{ group: customerGroup, permissions: ['ro'] }] }, cliSubject());
    await services().assignments.setMembers(actor, group, members.map((m) => ({ customerUser: m.login, permissions: ['ro'] })), cliSubject());
    await services().assignments.setServices(actor, { kind: 'group', name: group }, { services: [service] }, cliSubject());
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  });

  async function adminPage(options: Parameters<typeof pages.open>[0] = {}): Promise<Page> {
    const page = await pages.open(options);
    await signInWithForm(page, app!.url, admin);
    return page;
  }

  it('has no serious or critical axe violations on the group, service, defaults, user and customer pages', async () => {
    const page = await adminPage();
    const paths = ['/groups', groupPath(group), `${groupPath(group)}?members=customers`, '/services', `/services/${encodeURIComponent(service)}`, '/admin/defaults', userPath(user.login), `/customers/${encodeURIComponent(customerId)}`];
    for (const path of paths) {
      const response = await page.goto(`${app!.url}${path}`);
      expect(response?.status(), path).to.equal(200);
      await expectAxeClean(page, path);
    }
  });

  it('is axe-clean for an agent, who reads the same pages without forms', async () => {
    const agent = await app!.createAgent('agent');
    const page = await pages.open();
    await signInWithForm(page, app!.url, agent);
    for (const path of [groupPath(group), userPath(user.login)]) {
      await page.goto(`${app!.url}${path}`);
      expect(await page.locator('input[name="grant"], input[name$="-perm"]').count(), path).to.equal(0);
      await expectAxeClean(page, `${path} (agent)`);
    }
  });

  it('previews a ticked box on the user page at once, without a page load, and saves nothing', async () => {
    const user = await createCustomerUser(app!, actor, { customerId });
    const page = await adminPage();
    await page.goto(`${app!.url}${userPath(user.login)}`);
    const caption = page.locator('#acc-eff-caption');
    expect(await caption.textContent()).to.equal('Effective permissions by group and type, with the reasons');
    const row = page.locator('#acc-eff-groups tbody tr', { has: page.locator('th', { hasText: group }) });
    expect(await row.count(), 'no permission in the group yet').to.equal(0);
    // A marker on the window survives only if the page is not loaded again.
    await page.evaluate('window.stillHere = true');
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/customer-users/${encodeURIComponent(user.login)}/effective-permissions/preview`));
    await page.getByRole('checkbox', { name: `rw in ${group}`, exact: true }).check();
    expect((await answered).status()).to.equal(200);
    await page.locator('#acc-eff-caption', { hasText: /^Preview — not saved/ }).waitFor();
    expect(await page.evaluate('window.stillHere === true')).to.equal(true);
    expect(await page.locator('#acc-preview-status').textContent()).to.contain('Preview — not saved');
    const cells = await row.locator('td').allTextContents();
    expect(cells.map((c) => c.trim())).to.deep.equal(['direct, implied by rw', 'direct, implied by rw', 'direct']);
    // The group's service comes with the group; the customer's group stays as it was.
    const entitled = page.locator('#acc-eff-services tbody tr', { has: page.locator('th', { hasText: service }) });
    expect((await entitled.locator('td').textContent())?.trim()).to.equal(`via group ${group}`);
    const viaCustomer = page.locator('#acc-eff-groups tbody tr', { has: page.locator('th', { hasText: customerGroup }) });
    expect((await viaCustomer.locator('td').first().textContent())?.trim()).to.equal(`via customer Acme Widgets (${customerId})`);
    await expectAxeClean(page, 'the user page showing a preview');
    expect(await services().assignments.groupsOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ groups: [] });

    // Unticking redraws again: the preview follows the boxes, not the first answer.
    const again = page.waitForResponse((r) => r.url().endsWith('/effective-permissions/preview'));
    await page.getByRole('checkbox', { name: `rw in ${group}`, exact: true }).uncheck();
    await again;
    await row.waitFor({ state: 'detached' });
  });

  it('previews through the Preview button when JavaScript is off, and then saves the same boxes', async () => {
    const user = await createCustomerUser(app!, actor, { customerId });
    const page = await adminPage({ javaScriptEnabled: false });
    await page.goto(`${app!.url}${userPath(user.login)}`);
    await page.getByRole('checkbox', { name: `create in ${group}`, exact: true }).check();
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/assignments/preview')), page.click('#acc-preview')]);
    expect(await page.locator('#acc-eff-caption').textContent()).to.match(/^Preview — not saved/);
    expect(await page.getByRole('checkbox', { name: `create in ${group}`, exact: true }).isChecked()).to.equal(true);
    expect(await services().assignments.groupsOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ groups: [] });
    // axe runs in the page, so its check of this page is the next test's, with scripts on.
    await Promise.all([page.waitForURL((url) => url.search === '?notice=saved'), page.click('#acc-save')]);
    expect(await services().assignments.groupsOf(actor, { kind: 'customer-user', login: user.login })).to.deep.equal({ groups: [{ group, permissions: ['create'] }] });
  });

  it('is axe-clean on the page the Preview button brings back', async () => {
    const user = await createCustomerUser(app!, actor, { customerId });
    const page = await adminPage();
    await page.goto(`${app!.url}${userPath(user.login)}`);
    await page.getByRole('checkbox', { name: `ro in ${group}`, exact: true }).check();
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/assignments/preview')), page.click('#acc-preview')]);
    expect(await page.locator('#acc-preview-status').textContent()).to.contain('Preview — not saved');
    await expectAxeClean(page, 'the user page after the Preview button');
  });

  it('lets an admin change and extend the members matrix with the keyboard alone', async () => {
    // A group of its own: the other tests add members to the shared one.
    const matrixGroup = unique('matrix');
    await services().groups.create(actor, { name: matrixGroup }, cliSubject());
    const people = [await createCustomerUser(app!, actor, { customerId }), await createCustomerUser(app!, actor, { customerId })];
    await services().assignments.setMembers(actor, matrixGroup, people.map((m) => ({ customerUser: m.login, permissions: ['ro'] })), cliSubject());
    const newcomer = await createCustomerUser(app!, actor, { customerId });
    const page = await adminPage();
    await page.goto(`${app!.url}${groupPath(matrixGroup)}`);
    const focused = page.locator(':focus');
    const focusedId = async (): Promise<string> => ((await focused.count()) === 1 ? ((await focused.getAttribute('id')) ?? '(no id)') : '(nothing)');
    const stops: string[] = [];
    async function tabTo(id: string): Promise<void> {
      for (let i = 0; i < 150; i += 1) {
        await page.keyboard.press('Tab');
        stops.push(await focusedId());
        if (stops.at(-1) === id) return;
      }
      throw new Error(`Tab never reached #${id}; stops: ${stops.join(' → ')}`);
    }

    const [first, second] = [...people].sort((a, b) => a.login.localeCompare(b.login)) as [TestCustomerUser, TestCustomerUser];
    const rw = await page.getByRole('checkbox', { name: `rw for ${first.login}`, exact: true }).getAttribute('id');
    const ro = await page.getByRole('checkbox', { name: `ro for ${second.login}`, exact: true }).getAttribute('id');
    await tabTo(rw!);
    await page.keyboard.press('Space');
    await tabTo(ro!);
    await page.keyboard.press('Space');
    await tabTo('m-add-member');
    await page.keyboard.type(newcomer.login);
    await tabTo('m-add-create');
    await page.keyboard.press('Space');
    await tabTo('m-save');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'membersSaved'), page.keyboard.press('Enter')]);
    expect(await page.getByRole('status').first().textContent(), `Tab stops: ${stops.join(' → ')}`).to.contain('Saved: 3 members on this page.');

    const after = await services().assignments.members(actor, matrixGroup, 'customer-user', { limit: 50, offset: 0 });
    const held = Object.fromEntries(after.items.map((i) => [i.key, [...i.permissions].sort()]));
    expect(held).to.deep.equal({ [first.login]: ['ro', 'rw'], [newcomer.login]: ['create'] });
    await expectAxeClean(page, 'the group page after saving the matrix');
  });
});
