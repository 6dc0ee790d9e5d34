import type { ApiOperation } from '../../web/openapi.js';
import { STRONGEST } from '../effective-permissions.js';
import { groupAssignmentsSchema, serviceAssignmentsSchema } from '../groups/schema.js';
import { effectivePermissionsSchema, previewSchema } from './schemas.js';

const AUTH = { 401: 'No valid session or token' } as const;
const REPLACES = 'replaces the whole set (one transaction, audited with before and after) and answers it';
const UNKNOWN_GROUP = 'unknown_group or unknown_permission; field names the entry (groups.2.group, groups.0.permissions)';
const UNKNOWN_SERVICE = 'unknown_service; field names the entry (services.1)';

interface Owner {
  path: string;
  who: string;
  notFound?: string;
  readers: string;
}

const NO_SUCH_USER = 'No such customer user (or not one the caller may see)';
const USER: Owner = { path: '/customer-users/{login}', who: 'a customer user', notFound: NO_SUCH_USER, readers: 'staff, key users of their customers, the user themself' };
const CUSTOMER: Owner = { path: '/customers/{customerId}', who: 'a customer (and so all its users)', notFound: 'No such customer (or not one the caller may see)', readers: 'staff and the customer\'s key users' };
const GROUP: Owner = { path: '/groups/{name}', who: 'a group (everybody holding any permission in it)', notFound: 'No such group', readers: 'staff' };

function groupsOf(owner: Owner, path = `${owner.path}/groups`): ApiOperation[] {
  const missing = owner.notFound === undefined ? {} : { 404: owner.notFound };
  return [
    {
      method: 'get',
      path,
      summary: `Group grants of ${owner.who}, as PUT takes them (also grants of invalid groups, which count for nothing). Readers: ${owner.readers}.`,
      tag: 'assignments',
      response: groupAssignmentsSchema,
      errors: { ...AUTH, 403: 'Not allowed to read these assignments', ...missing },
    },
    {
      method: 'put',
      path,
      summary: `Set the group grants of ${owner.who}: ${REPLACES}. Admins only.`,
      tag: 'assignments',
      request: groupAssignmentsSchema,
      response: groupAssignmentsSchema,
      errors: { ...AUTH, 400: 'Not the documented shape (field names it)', 403: 'Not allowed to manage assignments', ...missing, 422: UNKNOWN_GROUP },
    },
  ];
}

function servicesOf(owner: Owner, path = `${owner.path}/services`): ApiOperation[] {
  const missing = owner.notFound === undefined ? {} : { 404: owner.notFound };
  return [
    {
      method: 'get',
      path,
      summary: `Services assigned to ${owner.who}, as PUT takes them (also invalid ones, which entitle nobody). Readers: ${owner.readers}.`,
      tag: 'assignments',
      response: serviceAssignmentsSchema,
      errors: { ...AUTH, 403: 'Not allowed to read these assignments', ...missing },
    },
    {
      method: 'put',
      path,
      summary: `Set the services of ${owner.who}: ${REPLACES}. Admins only.`,
      tag: 'assignments',
      request: serviceAssignmentsSchema,
      response: serviceAssignmentsSchema,
      errors: { ...AUTH, 400: 'Not the documented shape (field names it)', 403: 'Not allowed to manage assignments', ...missing, 422: UNKNOWN_SERVICE },
    },
  ];
}

const DEFAULT_USERS: Owner = { path: '/defaults', who: 'every customer user (default groups)', readers: 'staff' };
const DEFAULT_CUSTOMERS: Owner = {
  path: '/defaults',
  who: 'every customer (default customer groups; an extension of the contract in the same style: the reason says scope "customers")',
  readers: 'staff',
};
const DEFAULT_SERVICES: Owner = { path: '/defaults', who: 'every customer user (default services; they add to the others, they are not a fallback)', readers: 'staff' };

/** The OpenAPI description of the assignment paths and the effective permissions. */
export const assignmentsOperations: ApiOperation[] = [
  ...groupsOf(USER),
  ...servicesOf(USER),
  ...groupsOf(CUSTOMER),
  ...servicesOf(CUSTOMER),
  ...servicesOf(GROUP),
  ...groupsOf(DEFAULT_USERS, '/defaults/groups'),
  ...groupsOf(DEFAULT_CUSTOMERS, '/defaults/customer-groups'),
  ...servicesOf(DEFAULT_SERVICES, '/defaults/services'),
  {
    method: 'get',
    path: '/customer-users/{login}/effective-permissions',
    summary:
      'What a customer user holds right now and why: group × permission type, each with every source (direct, customer with customerId, ' +
      `default with scope, delegation), and cells held because the source grants ${STRONGEST} carry impliedBy "${STRONGEST}"; ` +
      'entitled services with their sources (direct, customer, group, default). Readers: staff, key users of their customers, the user themself.',
    tag: 'assignments',
    response: effectivePermissionsSchema,
    errors: { ...AUTH, 403: 'Not allowed to read customer users', 404: NO_SUCH_USER },
  },
  {
    method: 'post',
    path: '/customer-users/{login}/effective-permissions/preview',
    summary:
      'The same answer computed over unsaved edits of the user\'s own groups, own services and extra customers (parts left out stay as stored). ' +
      'Nothing is written and nothing audited. Admins only.',
    tag: 'assignments',
    request: previewSchema,
    response: effectivePermissionsSchema,
    errors: {
      ...AUTH,
      400: 'Not the documented shape (field names it)',
      403: 'Not allowed to manage assignments',
      404: NO_SUCH_USER,
      422: `${UNKNOWN_GROUP}; ${UNKNOWN_SERVICE}; unknown_customer (customerIds.0)`,
    },
  },
];
