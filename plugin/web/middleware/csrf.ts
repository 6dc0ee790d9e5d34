import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { isHeaderAuthenticatedApi } from './session.js';
import { isSessionlessPost } from './sessionless.js';

function tokenFromRequest(req: Request): string | undefined {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && '_csrf' in body) {
    const value = (body as { _csrf?: unknown })._csrf;
    if (typeof value === 'string') return value;
  }
  const header = req.headers['x-csrf-token'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * Synchronizer tokens kept in the session (csrf-sync). Forms send `_csrf`, scripts the X-CSRF-Token header.
 * Bearer-token API calls carry no cookie session and need none.
 */
export function createCsrf(cookieName: string) {
  const csrf = csrfSync({
    getTokenFromRequest: tokenFromRequest,
    size: 32,
    skipCsrfProtection: (req) => isHeaderAuthenticatedApi(req) || isSessionlessPost(req, cookieName),
    errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: 'The form has expired or was not sent from Loket.' },
  });
  const protect: RequestHandler = csrf.csrfSynchronisedProtection;
  return {
    protect,
    /** The page's token (created once per session; a new one after login and logout). Anonymous
     *  pages without a session get none (see sessionless.ts). */
    tokenFor: (req: Request): string => (req.session ? csrf.generateToken(req) : ''),
  };
}
