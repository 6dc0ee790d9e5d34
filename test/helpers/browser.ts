import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install -y chromium), or whatever CHROMIUM_PATH points at. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CHROMIUM_PATH;
}

export function browserAvailable(): boolean {
  return existsSync(chromiumPath());
}

/** A headless Chromium with the background chatter (updates, sync, GPU) switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

/**
 * A page in a fresh context of its own (its own cookies). Pages must come from a context, not from
 * `browser.newPage()`: AxeBuilder opens a helper page in the page's context to run its checks.
 */
export async function newPage(browser: Browser, options: ContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { context, page };
}

export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;
export const PHONE_VIEWPORT = { width: 375, height: 667 } as const;

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
export type AxeViolation = AxeResults['violations'][number];

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe (WCAG 2.1 A + AA) on the page as it is now; returns only serious and critical violations. */
export async function auditAccessibility(page: Page): Promise<AxeViolation[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable summary of violations for assertion messages: id, impact, help and the first few targets. */
export function formatViolations(violations: readonly AxeViolation[], maxNodes = 3): string {
  if (violations.length === 0) return 'no violations';
  return violations
    .map((v) => {
      const targets = v.nodes.slice(0, maxNodes).map((n) => `      ${JSON.stringify(n.target)}`);
      const more = v.nodes.length > maxNodes ? [`      … and ${v.nodes.length - maxNodes} more`] : [];
      return [`  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})`, ...targets, ...more].join('\n');
    })
    .join('\n');
}

/** Audits the page and returns a message naming the page, for `expect(violations, message)`. */
export async function auditWithMessage(page: Page, label: string): Promise<{ violations: AxeViolation[]; message: string }> {
  const violations = await auditAccessibility(page);
  return { violations, message: `axe found serious/critical violations on ${label} (${page.url()}):\n${formatViolations(violations)}` };
}

/** The path part of the page's URL (no query), e.g. /helpdesk/agent. */
export const pathOf = (page: Page): string => new URL(page.url()).pathname;

/** Fails with a readable list when axe finds serious or critical violations on the page as it is now. */
export async function expectAxeClean(page: Page, label: string): Promise<void> {
  const { violations, message } = await auditWithMessage(page, label);
  // Compare rule ids only, so the failure shows the readable summary rather than a diff of axe's objects.
  expect(violations.map((v) => v.id), message).to.deep.equal([]);
}

/** Signs in through the real login form with the mouse-and-typing path a person would use. */
export async function signInWithForm(page: Page, baseUrl: string, account: { login: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#login', account.login);
  await page.fill('#password', account.password);
  await Promise.all([page.waitForURL((url) => url.pathname !== new URL(`${baseUrl}/login`).pathname), page.click('main form button[type="submit"]')]);
}

/**
 * Pages for one suite, each in a context of its own (own cookie jar), English on a desktop unless told
 * otherwise; `closeAll()` in after() closes them.
 */
export function pagePool(browser: () => Browser | undefined) {
  const contexts: BrowserContext[] = [];
  return {
    async open(options: ContextOptions = {}): Promise<Page> {
      const current = browser();
      if (!current) throw new Error('the browser is not running');
      const { context, page } = await newPage(current, { locale: 'en-US', viewport: DESKTOP_VIEWPORT, ...options });
      contexts.push(context);
      return page;
    },
    closeAll: () => Promise.allSettled(contexts.map((c) => c.close())),
  };
}
