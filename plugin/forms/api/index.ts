import { Router } from 'express';
import type { FormsService, RunsService } from '../types.js';
import { formsApi } from './forms-api.js';
import { runsApi } from './runs-api.js';

export { formsOperations } from './operations.js';

/** Forms, runs and approvals under `/api/v1`. */
export function formsApiRoutes(deps: { forms: FormsService; formRuns: RunsService }): Router {
  const router = Router();
  router.use(formsApi(deps));
  router.use(runsApi(deps));
  return router;
}
