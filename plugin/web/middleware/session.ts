import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { LoketConfig } from '../../config/schema.js';
import type { KnexSessionStore } from '../../auth/session-store.js';

/** API calls that present an Authorization header never use (or create) a cookie session. */
export const isHeaderAuthenticatedApi = (req: Request): boolean =>
  req.headers.authorization !== undefined && (req.path === '/api' || req.path.startsWith('/api/'));

export function sessionMiddleware(config: LoketConfig, store: KnexSessionStore, secret: string): RequestHandler {
  const handler = session({
    store,
    secret,
    name: config.session.cookieName,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.security.trustProxy !== false ? true : undefined,
    cookie: {
      path: config.session.cookiePath,
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.secureCookies,
      maxAge: config.session.idleMinutes * 60_000,
    },
  });
  const absoluteMs = config.session.absoluteHours * 3_600_000;

  return (req, res, next) => {
    handler(req, res, (err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      // An authenticated session older than the absolute lifetime ends, however active it was.
      const loginAt = req.session.loginAt;
      if (loginAt !== undefined && Date.now() - loginAt > absoluteMs) {
        // A fresh, empty session: handlers see an anonymous visitor and the old id is gone from the store.
        req.session.regenerate((regenerateErr: unknown) => next(regenerateErr));
        return;
      }
      next();
    });
  };
}
