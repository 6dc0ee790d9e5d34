import { Router, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { LoketConfig } from '../config/schema.js';
import { LoketError, tooManyRequests } from '../errors.js';
import { loketBase } from '../web/middleware/guards.js';
import { publicBaseUrl } from '../web/public-url.js';
import { parseInput } from '../web/validate.js';
import type { CustomerUserAccounts } from './customer-user-accounts.js';

const setForm = z.object({ password: z.string(), confirm: z.string() });
const forgotForm = z.object({ email: z.string().max(191) });

type T = (key: string, options?: Record<string, unknown>) => string;
const tOf = (res: Response) => res.locals.t as T;

/**
 * Customer users' one-time set-password links (from an admin, an import or "forgot password"). The
 * token travels in the path, never in a query string, and the page never says whether an address exists.
 */
export function passwordPages(deps: { accounts: CustomerUserAccounts; config: LoketConfig }): Router {
  const router = Router();
  // Each request may send mail: a low limit per IP keeps the form from becoming a mail cannon.
  const forgotThrottle = rateLimit({
    windowMs: 15 * 60_000,
    limit: 5,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `forgot:${ipKeyGenerator(req.ip ?? '0.0.0.0')}`,
    handler: () => {
      throw tooManyRequests();
    },
  });

  function renderSet(res: Response, status: number, locals: { token: string; open: boolean; error?: string | null; field?: string | null }) {
    res.status(status).render('auth/password-set', { error: null, field: null, notice: null, ...locals });
  }

  router.get('/password/set/:token', async (req, res) => {
    const token = String(req.params.token);
    const open = await deps.accounts.passwordLinkIsOpen(token);
    renderSet(res, open ? 200 : 410, { token, open, error: open ? null : tOf(res)('passwordPages.linkInvalid') });
  });

  router.post('/password/set/:token', async (req, res) => {
    const token = String(req.params.token);
    const input = parseInput(setForm, req.body);
    if (input.password !== input.confirm) {
      renderSet(res, 400, { token, open: true, error: tOf(res)('passwordPages.mismatch'), field: 'confirm' });
      return;
    }
    try {
      await deps.accounts.setPasswordWithLink(token, input.password);
    } catch (err) {
      if (!(err instanceof LoketError) || (err.status !== 400 && err.status !== 422)) throw err;
      const invalidLink = err.field === 'token';
      renderSet(res, invalidLink ? 410 : 400, {
        token,
        open: !invalidLink,
        error: invalidLink ? tOf(res)('passwordPages.linkInvalid') : tOf(res)('passwordPages.tooShort'),
        field: invalidLink ? null : 'password',
      });
      return;
    }
    res.redirect(303, `${loketBase(res)}/login?passwordSet=1`);
  });

  router.get('/password/forgot', (_req, res) => {
    res.render('auth/password-forgot', { sent: false, error: null, notice: null });
  });

  router.post('/password/forgot', forgotThrottle, async (req, res) => {
    const { email } = parseInput(forgotForm, req.body);
    const base = publicBaseUrl(req, res, deps.config);
    // Same page, same words, whether or not the address belongs to anybody.
    if (base && z.email().safeParse(email.trim()).success) await deps.accounts.requestPasswordLink(email, base);
    res.render('auth/password-forgot', { sent: true, error: null, notice: tOf(res)('passwordPages.forgotSent') });
  });

  return router;
}
