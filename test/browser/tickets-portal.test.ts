import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import type { Article } from '../../plugin/faq/schema.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, PHONE_VIEWPORT, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import type { TestCustomerUser } from '../helpers/customers.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';
import { createQueue, customerIn } from '../helpers/tickets.js';

describe('portal ticket pages in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let admin: Actor;
  let group: string;
  let keyword: string;
  let found: Article;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    admin = await adminActor(app);
    ({ group } = await createQueue(app, admin));
    const category = await createFaqCategory(app, admin, { name: 'Printing' });
    keyword = unique('fuser').replace('-', '');
    found = await createArticle(
      app,
      await agentActor(app),
      { category, title: `When the ${keyword} unit overheats`, summary: 'Let it cool down for ten minutes.', body: `Switch the printer off and let the ${keyword} unit cool down.`, visibility: 'customer' },
      await agentActor(app),
    );
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  });

  async function signedIn(account: TestCustomerUser, options: Parameters<typeof pages.open>[0] = {}): Promise<Page> {
    const page = await pages.open(options);
    await signInWithForm(page, app!.url, account);
    return page;
  }

  const newCustomer = () => customerIn(app!, admin, group, ['create']);

  it('suggests an FAQ article while typing, keeps the draft across reading it, then files the ticket with the article linked', async () => {
    const page = await signedIn(await newCustomer());
    await page.goto(`${app!.url}/portal`);
    await expectAxeClean(page, 'the portal home');
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/portal/tickets/new')), page.getByRole('button', { name: 'New ticket' }).click()]);
    await expectAxeClean(page, 'the new-ticket page');

    const title = `The ${keyword} light is blinking`;
    const body = 'It started after the paper jam.\nRestarting did not help.';
    await page.getByLabel('Subject').fill(title);
    await page.getByLabel('Description').fill(body);
    const suggestion = page.locator('#tp-suggestions').getByRole('link', { name: found.title });
    await suggestion.waitFor();
    expect(await page.locator('#tp-suggestions').getAttribute('aria-live')).to.equal('polite');
    expect(await page.locator('#tp-suggestions li').count()).to.be.at.most(5);
    // Suggestions never take the focus away from what the person is typing, and the next Tab reaches them.
    expect(await page.evaluate<string>('document.activeElement ? document.activeElement.id : ""')).to.equal('tp-body');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement ? document.activeElement.textContent : ""')).to.equal(found.title);
    await expectAxeClean(page, 'the new-ticket page with suggestions');

    await Promise.all([page.waitForURL((url) => url.pathname.endsWith(`/portal/tickets/new/faq/${found.id}`)), page.keyboard.press('Enter')]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(found.title);
    expect(await page.locator('.faq-body').textContent()).to.contain('cool down');
    await expectAxeClean(page, 'a suggested article in the ticket flow');

    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/portal/tickets/new')), page.getByRole('button', { name: 'Back to my ticket' }).click()]);
    expect(await page.getByLabel('Subject').inputValue()).to.equal(title);
    expect(await page.getByLabel('Description').inputValue()).to.equal(body);
    expect(await page.locator('#tp-kept').count()).to.equal(1);

    await Promise.all([page.waitForURL((url) => /\/portal\/tickets\/\d+$/.test(url.pathname)), page.getByRole('button', { name: 'File the ticket' }).click()]);
    const number = /\/portal\/tickets\/(\d+)$/.exec(new URL(page.url()).pathname)![1]!;
    expect(await page.locator('.notice').textContent()).to.contain(`Ticket ${number} filed.`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(title);
    expect(await page.locator('.tp-message-body').first().textContent()).to.equal(body);
    expect(await page.locator('#tp-looked-at').getByRole('link', { name: found.title }).count()).to.equal(1);
    await expectAxeClean(page, 'the ticket page');

    // The draft went with the ticket: the next form starts empty.
    await page.goto(`${app!.url}/portal/tickets/new`);
    expect(await page.getByLabel('Subject').inputValue()).to.equal('');
  });

  it('works without JavaScript: the check step lists the article, and "File the ticket anyway" files', async () => {
    // The form's script is kept away rather than JavaScript switched off: axe itself runs as a script.
    const page = await signedIn(await newCustomer());
    await page.route('**/assets/js/ticket-form.js', (route) => route.abort());
    await page.goto(`${app!.url}/portal/tickets/new`);
    await page.getByLabel('Subject').fill(`${keyword} error 42`);
    await page.getByLabel('Description').fill('The display shows error 42.');
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/portal/tickets')), page.getByRole('button', { name: 'File the ticket' }).click()]);
    expect(await page.getByRole('heading', { name: 'Check the FAQ first' }).count()).to.equal(1);
    expect(await page.locator('#tp-check').getByRole('link', { name: found.title }).count()).to.equal(1);
    await expectAxeClean(page, 'the check step');
    await Promise.all([page.waitForURL((url) => /\/portal\/tickets\/\d+$/.test(url.pathname)), page.getByRole('button', { name: 'File the ticket anyway' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(`${keyword} error 42`);
  });

  it('shows an XSS title as text, on a phone and in dark mode without serious axe violations', async () => {
    const customer = await newCustomer();
    for (const options of [{ viewport: PHONE_VIEWPORT }, { colorScheme: 'dark' as const }]) {
      const title = `<img src=x onerror="window.__xss=1">Scanner ${unique('s')}`;
      const page = await signedIn(customer, options);
      await page.goto(`${app!.url}/portal/tickets/new`);
      await page.getByLabel('Subject').fill(title);
      await page.getByLabel('Description').fill('<script>window.__xss=2</script>');
      await Promise.all([page.waitForURL((url) => /\/portal\/tickets\/\d+$/.test(url.pathname)), page.getByRole('button', { name: 'File the ticket' }).click()]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(title);
      expect(await page.locator('main img, main script:not([src])').count()).to.equal(0);
      expect(await page.evaluate<string>('typeof window.__xss')).to.equal('undefined');
      await expectAxeClean(page, `the ticket page ${JSON.stringify(options)}`);
      await page.goto(`${app!.url}/portal/tickets`);
      expect(await page.locator('#tp-tickets').getByText(title).count()).to.equal(1);
      await expectAxeClean(page, `the ticket list ${JSON.stringify(options)}`);
    }
  });
});
