import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestAccount, type TestApp } from '../helpers/app.js';
import {
  browserAvailable,
  DESKTOP_VIEWPORT,
  expectAxeClean,
  launchBrowser,
  pagePool,
  pathOf,
  PHONE_VIEWPORT,
  signInWithForm,
  type ContextOptions,
} from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';

describe('browser smoke test (real Chromium, axe-core)', function () {
  this.timeout(60000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.close();
    }
  });

  const freshPage = (options: ContextOptions = {}): Promise<Page> => pages.open(options);

  it('serves a login page with no serious or critical axe violations, on a desktop and on a phone', async () => {
    for (const [label, viewport] of [['desktop', DESKTOP_VIEWPORT], ['phone', PHONE_VIEWPORT]] as const) {
      const page = await freshPage({ viewport, isMobile: label === 'phone', hasTouch: label === 'phone' });
      const response = await page.goto(`${app!.url}/login`);
      expect(response?.status()).to.equal(200);
      expect(await page.locator('h1').textContent()).to.equal('Sign in');
      await expectAxeClean(page, `the login page (${label} ${viewport.width}x${viewport.height})`);
    }
  });

  it('signs an admin in through the login page: /admin, /admin/agents and /tokens are axe-clean, on a desktop and on a phone', async () => {
    const admin = await app!.createAgent('admin');
    const page = await freshPage();
    await signInWithForm(page, app!.url, admin);
    expect(pathOf(page)).to.equal('/admin');
    expect(await page.getByRole('heading', { level: 1, name: 'Administration' }).isVisible()).to.equal(true);
    await expectAxeClean(page, '/admin');
    for (const path of ['/admin/agents', '/tokens']) {
      const response = await page.goto(`${app!.url}${path}`);
      expect(response?.status(), path).to.equal(200);
      expect(pathOf(page)).to.equal(path);
      await expectAxeClean(page, path);
    }
    // Narrow screens make the tables scroll sideways: the scrolling region must be reachable by keyboard.
    await page.setViewportSize(PHONE_VIEWPORT);
    for (const path of ['/admin', '/admin/agents', '/tokens']) {
      await page.goto(`${app!.url}${path}`);
      await expectAxeClean(page, `${path} (phone ${PHONE_VIEWPORT.width}x${PHONE_VIEWPORT.height})`);
    }
  });

  it('signs an agent in through the login page: lands on /agent, which is axe-clean', async () => {
    const agent = await app!.createAgent('agent');
    const page = await freshPage();
    await signInWithForm(page, app!.url, agent);
    expect(pathOf(page)).to.equal('/agent');
    expect(await page.locator('h1').isVisible()).to.equal(true);
    await expectAxeClean(page, '/agent');
  });

  it('keeps a wrong password on the login page with an error message, and the error state is axe-clean', async () => {
    const agent = await app!.createAgent('agent');
    const page = await freshPage();
    await page.goto(`${app!.url}/login`);
    await page.fill('#login', agent.login);
    await page.fill('#password', `${agent.password}-wrong`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.click('main form button[type="submit"]'),
    ]);
    await page.waitForLoadState();
    expect(response.status()).to.equal(401);
    expect(pathOf(page)).to.equal('/login');
    const alert = page.getByRole('alert');
    expect((await alert.textContent())?.trim()).to.equal('The login or password is incorrect.');
    expect(await page.inputValue('#login')).to.equal(agent.login);
    expect(await page.inputValue('#password')).to.equal('');
    await expectAxeClean(page, 'the login page showing a failed sign-in');
  });

  it('can be used with the keyboard alone: Tab reaches the skip link first, and sign-in completes with Tab and Enter', async () => {
    const agent = await app!.createAgent('agent');
    const page = await freshPage();
    await page.goto(`${app!.url}/login`);
    // The project compiles without the DOM library, so focus is read through locators, not document.activeElement.
    const focused = page.locator(':focus');
    const focusedId = async (): Promise<string> => ((await focused.count()) === 1 ? ((await focused.getAttribute('id')) ?? '(no id)') : '(nothing)');

    await page.keyboard.press('Tab');
    expect(await page.locator('a.skip-link:focus').count(), 'the first Tab stop is the skip link').to.equal(1);
    expect((await focused.textContent())?.trim()).to.equal('Skip to content');
    expect(await page.locator('.skip-link').isVisible(), 'the focused skip link is on screen').to.equal(true);
    const box = await page.locator('.skip-link').boundingBox();
    expect(box?.x ?? -1, 'the focused skip link is moved into view').to.be.at.least(0);

    // Following the skip link moves focus to the main content.
    // Following a fragment link is asynchronous in Chromium: wait for the URL to change before reading it.
    await Promise.all([page.waitForURL((url) => url.hash === '#main', { timeout: 5000, waitUntil: 'commit' }).catch(() => undefined), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).hash).to.equal('#main');
    expect(await focusedId()).to.equal('main');

    // From the top of <main>, Tab forward to the login field (a bounded walk, recorded for the message).
    const stops: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Tab');
      stops.push(await focusedId());
      if (stops.at(-1) === 'login') break;
    }
    expect(stops.at(-1), `Tab stops: ${stops.join(' → ')}`).to.equal('login');
    await page.keyboard.type(agent.login);
    await page.keyboard.press('Tab');
    expect(await focusedId()).to.equal('password');
    await page.keyboard.type(agent.password);
    await Promise.all([page.waitForURL((url) => url.pathname === '/agent'), page.keyboard.press('Enter')]);
    expect(pathOf(page)).to.equal('/agent');
  });

  it('signs out through the navigation\'s "Sign out" button back to the login page', async () => {
    const agent = await app!.createAgent('agent');
    const page = await freshPage();
    await signInWithForm(page, app!.url, agent);
    expect(pathOf(page)).to.equal('/agent');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click(),
    ]);
    expect(pathOf(page)).to.equal('/login');
    expect((await page.getByRole('status').textContent())?.trim()).to.equal('You have been signed out.');
    // The session really is gone: the agent page sends us back to the login page.
    await page.goto(`${app!.url}/agent`);
    expect(pathOf(page)).to.equal('/login');
  });

  it('switches the interface to Dutch with the footer language picker, and the choice sticks', async () => {
    const page = await freshPage();
    await page.goto(`${app!.url}/login`);
    expect(await page.locator('h1').textContent()).to.equal('Sign in');
    await page.selectOption('select#language-select', 'nl');
    await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.click('footer form.language-form button[type="submit"]')]);
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).to.equal('Inloggen');
    expect(await page.getAttribute('html', 'lang')).to.equal('nl');

    // A fresh load (not a redirect after the POST) still speaks Dutch, although the browser asks for English.
    await page.goto(`${app!.url}/login`);
    expect(await page.locator('h1').textContent()).to.equal('Inloggen');
    expect(await page.inputValue('select#language-select')).to.equal('nl');
  });

  describe('mounted under /helpdesk', () => {
    let mounted: TestApp | undefined;
    before(async function () {
      this.timeout(60000);
      mounted = await startTestApp({ mountPath: '/helpdesk' });
    });
    after(async () => {
      await mounted?.close();
    });

    it('loads its stylesheet from under the mount path and signs in to /helpdesk/agent', async () => {
      const account: TestAccount = await mounted!.createAgent('agent');
      const page = await freshPage();
      const assets = new Map<string, number>();
      const failed: string[] = [];
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.includes('/assets/')) assets.set(path, r.status());
      });
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(`${mounted!.url}/login`);
      await page.waitForLoadState('load');
      expect(assets.get('/helpdesk/assets/css/loket.css'), JSON.stringify([...assets])).to.equal(200);
      expect(assets.get('/helpdesk/assets/vendor/pico/pico.min.css'), JSON.stringify([...assets])).to.equal(200);
      expect(failed).to.deep.equal([]);
      // The CSS is applied, not just fetched: loket.css moves the unfocused skip link off screen.
      const box = await page.locator('.skip-link').boundingBox();
      expect(box?.x, 'the skip link\'s position').to.be.below(-1000);

      await signInWithForm(page, mounted!.url, account);
      expect(pathOf(page)).to.equal('/helpdesk/agent');
      await expectAxeClean(page, '/helpdesk/agent');
    });
  });
});
