import { z } from 'zod';

export const TICKET_STATES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_TYPES = ['incident', 'request'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** States a customer user may move their ticket to: close it, or reopen a finished one. */
export const CUSTOMER_STATES: readonly TicketState[] = ['closed', 'open'];
export const FINISHED_STATES: readonly TicketState[] = ['resolved', 'closed'];

/** Longest message body in characters; longer is a 413 (the HTTP body limit stops far larger ones first). */
export const MAX_BODY_CHARS = 100_000;
export const MAX_TITLE_CHARS = 200;

const title = z.string().trim().min(1, 'Give the ticket a title.').max(MAX_TITLE_CHARS);
// Length is checked in the service (413, not 400): an oversized body is too large, not malformed.
const body = z.string().trim().min(1, 'Write what it is about.');

export const newTicketSchema = z.strictObject({
  title,
  body,
  queue: z.string().trim().min(1).max(191),
  service: z.string().trim().min(1).max(191).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  type: z.enum(TICKET_TYPES).optional(),
  customerUser: z.string().trim().min(1).max(191).optional(),
  /** FAQ articles the person saw in the form before filing anyway (linked to the new ticket). */
  faqArticleIds: z.array(z.number().int().positive()).max(20).optional(),
});
export type NewTicketInput = z.input<typeof newTicketSchema>;

export const newMessageSchema = z.strictObject({
  body,
  internal: z.boolean().optional(),
  /** Links these FAQ articles to the ticket with the reply (agents). */
  faqArticleIds: z.array(z.number().int().positive()).max(20).optional(),
});
export type NewMessageInput = z.input<typeof newMessageSchema>;

export const stateChangeSchema = z.strictObject({ state: z.enum(TICKET_STATES) });

export const ticketListSchema = z.strictObject({
  search: z.string().trim().max(200).optional(),
  state: z.union([z.enum(TICKET_STATES), z.literal('active')]).optional(),
  queue: z.string().trim().max(191).optional(),
  service: z.string().trim().max(191).optional(),
  customerId: z.string().trim().max(150).optional(),
  customerUser: z.string().trim().max(191).optional(),
  /** Customer users: 'mine' (default) or 'company' (their organisation's, where they may see them). */
  scope: z.enum(['mine', 'company']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type TicketListInput = z.input<typeof ticketListSchema>;

/** A key from the `Idempotency-Key` header or the form's hidden field. */
export const idempotencyKeySchema = z.string().trim().min(8).max(191).regex(/^[\x21-\x7e]+$/, 'visible ASCII only');

const queueName = z.string().trim().min(1).max(100).regex(/^[^\p{C}]+$/u, 'no control characters');
export const queueCreateSchema = z.strictObject({
  name: queueName,
  group: z.string().trim().min(1).max(100),
  comment: z.string().trim().max(2000).default(''),
  validity: z.enum(['valid', 'invalid', 'invalid-temporarily']).default('valid'),
});
export const queuePatchSchema = z.strictObject({
  name: queueName.optional(),
  group: z.string().trim().min(1).max(100).optional(),
  comment: z.string().trim().max(2000).optional(),
  validity: z.enum(['valid', 'invalid', 'invalid-temporarily']).optional(),
  version: z.number().int().positive(),
});
