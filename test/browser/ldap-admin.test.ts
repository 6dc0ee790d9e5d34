import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../plugin/access/actor.js';
import { createJobLeaseStore } from '../../plugin/db/job-lease.js';
import { startTestApp, type TestAccount, type TestApp } from '../helpers/app.js';
import { browserAvailable, expectAxeClean, launchBrowser, pagePool, pathOf, signInWithForm } from '../helpers/browser.js';
import { needComponent } from '../helpers/components.js';
import { adminActor, ensureCustomer } from '../helpers/customers.js';
import { startFixtureDirectory } from '../helpers/ldap.js';
import { FIXTURE_PASSWORDS, fixtureDns } from '../helpers/ldap-fixtures.js';
import type { Slapd } from '../helpers/slapd.js';

/**
 * Issue 7, "done when": an admin points Loket at a directory, maps fields on the screen while seeing
 * real entries, dry-runs and runs a sync with progress, and an LDAP user then signs into the portal.
 */
describe('LDAP admin screen in a browser (real Chromium, real slapd, axe-core)', function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  let slapd: Slapd | null = null;
  let app: TestApp | undefined;
  let admin: TestAccount;
  let actor: Actor;
  const pages = pagePool(() => browser);

  before(async function () {
    this.timeout(60000);
    needComponent(this, 'Chromium', browserAvailable(), 'apt-get install -y chromium');
    slapd = await startFixtureDirectory(this);
    browser = await launchBrowser();
    app = await startTestApp();
    admin = await app.createAgent('admin');
    actor = await adminActor(app);
    for (const id of ['acme', 'fjord']) await ensureCustomer(app, actor, id);
  });

  after(async () => {
    await pages.closeAll();
    try {
      await browser?.close();
    } finally {
      await app?.loket.container.services.directoryOps.settle();
      await app?.close();
      await slapd?.stop();
    }
  });

  /** Clicks a submit button and waits for the page that answers it. */
  async function submit(page: Page, selector: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  it('adds a directory backend, maps a field while previewing real entries, dry-runs, syncs with progress; the LDAP user signs in', async () => {
    const dns = fixtureDns(slapd!.suffix);
    const page = await pages.open();
    await signInWithForm(page, app!.url, admin);

    await page.goto(`${app!.url}/admin`);
    await Promise.all([page.waitForURL((url) => url.pathname === '/admin/backends'), page.getByRole('link', { name: 'Backends and directories' }).click()]);
    await expectAxeClean(page, '/admin/backends');
    await page.fill('#bk-key', 'corp');
    await submit(page, 'main form button[type="submit"]:has-text("Add directory backend")');
    expect(pathOf(page)).to.equal('/admin/backends/corp');
    await expectAxeClean(page, 'the new directory backend form');

    await page.fill('#lb-name', 'Corporate directory');
    await page.fill('#lb-url', slapd!.url);
    await page.fill('#lb-bindDn', slapd!.readerDn);
    await page.fill('#lb-bindPassword', slapd!.readerPassword);
    await page.fill('#lb-baseDn', dns.people);
    await page.fill('#lb-filter', '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))');
    await page.check('#lb-cid-source-rules');
    await page.fill('#lb-rule-0-dnSuffix', dns.acme);
    await page.fill('#lb-rule-0-customerId', 'acme');
    await submit(page, '#lb-test');
    expect(await page.locator('#lb-results').textContent()).to.contain('The connection works.');
    // The form comes back as typed, with a fresh empty rule row; the password is never put back.
    expect(await page.inputValue('#lb-rule-0-dnSuffix')).to.equal(dns.acme);
    expect(await page.inputValue('#lb-bindPassword')).to.equal('');
    await page.fill('#lb-bindPassword', slapd!.readerPassword);
    await page.fill('#lb-rule-1-dnSuffix', dns.fjord);
    await page.fill('#lb-rule-1-customerId', 'fjord');

    // Map a field and see real entries through it before anything is saved.
    await page.fill('#fm-phone-label', 'Work phone');
    await page.fill('#fm-_new-key', 'displayName');
    await page.fill('#fm-_new-storage', 'displayName');
    await page.fill('#fm-_new-label', 'Display name');
    await page.fill('#lb-previewLimit', '50');
    await submit(page, '#lb-preview');
    const preview = page.locator('#lb-preview-table');
    expect(await preview.locator('thead').textContent()).to.contain('Work phone').and.contain('Display name');
    expect(await preview.textContent()).to.contain('jdevries').and.contain('Åse').and.contain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#lb-preview-table img').count(), 'directory markup is text, not HTML').to.equal(0);
    expect(await page.locator('#lb-preview-table a[href^="javascript:"]').count()).to.equal(0);
    await expectAxeClean(page, 'the directory form with a preview');

    await page.fill('#lb-bindPassword', slapd!.readerPassword);
    await submit(page, '#lb-save');
    expect(await page.getByRole('status').first().textContent()).to.contain('Version 1 saved.');
    expect(await page.inputValue('#fm-phone-label')).to.equal('Work phone');

    await submit(page, '#lb-dryrun');
    expect(await page.locator('#lb-results').textContent()).to.contain('Dry run finished: nothing was written.');
    await expectAxeClean(page, 'the dry-run report');

    await submit(page, '#lb-sync');
    expect(pathOf(page)).to.equal('/admin/backends/corp/sync');
    // The script reloads the page when the run is over; the server then shows the report.
    await page.getByText('Report of the last finished run').waitFor({ timeout: 30000 });
    expect(await page.locator('#ls-report').textContent()).to.contain('Sync finished.');
    await expectAxeClean(page, 'the sync report');

    const user = await pages.open();
    await signInWithForm(user, app!.url, { login: 'jdevries', password: FIXTURE_PASSWORDS.jdevries! });
    expect(pathOf(user)).to.equal('/portal');
    const record = await app!.loket.container.services.customerUsers.findByLogin('jdevries');
    expect(record).to.include({ backend: 'corp', customerId: 'acme' });
  });

  it('follows a running sync: the live region shows the phase, and the report appears when the run ends', async () => {
    const { knex, tables } = app!.loket.container;
    const leases = createJobLeaseStore(knex, tables);
    const name = 'ldap-sync:corp';
    // The run of the previous test left its report in the lease row; a run "on another node" now holds it.
    const previous = (await leases.read(name))?.progress as { progress: { counts: Record<string, number> }; last: unknown };
    const running = { ...previous.progress, dryRun: false, phase: 'users', entries: 7, counts: { ...previous.progress.counts, entries: 7, created: 4 }, error: null };
    expect(await leases.acquire(name, 'other-node', 60_000, { progress: running, last: previous.last })).to.equal(true);

    const page = await pages.open();
    await signInWithForm(page, app!.url, admin);
    await page.goto(`${app!.url}/admin/backends/corp/sync`);
    expect(await page.locator('#ls-progress-heading').textContent()).to.equal('A sync is running');
    expect(await page.locator('#ls-live').getAttribute('aria-live')).to.equal('polite');
    expect(await page.locator('#ls-phase').textContent()).to.equal('Phase: reading users; 7 entries read.');
    expect(await page.locator('#ls-counts [data-count="created"]').textContent()).to.equal('4');
    await expectAxeClean(page, 'a running sync');

    // The polling script sees the new counts, then the end of the run, and loads the report.
    await leases.renew(name, 'other-node', 60_000, { progress: { ...running, phase: 'groups', entries: 9, counts: { ...running.counts, created: 6 } }, last: previous.last });
    await page.locator('#ls-counts [data-count="created"]', { hasText: '6' }).waitFor();
    expect(await page.locator('#ls-phase').textContent()).to.equal('Phase: group mapping; 9 entries read.');
    await leases.release(name, 'other-node', { progress: { ...running, phase: 'done' }, last: previous.last });
    await page.getByText('Report of the last finished run').waitFor();
    expect(await page.locator('#ls-progress-heading').textContent()).to.equal('Last run');
  });

  it('shows the directory user read-only to the admin, axe-clean', async () => {
    const page = await pages.open();
    await signInWithForm(page, app!.url, admin);
    await page.goto(`${app!.url}/customer-users/jdevries`);
    expect(await page.locator('#cu-directory-heading').textContent()).to.contain('From directory Corporate directory (corp)');
    expect(await page.locator('#cu-firstName').count()).to.equal(0);
    expect(await page.locator('#cu-validity').count()).to.equal(1);
    await expectAxeClean(page, 'a directory user\'s page');
  });
});
