import { Router } from 'express';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import { ownActorOf } from '../../web/middleware/delegation.js';
import type { DelegationPagesDeps } from './deps.js';
import { delegationPaths } from './paths.js';

/**
 * "My delegations": what the person's own address was granted elsewhere, with its period and status,
 * and a switch into each active one. Read with the person's own actor, also while working elsewhere.
 */
export function minePages(deps: DelegationPagesDeps): Router {
  const router = Router();

  router.get('/portal/my-delegations', pageRequires('portal.use'), async (req, res) => {
    const actor = currentActor(req);
    const own = ownActorOf(req) ?? actor;
    const rows = (await deps.delegations.mine(own)).sort((a, b) => b.id - a.id);
    res.render('delegation/mine', {
      rows,
      currentId: actor.delegation?.id ?? null,
      ownCustomerId: own.customerId,
      paths: delegationPaths(res),
    });
  });

  return router;
}
