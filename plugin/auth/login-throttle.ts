import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { tooManyRequests } from '../errors.js';

interface Rule {
  limit: number;
  windowMinutes: number;
}

function submittedLogin(body: unknown): string {
  const login = body && typeof body === 'object' ? (body as { login?: unknown }).login : undefined;
  return typeof login === 'string' ? login.trim().toLowerCase().slice(0, 191) : '';
}

/**
 * Failed logins are counted per IP and per submitted login (existing or not, so the limit itself reveals
 * nothing). Successful logins do not count. Counters live in this process (express-rate-limit's memory
 * store); see the README for running several processes.
 */
export function loginThrottle(perAccount: Rule, perIp: Rule): RequestHandler[] {
  const common = {
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: () => {
      throw tooManyRequests('Too many failed sign-in attempts. Wait a few minutes and try again.');
    },
  };
  return [
    rateLimit({
      ...common,
      windowMs: perIp.windowMinutes * 60_000,
      limit: perIp.limit,
      keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? '0.0.0.0')}`,
    }),
    rateLimit({
      ...common,
      windowMs: perAccount.windowMinutes * 60_000,
      limit: perAccount.limit,
      keyGenerator: (req) => `login:${submittedLogin(req.body)}`,
    }),
  ];
}

/**
 * Wrong current passwords per signed-in person: a stolen session must not become a way to guess the
 * current password without limit. Counted per principal; only refusals of the current password (422)
 * count, not typing mistakes in the new one.
 */
export function passwordChangeThrottle(rule: Rule = { limit: 5, windowMinutes: 15 }): RequestHandler {
  return rateLimit({
    windowMs: rule.windowMinutes * 60_000,
    limit: rule.limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 422,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => (req.user ? `change:${req.user.principal.type}:${req.user.principal.id}` : `change-ip:${ipKeyGenerator(req.ip ?? '0.0.0.0')}`),
    handler: () => {
      throw tooManyRequests('Too many failed attempts to change the password. Wait a few minutes and try again.');
    },
  });
}
