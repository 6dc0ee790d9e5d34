import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { auditSubjectOf } from '../../audit/service.js';
import { renewSession } from '../../customers/renew-session.js';
import type { DelegationService } from '../../delegation/delegation-service.js';
import { validationError } from '../../errors.js';

/** The header an API client sends to act in another organisation for one request. */
export const ORGANISATION_HEADER = 'Loket-Organisation';

const headerValue = z.string().trim().min(1).max(150);

/** The person's own actor, whether or not the request works through a delegation. */
export const ownActorOf = (req: Request) => req.ownActor ?? req.user;

/**
 * Every request of a session that switched into another organisation: the delegation is read again, so
 * expiry and revocation take effect on the next request. Active: the request works as the delegated
 * actor (the own one stays on req.ownActor). Ended: the session goes on under a new id, back in the
 * person's own organisation, with a notice on the next page; nothing of the request is done in C.
 */
export function delegatedSession(delegations: DelegationService): RequestHandler {
  return (req, _res, next) => {
    const own = req.user;
    const org = req.session?.organisation;
    if (!own || !org) {
      next();
      return;
    }
    delegations.resolveSession(own, org, auditSubjectOf(own, req.ip ?? null)).then(
      async (result) => {
        if (result.kind === 'active') {
          req.ownActor = own;
          req.user = result.actor;
          next();
          return;
        }
        await renewSession(req, own);
        req.session.organisationNotice = { kind: 'ended', customerName: result.customerName, status: result.status };
        next();
      },
      next,
    );
  };
}

/**
 * API clients act in another organisation with the `Loket-Organisation` header, under the same rules as
 * a switch: an active delegation of their own, checked on this request, with a session or a token. The
 * first use in a while is recorded, audited and mailed to the organisation's key users like a switch in.
 */
export function organisationHeader(delegations: DelegationService): RequestHandler {
  return (req, _res, next) => {
    const raw = req.headers[ORGANISATION_HEADER.toLowerCase()];
    if (raw === undefined || !req.user) {
      next();
      return;
    }
    const parsed = headerValue.safeParse(raw);
    if (!parsed.success) {
      next(validationError(`${ORGANISATION_HEADER}: give one customer ID.`, ORGANISATION_HEADER));
      return;
    }
    const own = ownActorOf(req)!;
    delegations.actorFor(own, parsed.data).then(
      async (actor) => {
        if (actor.delegation) await delegations.apiUse(own, actor.delegation.id, auditSubjectOf(own, req.ip ?? null));
        req.ownActor = own;
        req.user = actor;
        next();
      },
      next,
    );
  };
}
