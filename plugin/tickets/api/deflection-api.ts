import { Router } from 'express';
import { parseBody } from '../../customers/api-schemas.js';
import { currentActor } from '../../web/middleware/guards.js';
import type { DeflectionService } from '../deflection-service.js';
import { deflectionSchema } from './schemas.js';

/**
 * `POST /api/v1/faq/deflections`: what the ticket form's FAQ suggestions did. Signed-in callers only,
 * so the figures count people filing tickets rather than anybody scripting the endpoint.
 */
export function deflectionApi(deps: { deflections: DeflectionService }): Router {
  const router = Router();

  router.post('/faq/deflections', async (req, res) => {
    const actor = currentActor(req);
    const { articleId, outcome, query } = parseBody(deflectionSchema, req.body);
    await deps.deflections.record(actor, articleId, outcome, query);
    res.status(204).end();
  });

  return router;
}
