import { createHash } from 'node:crypto';
import { type z } from 'zod';
import { principalKey, type Actor } from '../access/actor.js';
import { can, hasGroupPermission, requireCapability } from '../access/policy.js';
import { mayFileIn, mayWork, requireSees, requireStaff, requireWork, seesInternalNotes, ticketAudience, type TicketAudience } from '../access/ticket-access.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { FieldMap } from '../customers/field-map.js';
import type { CatalogueStore } from '../access/catalogue/store.js';
import { forbidden, LoketError, notFound, ruleViolation, validationError } from '../errors.js';
import type { ArticleDetail } from '../faq/article-service.js';
import type { QueueService } from './queue-service.js';
import { queueFacts } from './queue-service.js';
import type { Queue } from './queue-store.js';
import {
  CUSTOMER_STATES,
  FINISHED_STATES,
  MAX_BODY_CHARS,
  newMessageSchema,
  newTicketSchema,
  ticketListSchema,
  type TicketState,
} from './schema.js';
import type { TicketEvents } from './ticket-events.js';
import type { CustomerSnapshot, Ticket, TicketMessage, TicketSummary, TicketSystem } from './ticket-system.js';

export interface LinkedFaq {
  id: number;
  title: string;
  category: string;
  slug: string;
  language: string;
}

/** A ticket as one person may see it, with what they may do next. */
export interface TicketView {
  ticket: Ticket;
  faqs: LinkedFaq[];
  mayReply: boolean;
  mayNote: boolean;
  states: TicketState[];
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw validationError(issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'Invalid input.', issue?.path.join('.'));
  }
  return parsed.data;
}

const tooLarge = () => new LoketError({ status: 413, code: 'payload_too_large', message: `A message holds at most ${MAX_BODY_CHARS.toLocaleString('en')} characters.` });
const checkBodySize = (body: string) => {
  if (body.length > MAX_BODY_CHARS) throw tooLarge();
};

const requestHash = (input: unknown): string => createHash('sha256').update(JSON.stringify(input)).digest('hex');

const authorOf = (actor: Actor): Pick<TicketMessage, 'authorKind' | 'author' | 'authorName' | 'delegationId'> => ({
  authorKind: can(actor, 'agent.use') ? 'agent' : 'customer',
  author: principalKey(actor.principal),
  authorName: actor.displayName,
  delegationId: actor.delegation?.id ?? null,
});

/** Mapped fields worth keeping on the ticket as they were when it was filed (what the agent needs to see). */
function snapshotOf(user: CustomerUserRecord, map: FieldMap): CustomerSnapshot {
  const fields = map
    .filter((row) => row.shown > 0 && !['login', 'email', 'customerId'].includes(row.key))
    .flatMap((row) => {
      const value = user.fields[row.key];
      if (value === null || value === undefined || value === '' || typeof value === 'object') return [];
      return [{ key: row.key, label: row.label ?? row.key, value: String(value) }];
    });
  return { login: user.login, email: user.email, customerId: user.customerId, fields };
}

/**
 * Tickets as people work them: who may file where, see what, reply, note and change state. Decides
 * through the policy module (ticket-access.ts) and works through the TicketSystem port.
 */
