import type { Request, RequestHandler, Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { requireCapability, type Capability } from '../../access/policy.js';
import { unauthenticated } from '../../errors.js';

/** Where Loket is mounted in the host ('' at the root); set once at the top of the sub-app. */
export const loketBase = (res: Response): string => String(res.locals.base ?? '');

/** The path inside Loket (without the host's mount path), for returning after login. */
export const pathInsideLoket = (req: Request, res: Response): string =>
  req.originalUrl.slice(loketBase(res).length) || '/';

/**
 * Pages: a visitor without a session goes to the login page (and comes back afterwards); a signed-in
 * person without the capability gets 403. The decision itself is the policy module's.
 */
export function pageRequires(capability: Capability): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      res.redirect(303, `${loketBase(res)}/login?returnTo=${encodeURIComponent(pathInsideLoket(req, res))}`);
      return;
    }
    requireCapability(req.user, capability);
    next();
  };
}

/** API: 401 without credentials, 403 without the capability. */
export function apiRequires(capability: Capability): RequestHandler {
  return (req, _res, next) => {
    requireCapability(req.user, capability);
    next();
  };
}

/** The signed-in actor behind a guarded route (401 if a route forgot its guard). */
export function currentActor(req: Request): Actor {
  if (!req.user) throw unauthenticated();
  return req.user;
}
