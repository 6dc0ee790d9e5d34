import type { Context } from 'mocha';
import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import { DEFAULT_LDAP_MAP, type LdapSettingsInput } from '../../plugin/customers/backends/ldap/settings.js';
import type { TestApp } from './app.js';
import { needComponent } from './components.js';
import { startTestApp } from './app.js';
import { adminActor, ensureCustomer } from './customers.js';
import { fixtureDns, fixtureLdif } from './ldap-fixtures.js';
import { slapdAvailable, startSlapd, type Slapd } from './slapd.js';

/**
 * A throwaway slapd with the fixture directory and a test app with it as backend `ldap1`, for a suite's
 * before/after hooks: `const env = useFixtureDirectory()` then `env.slapd`, `env.app`, `env.admin` in tests.
 */
export function useFixtureDirectory(): { slapd: Slapd; app: TestApp; admin: Actor } {
  const env = {} as { slapd: Slapd; app: TestApp; admin: Actor };
  before(async function () {
    env.slapd = (await startFixtureDirectory(this))!;
    env.app = await startTestApp();
    env.admin = await adminActor(env.app);
    await addLdapBackend(env.app, env.admin, env.slapd);
  });
  after(async () => {
    await env.app?.close();
    await env.slapd?.stop();
  });
  return env;
}

/** A throwaway slapd with the fixture directory, or a skipped suite (a failed one under CI). */
export async function startFixtureDirectory(ctx: Context): Promise<Slapd | null> {
  needComponent(ctx, 'slapd', slapdAvailable(), 'apt-get install -y slapd ldap-utils');
  return startSlapd({ seed: fixtureLdif() });
}

/**
 * Settings for the fixture directory: people below ou=people, the disabled one filtered out, customers
 * from the OU (acme → acme, fjord → fjord; contractors have none), a custom field with markup
 * (displayName) and one with a javascript: URL (labeledURI as a link).
 */
export function fixtureSettings(slapd: Slapd, overrides: Partial<LdapSettingsInput> = {}): LdapSettingsInput {
  const dns = fixtureDns(slapd.suffix);
  return {
    name: 'Fixture directory',
    url: slapd.url,
    bindDn: slapd.readerDn,
    bindPassword: slapd.readerPassword,
    baseDn: dns.people,
    filter: '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))',
    customerIdFrom: { rules: [{ dnSuffix: dns.acme, customerId: 'acme' }, { dnSuffix: dns.fjord, customerId: 'fjord' }] },
    map: [
      ...DEFAULT_LDAP_MAP,
      { key: 'displayName', label: 'Display name', storage: 'displayName', shown: 1, readOnly: true },
      { key: 'homepage', label: 'Home page', storage: 'labeledURI', shown: 1, link: '{{homepage}}', readOnly: true },
    ],
    managerAttribute: 'manager',
    timeoutMs: 2000,
    cacheTtlSeconds: 0,
    ...overrides,
  };
}

/** Saves a directory backend (after the database backend) and makes the fixture customers exist. */
export async function addLdapBackend(app: TestApp, admin: Actor, slapd: Slapd, opts: { key?: string; overrides?: Partial<LdapSettingsInput> } = {}): Promise<string> {
  const key = opts.key ?? 'ldap1';
  for (const id of ['acme', 'fjord']) await ensureCustomer(app, admin, id);
  await app.loket.container.services.backends.saveLdap(admin, key, { ...fixtureSettings(slapd, opts.overrides) }, undefined, cliSubject());
  return key;
}