export function createTicketService(deps: {
  tickets: TicketSystem;
  queues: QueueService;
  catalogue: CatalogueStore;
  customerUsers: {
    findById(id: number): Promise<CustomerUserRecord | null>;
    get(actor: Actor, login: string): Promise<CustomerUserRecord>;
    fieldMap(): Promise<FieldMap>;
  };
  entitledServices(user: CustomerUserRecord): Promise<string[]>;
  faq: { detail(actor: Actor | null, id: number): Promise<ArticleDetail> };
  events: TicketEvents;
}) {
  async function audienceOf(actor: Actor): Promise<{ audience: TicketAudience; queues: Queue[] }> {
    const queues = await deps.queues.all();
    return { audience: ticketAudience(actor, queues.map(queueFacts)), queues };
  }

  async function visible(actor: Actor, number: string): Promise<{ ticket: Ticket; audience: TicketAudience }> {
    if (!/^\d{1,32}$/.test(number)) throw notFound('No such ticket.');
    const { audience } = await audienceOf(actor);
    const ticket = await deps.tickets.get(number, seesInternalNotes(audience));
    if (!ticket) throw notFound('No such ticket.');
    requireSees(audience, ticket);
    return { ticket, audience };
  }

  /** Articles the viewer may read, in link order; others are left out (their existence stays private). */
  async function readableFaqs(viewer: Actor, ids: readonly number[]): Promise<LinkedFaq[]> {
    const found = await Promise.all(
      ids.map(async (id) => {
        try {
          const { article, category } = await deps.faq.detail(viewer, id);
          return { id: article.id, title: article.title, category, slug: article.slug, language: article.language };
        } catch (err) {
          if (err instanceof LoketError && err.status === 404) return null;
          throw err;
        }
      }),
    );
    return found.filter((f) => f !== null);
  }

  /** Every id must be an article the actor may read: a link to something else is a 422. */
  async function checkFaqIds(actor: Actor, ids: readonly number[] | undefined): Promise<number[]> {
    const unique = [...new Set(ids ?? [])];
    const readable = await readableFaqs(actor, unique);
    if (readable.length !== unique.length) throw ruleViolation('faqArticleIds: no such FAQ article.', 'faqArticleIds', 'unknown_article');
    return unique;
  }

  /** States this person may move the ticket to from where it is. */
  function nextStates(actor: Actor, audience: TicketAudience, ticket: TicketSummary): TicketState[] {
    if (!mayWork(actor, audience, ticket)) return [];
    if (audience.kind !== 'customer') return (['new', 'open', 'pending', 'resolved', 'closed'] as const).filter((s) => s !== ticket.state);
    return CUSTOMER_STATES.filter((s) => (s === 'closed' ? ticket.state !== 'closed' : FINISHED_STATES.includes(ticket.state)));
  }

  async function customerUserFor(actor: Actor, login: string | undefined): Promise<CustomerUserRecord> {
    if (actor.principal.type === 'customer-user') {
      const self = await deps.customerUsers.findById(actor.principal.id);
      if (!self) throw forbidden();
      if (login !== undefined && login.trim().toLowerCase() !== self.login) throw forbidden('You file tickets for yourself; agents file them for others.');
      return self;
    }
    if (login === undefined) throw ruleViolation('customerUser: name the customer user this ticket is for.', 'customerUser', 'customer_user_required');
    const user = await deps.customerUsers.get(actor, login);
    if (user.validity !== 'valid') throw ruleViolation(`customerUser: ${user.login} is not valid.`, 'customerUser', 'customer_user_invalid');
    return user;
  }

  return {
    audienceOf,

    /** Queues this person may file in (the form's picker). */
    async fileableQueues(actor: Actor): Promise<Queue[]> {
      return (await deps.queues.all()).filter((q) => mayFileIn(actor, queueFacts(q)));
    },

    /** Services the customer user may pick: their entitlements (the actor themself, or the named user for agents). */
    async pickableServices(actor: Actor, customerUser?: string): Promise<string[]> {
      return deps.entitledServices(await customerUserFor(actor, customerUser));
    },

    async create(actor: Actor, raw: unknown, idempotencyKey: string | null): Promise<{ ticket: TicketSummary; replayed: boolean }> {
      const input = parse(newTicketSchema, raw);
      checkBodySize(input.body);
      const queue = (await deps.queues.all()).find((q) => q.name.toLowerCase() === input.queue.toLowerCase());
      if (!queue || !queueFacts(queue).valid) throw ruleViolation(`queue: there is no queue ${input.queue}.`, 'queue', 'unknown_queue');
      if (!mayFileIn(actor, queueFacts(queue))) throw forbidden(`You may not file tickets in ${queue.name}.`);
      const user = await customerUserFor(actor, input.customerUser);
      let serviceId: number | null = null;
      if (input.service !== undefined) {
        const entitled = await deps.entitledServices(user);
        const name = entitled.find((s) => s.toLowerCase() === input.service?.toLowerCase());
        const [service] = name === undefined ? [] : await deps.catalogue.services.findManyByName([name]);
        if (!service) throw ruleViolation(`service: ${input.service} is not a service ${user.login} may use.`, 'service', 'service_not_entitled');
        serviceId = service.id;
      }
      const faqArticleIds = await checkFaqIds(actor, input.faqArticleIds);
      const staff = can(actor, 'agent.use');
      const customerSnapshot = snapshotOf(user, await deps.customerUsers.fieldMap());
      const firstMessage = { ...authorOf(actor), internal: false, body: input.body };
      const result = await deps.tickets.create(
        {
          title: input.title,
          queueId: queue.id,
          serviceId,
          priority: input.priority ?? 'normal',
          type: input.type ?? 'incident',
          customerUserId: user.id,
          customerUserLogin: user.login,
          // Filed while working in another organisation (delegation): the ticket belongs to that one.
          customerId: staff ? user.customerId : (actor.effectiveCustomerId ?? user.customerId),
          createdBy: principalKey(actor.principal),
          createdByName: actor.displayName,
          delegationId: actor.delegation?.id ?? null,
          customerSnapshot,
          firstMessage,
          faqArticleIds,
        },
        idempotencyKey === null ? null : { owner: principalKey(actor.principal), key: idempotencyKey, requestHash: requestHash(input) },
      );
      if (!result.replayed) {
        // What listeners need is known already: no read-back of what was just written.
        const { ticket } = result;
        deps.events.created({
          ...ticket,
          customerSnapshot,
          messages: [{ ...firstMessage, id: 0, createdAt: ticket.createdAt }],
          faqLinks: faqArticleIds.map((articleId) => ({ articleId, linkedBy: ticket.createdBy, linkedAt: ticket.createdAt })),
        });
      }
      return result;
    },

    async list(actor: Actor, raw: unknown): Promise<{ items: TicketSummary[]; total: number; limit: number }> {
      const input = parse(ticketListSchema, raw);
      const { audience, queues } = await audienceOf(actor);
      const named = (name: string | undefined) => (name === undefined ? undefined : queues.filter((q) => q.name.toLowerCase() === name.toLowerCase()).map((q) => q.id));
      let serviceId: number | undefined;
      if (input.service !== undefined) {
        const [service] = await deps.catalogue.services.findManyByName([input.service]);
        serviceId = service?.id ?? -1;
      }
      const states: TicketState[] | undefined = input.state === 'active' ? ['new', 'open', 'pending'] : input.state ? [input.state] : undefined;
      const mine = audience.kind === 'customer' && input.scope !== 'company';
      const page = await deps.tickets.list({
        audience,
        ...(mine && audience.kind === 'customer' && { customerUserId: audience.customerUserId }),
        ...(input.search !== undefined && input.search !== '' && { search: input.search }),
        ...(states && { states }),
        ...(input.queue !== undefined && { queueIds: named(input.queue) ?? [] }),
        ...(serviceId !== undefined && { serviceId }),
        ...(input.customerId !== undefined && { customerId: input.customerId }),
        ...(input.customerUser !== undefined && { customerUserLogin: input.customerUser.toLowerCase() }),
        limit: input.limit,
        offset: input.offset,
      });
      return { ...page, limit: input.limit };
    },

    /** May this customer user see their organisation's tickets at all (the "company tickets" tab)? */
    async seesCompanyTickets(actor: Actor): Promise<boolean> {
      const { audience } = await audienceOf(actor);
      return audience.kind === 'customer' && (audience.keyUserCustomerIds.length > 0 || audience.companyQueueIds.length > 0);
    },

    async view(actor: Actor, number: string): Promise<TicketView> {
      const { ticket, audience } = await visible(actor, number);
      const work = mayWork(actor, audience, ticket);
      return {
        ticket,
        faqs: await readableFaqs(actor, ticket.faqLinks.map((l) => l.articleId)),
        mayReply: work,
        mayNote: work && audience.kind !== 'customer',
        states: nextStates(actor, audience, ticket),
      };
    },

    async addMessage(actor: Actor, number: string, raw: unknown): Promise<TicketMessage> {
      const input = parse(newMessageSchema, raw);
      checkBodySize(input.body);
      const { ticket, audience } = await visible(actor, number);
      requireWork(actor, audience, ticket);
      const internal = input.internal === true;
      if (internal || input.faqArticleIds?.length) requireStaff(actor);
      const faqIds = await checkFaqIds(actor, input.faqArticleIds);
      const author = authorOf(actor);
      // A public answer starts the work; a customer writing again re-opens what was waiting or finished.
      let change: { state: TicketState } | undefined;
      if (!internal && author.authorKind === 'agent' && ticket.state === 'new') change = { state: 'open' };
      if (author.authorKind === 'customer' && (ticket.state === 'pending' || FINISHED_STATES.includes(ticket.state))) change = { state: 'open' };
      const message = await deps.tickets.addMessage(ticket.id, { ...author, internal, body: input.body }, change);
      if (faqIds.length) await deps.tickets.linkFaq(ticket.id, faqIds, author.author);
      deps.events.messageAdded(ticket, message);
      if (change) deps.events.stateChanged(ticket, ticket.state, change.state, { key: author.author, name: author.authorName, kind: author.authorKind === 'agent' ? 'agent' : 'customer' });
      return message;
    },

    async changeState(actor: Actor, number: string, state: TicketState): Promise<TicketSummary> {
      const { ticket, audience } = await visible(actor, number);
      requireWork(actor, audience, ticket);
      if (state === ticket.state) return ticket;
      if (!nextStates(actor, audience, ticket).includes(state)) throw ruleViolation(`state: a ticket that is ${ticket.state} cannot be set to ${state} by you.`, 'state', 'state_not_allowed');
      const author = authorOf(actor);
      const note = { ...author, authorKind: 'system' as const, internal: false, body: `${ticket.state} → ${state}` };
      if (!(await deps.tickets.changeState(ticket.id, state, ticket.version, note))) {
        throw new LoketError({ status: 409, code: 'edit_conflict', message: 'Someone else changed this ticket just now. Reload and try again.' });
      }
      deps.events.stateChanged(ticket, ticket.state, state, { key: author.author, name: author.authorName, kind: author.authorKind === 'agent' ? 'agent' : 'customer' });
      return (await deps.tickets.get(number, false)) ?? { ...ticket, state };
    },

    async linkFaq(actor: Actor, number: string, articleIds: readonly number[]): Promise<void> {
      requireStaff(actor);
      const { ticket, audience } = await visible(actor, number);
      requireWork(actor, audience, ticket);
      await deps.tickets.linkFaq(ticket.id, await checkFaqIds(actor, articleIds), principalKey(actor.principal));
    },

    /** What an FAQ draft made from this ticket starts with: its title, the question and the public answers. */
    async faqDraftSource(actor: Actor, number: string): Promise<{ ticket: Ticket; title: string; body: string }> {
      requireCapability(actor, 'faq.write');
      // The draft is linked to the ticket: that is work on it, so rw is needed as for a reply.
      const { ticket, audience } = await visible(actor, number);
      requireWork(actor, audience, ticket);
      const publicMessages = ticket.messages.filter((m) => !m.internal && m.authorKind !== 'system');
      const [question, ...rest] = publicMessages;
      const answers = rest.filter((m) => m.authorKind === 'agent');
      const body = [question ? `## Question\n\n${question.body}` : '', answers.length ? `## Answer\n\n${answers.map((m) => m.body).join('\n\n')}` : ''].filter((s) => s !== '').join('\n\n');
      return { ticket, title: ticket.title, body };
    },

    /** Agents filing for a customer need `create` somewhere; the page asks before showing the form. */
    mayFileForOthers: (actor: Actor, queues: readonly Queue[]) => can(actor, 'agent.use') && queues.some((q) => hasGroupPermission(actor, q.group, 'create')),
  };
}

export type TicketService = ReturnType<typeof createTicketService>;
