import type { TFunction } from 'i18next';
import type { Language } from '../i18n/index.js';
import type { TicketState } from './schema.js';
import type { Ticket, TicketMessage, TicketSummary } from './ticket-system.js';

/** One thing worth telling people about a ticket, as the notifier collected it. */
export type TicketNotice =
  | { kind: 'created'; ticket: Ticket }
  | { kind: 'message'; ticket: TicketSummary; message: TicketMessage; nowState: TicketState | null }
  | { kind: 'state'; ticket: TicketSummary; from: TicketState; to: TicketState; by: { key: string; name: string; kind: 'customer' | 'agent' } };

/** Someone who gets the mail: customers read it in the portal, agents on their screens. */
export interface Recipient {
  /** Principal key (`agent:3`, `customer-user:12`), so the person who acted is left out. */
  key: string;
  side: 'customer' | 'agent';
  email: string;
  name: string;
  language: Language;
}

export interface ComposedMail {
  subject: string;
  text: string;
}

// Header values come from people (titles): no line breaks or other control characters reach the header.
const headerSafe = (s: string): string => s.replace(/\p{C}+/gu, ' ').replace(/\s+/g, ' ').trim();

/** The first message people wrote on the ticket (what it is about); never an internal note. */
export const firstPublicMessage = (ticket: Ticket): TicketMessage | null =>
  ticket.messages.find((m) => !m.internal && m.authorKind !== 'system') ?? null;

/** Where the ticket opens for this recipient, or null without a public base URL (no Host header is trusted). */
export function ticketLink(baseUrl: string | null, side: Recipient['side'], number: string): string | null {
  if (baseUrl === null) return null;
  return `${baseUrl.replace(/\/$/, '')}/${side === 'customer' ? 'portal' : 'agent'}/tickets/${encodeURIComponent(number)}`;
}

/**
 * The plain-text mail for one recipient in their language. Refuses (throws) to put an internal note in
 * a customer's mail: the notifier never asks for that, and this makes sure a slip there cannot leak one.
 */
export function composeTicketMail(t: TFunction, notice: TicketNotice, recipient: Recipient, baseUrl: string | null): ComposedMail {
  const { ticket } = notice;
  const state = (s: TicketState) => t(`ticketsMail.states.${s}`);
  const customerSide = recipient.side === 'customer';
  let subjectKey: string;
  let intro: string;
  let message: TicketMessage | null = null;
  let currentState: TicketState = ticket.state;
  const extra: string[] = [];

  switch (notice.kind) {
    case 'created':
      subjectKey = customerSide ? 'received' : 'newTicket';
      intro = customerSide
        ? t('ticketsMail.intro.received')
        : t('ticketsMail.intro.newTicket', { author: notice.ticket.createdByName, queue: ticket.queue, customerUser: ticket.customerUserLogin, customerId: ticket.customerId });
      message = firstPublicMessage(notice.ticket);
      break;
    case 'message':
      if (notice.message.internal && customerSide) throw new Error('an internal note never goes to a customer');
      message = notice.message;
      subjectKey = notice.message.internal ? 'note' : customerSide ? 'reply' : 'customerMessage';
      intro = t(`ticketsMail.intro.${subjectKey}`, { author: notice.message.authorName, queue: ticket.queue });
      if (notice.nowState !== null) {
        currentState = notice.nowState;
        extra.push(t('ticketsMail.nowState', { state: state(notice.nowState) }));
      }
      break;
    case 'state':
      subjectKey = 'state';
      currentState = notice.to;
      intro = t('ticketsMail.intro.state', { author: notice.by.name, from: state(notice.from), to: state(notice.to) });
      break;
  }

  const facts = [
    `${t('ticketsMail.facts.number')}: ${ticket.number}`,
    `${t('ticketsMail.facts.title')}: ${ticket.title}`,
    `${t('ticketsMail.facts.queue')}: ${ticket.queue}`,
    `${t('ticketsMail.facts.state')}: ${state(currentState)}`,
    ...(customerSide
      ? []
      : [`${t('ticketsMail.facts.customer')}: ${ticket.customerUserLogin} (${ticket.customerId})`, `${t('ticketsMail.facts.priority')}: ${t(`ticketsMail.priorities.${ticket.priority}`)}`]),
  ];
  const link = ticketLink(baseUrl, recipient.side, ticket.number);
  const open = link === null ? t(`ticketsMail.open.${recipient.side}NoLink`, { number: ticket.number }) : `${t(`ticketsMail.open.${recipient.side}`)}\n${link}`;
  const paragraphs = [
    t('ticketsMail.greeting', { name: recipient.name }),
    [intro, ...extra].join(' '),
    facts.join('\n'),
    ...(message ? [`${t(message.internal ? 'ticketsMail.noteHeading' : 'ticketsMail.messageHeading', { author: message.authorName })}\n${message.body}`] : []),
    open,
    t('ticketsMail.footer'),
  ];
  const subject = headerSafe(`[Ticket#${ticket.number}] ${t(`ticketsMail.subject.${subjectKey}`, { title: ticket.title, queue: ticket.queue, state: state(currentState) })}`);
  return { subject, text: `${paragraphs.join('\n\n')}\n` };
}
