import type { Request } from 'express';
import { parse as parseCookies } from 'cookie';

/**
 * Anonymous reading must not cost a session: a visitor (or crawler) reading the public FAQ would
 * otherwise write a session row per page. So an anonymous request without a session cookie gets no
 * CSRF token, and the few harmless posts such a visitor can make (choose a language, vote on an
 * article) are protected by a strict same-origin check instead. A request that carries no session
 * has no ambient authority a forged request could borrow.
 */
const SESSIONLESS_POSTS = [/^\/language$/, /^\/faq\/[a-z0-9-]+\/[a-z0-9-]+\/vote$/];

/** Anonymous pages whose forms need a token anyway (signing in starts a session there). */
const TOKEN_PAGES = [/^\/login$/, /^\/password\//];

export const hasSessionCookie = (req: Request, cookieName: string): boolean => parseCookies(req.headers.cookie ?? '')[cookieName] !== undefined;

/** Same origin as far as the browser tells: Origin (when sent) names this host; Sec-Fetch-Site is not cross-site. */
export function isSameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export const isSessionlessPost = (req: Request, cookieName: string): boolean =>
  req.method === 'POST' && !hasSessionCookie(req, cookieName) && SESSIONLESS_POSTS.some((p) => p.test(req.path)) && isSameOrigin(req);

/** Whether this page should carry a CSRF token (and so a session). */
export const pageNeedsToken = (req: Request, cookieName: string): boolean =>
  req.user !== undefined || hasSessionCookie(req, cookieName) || TOKEN_PAGES.some((p) => p.test(req.path));
