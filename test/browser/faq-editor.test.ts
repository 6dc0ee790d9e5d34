import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { createCustomerUser } from '../helpers/customers.js';
import { createArticle, createFaqCategory } from '../helpers/faq.js';

describe('FAQ editor in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let admin: Actor;
  let writer: TestAccount;
  let reviewer: TestAccount;
  let category: string;
  const pages = pagePool(() => browser);

  const services = () => app!.loket.container.services;

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    const adminAccount = await app.createAgent('admin');
    admin = (await services().actors.resolve({ type: 'agent', id: adminAccount.id }, 'session'))!;
    writer = await app.createAgent('agent');
    reviewer = await app.createAgent('agent');
    category = await createFaqCategory(app, admin, { name: 'Working from home' });
    await services().catalogue.create(admin, { name: unique('VPN') }, cliSubject());
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  });

  async function signedIn(account: TestAccount, options: Parameters<typeof pages.open>[0] = {}): Promise<Page> {
    const page = await pages.open(options);
    await signInWithForm(page, app!.url, account);
    return page;
  }

  it('lets an agent write with a live preview, save and submit, and a second agent approve', async () => {
    const page = await signedIn(writer);
    await page.goto(`${app!.url}/faq/manage`);
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/faq/manage/new')), page.click('#fe-new')]);
    const slug = unique('home-vpn');
    await page.fill('#fe-slug', slug);
    await page.selectOption('#fe-language', 'en');
    await page.fill('#fe-title', 'Using the VPN at home');
    await page.selectOption('#fe-category', category);
    await page.selectOption('#fe-visibility', 'customer');
    // A marker on the window survives only if the page is not loaded again: the preview comes by script.
    await page.evaluate('window.stillHere = true');
    await page.locator('#fe-body').pressSequentially('# Before you start\n\nInstall the client.', { delay: 5 });
    await page.locator('#fe-preview h2', { hasText: 'Before you start' }).waitFor();
    expect(await page.evaluate('window.stillHere === true')).to.equal(true);
    expect(await page.locator('#fe-preview-status').textContent()).to.contain('unsaved');
    expect(await page.locator('#fe-preview p').textContent()).to.equal('Install the client.');

    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'created'), page.click('#fe-save')]);
    expect(await page.getByRole('status').first().textContent()).to.contain('The draft was created.');
    // Editing the saved draft shows the saved rendering first, then follows the typing.
    expect(await page.locator('#fe-preview h2').textContent()).to.equal('Before you start');
    await page.locator('#fe-body').press('End');
    await page.locator('#fe-body').pressSequentially('\n\n## Then connect', { delay: 5 });
    await page.locator('#fe-preview h3', { hasText: 'Then connect' }).waitFor();
    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'saved'), page.click('#fe-save')]);
    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'submitted'), page.click('#fe-submit')]);
    expect((await page.locator('#fe-state').textContent())?.trim()).to.equal('In review');
    expect(await page.locator('#fe-approve').count(), 'the author is offered no approval').to.equal(0);

    const second = await signedIn(reviewer);
    await second.goto(`${app!.url}/faq/manage/review`);
    await Promise.all([second.waitForURL((url) => /\/faq\/manage\/\d+$/.test(url.pathname)), second.getByRole('link', { name: 'Using the VPN at home' }).click()]);
    await Promise.all([second.waitForURL((url) => url.searchParams.get('notice') === 'approved'), second.click('#fe-approve')]);
    expect((await second.locator('#fe-state').textContent())?.trim()).to.equal('Published');
    const id = Number(/\/faq\/manage\/(\d+)/.exec(second.url())![1]);
    expect((await services().faqArticles.detail(admin, id)).article).to.include({ state: 'published', slug, version: 2 });

    // A customer-only article: nobody finds it anonymously; a signed-in customer user does.
    const visitor = await pages.open();
    await visitor.goto(`${app!.url}/faq/search?q=${encodeURIComponent('VPN at home')}`);
    expect(await visitor.getByRole('link', { name: 'Using the VPN at home' }).count()).to.equal(0);
    const customer = await signedIn(await createCustomerUser(app!, admin));
    await customer.goto(`${app!.url}/faq`);
    await customer.getByLabel('What are you looking for?').fill('vpn at home');
    await Promise.all([customer.waitForURL((url) => url.pathname.endsWith('/faq/search')), customer.getByRole('button', { name: 'Search' }).click()]);
    await Promise.all([customer.waitForURL((url) => url.pathname.endsWith(`/${slug}`)), customer.getByRole('link', { name: 'Using the VPN at home' }).click()]);
    expect(await customer.getByRole('heading', { level: 1 }).textContent()).to.equal('Using the VPN at home');
    expect(await customer.locator('.faq-body h2').first().textContent()).to.equal('Before you start');
  });

  it('has no serious or critical axe violations on the list, edit, review, versions, diff and other editor pages', async () => {
    const author = (await services().actors.resolve({ type: 'agent', id: writer.id }, 'session'))!;
    const article = await createArticle(app!, author, { category, title: 'Printing from a laptop', body: '# Printers\n\n- Pick the printer\n- Print' });
    await services().faqArticles.update(author, article.id, { title: 'Printing from your laptop', body: '# Printers\n\n- Choose the printer\n- Print' }, cliSubject());
    await services().faqArticles.submit(author, article.id, cliSubject());
    await services().faqReader.search(null, { q: 'plotter calibration', language: 'en', limit: 10 });
    const page = await signedIn(reviewer);
    const paths = ['/faq/manage', `/faq/manage/${article.id}`, '/faq/manage/review', `/faq/manage/${article.id}/versions`, `/faq/manage/${article.id}/diff?from=1&to=2`, '/faq/manage/new', '/faq/manage/gaps'];
    for (const path of paths) {
      const response = await page.goto(`${app!.url}${path}`);
      expect(response?.status(), path).to.equal(200);
      await expectAxeClean(page, path);
    }
    const adminAccount = await app!.createAgent('admin');
    const adminPage = await signedIn(adminAccount);
    for (const path of ['/faq/manage/categories', `/faq/manage/categories/${category}`]) {
      const response = await adminPage.goto(`${app!.url}${path}`);
      expect(response?.status(), path).to.equal(200);
      await expectAxeClean(adminPage, path);
    }
  });

  it('is axe-clean with an error on the form, and on a phone-sized screen', async () => {
    const page = await signedIn(writer, { viewport: { width: 375, height: 667 } });
    await page.goto(`${app!.url}/faq/manage/new`);
    await page.fill('#fe-slug', 'Not A Slug');
    await page.fill('#fe-title', 'Refused');
    await Promise.all([page.waitForLoadState('load'), page.click('#fe-save')]);
    expect(await page.locator('#fe-slug-error').textContent()).to.contain('lower-case letters');
    await expectAxeClean(page, 'the new-article form with an error');
  });
});
