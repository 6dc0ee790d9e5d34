import type { CustomerService } from '../../customers/customer-service.js';
import type { CustomerUserService } from '../../customers/customer-user-service.js';
import type { AssignmentService } from '../assignments.js';
import type { CatalogueService, GroupService } from '../groups/service.js';

/** What the group, service and assignment screens need from the container. */
export interface AccessScreenDeps {
  groups: GroupService;
  catalogue: CatalogueService;
  assignments: AssignmentService;
  customers: CustomerService;
  customerUsers: CustomerUserService;
}

/** Groups and services are few (hundreds); one page holds them all, up to the most an assignment may name. */
export const ALL_GROUPS = 1000;
export const ALL_SERVICES = 5000;
