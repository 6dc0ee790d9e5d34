import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, PHONE_VIEWPORT, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import type { TestCustomerUser } from '../helpers/customers.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';
import { actorOf, agentIn, createQueue, customerIn } from '../helpers/tickets.js';

describe('agent ticket screens in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let admin: Actor;
  let agent: TestAccount;
  let customer: TestCustomerUser;
  let stranger: TestCustomerUser;
  let category: string;
  let articleTitle: string;
  let keyword: string;
  let articleSlug: string;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    admin = await adminActor(app);
    const { group } = await createQueue(app, admin);
    agent = await agentIn(app, admin, group, ['rw']);
    customer = await customerIn(app, admin, group, ['create']);
    stranger = await customerIn(app, admin, group, ['create']);
    category = await createFaqCategory(app, admin, { name: 'Printing' });
    keyword = unique('toner').replace('-', '');
    articleTitle = `Replace the ${keyword} cartridge`;
    ({ slug: articleSlug } = await createArticle(app, await agentActor(app), { category, title: articleTitle, summary: 'Five steps, two minutes.', body: `Open the front panel and swap the ${keyword} cartridge.`, visibility: 'customer' }, await agentActor(app)));
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  });

  async function signedIn(account: { login: string; password: string }, options: Parameters<typeof pages.open>[0] = {}): Promise<Page> {
    const page = await pages.open(options);
    await signInWithForm(page, app!.url, account);
    return page;
  }

  async function customerTicket(title: string, body: string): Promise<string> {
    const actor = await actorOf(app!, customer, 'customer-user');
    return (await app!.loket.container.services.tickets.create(actor, { title, body, queue: (await app!.loket.container.services.tickets.fileableQueues(actor))[0]!.name }, null)).ticket.number;
  }

  it('answers a customer with a linked FAQ article, which the customer then sees; another customer gets 404', async () => {
    const question = 'The printer says the cartridge is empty.';
    const number = await customerTicket('Printer out of toner', question);
    const page = await signedIn(agent);

    await page.goto(`${app!.url}/agent/tickets`);
    await expectAxeClean(page, 'the agent ticket list');
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith(`/agent/tickets/${number}`)), page.getByRole('link', { name: 'Printer out of toner' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Printer out of toner');
    expect(await page.locator('#at-messages').textContent()).to.contain(question);
    await expectAxeClean(page, 'the agent ticket page');

    await page.getByRole('searchbox', { name: 'Search the FAQ for an answer' }).fill(keyword);
    await Promise.all([page.waitForURL((url) => url.searchParams.get('faq') === keyword), page.locator('#at-faq-search-button').click()]);
    const result = page.locator('#at-faq-results li', { hasText: articleTitle });
    expect(await result.count()).to.equal(1);
    await result.getByRole('checkbox').check();
    await expectAxeClean(page, 'the agent ticket page with FAQ results');

    // The enhancement: the article's address goes into the answer, on a line of its own.
    await page.fill('#at-reply-body', 'Hello, this shows how:');
    await page.locator('#at-reply-body').press('End');
    await result.getByRole('button', { name: `Insert link: ${articleTitle}` }).click();
    const answer = await page.inputValue('#at-reply-body');
    expect(answer).to.match(new RegExp(`^Hello, this shows how:\\n${articleTitle}: http://127\\.0\\.0\\.1:\\d+/faq/${category}/${articleSlug}\\?lang=en$`));
    expect(await page.locator('#at-faq-status').textContent()).to.equal('The link was put into your answer.');

    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'replied'), page.locator('#at-reply-send').click()]);
    expect(await page.locator('.notice').textContent()).to.equal('Your answer was sent.');
    expect(await page.locator('#at-faqs').textContent()).to.contain(articleTitle);
    expect(await page.locator('#at-state-now').textContent()).to.equal('Open');

    // The customer's side, in a context of their own.
    const own = await signedIn(customer);
    // Built in parallel by another issue: while the portal has no ticket list yet, there is no ticket page either.
    const portalReady = (await own.goto(`${app!.url}/portal/tickets`))?.status() === 200;
    if (portalReady) {
      expect((await own.goto(`${app!.url}/portal/tickets/${number}`))?.status()).to.equal(200);
      const shown = (await own.locator('main').textContent()) ?? '';
      expect(shown).to.contain('Hello, this shows how:');
      expect(await own.getByRole('link', { name: articleTitle }).count()).to.be.greaterThan(0);
    } else {
      // The portal's ticket page is not built yet (another issue): the customer's view through the service instead.
      const view = await app!.loket.container.services.tickets.view(await actorOf(app!, customer, 'customer-user'), number);
      expect(view.ticket.messages.map((m) => m.body).join('\n')).to.contain('Hello, this shows how:');
      expect(view.faqs.map((f) => f.title)).to.deep.equal([articleTitle]);
    }

    const other = await signedIn(stranger);
    const refused = await other.goto(`${app!.url}/portal/tickets/${number}`);
    expect(refused?.status()).to.equal(404);
    expect((await other.locator('main').textContent()) ?? '').not.to.contain('Printer out of toner');
  });

  it('keeps the ticket pages free of serious axe violations: internal notes, a refused reply, a phone, dark mode, the new-ticket form', async () => {
    const number = await customerTicket('Scanner <b>offline</b>', 'Since this morning.');
    const page = await signedIn(agent);
    await page.goto(`${app!.url}/agent/tickets/${number}`);
    await page.fill('#at-reply-body', 'Checked the switch port.');
    await page.check('#at-reply-internal');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'noted'), page.locator('#at-reply-send').click()]);
    expect(await page.locator('.at-internal').textContent()).to.contain('Internal note — not visible to the customer');
    await expectAxeClean(page, 'a ticket with an internal note');

    await Promise.all([page.waitForLoadState('load'), page.locator('#at-reply-send').click()]);
    expect(await page.locator('.error-summary').textContent()).to.contain('Write what it is about.');
    await expectAxeClean(page, 'a refused reply');

    for (const options of [{ viewport: PHONE_VIEWPORT }, { colorScheme: 'dark' as const }]) {
      const other = await signedIn(agent, options);
      for (const path of [`/agent/tickets/${number}?faq=${keyword}`, '/agent/tickets?state=all', '/agent/tickets/new']) {
        const response = await other.goto(`${app!.url}${path}`);
        expect(response?.status(), path).to.equal(200);
        await expectAxeClean(other, `${path} ${JSON.stringify(options)}`);
      }
    }
  });
});
