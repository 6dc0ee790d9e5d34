import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { startTestApp, unique, type TestAccount, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, pathOf, signInWithForm, type ContextOptions } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';

describe('customer screens in a browser (real Chromium, axe-core)', function () {
  this.timeout(90000);
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let admin: TestAccount;
  let actor: Actor;
  let customerId: string;
  let userLogin: string;
  let customerUser: { login: string; password: string };
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    browser = await launchBrowser();
    app = await startTestApp();
    admin = await app.createAgent('admin');
    const services = app.loket.container.services;
    actor = (await services.actors.resolve({ type: 'agent', id: admin.id }, 'session'))!;
    customerId = unique('ACME');
    await services.customers.create(actor, { customerId, name: 'Acme Widgets', city: 'Utrecht' }, cliSubject());
    userLogin = unique('jan');
    customerUser = { login: userLogin, password: `pw-${randomBytes(12).toString('hex')}` };
    await services.customerUsers.create(
      actor,
      { login: userLogin, email: `${userLogin}@example.test`, customerId, firstName: 'Jan', lastName: 'Jansen', phone: '+31 30 123 4567', password: customerUser.password },
      cliSubject(),
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

  const freshPage = (options: ContextOptions = {}): Promise<Page> => pages.open(options);

  it('has no serious or critical axe violations on the customer, customer-user and field-map pages', async () => {
    const page = await freshPage();
    await signInWithForm(page, app!.url, admin);
    const paths = [
      '/customers',
      `/customers/${encodeURIComponent(customerId)}`,
      '/customer-users',
      '/customer-users/new',
      `/customer-users/${userLogin}`,
      '/admin/field-map',
    ];
    for (const path of paths) {
      const response = await page.goto(`${app!.url}${path}`);
      expect(response?.status(), path).to.equal(200);
      await expectAxeClean(page, path);
    }
  });

  it('keeps a refused form accessible: error summary, inline error and the typed values', async () => {
    const page = await freshPage();
    await signInWithForm(page, app!.url, admin);
    await page.goto(`${app!.url}/customer-users/new`);
    await page.fill('#cu-firstName', 'Only');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/customer-users'),
      page.click('#cu-submit'),
    ]);
    await page.waitForLoadState();
    expect(response.status()).to.equal(400);
    expect(await page.getByRole('alert').textContent()).to.contain('There is a problem');
    expect(await page.inputValue('#cu-firstName')).to.equal('Only');
    expect(await page.getAttribute('#cu-lastName', 'aria-invalid')).to.equal('true');
    await expectAxeClean(page, 'the customer-user form with an error');
  });

  for (const [language, locale, heading] of [['nl', 'nl-NL', 'Nieuwe klantgebruiker'], ['nb', 'nb-NO', 'Ny kundebruker']] as const) {
    it(`is axe-clean in ${language}: the user form, the customer list and the field map`, async () => {
      const page = await freshPage({ locale });
      await signInWithForm(page, app!.url, admin);
      await page.goto(`${app!.url}/customer-users/new`);
      expect(await page.getAttribute('html', 'lang')).to.equal(language);
      expect((await page.locator('h1').textContent())?.trim()).to.equal(heading);
      await expectAxeClean(page, `/customer-users/new (${language})`);
      for (const path of ['/customers', '/admin/field-map']) {
        await page.goto(`${app!.url}${path}`);
        await expectAxeClean(page, `${path} (${language})`);
      }
    });
  }

  it('shows a customer user their profile, axe-clean', async () => {
    const page = await freshPage();
    await signInWithForm(page, app!.url, customerUser);
    expect(pathOf(page)).to.equal('/portal');
    await page.getByRole('link', { name: 'Your profile' }).click();
    await page.waitForURL((url) => url.pathname === '/portal/profile');
    expect(await page.inputValue('#p-firstName')).to.equal('Jan');
    await expectAxeClean(page, '/portal/profile');
  });

  it('lets an admin create a customer user with the keyboard alone', async () => {
    const page = await freshPage();
    await signInWithForm(page, app!.url, admin);
    await page.goto(`${app!.url}/customer-users/new`);
    const focused = page.locator(':focus');
    const focusedId = async (): Promise<string> => ((await focused.count()) === 1 ? ((await focused.getAttribute('id')) ?? '(no id)') : '(nothing)');
    const stops: string[] = [];
    /** Presses Tab (forward only) until the control is focused: the form's order is the reading order. */
    async function tabTo(id: string): Promise<void> {
      for (let i = 0; i < 40; i += 1) {
        await page.keyboard.press('Tab');
        stops.push(await focusedId());
        if (stops.at(-1) === id) return;
      }
      throw new Error(`Tab never reached #${id}; stops: ${stops.join(' → ')}`);
    }

    await page.keyboard.press('Tab');
    expect(await page.locator('a.skip-link:focus').count(), 'the first Tab stop is the skip link').to.equal(1);
    await page.keyboard.press('Enter');
    const login = unique('kbd');
    const typed: [string, string][] = [
      ['cu-firstName', 'Kari'],
      ['cu-lastName', 'Nordmann'],
      ['cu-login', login],
      ['cu-email', `${login}@example.test`],
      ['cu-customerId', customerId],
    ];
    for (const [id, value] of typed) {
      await tabTo(id);
      await page.keyboard.type(value);
    }
    await tabTo('cu-key-user-primary');
    await page.keyboard.press('Space');
    await tabTo('cu-submit');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/customer-users'),
      page.keyboard.press('Enter'),
    ]);
    await page.waitForLoadState();
    expect(response.status(), `Tab stops: ${stops.join(' → ')}`).to.equal(201);
    expect(await page.locator('code.secret').textContent()).to.match(/^\S{12,}$/);
    const created = await app!.loket.container.services.customerUsers.findByLogin(login);
    expect(created?.fields).to.include({ firstName: 'Kari', lastName: 'Nordmann' });
    expect(created?.keyUserOf).to.deep.equal([customerId]);
    await expectAxeClean(page, 'the page after creating a customer user');
  });
});
