import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, PHONE_VIEWPORT, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';
import { actorOf, createQueue, customerIn } from '../helpers/tickets.js';

describe('ticket dashboard and queue screens in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let admin: TestAccount;
  let actor: Actor;
  let queue: string;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    admin = await app.createAgent('admin');
    actor = await adminActor(app);
    const first = await createQueue(app, actor);
    const second = await createQueue(app, actor);
    queue = first.queue;
    const { tickets, deflections } = app.loket.container.services;
    const customer = await actorOf(app, await customerIn(app, actor, first.group, ['create']), 'customer-user');
    const other = await actorOf(app, await customerIn(app, actor, second.group, ['create']), 'customer-user');
    for (const title of ['Printer jams', 'VPN drops', 'Mail bounces']) await tickets.create(customer, { title, body: 'x', queue: first.queue }, null);
    await tickets.create(other, { title: 'Badge broken', body: 'x', queue: second.queue }, null);
    const category = await createFaqCategory(app, actor);
    const article = await createArticle(app, await agentActor(app), { category, title: 'Reset your password', visibility: 'public' }, await agentActor(app));
    await deflections.record(customer, article.id, 'opened', 'password');
    await deflections.record(customer, article.id, 'answered', 'password');
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

  it('draws both charts as titled, described images with their numbers in tables', async () => {
    const page = await adminPage();
    const response = await page.goto(`${app!.url}/agent/dashboard`);
    expect(response?.status()).to.equal(200);
    for (const [id, title] of [['dash-queues-chart', 'Open tickets per queue'], ['dash-days-chart', 'Tickets created and questions answered by the FAQ, per day']] as const) {
      const chart = page.getByRole('img', { name: title, exact: true });
      expect(await chart.count(), id).to.equal(1);
      expect(await chart.getAttribute('id')).to.equal(id);
      expect(await page.locator(`#${id} rect`).count(), `${id} has bars`).to.be.greaterThan(0);
      expect((await page.locator(`#${id}-desc`).textContent())?.length).to.be.greaterThan(20);
      const box = await chart.boundingBox();
      expect(box?.width, `${id} is drawn`).to.be.greaterThan(200);
    }
    // The tables open from the keyboard.
    const summary = page.locator('summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#dash-queues-table').isVisible()).to.equal(true);
    expect(await page.locator('#dash-queues-table tbody tr', { hasText: queue }).locator('td').last().textContent()).to.equal('3');
    expect(await page.locator('#dash-rate').textContent()).to.equal('20%');
    await expectAxeClean(page, 'the dashboard with a table open');
  });

  it('has no serious or critical axe violations on the dashboard, in light and dark, on a phone too', async () => {
    for (const options of [{}, { colorScheme: 'dark' as const }, { viewport: PHONE_VIEWPORT }]) {
      const page = await adminPage(options);
      await page.goto(`${app!.url}/agent/dashboard`);
      for (const summary of await page.locator('summary').all()) await summary.click();
      await expectAxeClean(page, `the dashboard ${JSON.stringify(options)}`);
    }
  });

  it('has no serious or critical axe violations on the queue list, forms and an agent\'s groups', async () => {
    const page = await adminPage();
    const agent = await app!.createAgent('agent');
    for (const path of ['/admin/queues', '/admin/queues/new', `/admin/queues/${encodeURIComponent(queue)}/edit`, `/admin/agents/${encodeURIComponent(agent.login)}/groups`, '/admin']) {
      const response = await page.goto(`${app!.url}${path}`);
      expect(response?.status(), path).to.equal(200);
      await expectAxeClean(page, path);
    }
    // A refused form: the error summary and the marked field.
    await page.goto(`${app!.url}/admin/queues/new`);
    await page.fill('#q-name', queue);
    await page.selectOption('#q-group', { index: 1 });
    await Promise.all([page.waitForLoadState('load'), page.click('#q-save')]);
    expect(await page.locator('.error-summary').textContent()).to.contain('There is already a queue with this name.');
    await expectAxeClean(page, 'the queue form with a duplicate name');
  });

  it('creates a queue with the keyboard alone', async () => {
    const page = await adminPage();
    await page.goto(`${app!.url}/admin/queues/new`);
    await page.focus('#q-name');
    const name = unique('Keyboard');
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.focus('#q-save');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'created'), page.keyboard.press('Enter')]);
    expect(await page.locator('#q-list').textContent()).to.contain(name);
  });
});
