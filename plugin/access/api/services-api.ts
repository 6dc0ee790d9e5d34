import { Router } from 'express';
import { currentActor } from '../../web/middleware/guards.js';
import { namedCreateSchema, serviceNameSchema } from '../groups/schema.js';
import type { CatalogueService } from '../groups/service.js';
import { nameOf, namedEntryRoutes } from './named-routes.js';
import { presentService } from './schemas.js';

/** `/api/v1/services`: the catalogue tree (`Parent::Child`) and who holds each service. */
export function servicesApi(deps: { catalogue: CatalogueService }): Router {
  const router = Router();
  namedEntryRoutes(router, { collection: '/services', what: 'service', service: deps.catalogue, createSchema: namedCreateSchema(serviceNameSchema), present: presentService });

  router.get('/services/:name/holders', async (req, res) => {
    const actor = currentActor(req);
    const service = await deps.catalogue.get(actor, nameOf(req));
    res.json({ service: service.name, ...(await deps.catalogue.holders(actor, service.name)) });
  });

  return router;
}
