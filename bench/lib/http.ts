/** The few HTTP steps the bench takes before a load run: fetch a page, keep its cookie, sign in. */

export const SESSION_COOKIE = 'loket.sid';

/** `name=value` of the session cookie a response sets, if it sets one. */
export function sessionCookieFrom(res: Response): string | null {
  for (const header of res.headers.getSetCookie()) {
    const pair = header.split(';', 1)[0] ?? '';
    if (pair.startsWith(`${SESSION_COOKIE}=`)) return pair;
  }
  return null;
}

export function csrfFrom(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** GET a page and insist on 200 and a marker in the body, so a load run never measures an error page. */
export async function expectPage(url: string, marker: string, cookie?: string): Promise<{ res: Response; html: string }> {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}, expected 200`);
  if (!html.includes(marker)) throw new Error(`GET ${url} did not contain ${JSON.stringify(marker)}`);
  return { res, html };
}

/** A new anonymous session: the cookie Loket sets on a first visit to the login page. */
export async function anonymousSession(base: string): Promise<string> {
  const { res, html } = await expectPage(`${base}/login`, 'name="_csrf"');
  const cookie = sessionCookieFrom(res);
  if (!cookie) throw new Error('the login page set no session cookie');
  // The same session on the next visit: same CSRF token, so no new session row per request.
  const again = await expectPage(`${base}/login`, 'name="_csrf"', cookie);
  if (csrfFrom(again.html) !== csrfFrom(html)) throw new Error('the session cookie was not honoured');
  return cookie;
}

/** Signs in through the real login form (GET /login for the token, POST /login); returns the session cookie. */
export async function signIn(base: string, account: { login: string; password: string }): Promise<string> {
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
  await expectPage(`${base}/agent`, account.login, cookie);
  return cookie;
}
