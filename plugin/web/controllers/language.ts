import { Router } from 'express';
import { z } from 'zod';
import { safeLocalPath } from '../../auth/credentials.js';
import { LANGUAGE_COOKIE, LANGUAGES } from '../../i18n/index.js';
import { loketBase } from '../middleware/guards.js';
import { parseInput } from '../validate.js';

const languageSchema = z.object({
  language: z.enum(LANGUAGES),
  returnTo: z.string().max(2000).optional(),
  _csrf: z.string().optional(),
});

/** The person's own choice overrides the browser language; it is kept in a cookie for a year. */
export function languageRoutes(cookiePath: string): Router {
  const router = Router();
  router.post('/language', (req, res) => {
    const input = parseInput(languageSchema, req.body);
    res.cookie(LANGUAGE_COOKIE, input.language, {
      path: cookiePath,
      maxAge: 365 * 86_400_000,
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
    });
    res.redirect(303, loketBase(res) + (safeLocalPath(input.returnTo) ?? '/'));
  });
  return router;
}
