import { Router } from 'express';
import type { ApiOperation } from '../../web/openapi.js';
import type { AssignmentService } from '../assignments.js';
import type { CatalogueService, GroupService } from '../groups/service.js';
import { assignmentsApi } from './assignments-api.js';
import { assignmentsOperations } from './assignments-operations.js';
import { catalogueOperations } from './catalogue-operations.js';
import { effectivePermissionsApi } from './effective-permissions-api.js';
import { groupsApi } from './groups-api.js';
import { servicesApi } from './services-api.js';

export const accessOperations: ApiOperation[] = [...catalogueOperations, ...assignmentsOperations];

/** Groups, permission types, services, assignments and effective permissions under `/api/v1`. */
export function accessApi(deps: { groups: GroupService; catalogue: CatalogueService; assignments: AssignmentService }): Router {
  const router = Router();
  router.use(groupsApi(deps));
  router.use(servicesApi(deps));
  router.use(assignmentsApi(deps));
  router.use(effectivePermissionsApi(deps));
  return router;
}
