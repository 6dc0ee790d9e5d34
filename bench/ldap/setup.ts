/**
 * A freshly migrated Loket database ready for the LDAP bench: an admin, one Loket group per directory
 * group, the directory's customers, the database users (bulk-inserted by ../customer-search/fill.ts,
 * which writes explicit row ids from 1, so they go in before any shadow row exists), and the directory
 * backend saved through the backend service as an admin would save it on the mapping screen.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../plugin/access/actor.js';
import { auditSubjectOf, cliSubject, type AuditSubject } from '../../plugin/audit/service.js';
import type { LdapSettingsInput } from '../../plugin/customers/backends/ldap/settings.js';
import type { LoketInternals } from '../../plugin/loket.js';
import type { Slapd } from '../../test/helpers/slapd.js';
import { fillDatabase, type FillResult } from '../customer-search/fill.js';
import type { GeneratedDirectory } from './directory.js';

export const BACKEND_KEY = 'benchdir';
/** The seed of the database users' fill (their shared password derives from it). */
export const FILL_SEED = 20261207;

export interface LoketSetup {
  admin: Actor;
  adminLogin: string;
  subject: AuditSubject;
  fill: FillResult | null;
  seconds: { setup: number; fill: number };
}

/** An admin actor for `login` (the sync child resolves its own the same way). */
export async function adminActor(loket: LoketInternals, login: string): Promise<Actor> {
  const { services } = loket.container;
  const agent = await services.agents.findByLogin(login);
  const actor = agent ? await services.actors.resolve({ type: 'agent', id: agent.id }, 'session') : null;
  if (!actor) throw new Error(`the bench admin ${login} did not resolve to an actor`);
  return actor;
}

const loketGroupOf = (tag: string, cn: string) => `bench-ldap-${tag}-${cn}`;

/** The backend's settings: the defaults of the schema (page size, timeouts, cache TTL) unless overridden. */
export function directorySettings(slapd: Slapd, dir: GeneratedDirectory, tag: string, overrides: Partial<LdapSettingsInput> = {}): LdapSettingsInput {
  return {
    name: 'Bench directory',
    url: slapd.url,
    bindDn: slapd.readerDn,
    bindPassword: slapd.readerPassword,
    baseDn: dir.peopleDn,
    filter: '(objectClass=inetOrgPerson)',
    customerIdFrom: { rules: dir.customers.map((c) => ({ dnSuffix: `ou=${c.customerId},${dir.peopleDn}`, customerId: c.customerId })) },
    map: [
      { key: 'firstName', storage: 'givenName', shown: 2, search: true, readOnly: true },
      { key: 'lastName', storage: 'sn', shown: 2, search: true, readOnly: true },
      { key: 'login', storage: 'uid', shown: 2, search: true, readOnly: true },
      { key: 'email', storage: 'mail', shown: 2, search: true, type: 'email', link: 'mailto:{{email}}', readOnly: true },
      { key: 'customerId', storage: 'o', shown: 2, readOnly: true },
      { key: 'phone', storage: 'telephoneNumber', link: 'tel:{{phone}}', readOnly: true },
      { key: 'street', storage: 'street', readOnly: true },
      { key: 'zip', storage: 'postalCode', readOnly: true },
      { key: 'city', storage: 'l', shown: 1, readOnly: true },
      { key: 'department', label: 'Department', storage: 'departmentNumber', shown: 1, readOnly: true },
    ],
    managerAttribute: 'manager',
    groupSearch: { baseDn: dir.groupsDn },
    groupMapping: dir.groups.map((g) => ({ ldapGroupDn: g.dn, group: loketGroupOf(tag, g.cn), permissions: ['ro'] })),
    ...overrides,
  };
}

export async function setUpLoket(
  loket: LoketInternals,
  slapd: Slapd,
  dir: GeneratedDirectory,
  opts: { dbUsers: number; dbCustomers: number; searchTerms: number; tag: string; progress: (text: string) => void },
): Promise<LoketSetup> {
  const started = performance.now();
  const { services, knex, tables, dialect } = loket.container;
  const adminLogin = `bench-ldap-admin-${opts.tag}`;
  await services.agents.createFromOperator(
    { login: adminLogin, email: `${adminLogin}@example.test`, role: 'admin', password: `pw-${randomBytes(12).toString('hex')}`, firstName: 'Bench', lastName: 'Admin' },
    cliSubject(),
  );
  const admin = await adminActor(loket, adminLogin);
  const subject = auditSubjectOf(admin, null);

  for (const g of dir.groups) await services.groups.create(admin, { name: loketGroupOf(opts.tag, g.cn), comment: `directory group ${g.cn}` }, subject);
  for (const c of dir.customers) await services.customers.create(admin, { customerId: c.customerId, name: c.name, city: c.city, country: c.country }, subject);
  const setupDone = performance.now();

  let fill: FillResult | null = null;
  if (opts.dbUsers > 0) {
    opts.progress(`  ${opts.dbUsers} database users in ${opts.dbCustomers} customers (bulk insert)`);
    fill = await fillDatabase(knex, tables, dialect, { users: opts.dbUsers, customers: opts.dbCustomers, seed: FILL_SEED, termsPerKind: opts.searchTerms, batch: 2000, progress: opts.progress });
  }
  const fillDone = performance.now();

  await services.backends.saveLdap(admin, BACKEND_KEY, { ...directorySettings(slapd, dir, opts.tag) }, undefined, subject);
  return { admin, adminLogin, subject, fill, seconds: { setup: (setupDone - started) / 1000, fill: (fillDone - setupDone) / 1000 } };
}
