import { forbidden, notFound } from '../errors.js';
import { principalKey, type Actor } from './actor.js';
import { can, hasGroupPermission, workingCustomerIds } from './policy.js';

/**
 * Who sees and works which tickets. Every ticket path (portal, agent screens, API, search, e-mail)
 * asks here; the store turns a TicketAudience into one SQL condition, so lists and counts never
 * filter after the fact.
 *
 * - Admins: every ticket. Agents: tickets in queues whose group they hold `ro` in; replying, notes and
 *   state changes need `rw`; filing for a customer user needs `create`.
 * - Customer users: their own tickets always; their organisation's tickets (the company's) where they
 *   hold `rw` on the queue's group, or everywhere when they are key user of that organisation. They
 *   file in queues whose group they hold `create` in. Internal notes never reach them, by any path.
 */
export interface QueueFacts {
  id: number;
  group: string;
  valid: boolean;
}

/**
 * `participant` is the reader's principal key: a request ticket of a form run is also visible (read and
 * reply) to its participants, the requester and the approvers, whatever queue it is in.
 */
export type TicketAudience =
  | { kind: 'all' }
  | { kind: 'agent'; queueIds: number[]; participant: string }
  | { kind: 'customer'; customerUserId: number; companyQueueIds: number[]; companyCustomerIds: string[]; keyUserCustomerIds: string[]; participant: string };

export interface TicketFacts {
  queueId: number;
  customerUserId: number | null;
  customerId: string;
  /** Principal keys of the form run's requester and approvers (request tickets); absent: none. */
  participants?: readonly string[];
}

const isStaff = (actor: Actor) => can(actor, 'agent.use');

export const seesInternalNotes = (audience: TicketAudience): boolean => audience.kind !== 'customer';

export function ticketAudience(actor: Actor, queues: readonly QueueFacts[]): TicketAudience {
  if (actor.roles.includes('admin')) return { kind: 'all' };
  if (isStaff(actor)) return { kind: 'agent', queueIds: queues.filter((q) => hasGroupPermission(actor, q.group, 'ro')).map((q) => q.id), participant: principalKey(actor.principal) };
  if (actor.principal.type !== 'customer-user') throw forbidden();
  const working = workingCustomerIds(actor);
  return {
    kind: 'customer',
    customerUserId: actor.principal.id,
    companyQueueIds: queues.filter((q) => hasGroupPermission(actor, q.group, 'rw')).map((q) => q.id),
    companyCustomerIds: working,
    keyUserCustomerIds: actor.keyUserOf.filter((id) => working.includes(id)),
    participant: principalKey(actor.principal),
  };
}

const isParticipant = (audience: { participant: string }, ticket: TicketFacts): boolean => ticket.participants?.includes(audience.participant) ?? false;

/** The same decision for one ticket (detail pages, API reads). */
export function audienceSees(audience: TicketAudience, ticket: TicketFacts): boolean {
  switch (audience.kind) {
    case 'all':
      return true;
    case 'agent':
      return audience.queueIds.includes(ticket.queueId) || isParticipant(audience, ticket);
    case 'customer':
      if (ticket.customerUserId === audience.customerUserId || isParticipant(audience, ticket)) return true;
      if (audience.keyUserCustomerIds.includes(ticket.customerId)) return true;
      return audience.companyCustomerIds.includes(ticket.customerId) && audience.companyQueueIds.includes(ticket.queueId);
  }
}

/** Not yours to see: 404, so a ticket number never tells whether it exists. */
export function requireSees(audience: TicketAudience, ticket: TicketFacts): void {
  if (!audienceSees(audience, ticket)) throw notFound('No such ticket.');
}

/**
 * Replying, closing and reopening: agents with `rw` on the queue's group; customer users on their own
 * tickets and, for their organisation's, with `rw` on the queue's group or as key user.
 */
export function mayWork(actor: Actor, audience: TicketAudience, ticket: TicketFacts & { queueGroup: string }): boolean {
  if (!audienceSees(audience, ticket)) return false;
  if (audience.kind === 'all') return true;
  if (audience.kind === 'agent') return hasGroupPermission(actor, ticket.queueGroup, 'rw') || isParticipant(audience, ticket);
  return true;
}

export function requireWork(actor: Actor, audience: TicketAudience, ticket: TicketFacts & { queueGroup: string }): void {
  requireSees(audience, ticket);
  if (!mayWork(actor, audience, ticket)) throw forbidden(`You need rw in ${ticket.queueGroup} to work on this ticket.`);
}

/** Internal notes, FAQ drafts from tickets and linking articles are staff work. */
export function requireStaff(actor: Actor): void {
  if (!isStaff(actor)) throw forbidden();
}

/** Filing a ticket in a queue: `create` on its group (admins everywhere). */
export const mayFileIn = (actor: Actor, queue: QueueFacts): boolean => queue.valid && hasGroupPermission(actor, queue.group, 'create');
