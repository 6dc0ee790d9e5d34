import { Router } from 'express';
import type { DelegationService } from '../delegation-service.js';
import type { DeputyService } from '../deputy-service.js';
import { delegationsApi } from './delegations-api.js';
import { deputiesApi } from './deputies-api.js';

export { delegationOperations } from './operations.js';

/** Delegations and deputies under `/api/v1` (the switch itself: plugin/delegation/web/switch.ts). */
export function delegationApiRoutes(deps: { delegations: DelegationService; deputies: DeputyService }): Router {
  const router = Router();
  router.use(delegationsApi(deps));
  router.use(deputiesApi(deps));
  return router;
}
