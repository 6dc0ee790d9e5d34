import { z } from 'zod';
import type { ApiOperation } from '../web/openapi.js';
import { anonymiseSchema, createdCustomerUserSchema, customerUserPatchSchema, customerUserWriteSchema, passwordLinkSchema } from './api-schemas.js';
import { customerUserResponseSchema, listOf } from './present.js';

const AUTH = { 401: 'No valid session or token' } as const;

/** The OpenAPI description of `/api/v1/customer-users`. */
export const customerUsersOperations = (searchLimit: number): ApiOperation[] => [
  {
    method: 'get',
    path: '/customer-users',
    summary:
      'Customer users the caller may see (staff: all; key users: their customers; others: themself). Query: search ' +
      '(words match the start of any search field, case- and accent-insensitive; * is a wildcard, a leading * searches ' +
      'inside words, * alone lists everybody; % and _ are ordinary characters), customerId (exact, primary or extra), ' +
      `validity, limit (1-${searchLimit}, default ${searchLimit}), offset. total counts matches up to the list limit; totalCapped says there were more (type more to narrow the search).`,
    tag: 'customer-users',
    response: listOf(customerUserResponseSchema).extend({ totalCapped: z.boolean().describe('More matches exist than the list limit looks at; total is that limit.') }),
    errors: { ...AUTH, 400: 'A query parameter is invalid, unknown, repeated or over the limit' },
  },
  {
    method: 'post',
    path: '/customer-users',
    summary: 'Create a customer user (201, with Location and ETag); without a password one is generated, answered once, and a set-password link is mailed',
    tag: 'customer-users',
    request: customerUserWriteSchema,
    response: createdCustomerUserSchema,
    errors: {
      ...AUTH,
      400: 'A required field is missing, a field is invalid or unknown (field names it)',
      403: 'Not allowed to manage customer users',
      409: 'The login or e-mail address is in use',
      422: 'unknown_customer (customerId, customerIds), unknown_manager, not_a_member (keyUserOf)',
    },
  },
  {
    method: 'get',
    path: '/customer-users/{login}',
    summary: 'One customer user; the ETag header carries its version',
    tag: 'customer-users',
    response: customerUserResponseSchema,
    errors: { ...AUTH, 404: 'No such customer user (or not one the caller may see)' },
  },
  {
    method: 'patch',
    path: '/customer-users/{login}',
    summary: 'Change a customer user; send If-Match: "<version>" or version in the body to refuse stale edits. Setting validity to invalid ends their sessions.',
    tag: 'customer-users',
    request: customerUserPatchSchema,
    response: customerUserResponseSchema,
    errors: {
      ...AUTH,
      400: 'A field is invalid or unknown (field names it)',
      403: 'Not allowed to manage customer users, or a read-only field',
      404: 'No such customer user',
      409: 'edit_conflict (stale version), or the login or e-mail address is in use',
      422: 'unknown_customer, unknown_manager, not_a_member, read_only_backend',
    },
  },
  {
    method: 'delete',
    path: '/customer-users/{login}',
    summary: 'Not possible: customer users are never deleted; set validity to invalid instead',
    tag: 'customer-users',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: GET, PATCH)' },
  },
  {
    method: 'post',
    path: '/customer-users/{login}/password-link',
    summary: 'Mail the user a new one-time set-password link (older open links stop working)',
    tag: 'customer-users',
    response: passwordLinkSchema,
    errors: { ...AUTH, 403: 'Not allowed to manage customer users', 404: 'No such customer user', 422: 'directory_user: the password lives in the directory' },
  },
  {
    method: 'post',
    path: '/customer-users/{login}/anonymise',
    summary: 'GDPR: replace the personal fields with anonymous stand-in values and make the account invalid; tickets and the audit trail stay',
    tag: 'customer-users',
    request: anonymiseSchema,
    response: customerUserResponseSchema,
    errors: { ...AUTH, 400: 'confirm does not repeat the login', 403: 'Not allowed to anonymise', 404: 'No such customer user' },
  },
];
