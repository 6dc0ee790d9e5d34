import type { Knex } from 'knex';
import type { TicketAudience } from '../../access/ticket-access.js';
import { LIKE_ESCAPE, escapeLike } from '../../customers/search-terms.js';
import { isDeadlock } from '../../db/errors.js';
import { rowsOf } from '../../db/rows.js';
import type { IdempotencyClaim, IdempotencyStore } from '../../db/idempotency.js';
import type { TableNames } from '../../db/tables.js';
import { toCount, toDbJson, toDbTime } from '../../db/values.js';
import { FINISHED_STATES, type TicketState } from '../schema.js';
import type { NewTicket, Ticket, TicketMessage, TicketQuery, TicketSummary, TicketSystem } from '../ticket-system.js';
import { SUMMARY_COLUMNS, toMessage, toMessageRow, toSnapshot, toSummary, type MessageRow, type TicketRow } from './rows.js';

const NONE = -1;
const OPERATION = 'ticket.create';
const MAX_SEARCH_WORDS = 6;

/** Readable and unique by construction: the creation day and the row id (`20261204000042`). */
export const ticketNumber = (id: number, createdAt: string): string => `${createdAt.slice(0, 10).replace(/-/g, '')}${String(id).padStart(6, '0')}`;

/** Codes meaning "the other transaction won": the work is retried or the winner's result read. */
const codeOf = (err: unknown): string => (typeof err === 'object' && err !== null && 'code' in err ? String((err).code) : '');
const isDuplicate = (err: unknown) => codeOf(err) === 'ER_DUP_ENTRY' || codeOf(err).startsWith('SQLITE_CONSTRAINT_UNIQUE');

