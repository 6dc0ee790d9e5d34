import type { Request, Response } from 'express';
import type { LoketConfig } from '../config/schema.js';
import { loketBase } from './middleware/guards.js';

/**
 * Where links in e-mail point: BASE_URL when set (it is the public address, mount path included).
 * Without it, outside production, the request's own origin and mount path; in production a missing
 * BASE_URL is refused, because a Host header chosen by an attacker must never end up in a reset link.
 */
export function publicBaseUrl(req: Request, res: Response, config: LoketConfig): string | null {
  if (config.baseUrl) return config.baseUrl.replace(/\/$/, '');
  if (config.env === 'production') return null;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${loketBase(res)}`;
}
