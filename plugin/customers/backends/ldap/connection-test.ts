import { ResultCodeError } from 'ldapts';
import { createDirectory, DirectoryUnavailable, type DirectorySession } from './directory.js';
import { allFilter } from './filters.js';
import type { ConnectionReport } from './operation-types.js';
import type { LdapSettings } from './settings.js';

/** Entries a connection test counts at most: enough to see the scale, bounded so a huge tree stays quick. */
export const COUNT_CAP = 100_000;

type Step = ConnectionReport['steps'][number];

/** Thrown from a page callback to stop a paged count once the cap is reached. */
class CountCapReached extends Error {
  constructor() {
    super('count cap reached');
    this.name = 'CountCapReached';
  }
}

/** "InvalidCredentialsError" → "invalid credentials (49)": the LDAP result in words with its code. */
export function describeDirectoryError(err: unknown, secret?: string): string {
  let text: string;
  if (err instanceof DirectoryUnavailable) text = `unavailable: ${err.reason}`;
  else if (err instanceof ResultCodeError) {
    const words = err.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    text = `${words} (${err.code})`;
  } else text = err instanceof Error ? err.message : String(err);
  // A server could echo what it was sent; the password never reaches a screen or a log through us.
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** Counts the entries `filter` finds below `base`, page by page, up to COUNT_CAP; no attributes are fetched. */
export async function countEntries(session: DirectorySession, request: { base: string; scope: LdapSettings['scope']; filter: string; pageSize: number }): Promise<number> {
  let count = 0;
  try {
    await session.searchPages({ ...request, attributes: ['1.1'], sizeLimit: 0 }, (entries) => {
      count += entries.length;
      if (count >= COUNT_CAP) throw new CountCapReached();
      return Promise.resolve();
    });
  } catch (err) {
    if (!(err instanceof CountCapReached)) throw err;
  }
  return Math.min(count, COUNT_CAP);
}

/**
 * "Test connection": connect (anonymously, reading the root DSE), bind as the service account, read
 * the base DN, count the users the always-filter finds and, with a group search, the groups. Each step
 * is timed; the first failing step ends the test and says why in LDAP's words, never with the password.
 */
export async function testConnection(key: string, settings: LdapSettings): Promise<ConnectionReport> {
  const steps: Step[] = [];
  const secret = settings.bindPassword;
  async function step<T>(name: Step['step'], work: () => Promise<{ value: T; detail: string }>): Promise<{ ok: true; value: T } | { ok: false }> {
    const started = performance.now();
    try {
      const { value, detail } = await work();
      steps.push({ step: name, ok: true, detail, ms: Math.round(performance.now() - started) });
      return { ok: true, value };
    } catch (err) {
      steps.push({ step: name, ok: false, detail: describeDirectoryError(err, secret), ms: Math.round(performance.now() - started) });
      return { ok: false };
    }
  }
  const failed = (): ConnectionReport => ({ ok: false, steps, counts: null });

  const { bindDn: _bindDn, bindPassword: _bindPassword, ...anonymous } = settings;
  const connected = await step('connect', async () => {
    try {
      await createDirectory(key, anonymous).withSession((s) => s.search({ base: '', scope: 'base', filter: '(objectClass=*)', attributes: ['supportedLDAPVersion'], sizeLimit: 1, pageSize: 1 }));
      return { value: null, detail: `connected to ${settings.url.join(', ')}` };
    } catch (err) {
      // Any LDAP answer (even a refusal to show the root DSE) proves the server is there and speaks LDAP.
      if (err instanceof ResultCodeError) return { value: null, detail: `connected (root DSE not readable: ${describeDirectoryError(err)})` };
      throw err;
    }
  });
  if (!connected.ok) return failed();

  const directory = createDirectory(key, settings);
  const bound = await step('bind', async () => {
    await directory.withSession(() => Promise.resolve());
    return { value: null, detail: settings.bindDn ? `bound as ${settings.bindDn}` : 'anonymous (no bind DN)' };
  });
  if (!bound.ok) return failed();

  const counted = directory.withSession(async (session): Promise<ConnectionReport> => {
    const base = await step('base', async () => {
      const { entries } = await session.search({ base: settings.baseDn, scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], sizeLimit: 1, pageSize: 1 });
      if (!entries.length) throw new Error(`${settings.baseDn} is not readable`);
      return { value: null, detail: `${settings.baseDn} is readable` };
    });
    if (!base.ok) return failed();

    const users = await step('users', async () => {
      const value = await countEntries(session, { base: settings.baseDn, scope: settings.scope, filter: allFilter(settings.filter), pageSize: settings.pageSize });
      return { value, detail: `${value >= COUNT_CAP ? 'at least ' : ''}${value} entries match ${settings.filter}` };
    });
    if (!users.ok) return failed();

    let groups: number | null = null;
    if (settings.groupSearch) {
      const { baseDn, filter } = settings.groupSearch;
      const found = await step('groups', async () => {
        const value = await countEntries(session, { base: baseDn, scope: 'sub', filter: allFilter(filter), pageSize: settings.pageSize });
        return { value, detail: `${value} groups match ${filter} below ${baseDn}` };
      });
      if (!found.ok) return failed();
      groups = found.value;
    }
    return { ok: true, steps, counts: { users: users.value, countedUpTo: COUNT_CAP, groups } };
  });
  try {
    return await counted;
  } catch (err) {
    // The directory went away between the bind and the reads.
    steps.push({ step: 'base', ok: false, detail: describeDirectoryError(err, secret), ms: 0 });
    return failed();
  }
}
