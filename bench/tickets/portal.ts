/**
 * What a customer user meets before filing: the portal's "new ticket" page and the FAQ suggestions the form
 * asks for while they type. The user signs in through the real login form (GET /login for the token,
 * POST /login), and the suggest queries are what typing a kb/ article's title looks like: its first 4, 8
 * and 14 characters, a partly typed last word included (Loket matches the last word as a prefix).
 */
import { csrfFrom, expectPage, sessionCookieFrom } from '../lib/http.js';

export const NEW_TICKET_PATH = '/portal/tickets/new';

/** Signs a customer user in and checks the session on /api/v1/me; returns the session cookie. */
export async function signInCustomer(base: string, account: { login: string; password: string }): Promise<string> {
  const { res: page, html } = await expectPage(`${base}/login`, 'name="_csrf"');
  const anonymous = sessionCookieFrom(page);
  if (!anonymous) throw new Error('the login page set no session cookie');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: anonymous, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfFrom(html), login: account.login, password: account.password }).toString(),
  });
  await res.text();
  if (res.status !== 303) throw new Error(`POST /login answered ${res.status}, expected 303`);
  const cookie = sessionCookieFrom(res);
  if (!cookie) throw new Error('sign-in set no session cookie');
  const me = await fetch(`${base}/api/v1/me`, { headers: { cookie } });
  const who = (await me.json()) as { login?: unknown };
  if (me.status !== 200 || who.login !== account.login) throw new Error(`/api/v1/me after sign-in answered ${me.status} for ${String(who.login)}`);
  return cookie;
}

/** Whether the new-ticket page is there: 200 with a form carrying the CSRF token; else what it answered. */
export async function probeNewTicketPage(base: string, cookie: string): Promise<{ ready: true } | { ready: false; status: number }> {
  const res = await fetch(`${base}${NEW_TICKET_PATH}`, { redirect: 'manual', headers: { cookie } });
  const html = await res.text();
  if (res.status === 200 && html.includes('name="_csrf"')) return { ready: true };
  return { ready: false, status: res.status };
}

/** As-you-type prefixes of the titles, without repeats. */
export function suggestQueries(titles: string[]): string[] {
  const out = new Set<string>();
  for (const title of titles) {
    for (const length of [4, 8, 14]) {
      const prefix = title.slice(0, length).trim();
      if (prefix.length >= 3) out.add(prefix);
    }
  }
  return [...out];
}

/** Every query must answer 200 with an `items` list; returns how many found something. */
export async function probeSuggest(base: string, cookie: string, queries: string[]): Promise<number> {
  let found = 0;
  for (const q of queries) {
    const res = await fetch(`${base}/api/v1/faq/suggest?q=${encodeURIComponent(q)}`, { headers: { cookie } });
    const body = (await res.json()) as { items?: unknown };
    if (res.status !== 200 || !Array.isArray(body.items)) throw new Error(`suggest ${JSON.stringify(q)} answered ${res.status}`);
    if (body.items.length > 0) found += 1;
  }
  return found;
}
