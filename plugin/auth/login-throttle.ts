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
