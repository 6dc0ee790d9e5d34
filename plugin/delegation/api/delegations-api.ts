import { Router, type Request } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { emptyBody, etagOf, expectedVersion, parseBody, parseQuery } from '../../customers/api-schemas.js';
import { pathIdOf } from '../../web/validate.js';
import { currentActor } from '../../web/middleware/guards.js';
import type { DelegationService } from '../delegation-service.js';
import { extendInputSchema, grantInputSchema, type DelegationView } from '../types.js';
import { delegationListQuerySchema, presentDelegation, presentUsage, usageQuerySchema } from './schemas.js';

/** Ids in paths: digits only; anything else (`1abc`, `-1`) is no delegation at all. */
const idOf = (req: Request): number => pathIdOf(req.params.id, 'delegation');

const subjectOf = (req: Request) => auditSubjectOf(currentActor(req), req.ip ?? null);

/** `/api/v1/delegations`: key users grant, extend and revoke; delegates read theirs; admins read and revoke. */
export function delegationsApi(deps: { delegations: DelegationService }): Router {
  const router = Router();
  const { delegations } = deps;

  router.get('/delegations', async (req, res) => {
    const actor = currentActor(req);
    const query = parseQuery(delegationListQuerySchema, req.query);
    const found = new Map<number, DelegationView>();
    if (query.scope !== 'mine') {
      const customers = query.customerId !== undefined ? [query.customerId] : delegations.managedCustomers(actor);
      for (const customerId of customers) for (const d of await delegations.listForCustomer(actor, customerId)) found.set(d.id, d);
    }
    if (query.scope === 'mine' || (query.scope === undefined && query.customerId === undefined)) {
      for (const d of await delegations.mine(actor)) if (query.customerId === undefined || d.customerId === query.customerId) found.set(d.id, d);
    }
    const items = [...found.values()].sort((a, b) => b.id - a.id).map(presentDelegation);
    res.set('Cache-Control', 'no-store');
    res.json({ items, total: items.length, limit: items.length });
  });

  router.post('/delegations', async (req, res) => {
    const actor = currentActor(req);
    const input = parseBody(grantInputSchema, req.body);
    const granted = await delegations.grant(actor, input, subjectOf(req));
    res.location(`${req.baseUrl}/delegations/${granted.id}`).set('ETag', etagOf(granted.version));
    res.status(201).json(presentDelegation(granted));
  });

  // Ahead of /delegations/:id, which would take "usage" for an id.
  router.get('/delegations/usage', async (req, res) => {
    const query = parseQuery(usageQuerySchema, req.query);
    const report = await delegations.usage(currentActor(req), query.customerId, query.since);
    res.set('Cache-Control', 'no-store');
    res.json(presentUsage(report));
  });

  router.get('/delegations/:id', async (req, res) => {
    const d = await delegations.get(currentActor(req), idOf(req));
    res.set('Cache-Control', 'no-store').set('ETag', etagOf(d.version));
    res.json(presentDelegation(d));
  });

  router.patch('/delegations/:id', async (req, res) => {
    const id = idOf(req);
    const input = parseBody(extendInputSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), input.version);
    const d = await delegations.extend(currentActor(req), id, { endsAt: input.endsAt, ...(version !== undefined && { version }) }, subjectOf(req));
    res.set('ETag', etagOf(d.version));
    res.json(presentDelegation(d));
  });

  router.post('/delegations/:id/review', async (req, res) => {
    const id = idOf(req);
    emptyBody(req.body);
    const d = await delegations.review(currentActor(req), id, subjectOf(req));
    res.set('ETag', etagOf(d.version));
    res.json(presentDelegation(d));
  });

  router.delete('/delegations/:id', async (req, res) => {
    const d = await delegations.revoke(currentActor(req), idOf(req), subjectOf(req));
    res.json(presentDelegation(d));
  });

  return router;
}
