import type { Request, Response } from 'express';
import type { Actor } from '../../access/actor.js';
import { auditSubjectOf } from '../../audit/service.js';
import { publicBaseUrl } from '../../web/public-url.js';
import type { CustomerUserRecord } from '../backends/backend.js';
import type { CustomerScreenDeps } from './deps.js';

export type LinkOutcome = 'linkSent' | 'linkNotSent' | 'linkNoBase';

const OUTCOME = { 'no-base-url': 'linkNoBase', 'mail-off': 'linkNotSent', 'mail-failed': 'linkNotSent' } as const;

/** Mails the one-time set-password link and says what happened, as a notice code of these pages. */
export async function sendSetPasswordLink(
  deps: Pick<CustomerScreenDeps, 'accounts' | 'config'>,
  req: Request,
  res: Response,
  actor: Actor,
  user: CustomerUserRecord,
): Promise<LinkOutcome> {
  const outcome = await deps.accounts.sendPasswordLink(actor, user, publicBaseUrl(req, res, deps.config), auditSubjectOf(actor, req.ip ?? null));
  return outcome.sent ? 'linkSent' : OUTCOME[outcome.reason];
}
