import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { LoketPassport } from './passport-setup.js';
import type { Actor } from '../access/actor.js';
import { homePathFor } from '../access/policy.js';
import type { AuditService } from '../audit/service.js';
import { auditSubjectOf } from '../audit/service.js';
import type { LoketConfig } from '../config/schema.js';
import type { Logger } from 'pino';
import { loketBase } from '../web/middleware/guards.js';
import { parseInput } from '../web/validate.js';
import { credentialsSchema, safeReturnPath } from './credentials.js';
import { loginThrottle } from './login-throttle.js';
import { DirectoryUnavailable } from '../customers/backends/ldap/directory.js';

interface Deps {
  passport: LoketPassport;
  audit: AuditService;
  config: LoketConfig;
  logger: Logger;
}

function renderLogin(res: Response, status: number, locals: { login?: string; returnTo?: string | null; error?: string; notice?: string }) {
  res.status(status).render('auth/login', { login: '', returnTo: null, error: null, notice: null, ...locals });
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

function authenticate(passport: LoketPassport, req: Request, res: Response): Promise<Actor | null> {
  return new Promise((resolve, reject) => {
    const run = passport.authenticate(['password', 'ldap'], (err: unknown, user: Actor | false) => {
      if (err) reject(asError(err));
      else resolve(user || null);
    }) as RequestHandler;
    run(req, res, (err?: unknown) => reject(asError(err)));
  });
}

function logIn(req: Request, actor: Actor): Promise<void> {
  // passport 0.7 regenerates the session here: a fixed session id never survives login.
  return new Promise((resolve, reject) => req.logIn(actor, (err?: unknown) => (err ? reject(asError(err)) : resolve())));
}

export function authRoutes({ passport, audit, config, logger }: Deps): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    const returnTo = safeReturnPath(req.query.returnTo);
    if (req.user) {
      res.redirect(303, loketBase(res) + (returnTo ?? homePathFor(req.user)));
      return;
    }
    const t = res.locals.t as (key: string) => string;
    const notice = req.query.signedOut === '1' ? t('login.signedOut') : req.query.passwordSet === '1' ? t('passwordPages.passwordSet') : returnTo ? t('login.required') : null;
    renderLogin(res, 200, { returnTo, notice: notice ?? undefined });
  });

  router.post(
    '/login',
    ...loginThrottle(config.security.loginThrottlePerAccount, config.security.loginThrottlePerIp),
    async (req, res) => {
      const credentials = parseInput(credentialsSchema, req.body);
      const returnTo = safeReturnPath(credentials.returnTo);
      let actor: Actor | null;
      try {
        actor = await authenticate(passport, req, res);
      } catch (err) {
        if (!(err instanceof DirectoryUnavailable)) throw err;
        logger.warn({ login: credentials.login.slice(0, 191), ip: req.ip, backend: err.backend }, 'login: directory unavailable');
        const t = res.locals.t as (key: string) => string;
        renderLogin(res, 503, { login: credentials.login, returnTo, error: t('login.directoryUnavailable') });
        return;
      }
      if (!actor) {
        logger.info({ login: credentials.login.slice(0, 191), ip: req.ip }, 'login failed');
        const t = res.locals.t as (key: string) => string;
        renderLogin(res, 401, { login: credentials.login, returnTo, error: t('login.failed') });
        return;
      }
      await logIn(req, actor);
      req.session.loginAt = Date.now();
      await audit.record(auditSubjectOf(actor, req.ip ?? null), {
        action: 'auth.login',
        objectType: actor.principal.type,
        objectId: actor.login,
      });
      res.redirect(303, loketBase(res) + (returnTo ?? homePathFor(actor)));
    },
  );

  router.post('/logout', (req, res, next) => {
    req.logout((err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      res.redirect(303, `${loketBase(res)}/login?signedOut=1`);
    });
  });

  return router;
}
