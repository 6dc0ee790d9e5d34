import type { Request, Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { LoketError } from '../../errors.js';
import { publicBaseUrl } from '../../web/public-url.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import type { CustomerScreenDeps } from './deps.js';

export type LinkOutcome = 'linkSent' | 'linkNotSent' | 'linkNoBase';

/**
 * Mails the one-time set-password link and says what happened. A mail server that fails is reported as
 * "not sent" instead of an error page: right after a create, that page would lose the generated password.
 */
export async function sendSetPasswordLink(
  deps: Pick<CustomerScreenDeps, 'accounts' | 'config' | 'logger'>,
  req: Request,
  res: Response,
  actor: Actor,
  user: CustomerUserRecord,
): Promise<LinkOutcome> {
  const base = publicBaseUrl(req, res, deps.config);
  // In production without BASE_URL there is no trustworthy address to put in the mail.
  if (base === null) return 'linkNoBase';
  try {
    const { delivered } = await deps.accounts.sendPasswordLink(user, base, auditSubjectOf(actor, req.ip ?? null));
    return delivered ? 'linkSent' : 'linkNotSent';
  } catch (err) {
    if (err instanceof LoketError) throw err;
    deps.logger.warn({ err, login: user.login }, 'set-password link could not be sent');
    return 'linkNotSent';
  }
}
