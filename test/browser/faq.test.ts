import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { startTestApp, unique, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, pathOf, PHONE_VIEWPORT } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { adminActor } from '../helpers/customers.js';
import { agentActor, createArticle, createFaqCategory } from '../helpers/faq.js';

describe('the public FAQ in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let accounts: string;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    const admin: Actor = await adminActor(app);
    const writer = await agentActor(app);
    const reviewer = await agentActor(app);
    accounts = await createFaqCategory(app, admin, { name: 'Accounts and passwords' });
    const network = await createFaqCategory(app, admin, { name: 'Network and VPN' });
    const articles = [
      { category: accounts, slug: 'reset-password', en: ['Reset your password', 'Forgot your password? Set a new one yourself.', 'Open the sign-in page and choose **Forgot password**.\n\n## After the reset\n\nSign in with the new password everywhere.'], nl: ['Wachtwoord opnieuw instellen', 'Wachtwoord vergeten? Stel zelf een nieuw in.', 'Open de aanmeldpagina en kies **Wachtwoord vergeten**.\n\n## Na het herstellen\n\nMeld u overal aan met het nieuwe wachtwoord.'] },
      { category: accounts, slug: 'request-access', en: ['Request access to a shared mailbox', 'Who approves it and how long it takes.', 'Ask in the portal; your manager approves.'], nl: ['Toegang tot een gedeelde mailbox aanvragen', 'Wie het goedkeurt en hoe lang het duurt.', 'Vraag het aan in het portaal; uw leidinggevende keurt goed.'] },
      { category: network, slug: 'connect-vpn', en: ['Connect to the VPN', 'Working from home with the VPN client.', 'Install the client, then sign in with your account.'], nl: ['Verbinding maken met de VPN', 'Thuiswerken met de VPN-client.', 'Installeer de client en meld u aan met uw account.'] },
    ];
    for (const a of articles) {
      for (const language of ['en', 'nl'] as const) {
        const [title, summary, body] = a[language];
        await createArticle(app, writer, { category: a.category, slug: a.slug, language, title, summary, body, keywords: [] }, reviewer);
      }
    }
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  });

  const search = async (page: Page, words: string) => {
    await page.getByRole('searchbox').fill(words);
    await Promise.all([page.waitForURL((url) => url.pathname === '/faq/search'), page.getByRole('search').getByRole('button').click()]);
  };

  it('takes a newcomer from the FAQ home through English and Dutch search to an article and a vote', async () => {
    const page = await pages.open();
    const home = await page.goto(`${app!.url}/faq`);
    expect(home?.status()).to.equal(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Frequently asked questions');
    expect(await page.getByRole('link', { name: 'Accounts and passwords' }).isVisible()).to.equal(true);
    await expectAxeClean(page, 'the FAQ home page');

    await search(page, 'password');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Search results for “password”');
    expect(await page.getByRole('link', { name: 'Reset your password' }).isVisible()).to.equal(true);
    expect(await page.locator('.faq-snippet mark').first().textContent()).to.match(/password/i);
    await expectAxeClean(page, 'the search results');

    // The footer's language form: the page comes back in Dutch, and so does the FAQ's language.
    await page.selectOption('#language-select', 'nl');
    await Promise.all([page.waitForURL((url) => url.pathname === '/faq/search'), page.locator('footer button[type="submit"]').click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Zoeken in de veelgestelde vragen');

    await search(page, 'wachtwoord vergeten');
    expect(await page.getByRole('link', { name: 'Wachtwoord opnieuw instellen' }).isVisible()).to.equal(true);
    expect(await page.getByRole('link', { name: 'Reset your password' }).count()).to.equal(0);
    await expectAxeClean(page, 'the search results in Dutch');

    await Promise.all([page.waitForURL((url) => url.pathname === `/faq/${accounts}/reset-password`), page.getByRole('link', { name: 'Wachtwoord opnieuw instellen' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Wachtwoord opnieuw instellen');
    expect(await page.getByRole('heading', { level: 2, name: 'Na het herstellen' }).isVisible()).to.equal(true);
    expect(await page.getByRole('link', { name: /English: Reset your password/ }).isVisible()).to.equal(true);
    await expectAxeClean(page, 'the article page');

    await Promise.all([page.waitForURL((url) => url.searchParams.get('notice') === 'voted'), page.getByRole('button', { name: 'Ja' }).click()]);
    expect(pathOf(page)).to.equal(`/faq/${accounts}/reset-password`);
    expect(await page.getByRole('status').first().textContent()).to.equal('Bedankt voor uw reactie.');
    expect(await page.locator('.faq-votes').textContent()).to.equal('Nuttig: 1. Niet nuttig: 0.');
    await expectAxeClean(page, 'the article page after voting');
  });

  it('finds nothing helpfully, and reads well on a phone', async () => {
    const page = await pages.open({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    await page.goto(`${app!.url}/faq`);
    await search(page, unique('nothing').replace('-', ''));
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).to.match(/^Nothing found for/);
    expect(await page.getByRole('link', { name: 'Browse the categories' }).isVisible()).to.equal(true);
    await expectAxeClean(page, 'a search without results on a phone');
    await page.goto(`${app!.url}/faq/${accounts}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Accounts and passwords');
    await expectAxeClean(page, 'a category page on a phone');
  });
});