/** Loket's own tickets: the TicketSystem port over knex. */
export function createNativeTicketStore(knex: Knex, tables: TableNames, idempotency: IdempotencyStore): TicketSystem & {
  findById(id: number): Promise<TicketSummary | null>;
} {
  const summaries = (db: Knex = knex) =>
    db(`${tables.tickets} as t`)
      .join(`${tables.queues} as q`, 'q.id', 't.queue_id')
      .join(`${tables.groups} as g`, 'g.id', 'q.group_id')
      .leftJoin(`${tables.services} as s`, 's.id', 't.service_id');

  /** Request tickets of form runs the reader takes part in (requester, approver). */
  const participates = (participant: string) =>
    function participantRow(this: Knex.QueryBuilder) {
      void this.from(`${tables.ticket_participants} as tp`).whereRaw('?? = ??', ['tp.ticket_id', 't.id']).where('tp.principal', participant).select(knex.raw('1'));
    };

  function restrict(q: Knex.QueryBuilder, audience: TicketAudience): Knex.QueryBuilder {
    if (audience.kind === 'all') return q;
    if (audience.kind === 'agent') return q.where((who) => void who.whereIn('t.queue_id', audience.queueIds.length ? audience.queueIds : [NONE]).orWhereExists(participates(audience.participant)));
    return q.where((who) => {
      void who.where('t.customer_user_id', audience.customerUserId).orWhereExists(participates(audience.participant));
      if (audience.keyUserCustomerIds.length) void who.orWhereIn('t.customer_id', audience.keyUserCustomerIds);
      if (audience.companyCustomerIds.length && audience.companyQueueIds.length) {
        void who.orWhere((company) => void company.whereIn('t.customer_id', audience.companyCustomerIds).whereIn('t.queue_id', audience.companyQueueIds));
      }
    });
  }

  /** Every word in the title, the number, or a message the reader may see (never an internal note for customers). */
  function searchWords(q: Knex.QueryBuilder, search: string, audience: TicketAudience): void {
    const words = search.split(/\s+/).filter((w) => w !== '').slice(0, MAX_SEARCH_WORDS);
    for (const word of words) {
      const pattern = `%${escapeLike(word)}%`;
      void q.where((w) => {
        void w
          .whereRaw('?? like ? escape ?', ['t.title', pattern, LIKE_ESCAPE])
          .orWhere('t.number', word)
          .orWhereExists(function messages() {
            void this.from(`${tables.ticket_messages} as m`).whereRaw('?? = ??', ['m.ticket_id', 't.id']).whereRaw('?? like ? escape ?', ['m.body', pattern, LIKE_ESCAPE]).select(knex.raw('1'));
            if (audience.kind === 'customer') void this.where('m.internal', 0);
          });
      });
    }
  }

  function filtered(query: TicketQuery): Knex.QueryBuilder {
    const q = restrict(summaries(), query.audience);
    if (query.customerUserId !== undefined) void q.where('t.customer_user_id', query.customerUserId);
    if (query.states?.length) void q.whereIn('t.state', query.states);
    if (query.queueIds) void q.whereIn('t.queue_id', query.queueIds.length ? query.queueIds : [NONE]);
    if (query.serviceId !== undefined) void q.where('t.service_id', query.serviceId);
    if (query.customerId !== undefined) void q.where('t.customer_id', query.customerId);
    if (query.customerUserLogin !== undefined) void q.where('t.customer_user_login', query.customerUserLogin);
    if (query.search) searchWords(q, query.search, query.audience);
    return q;
  }

  async function byNumber(number: string): Promise<TicketSummary | null> {
    const [row] = await rowsOf<TicketRow>(summaries().where('t.number', number).select(SUMMARY_COLUMNS));
    return row ? toSummary(row) : null;
  }

  async function insertTicket(tx: Knex.Transaction, ticket: NewTicket, claim: IdempotencyClaim | null): Promise<string> {
    const now = toDbTime();
    const [id] = await tx<Record<string, unknown>, number[]>(tables.tickets).insert({
      title: ticket.title,
      queue_id: ticket.queueId,
      service_id: ticket.serviceId,
      priority: ticket.priority,
      state: 'new',
      type: ticket.type,
      customer_user_id: ticket.customerUserId,
      customer_user_login: ticket.customerUserLogin,
      customer_id: ticket.customerId,
      created_by: ticket.createdBy,
      created_by_name: ticket.createdByName.slice(0, 200),
      delegation_id: ticket.delegationId,
      customer_snapshot: toDbJson(ticket.customerSnapshot),
      created_at: now,
      updated_at: now,
    });
    const number = ticketNumber(Number(id), now);
    await tx(tables.tickets).where({ id }).update({ number });
    await tx(tables.ticket_messages).insert(toMessageRow(Number(id), ticket.firstMessage, now));
    if (ticket.faqArticleIds.length) {
      await tx(tables.ticket_faq_links).insert([...new Set(ticket.faqArticleIds)].map((articleId) => ({ ticket_id: id, article_id: articleId, linked_by: ticket.createdBy, linked_at: now })));
    }
    if (claim) await idempotency.record(tx, OPERATION, claim, number);
    return number;
  }

  async function replay(claim: IdempotencyClaim): Promise<TicketSummary | null> {
    const number = await idempotency.find(knex, OPERATION, claim);
    return number === null ? null : byNumber(number);
  }

  return {
    async create(ticket, claim) {
      if (claim) {
        const earlier = await replay(claim);
        if (earlier) return { ticket: earlier, replayed: true };
      }
      for (let attempt = 1; ; attempt++) {
        try {
          const number = await knex.transaction((tx) => insertTicket(tx, ticket, claim));
          const created = await byNumber(number);
          if (!created) throw new Error('ticket vanished after insert');
          return { ticket: created, replayed: false };
        } catch (err) {
          // The same key, sent twice at once: the other request committed first; answer with its ticket.
          if (claim && isDuplicate(err)) {
            const earlier = await replay(claim);
            if (earlier) return { ticket: earlier, replayed: true };
          }
          if (isDeadlock(err) && attempt < 4) continue;
          throw err;
        }
      }
    },

    async get(number, withInternal): Promise<Ticket | null> {
      const [row] = await rowsOf<TicketRow>(summaries().where('t.number', number).select([...SUMMARY_COLUMNS, 't.customer_snapshot']));
      if (!row) return null;
      const messages = tables.ticket_messages;
      const [messageRows, links] = await Promise.all([
        rowsOf<MessageRow>(
          knex(messages)
            .where('ticket_id', row.id)
            .whereIn('internal', withInternal ? [0, 1] : [0])
            .orderBy('id')
            .select('id', 'author_kind', 'author', 'author_name', 'internal', 'body', 'delegation_id', 'created_at'),
        ),
        rowsOf<{ article_id: number; linked_by: string; linked_at: string }>(knex(tables.ticket_faq_links).where('ticket_id', row.id).orderBy('linked_at').select('article_id', 'linked_by', 'linked_at')),
      ]);
      const participants = await rowsOf<{ principal: string }>(knex(tables.ticket_participants).where('ticket_id', row.id).select('principal'));
      // Participants travel with the ticket so the access check (ticket-access.ts) sees them.
      const ticket: Ticket & { participants: string[] } = {
        participants: participants.map((p) => p.principal),
        ...toSummary(row),
        customerSnapshot: toSnapshot(row.customer_snapshot),
        messages: messageRows.map(toMessage),
        faqLinks: links.map((l) => ({ articleId: Number(l.article_id), linkedBy: l.linked_by, linkedAt: l.linked_at })),
      };
      return ticket;
    },

    async findById(id) {
      const [row] = await rowsOf<TicketRow>(summaries().where('t.id', id).select(SUMMARY_COLUMNS));
      return row ? toSummary(row) : null;
    },

    async list(query) {
      const [rows, total] = await Promise.all([
        rowsOf<TicketRow>(filtered(query).select(SUMMARY_COLUMNS).orderBy([{ column: 't.updated_at', order: 'desc' }, { column: 't.id', order: 'desc' }]).limit(query.limit).offset(query.offset)),
        rowsOf<{ n: unknown }>(filtered(query).count({ n: '*' })),
      ]);
      return { items: rows.map(toSummary), total: toCount(total[0]?.n) };
    },

    async addMessage(ticketId, message, change): Promise<TicketMessage> {
      return knex.transaction(async (tx) => {
        const now = toDbTime();
        const [id] = await tx<Record<string, unknown>, number[]>(tables.ticket_messages).insert(toMessageRow(ticketId, message, now));
        const update: Record<string, unknown> = { updated_at: now, version: tx.raw('version + 1') };
        if (change) Object.assign(update, stateColumns(change.state, now));
        await tx(tables.tickets).where({ id: ticketId }).update(update);
        return { ...message, id: Number(id), createdAt: now };
      });
    },

    async changeState(ticketId, state, expectedVersion, note) {
      return knex.transaction(async (tx) => {
        const now = toDbTime();
        const changed = await tx(tables.tickets).where({ id: ticketId, version: expectedVersion }).update({ ...stateColumns(state, now), updated_at: now, version: expectedVersion + 1 });
        if (!changed) return false;
        await tx(tables.ticket_messages).insert(toMessageRow(ticketId, note, now));
        return true;
      });
    },

    async linkFaq(ticketId, articleIds, linkedBy) {
      if (!articleIds.length) return;
      const now = toDbTime();
      await knex(tables.ticket_faq_links)
        .insert([...new Set(articleIds)].map((articleId) => ({ ticket_id: ticketId, article_id: articleId, linked_by: linkedBy, linked_at: now })))
        .onConflict(['ticket_id', 'article_id'])
        .ignore();
    },
  };
}

/** `closed_at` follows the state: set when a ticket is finished, cleared when it is reopened. */
function stateColumns(state: TicketState, now: string): Record<string, unknown> {
  return { state, closed_at: FINISHED_STATES.includes(state) ? now : null };
}

export type NativeTicketStore = ReturnType<typeof createNativeTicketStore>;
