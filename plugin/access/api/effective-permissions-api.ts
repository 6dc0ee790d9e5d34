import { Router, type Request } from 'express';
import { loginParam, parseBody } from '../../customers/api-schemas.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { AssignmentService } from '../assignments.js';
import { previewSchema } from './schemas.js';

const loginOf = (req: Request) => parseInput(loginParam, req.params.login);

/** What a customer user holds and why; the preview computes the same over unsaved edits and writes nothing. */
export function effectivePermissionsApi(deps: { assignments: AssignmentService }): Router {
  const router = Router();

  router.get('/customer-users/:login/effective-permissions', async (req, res) => {
    res.json(await deps.assignments.effective(currentActor(req), loginOf(req)));
  });

  router.post('/customer-users/:login/effective-permissions/preview', async (req, res) => {
    const actor = currentActor(req);
    const changes = parseBody(previewSchema, req.body);
    res.json(await deps.assignments.preview(actor, loginOf(req), changes));
  });

  return router;
}
