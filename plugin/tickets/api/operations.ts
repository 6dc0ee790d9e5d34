import { groupAssignmentsSchema } from '../../access/groups/schema.js';
import { listOf } from '../../customers/present.js';
import type { ApiOperation } from '../../web/openapi.js';
import { MAX_BODY_CHARS, newMessageSchema, newTicketSchema, queueCreateSchema, queuePatchSchema, stateChangeSchema } from '../schema.js';
import { deflectionSchema, faqLinksSchema, messageSchema, queueSchema, ticketDetailSchema, ticketPageSchema, ticketSummarySchema } from './schemas.js';

const AUTH = { 401: 'No valid session or token' } as const;
const BAD_BODY = 'A field is missing, invalid or unknown (field names it)';
const NO_TICKET = 'No such ticket, or not one the caller may see (numbers of other tenants look exactly like unknown ones)';
const TOO_LARGE = `The message is longer than ${MAX_BODY_CHARS.toLocaleString('en')} characters, or the request exceeds the HTTP body limit`;
const WHO_SEES =
  'Customer users see their own tickets, and their organisation\'s where they hold rw on the queue\'s group or are its key user; ' +
  'agents see queues whose group they hold ro in; admins see everything.';

const ticketOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/tickets',
    summary:
      'File a ticket with its first message (201, with Location). Customer users file for themselves in queues whose group they hold create in; ' +
      'agents file for a customer user named in customerUser (create on the queue\'s group). service must be one the customer user is entitled to. ' +
      'faqArticleIds links articles the person saw before filing anyway. Send an Idempotency-Key header (8-191 visible ASCII characters) to make retries safe: ' +
      'the same key with the same body answers the first ticket with 200 and Idempotent-Replayed: true, never a second ticket.',
    tag: 'tickets',
    request: newTicketSchema,
    response: ticketSummarySchema,
    errors: {
      ...AUTH,
      400: `${BAD_BODY}, or a malformed Idempotency-Key`,
      403: 'Not allowed to file in this queue, or a customer user naming someone else in customerUser',
      409: 'idempotency_key_reused: this Idempotency-Key was used for a different request',
      413: TOO_LARGE,
      422: 'unknown_queue, service_not_entitled, customer_user_required (agents), customer_user_invalid or unknown_article (field names it)',
    },
  },
  {
    method: 'get',
    path: '/tickets',
    summary:
      `Tickets the caller may see, most recently changed first. ${WHO_SEES} Query: search (words in the title, the number or a message the caller may read), ` +
      'state (new, open, pending, resolved, closed, or active for the first three), queue, service, customerId, customerUser, ' +
      'scope (customer users: mine, the default, or company), limit (1-200, default 25), offset. Cache-Control: no-store.',
    tag: 'tickets',
    response: ticketPageSchema,
    errors: { ...AUTH, 400: 'A query parameter is invalid, unknown or repeated' },
  },
  {
    method: 'get',
    path: '/tickets/{number}',
    summary:
      'One ticket with its messages (customer users never get internal notes), the linked FAQ articles the caller may read, ' +
      'what the caller may do next (mayReply, mayNote, states) and, for staff, the snapshot of the customer user taken when it was filed.',
    tag: 'tickets',
    response: ticketDetailSchema,
    errors: { ...AUTH, 404: NO_TICKET },
  },
  {
    method: 'patch',
    path: '/tickets/{number}',
    summary:
      'Change the state. Agents with rw on the queue\'s group set any state; customer users close their ticket or reopen a resolved or closed one. ' +
      'Answers the ticket; the change shows as a system message.',
    tag: 'tickets',
    request: stateChangeSchema,
    response: ticketSummarySchema,
    errors: {
      ...AUTH,
      400: BAD_BODY,
      403: 'May see the ticket but not work on it (agents without rw)',
      404: NO_TICKET,
      409: 'edit_conflict: changed by someone else at the same moment',
      422: 'state_not_allowed: the caller may not move the ticket from its state to this one',
    },
  },
  {
    method: 'post',
    path: '/tickets/{number}/messages',
    summary:
      'Reply (201, answers the message). internal: true writes an internal note (staff only; customers never see it). ' +
      'An agent\'s public reply opens a new ticket; a customer writing to a pending, resolved or closed ticket reopens it. faqArticleIds (staff) links articles with the reply.',
    tag: 'tickets',
    request: newMessageSchema,
    response: messageSchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'May see the ticket but not work on it, or a customer user sending internal or faqArticleIds', 404: NO_TICKET, 413: TOO_LARGE, 422: 'unknown_article' },
  },
  {
    method: 'post',
    path: '/tickets/{number}/faq-links',
    summary: 'Link FAQ articles to the ticket (staff with rw on the queue\'s group); customers then see those they may read. Linking one twice changes nothing. Answers 204.',
    tag: 'tickets',
    request: faqLinksSchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'Not staff, or no rw on the queue\'s group', 404: NO_TICKET, 422: 'unknown_article: an id the caller may not read' },
  },
];

const queueOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/queues',
    summary: 'Queues by name: admins get all, agents those whose group they hold ro in, customer users those they may file in. No query parameters (there are few queues).',
    tag: 'queues',
    response: listOf(queueSchema),
    errors: { ...AUTH, 400: 'An unknown query parameter' },
  },
  {
    method: 'post',
    path: '/queues',
    summary: 'Create a queue bound to a group (201, with Location and ETag). Names are unique in any case. Admins only; audited.',
    tag: 'queues',
    request: queueCreateSchema,
    response: queueSchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'Not allowed to manage queues', 409: 'duplicate: this name is taken', 422: 'unknown_group' },
  },
  {
    method: 'get',
    path: '/queues/{name}',
    summary: 'One queue the caller may see (as in the list); the ETag header carries its version.',
    tag: 'queues',
    response: queueSchema,
    errors: { ...AUTH, 404: 'No such queue (or not one the caller may see)' },
  },
  {
    method: 'patch',
    path: '/queues/{name}',
    summary:
      'Rename a queue, move it to another group, change comment or validity. version is required (If-Match may carry it too; they must agree): ' +
      'a stale version answers 409. Moving it changes who sees its tickets from the next request on. Admins only; audited.',
    tag: 'queues',
    request: queuePatchSchema,
    response: queueSchema,
    errors: { ...AUTH, 400: BAD_BODY, 403: 'Not allowed to manage queues', 404: 'No such queue', 409: 'edit_conflict (stale version) or duplicate (name taken)', 422: 'unknown_group' },
  },
  {
    method: 'delete',
    path: '/queues/{name}',
    summary: 'Not possible: queues are never deleted; set validity to invalid instead',
    tag: 'queues',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: GET, PATCH)' },
  },
];

const agentGroupOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/agents/{login}/groups',
    summary: 'The groups an agent works in, permissions weakest first: ro sees a group\'s queues, rw works their tickets, create files for customer users. Admins, and an agent asking about themself.',
    tag: 'agents',
    response: groupAssignmentsSchema,
    errors: { ...AUTH, 403: 'Not allowed to read another agent\'s groups', 404: 'No such agent' },
  },
  {
    method: 'put',
    path: '/agents/{login}/groups',
    summary: 'Set the groups of an agent: replaces the whole set (one transaction, audited with before and after) and answers it. Takes effect on the agent\'s next request. Admins only.',
    tag: 'agents',
    request: groupAssignmentsSchema,
    response: groupAssignmentsSchema,
    errors: { ...AUTH, 400: 'Not the documented shape (field names it)', 403: 'Not allowed to manage agents', 404: 'No such agent', 422: 'unknown_group or unknown_permission; field names the entry' },
  },
];

const deflectionOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/faq/deflections',
    summary:
      'Count what an FAQ suggestion on the ticket form did: opened, or answered (the question was answered and no ticket filed). ' +
      'Signed-in callers, for articles they may read. Answers 204.',
    tag: 'faq',
    request: deflectionSchema,
    errors: { ...AUTH, 400: BAD_BODY, 404: 'No such article (or not one the caller may read)' },
  },
];

/** The OpenAPI description of tickets, queues, agents' groups and deflections. */
export const ticketsOperations: ApiOperation[] = [...ticketOperations, ...queueOperations, ...agentGroupOperations, ...deflectionOperations];
