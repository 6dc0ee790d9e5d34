/**
 * LDAP logins of generated directory users with their real passwords: in this process through the
 * backend's `authenticate` (service bind, search, bind as the user, map, upsert the shadow row), through
 * HTTP against a Loket server child (GET /login for a fresh session and its CSRF token, then the timed
 * POST /login, which must answer 303 to the user's home), and the bare ldapts floor of ./floor.ts.
 */
import type { Knex } from 'knex';
import type { LdapBackend } from '../../plugin/customers/backends/ldap/backend.js';
import { csrfFrom, sessionCookieFrom } from '../lib/http.js';
import { timedPool, type PoolRun } from './pool.js';
import { countStatements, type StatementKind } from './statements.js';

export interface Account {
  login: string;
  password: string;
}

export type LoginWork = (account: Account) => Promise<boolean>;

export const inProcessLogin =
  (backend: LdapBackend): LoginWork =>
  async (account) => {
    const result = await backend.authenticate(account.login, account.password);
    if (!result.ok) throw new Error(`authenticate(${account.login}) refused: ${result.refusal}${result.detail ? ` (${result.detail})` : ''}`);
    return true;
  };

export const floorLogin =
  (check: (login: string, password: string) => Promise<boolean>): LoginWork =>
  (account) =>
    check(account.login, account.password);

/**
 * A fresh visitor signs in: the GET is preparation and not timed; the POST is. `postMs` collects the
 * POST times, the pool's own times are GET + POST.
 */
export function httpLogin(base: string, postMs: number[]): LoginWork {
  return async (account) => {
    const page = await fetch(`${base}/login`, { redirect: 'manual' });
    const html = await page.text();
    const cookie = sessionCookieFrom(page);
    if (page.status !== 200 || !cookie) throw new Error(`GET /login answered ${page.status}${cookie ? '' : ' without a session cookie'}`);
    const body = new URLSearchParams({ _csrf: csrfFrom(html), login: account.login, password: account.password }).toString();
    const t0 = performance.now();
    const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
    await res.arrayBuffer();
    postMs.push(performance.now() - t0);
    const location = res.headers.get('location') ?? '';
    if (res.status !== 303 || location.includes('/login')) throw new Error(`POST /login for ${account.login} answered ${res.status} ${location}`);
    return true;
  };
}

export interface LoginRun {
  label: string;
  concurrency: number;
  run: PoolRun;
  /** For HTTP: the POST alone (the run's own times include the GET before it). */
  postMs?: number[];
  /** In process: the SQL statements of the whole run, by kind. */
  statements?: StatementKind[];
}

export async function loginRun(
  label: string,
  accounts: readonly Account[],
  concurrency: number,
  work: LoginWork,
  opts: { pids: { own: number[]; db: number[] }; count?: { knex: Knex; prefix: string } },
): Promise<LoginRun> {
  const counting = opts.count ? countStatements(opts.count.knex, opts.count.prefix) : null;
  const run = await timedPool(accounts, concurrency, work, opts.pids);
  return { label, concurrency, run, ...(counting ? { statements: counting.stop() } : {}) };
}
