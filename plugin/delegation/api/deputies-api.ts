import { Router, type Request } from 'express';
import { auditSubjectOf } from '../../audit/service.js';
import { parseBody, parseQuery } from '../../customers/api-schemas.js';
import { currentActor } from '../../web/middleware/guards.js';
import type { DeputyService } from '../deputy-service.js';
import { deputyInputSchema } from '../types.js';
import { pathIdOf } from '../../web/validate.js';
import { deputyListQuerySchema, presentDeputy } from './schemas.js';

const subjectOf = (req: Request) => auditSubjectOf(currentActor(req), req.ip ?? null);

/** `/api/v1/deputies`: holiday cover named by key users and managers, seen by both people. */
export function deputiesApi(deps: { deputies: DeputyService }): Router {
  const router = Router();
  const { deputies } = deps;

  router.get('/deputies', async (req, res) => {
    const query = parseQuery(deputyListQuerySchema, req.query);
    const items = (await deputies.list(currentActor(req), query.customerId !== undefined ? { customerId: query.customerId } : {})).map(presentDeputy);
    res.set('Cache-Control', 'no-store');
    res.json({ items, total: items.length, limit: items.length });
  });

  router.post('/deputies', async (req, res) => {
    const input = parseBody(deputyInputSchema, req.body);
    const created = await deputies.create(currentActor(req), input, subjectOf(req));
    res.location(`${req.baseUrl}/deputies/${created.id}`);
    res.status(201).json(presentDeputy(created));
  });

  router.get('/deputies/:id', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(presentDeputy(await deputies.get(currentActor(req), pathIdOf(req.params.id, 'deputy'))));
  });

  router.delete('/deputies/:id', async (req, res) => {
    res.json(presentDeputy(await deputies.revoke(currentActor(req), pathIdOf(req.params.id, 'deputy'), subjectOf(req))));
  });

  return router;
}
