import type { RequestHandler } from 'express';
import { loketBase, pathInsideLoket } from '../../web/middleware/guards.js';

/**
 * Pages every signed-in person may open (the form page, a run, approvals): who may see what is the
 * forms services' decision. A visitor without a session goes to the login page and comes back, so the
 * link in an approval e-mail works after signing in.
 */
export const pageSignedIn = (): RequestHandler => (req, res, next) => {
  if (!req.user) {
    res.redirect(303, `${loketBase(res)}/login?returnTo=${encodeURIComponent(pathInsideLoket(req, res))}`);
    return;
  }
  next();
};
