import type { Ticket, TicketMessage, TicketSummary } from './ticket-system.js';
import type { TicketState } from './schema.js';

/**
 * What happened to a ticket, for whoever listens (e-mail notifications). Called after the change is
 * committed; a listener must never throw into the request and never hand an internal note to a customer.
 */
export interface TicketEvents {
  created(ticket: Ticket): void;
  messageAdded(ticket: TicketSummary, message: TicketMessage): void;
  stateChanged(ticket: TicketSummary, from: TicketState, to: TicketState, by: { key: string; name: string; kind: 'customer' | 'agent' }): void;
}

export const ignoreTicketEvents: TicketEvents = { created: () => undefined, messageAdded: () => undefined, stateChanged: () => undefined };
