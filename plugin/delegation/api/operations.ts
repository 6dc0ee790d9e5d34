import { meResponseSchema } from '../../auth/api.js';
import type { ApiOperation } from '../../web/openapi.js';
import { deputyInputSchema, extendInputSchema, grantInputSchema } from '../types.js';
import { switchSchema } from '../web/switch.js';
import { delegationViewSchema, deputyViewSchema, listOf, usageReportSchema } from './schemas.js';

const AUTH = { 401: 'No valid session or token' } as const;
const NO_DELEGATION = 'No such delegation, or not one the caller may see (ids are digits only)';
const NO_DEPUTY = 'No such deputy, or not one the caller may see (ids are digits only)';
const DELEGATED = 'delegated_session: a session working in another organisation never grants, extends or revokes (no transitive delegation)';

/** Delegations, deputies and the organisation switch in the OpenAPI document. */
export const delegationOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/delegations',
    summary:
      'Delegations. customerId: that customer\'s delegations with their history (its key users, admins). scope=managed: of every customer the caller is key user of; ' +
      'scope=mine: granted to the caller\'s e-mail address; neither: both. Admins name a customerId. Newest first; Cache-Control: no-store.',
    tag: 'delegations',
    response: listOf(delegationViewSchema),
    errors: { ...AUTH, 400: 'An unknown, repeated or invalid query parameter', 403: `forbidden: not a key user of that customer; ${DELEGATED}` },
  },
  {
    method: 'post',
    path: '/delegations',
    summary:
      'A key user of customerId lets an e-mail address work in it (201, Location). endsAt: absent = now + 7 days, a date = the end of that day (UTC), null = open-ended. ' +
      'Mails an invitation (a guest account with a set-up link when nobody uses the address yet). Audited as delegation.grant.',
    tag: 'delegations',
    request: grantInputSchema,
    response: delegationViewSchema,
    errors: {
      ...AUTH,
      400: 'A field is missing, invalid or unknown (field names it)',
      403: `forbidden: not a key user of customerId by their own mark; ${DELEGATED}`,
      404: 'No such customer',
      409: 'duplicate: the address already has an active or scheduled delegation there',
      422: 'already_member: the address belongs to that customer; in_past: endsAt is not in the future',
    },
  },
  {
    method: 'get',
    path: '/delegations/usage',
    summary: 'Charge-back report: delegated activity counted to customerId (switches in, tickets, messages, form runs, audited changes) since `since` (default 30 days ago).',
    tag: 'delegations',
    response: usageReportSchema,
    errors: { ...AUTH, 400: 'customerId missing, since not a date, or an unknown parameter', 403: 'Not a key user of that customer (admins may read any)' },
  },
  { method: 'get', path: '/delegations/{id}', summary: 'One delegation: its delegate, key users of its customer, admins. ETag carries its version.', tag: 'delegations', response: delegationViewSchema, errors: { ...AUTH, 404: NO_DELEGATION } },
  {
    method: 'patch',
    path: '/delegations/{id}',
    summary: 'Extend, shorten or open-end (endsAt null) a delegation; If-Match: "<version>" or version in the body refuses stale edits. Audited as delegation.extend.',
    tag: 'delegations',
    request: extendInputSchema,
    response: delegationViewSchema,
    errors: { ...AUTH, 400: 'endsAt missing or not a date, or an unknown field', 403: `forbidden; ${DELEGATED}`, 404: NO_DELEGATION, 409: 'version_conflict; revoked', 422: 'in_past' },
  },
  {
    method: 'post',
    path: '/delegations/{id}/review',
    summary: 'Confirm an open-ended delegation is still needed: it leaves the review list for another 90 days. No body.',
    tag: 'delegations',
    response: delegationViewSchema,
    errors: { ...AUTH, 400: 'A body was sent', 403: `forbidden; ${DELEGATED}`, 404: NO_DELEGATION, 409: 'revoked' },
  },
  {
    method: 'delete',
    path: '/delegations/{id}',
    summary: 'Revoke now (key users of its customer; admins in an emergency); answers the revoked delegation. A session working through it is sent home on its next request.',
    tag: 'delegations',
    response: delegationViewSchema,
    errors: { ...AUTH, 403: `forbidden; ${DELEGATED}`, 404: NO_DELEGATION },
  },
  {
    method: 'get',
    path: '/deputies',
    summary: 'Deputies the caller is principal or deputy of, and (key users) those of their customers; customerId narrows to one customer (admins must name one).',
    tag: 'deputies',
    response: listOf(deputyViewSchema),
    errors: { ...AUTH, 400: 'An unknown or repeated query parameter', 403: 'Staff without the right to read delegations' },
  },
  {
    method: 'post',
    path: '/deputies',
    summary:
      'Name a colleague of the same customer to stand in (201, Location). principal: absent = the caller (a key user or manager); a key user may name one for a person of their customer. ' +
      'endsAt: a date = the end of that day (UTC); at most 366 days. Audited as deputy.create.',
    tag: 'deputies',
    request: deputyInputSchema,
    response: deputyViewSchema,
    errors: {
      ...AUTH,
      400: 'A field is missing, invalid or unknown (field names it)',
      403: 'Neither key user nor manager, a principal outside the caller\'s customers, or a delegated session',
      409: 'overlap: the principal already has a deputy in that period',
      422: 'unknown_user, self, other_customer, nothing_to_hand_over, in_past, too_long',
    },
  },
  { method: 'get', path: '/deputies/{id}', summary: 'One deputy: the two people, key users of the customer, admins.', tag: 'deputies', response: deputyViewSchema, errors: { ...AUTH, 404: NO_DEPUTY } },
  {
    method: 'delete',
    path: '/deputies/{id}',
    summary: 'End a deputy now (either person, a key user of the customer, an admin); answers it. Audited as deputy.revoke.',
    tag: 'deputies',
    response: deputyViewSchema,
    errors: { ...AUTH, 403: 'delegated_session', 404: NO_DEPUTY },
  },
  {
    method: 'post',
    path: '/session/organisation',
    summary:
      'Switch the signed-in session into customerId through an active delegation of the caller (or back home with an own customer ID): a new session id (fetch a new CSRF token), ' +
      'audited and mailed to every key user of that customer. Answers the actor as /me does. API tokens send the Loket-Organisation header on each request instead.',
    tag: 'session',
    request: switchSchema,
    response: meResponseSchema,
    errors: { ...AUTH, 400: 'customerId missing or an unknown field', 403: 'no_delegation: no active delegation there; a token instead of a session; csrf_invalid without the X-CSRF-Token header of a session' },
  },
];
