import type { TicketAudience } from '../access/ticket-access.js';
import type { IdempotencyClaim } from '../db/idempotency.js';
import type { TicketPriority, TicketState, TicketType } from './schema.js';

/**
 * The ticket port. Loket's screens, API and forms work through this interface; the native store
 * implements it in Loket's own database, and a host's own helpdesk can implement it instead. The port
 * knows nothing of actors or permissions: the ticket service decides those and passes the audience
 * (which tickets a person may see) down as data, so an implementation filters in its own query.
 */
export interface TicketMessage {
  id: number;
  authorKind: 'customer' | 'agent' | 'system';
  /** Principal key (`agent:3`, `customer-user:12`) or `system`. */
  author: string;
  authorName: string;
  internal: boolean;
  body: string;
  delegationId: number | null;
  createdAt: string;
}

export interface CustomerSnapshot {
  login: string;
  email: string;
  customerId: string;
  /** Mapped fields shown on the ticket, label and value, as they were when the ticket was filed. */
  fields: { key: string; label: string; value: string }[];
}

export interface TicketSummary {
  id: number;
  number: string;
  title: string;
  queueId: number;
  queue: string;
  queueGroup: string;
  service: string | null;
  priority: TicketPriority;
  state: TicketState;
  type: TicketType;
  customerUserId: number | null;
  customerUserLogin: string;
  customerId: string;
  createdBy: string;
  createdByName: string;
  delegationId: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
}

export interface LinkedArticle {
  articleId: number;
  linkedBy: string;
  linkedAt: string;
}

export interface Ticket extends TicketSummary {
  customerSnapshot: CustomerSnapshot;
  messages: TicketMessage[];
  faqLinks: LinkedArticle[];
}

export interface NewTicket {
  title: string;
  queueId: number;
  serviceId: number | null;
  priority: TicketPriority;
  type: TicketType;
  customerUserId: number;
  customerUserLogin: string;
  customerId: string;
  createdBy: string;
  createdByName: string;
  delegationId: number | null;
  customerSnapshot: CustomerSnapshot;
  firstMessage: Omit<TicketMessage, 'id' | 'createdAt'>;
  faqArticleIds: number[];
}

export interface TicketQuery {
  audience: TicketAudience;
  /** Customer users' "my tickets": only these are theirs. */
  customerUserId?: number;
  search?: string;
  states?: readonly TicketState[];
  queueIds?: readonly number[];
  serviceId?: number;
  customerId?: string;
  customerUserLogin?: string;
  limit: number;
  offset: number;
}

export interface TicketSystem {
  /** Creates the ticket with its first message, numbered, in one transaction. `replayed` says the key was seen before. */
  create(ticket: NewTicket, idempotency: IdempotencyClaim | null): Promise<{ ticket: TicketSummary; replayed: boolean }>;
  /** One ticket by number; internal notes only when `withInternal`. */
  get(number: string, withInternal: boolean): Promise<Ticket | null>;
  list(query: TicketQuery): Promise<{ items: TicketSummary[]; total: number }>;
  addMessage(ticketId: number, message: Omit<TicketMessage, 'id' | 'createdAt'>, change?: { state: TicketState }): Promise<TicketMessage>;
  /** Changes the state if the ticket is still at `expectedVersion`; false when someone else changed it first. */
  changeState(ticketId: number, state: TicketState, expectedVersion: number, note: Omit<TicketMessage, 'id' | 'createdAt'>): Promise<boolean>;
  linkFaq(ticketId: number, articleIds: readonly number[], linkedBy: string): Promise<void>;
}
