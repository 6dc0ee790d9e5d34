import { listOf } from '../../customers/present.js';
import type { ApiOperation } from '../../web/openapi.js';
import { groupNameSchema, namedCreateSchema, namedPatchSchema, permissionTypeSchema, serviceNameSchema } from '../groups/schema.js';
import {
  changedSchema,
  groupResponseSchema,
  holdersSchema,
  MAX_MEMBER_CHANGES,
  memberChangesSchema,
  memberSchema,
  NAMED_DEFAULT_LIMIT,
  NAMED_MAX_LIMIT,
  permissionTypeListSchema,
  serviceResponseSchema,
} from './schemas.js';

const AUTH = { 401: 'No valid session or token' } as const;
const LIST_QUERY =
  `Query: search (part of the name, any case; % and _ are ordinary characters), validity, ` +
  `limit (1-${NAMED_MAX_LIMIT}, default ${NAMED_DEFAULT_LIMIT}), offset. total counts every match.`;
const IN_PATH = 'The name in the path is URL-encoded (IT::Email is IT%3A%3AEmail) and matched in any case.';

/** The OpenAPI description of `/api/v1/groups`, `/api/v1/permission-types` and `/api/v1/services`. */
export const catalogueOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/groups',
    summary: `Groups, by name. ${LIST_QUERY}`,
    tag: 'groups',
    response: listOf(groupResponseSchema),
    errors: { ...AUTH, 400: 'A query parameter is invalid, unknown or repeated', 403: 'Not allowed to read groups (customer users)' },
  },
  {
    method: 'post',
    path: '/groups',
    summary: 'Create a group (201, with Location and ETag). Names are shown as typed and unique in any case.',
    tag: 'groups',
    request: namedCreateSchema(groupNameSchema),
    response: groupResponseSchema,
    errors: { ...AUTH, 400: 'A field is missing, invalid or unknown (field names it)', 403: 'Not allowed to manage groups', 409: 'duplicate: this name is taken' },
  },
  {
    method: 'get',
    path: '/groups/{name}',
    summary: `One group; the ETag header carries its version. ${IN_PATH}`,
    tag: 'groups',
    response: groupResponseSchema,
    errors: { ...AUTH, 403: 'Not allowed to read groups', 404: 'No such group' },
  },
  {
    method: 'patch',
    path: '/groups/{name}',
    summary:
      'Rename a group, change its comment or validity; send If-Match: "<version>" or version in the body to refuse stale edits. ' +
      'An invalid group grants nothing, from the next request on; its assignments stay for when it is valid again.',
    tag: 'groups',
    request: namedPatchSchema,
    response: groupResponseSchema,
    errors: { ...AUTH, 400: 'A field is invalid or unknown', 403: 'Not allowed to manage groups', 404: 'No such group', 409: 'edit_conflict (stale version) or duplicate (name taken)' },
  },
  {
    method: 'delete',
    path: '/groups/{name}',
    summary: 'Not possible: groups are never deleted; set validity to invalid instead',
    tag: 'groups',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: GET, PATCH)' },
  },
  {
    method: 'get',
    path: '/groups/{name}/members',
    summary:
      'The group → members matrix, one page: customer users (kind=customer-user, the default; by login) or customers ' +
      `(kind=customer; by customer ID) holding any permission in the group directly. Query: kind, search (part of the login or customer ID, any case), limit (1-${NAMED_MAX_LIMIT}, ` +
      `default ${NAMED_DEFAULT_LIMIT}), offset. Defaults and grants through customers are not listed here.`,
    tag: 'groups',
    response: listOf(memberSchema),
    errors: { ...AUTH, 400: 'A query parameter is invalid, unknown or repeated', 403: 'Not allowed to read groups', 404: 'No such group' },
  },
  {
    method: 'post',
    path: '/groups/{name}/members',
    summary:
      `Bulk change from the matrix (at most ${MAX_MEMBER_CHANGES} rows): each listed member holds exactly the permissions given ` +
      'afterwards ([] removes them); members not listed stay as they are. One transaction and one audit entry: one bad row changes nothing.',
    tag: 'groups',
    request: memberChangesSchema,
    response: changedSchema,
    errors: {
      ...AUTH,
      400: 'Not the documented shape (field names it), or a row naming both or neither of customerUser and customer',
      403: 'Not allowed to manage assignments',
      404: 'No such group',
      422: 'unknown_customer_user, unknown_customer or unknown_permission; field names the row (changes.3.customerUser)',
    },
  },
  {
    method: 'get',
    path: '/permission-types',
    summary: 'Permission types, weakest first: ro, create, types admins added, and rw last (rw implies every other type)',
    tag: 'groups',
    response: permissionTypeListSchema,
    errors: { ...AUTH, 403: 'Not allowed to read groups' },
  },
  {
    method: 'post',
    path: '/permission-types',
    summary: 'Add a permission type (201); it ranks below rw, which implies it. Answers the whole list, in order.',
    tag: 'groups',
    request: permissionTypeSchema,
    response: permissionTypeListSchema,
    errors: { ...AUTH, 400: 'name: lower-case letters, digits and -, at most 32', 403: 'Not allowed to manage groups', 409: 'duplicate: this type exists' },
  },
  {
    method: 'get',
    path: '/services',
    summary: `The services catalogue, by name (a tree: IT, IT::Email, IT::Email::Archive). ${LIST_QUERY}`,
    tag: 'services',
    response: listOf(serviceResponseSchema),
    errors: { ...AUTH, 400: 'A query parameter is invalid, unknown or repeated', 403: 'Not allowed to read services (customer users)' },
  },
  {
    method: 'post',
    path: '/services',
    summary: 'Create a service (201, with Location and ETag); name is the full path, Parent::Child, and the parent must exist',
    tag: 'services',
    request: namedCreateSchema(serviceNameSchema),
    response: serviceResponseSchema,
    errors: {
      ...AUTH,
      400: 'A field is missing, invalid or unknown (an empty or padded segment, more than 10 levels)',
      403: 'Not allowed to manage services',
      409: 'duplicate: this name is taken',
      422: 'unknown_parent: create the parent first',
    },
  },
  {
    method: 'get',
    path: '/services/{name}',
    summary: `One service; the ETag header carries its version. ${IN_PATH}`,
    tag: 'services',
    response: serviceResponseSchema,
    errors: { ...AUTH, 403: 'Not allowed to read services', 404: 'No such service' },
  },
  {
    method: 'patch',
    path: '/services/{name}',
    summary:
      'Change a service\'s comment or validity (If-Match or version refuse stale edits). The name is its place in the tree and never changes. ' +
      'An invalid service entitles nobody.',
    tag: 'services',
    request: namedPatchSchema.omit({ name: true }),
    response: serviceResponseSchema,
    errors: { ...AUTH, 400: 'A field is invalid or unknown', 403: 'Not allowed to manage services', 404: 'No such service', 409: 'edit_conflict', 422: 'immutable: name cannot change' },
  },
  {
    method: 'delete',
    path: '/services/{name}',
    summary: 'Not possible: services are never deleted; set validity to invalid instead',
    tag: 'services',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: GET, PATCH)' },
  },
  {
    method: 'get',
    path: '/services/{name}/holders',
    summary: 'Who holds a service directly: customer users, customers, groups, and whether it is a default service',
    tag: 'services',
    response: holdersSchema,
    errors: { ...AUTH, 403: 'Not allowed to read services', 404: 'No such service' },
  },
];
