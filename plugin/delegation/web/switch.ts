import { Router, type Request } from 'express';
import { z } from 'zod';
import { presentMe } from '../../auth/api.js';
import { auditSubjectOf } from '../../audit/service.js';
import { parseBody } from '../../customers/api-schemas.js';
import { renewSession } from '../../customers/renew-session.js';
import { forbidden, unauthenticated } from '../../errors.js';
import { loketBase } from '../../web/middleware/guards.js';
import { ownActorOf } from '../../web/middleware/delegation.js';
import type { DelegationService } from '../delegation-service.js';

export const switchSchema = z.strictObject({ customerId: z.string().trim().min(1).max(150) });
const pageSwitchSchema = z.object({ customerId: z.string().trim().min(1).max(150), returnTo: z.string().max(500).optional() });

/**
 * Switches the session's organisation: checks the delegation, records and mails the switch out of the
 * old one and into the new one, then goes on under a new session id (SECURITY.md, Sessions) with a
 * notice for the next page. The same for the page form and the API.
 */
async function switchSession(req: Request, delegations: DelegationService, customerId: string) {
  const own = ownActorOf(req);
  if (!own) throw unauthenticated();
  if (own.authenticatedBy !== 'session' || !req.session) throw forbidden('Only a signed-in session switches organisation; API clients send the Loket-Organisation header.');
  const current = req.session.organisation ?? null;
  const next = await delegations.switchTo(own, current, customerId, 'session', auditSubjectOf(own, req.ip ?? null));
  await renewSession(req, own);
  if (next) {
    req.session.organisation = next;
    const active = await delegations.resolveSession(own, next, auditSubjectOf(own, req.ip ?? null));
    if (active.kind !== 'active') throw forbidden('The delegation ended meanwhile.');
    req.session.organisationNotice = { kind: 'switched-in', customerName: active.actor.delegation?.customerName ?? customerId };
    return active.actor;
  }
  if (current) req.session.organisationNotice = { kind: 'switched-out', customerName: own.customerId ?? '' };
  return own;
}

/** A same-site path to return to after switching (never another host). */
const safeReturn = (value: string | undefined): string => (value && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/portal');

export function switchRoutes(deps: { delegations: DelegationService }): Router {
  const router = Router();
  router.post('/organisation', async (req, res) => {
    const input = parseBody(pageSwitchSchema, req.body);
    await switchSession(req, deps.delegations, input.customerId);
    res.redirect(303, `${loketBase(res)}${safeReturn(input.returnTo)}`);
  });
  return router;
}

export function switchApi(deps: { delegations: DelegationService }): Router {
  const router = Router();
  router.post('/session/organisation', async (req, res) => {
    const input = parseBody(switchSchema, req.body);
    const actor = await switchSession(req, deps.delegations, input.customerId);
    res.json(presentMe(actor));
  });
  return router;
}
