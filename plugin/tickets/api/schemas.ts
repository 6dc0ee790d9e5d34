import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';
import { listOf } from '../../customers/present.js';
import { articleUrl } from '../../faq/api/schemas.js';
import { DEFLECTION_OUTCOMES } from '../deflection-store.js';
import type { Queue } from '../queue-store.js';
import { TICKET_PRIORITIES, TICKET_STATES, TICKET_TYPES } from '../schema.js';
import type { TicketView } from '../ticket-service.js';
import type { TicketMessage, TicketSummary } from '../ticket-system.js';

/** Bodies, path parameters and answers of the tickets, queues, agents' groups and deflections API. */

export const MAX_FAQ_LINKS = 20;

export const queueNameParam = z.string().min(1).max(191);

export const faqLinksSchema = z.strictObject({
  articleIds: z.array(z.number().int().positive()).min(1).max(MAX_FAQ_LINKS).describe('FAQ articles to link (the caller must be able to read each)'),
});

export const deflectionSchema = z.strictObject({
  articleId: z.number().int().positive(),
  outcome: z.enum(DEFLECTION_OUTCOMES).describe('opened: a suggestion was opened; answered: it answered the question and no ticket was filed'),
  query: z.string().max(500).default('').describe('The words that found the article'),
});

/* ---- Answers ---- */

export const ticketSummarySchema = z.object({
  number: z.string().describe('Digits only; the id in every ticket path'),
  title: z.string(),
  state: z.enum(TICKET_STATES),
  priority: z.enum(TICKET_PRIORITIES),
  type: z.enum(TICKET_TYPES),
  queue: z.string(),
  service: z.string().nullable(),
  customerId: z.string(),
  customerUser: z.string().describe('Login of the customer user the ticket is for'),
  createdBy: z.object({ key: z.string().describe('agent:<id> or customer-user:<id>'), name: z.string() }).describe('The real person who filed it'),
  delegationId: z.number().int().nullable().describe('The delegation it was filed under, if any'),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});

/** The one shape of a ticket in every answer (list, create, state change, detail). */
export const presentTicket = (t: TicketSummary): z.output<typeof ticketSummarySchema> => ({
  number: t.number,
  title: t.title,
  state: t.state,
  priority: t.priority,
  type: t.type,
  queue: t.queue,
  service: t.service,
  customerId: t.customerId,
  customerUser: t.customerUserLogin,
  createdBy: { key: t.createdBy, name: t.createdByName },
  delegationId: t.delegationId,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  closedAt: t.closedAt,
});

export const ticketPageSchema = listOf(ticketSummarySchema).extend({ offset: z.number() });

export const messageSchema = z.object({
  id: z.number().int(),
  authorKind: z.enum(['customer', 'agent', 'system']).describe('system: a state change'),
  authorName: z.string(),
  internal: z.boolean().describe('An internal note (customers never get these)'),
  body: z.string(),
  createdAt: z.string(),
});

export const presentMessage = (m: TicketMessage): z.output<typeof messageSchema> => ({
  id: m.id,
  authorKind: m.authorKind,
  authorName: m.authorName,
  internal: m.internal,
  body: m.body,
  createdAt: m.createdAt,
});

const snapshotSchema = z
  .object({
    login: z.string(),
    email: z.string(),
    customerId: z.string(),
    fields: z.array(z.object({ key: z.string(), label: z.string(), value: z.string() })),
  })
  .describe('The customer user as they were when the ticket was filed (staff only)');

const linkedFaqSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  language: z.string(),
  url: z.string().describe('The reader page, /faq/<category>/<slug>'),
});

export const ticketDetailSchema = ticketSummarySchema.extend({
  messages: z.array(messageSchema).describe('Oldest first'),
  customerSnapshot: snapshotSchema.optional(),
  faqs: z.array(linkedFaqSchema).describe('Linked FAQ articles the caller may read'),
  mayReply: z.boolean(),
  mayNote: z.boolean().describe('May add internal notes (staff with rw)'),
  states: z.array(z.enum(TICKET_STATES)).describe('States the caller may set next'),
});

export function presentTicketDetail(view: TicketView, staff: boolean, base: string): z.output<typeof ticketDetailSchema> {
  const { ticket } = view;
  return {
    ...presentTicket(ticket),
    messages: ticket.messages.map(presentMessage),
    ...(staff && { customerSnapshot: ticket.customerSnapshot }),
    faqs: view.faqs.map((f) => ({ id: f.id, title: f.title, language: f.language, url: articleUrl(base, f.category, f.slug) })),
    mayReply: view.mayReply,
    mayNote: view.mayNote,
    states: view.states,
  };
}

export const queueSchema = z.object({
  name: z.string(),
  group: z.string().describe('Its group decides who sees (ro), works (rw) and files (create) tickets here'),
  comment: z.string(),
  validity: z.enum(VALIDITIES),
  version: z.number().int().describe('Also in the ETag header; send it back as version (or If-Match) to refuse stale edits'),
});

export const presentQueue = (q: Queue): z.output<typeof queueSchema> => ({ name: q.name, group: q.group, comment: q.comment, validity: q.validity, version: q.version });
