import type { Logger } from 'pino';
import type { AgentContact } from '../agents/agent-groups-store.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import { isLanguage, type Language, type Translator } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import { composeTicketMail, type Recipient, type TicketNotice } from './notification-mails.js';
import type { TicketEvents } from './ticket-events.js';

export interface TicketNotifierDeps {
  mailer: Pick<Mailer, 'enabled' | 'send'>;
  translator: Translator;
  logger: Logger;
  /** BASE_URL: links in the mail point there; without it the mail names the ticket but links nowhere. */
  baseUrl: string | undefined;
  defaultLanguage: Language;
  customerUsers: { findById(id: number): Promise<CustomerUserRecord | null> };
  /** Valid agents with an e-mail address holding one of `permissions` in `group`. */
  agentsInGroup(group: string, permissions: readonly string[]): Promise<AgentContact[]>;
}

const SEES = ['ro', 'rw'] as const;
const WORKS = ['rw'] as const;

/**
 * A reply that also moves the ticket (a first answer opens it, a customer writing re-opens it) arrives
 * as two events in the same turn; people get one mail that says both, not two.
 */
function mergeStateIntoMessages(batch: readonly TicketNotice[]): TicketNotice[] {
  const out: TicketNotice[] = [];
  for (const notice of batch) {
    if (notice.kind === 'state') {
      const message = out.find(
        (n): n is Extract<TicketNotice, { kind: 'message' }> =>
          n.kind === 'message' && n.ticket.id === notice.ticket.id && n.message.author === notice.by.key && !n.message.internal && n.nowState === null,
      );
      if (message) {
        message.nowState = notice.to;
        continue;
      }
    }
    out.push(notice.kind === 'message' ? { ...notice } : notice);
  }
  return out;
}

/**
 * E-mail about tickets: a confirmation to the customer user and a notice to the queue's agents when a
 * ticket is filed; replies to the customer; customers' messages and internal notes to agents (notes
 * only to those who work the queue, never to a customer); state changes to the other side. Each person
 * gets their own mail in their own language at their current address. Runs after the request's change
 * is committed and never throws into it: a failing mail server is logged.
 */
export function createTicketNotifier(deps: TicketNotifierDeps): TicketEvents & { settle(): Promise<void> } {
  let batch: TicketNotice[] = [];
  const languageOf = (value: string | null): Language => (isLanguage(value) ? value : deps.defaultLanguage);

  async function ticketOwner(customerUserId: number | null): Promise<Recipient[]> {
    if (customerUserId === null) return [];
    const user = await deps.customerUsers.findById(customerUserId);
    // Invalid and anonymised people cannot open the ticket any more; their old address gets nothing.
    if (user?.validity !== 'valid' || user.anonymisedAt || !user.email) return [];
    const name = [user.fields.firstName, user.fields.lastName].filter((v) => typeof v === 'string' && v !== '').join(' ') || user.login;
    return [{ key: `customer-user:${user.id}`, side: 'customer', email: user.email, name, language: languageOf(user.language) }];
  }

  async function queueAgents(group: string, permissions: readonly string[]): Promise<Recipient[]> {
    return (await deps.agentsInGroup(group, permissions)).map((a) => ({
      key: `agent:${a.id}`,
      side: 'agent',
      email: a.email,
      name: `${a.firstName} ${a.lastName}`.trim() || a.login,
      language: languageOf(a.language),
    }));
  }

  /** Who hears of it; the person who acted never gets a mail about their own step (a filing customer gets the confirmation). */
  async function recipientsOf(notice: TicketNotice): Promise<Recipient[]> {
    const { ticket } = notice;
    const except = (actor: string, people: Recipient[]) => people.filter((r) => r.key !== actor);
    switch (notice.kind) {
      case 'created':
        return [...(await ticketOwner(ticket.customerUserId)), ...except(ticket.createdBy, await queueAgents(ticket.queueGroup, SEES))];
      case 'message': {
        const { message } = notice;
        if (message.internal) return except(message.author, await queueAgents(ticket.queueGroup, WORKS));
        if (message.authorKind === 'agent') return await ticketOwner(ticket.customerUserId);
        // A colleague or key user writing on someone's ticket: its owner hears of it too.
        if (message.authorKind === 'customer') return except(message.author, [...(await queueAgents(ticket.queueGroup, SEES)), ...(await ticketOwner(ticket.customerUserId))]);
        return [];
      }
      case 'state':
        if (notice.by.kind === 'agent') return await ticketOwner(ticket.customerUserId);
        return except(notice.by.key, [...(await queueAgents(ticket.queueGroup, SEES)), ...(await ticketOwner(ticket.customerUserId))]);
    }
  }

  async function sendTo(notice: TicketNotice, recipient: Recipient): Promise<void> {
    try {
      const mail = composeTicketMail(deps.translator.t(recipient.language), notice, recipient, deps.baseUrl ?? null);
      await deps.mailer.send({ to: recipient.email, ...mail });
    } catch (err) {
      deps.logger.warn({ err, ticket: notice.ticket.number, recipient: recipient.key }, 'ticket notification could not be mailed');
    }
  }

  async function deliver(notice: TicketNotice): Promise<void> {
    try {
      const unique = new Map((await recipientsOf(notice)).map((r) => [r.key, r]));
      await Promise.all([...unique.values()].map((r) => sendTo(notice, r)));
    } catch (err) {
      deps.logger.warn({ err, ticket: notice.ticket.number, event: notice.kind }, 'ticket notification recipients could not be looked up');
    }
  }

  const inFlight = new Set<Promise<void>>();
  function flush(): void {
    const notices = mergeStateIntoMessages(batch);
    batch = [];
    for (const notice of notices) {
      const delivery = deliver(notice).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  }

  function collect(notice: TicketNotice): void {
    if (!deps.mailer.enabled) return;
    batch.push(notice);
    // After the current turn, so the events of one change (reply plus its state move) arrive together.
    if (batch.length === 1) setImmediate(flush);
  }

  return {
    created: (ticket) => collect({ kind: 'created', ticket }),
    messageAdded: (ticket, message) => collect({ kind: 'message', ticket, message, nowState: null }),
    stateChanged: (ticket, from, to, by) => collect({ kind: 'state', ticket, from, to, by }),
    /** Waits for every mail already on its way (shutdown, `loket seed`), so none is cut off by closing the transport. */
    async settle() {
      if (batch.length) flush();
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
