import type { Knex } from 'knex';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import { toCount } from '../db/values.js';
import type { TicketState } from './schema.js';

/** Which queues to count: every queue (`null`), or exactly these ids (empty: none). */
export type QueueScope = readonly number[] | null;

export interface QueueStateCount {
  queueId: number;
  state: TicketState;
  count: number;
}

export interface DayCount {
  day: string;
  count: number;
}

export interface ArticleOutcomes {
  articleId: number;
  title: string;
  language: string;
  opened: number;
  answered: number;
}

const NONE = -1;

/**
 * The dashboard's figures, aggregated in SQL (GROUP BY) so no request walks every ticket. Days are the
 * first ten characters of the stored UTC ISO timestamps, the same expression on both dialects.
 */
export function createStatsStore(knex: Knex, tables: TableNames) {
  const dayOf = () => knex.raw('substr(??, 1, 10) as ??', ['created_at', 'day']);
  const count = () => knex.raw('count(*) as ??', ['n']);

  function inScope(q: Knex.QueryBuilder, column: string, queues: QueueScope): Knex.QueryBuilder {
    return queues === null ? q : q.whereIn(column, queues.length ? queues : [NONE]);
  }

  return {
    async ticketsByQueueAndState(states: readonly TicketState[], queues: QueueScope): Promise<QueueStateCount[]> {
      const q = knex(tables.tickets).whereIn('state', states).groupBy('queue_id', 'state').select('queue_id', 'state', count());
      const rows = await rowsOf<{ queue_id: number; state: TicketState; n: unknown }>(inScope(q, 'queue_id', queues));
      return rows.map((r) => ({ queueId: Number(r.queue_id), state: r.state, count: toCount(r.n) }));
    },

    /** Tickets created per UTC day from `since` (an ISO timestamp) on. */
    async ticketsPerDay(since: string, queues: QueueScope): Promise<DayCount[]> {
      const q = knex(tables.tickets).where('created_at', '>=', since).groupByRaw('substr(??, 1, 10)', ['created_at']).select(dayOf(), count());
      const rows = await rowsOf<{ day: string; n: unknown }>(inScope(q, 'queue_id', queues));
      return rows.map((r) => ({ day: String(r.day), count: toCount(r.n) }));
    },

    /** Ticket-form FAQ outcomes of one kind per UTC day from `since` on. */
    async outcomesPerDay(outcome: 'opened' | 'answered', since: string): Promise<DayCount[]> {
      const rows = await rowsOf<{ day: string; n: unknown }>(
        knex(tables.faq_deflections)
          .where('outcome', outcome)
          .where('created_at', '>=', since)
          .groupByRaw('substr(??, 1, 10)', ['created_at'])
          .select(dayOf(), count()),
      );
      return rows.map((r) => ({ day: String(r.day), count: toCount(r.n) }));
    },

    /** The articles the ticket form's suggestions led to most since `since`, with both outcomes. */
    async topArticles(since: string, limit: number): Promise<ArticleOutcomes[]> {
      const rows = await rowsOf<{ id: number; title: string; language: string; opened: unknown; answered: unknown }>(
        knex(`${tables.faq_deflections} as d`)
          .join(`${tables.faq_articles} as a`, 'a.id', 'd.article_id')
          .where('d.created_at', '>=', since)
          .groupBy('a.id', 'a.title', 'a.language')
          .select(
            'a.id',
            'a.title',
            'a.language',
            knex.raw('sum(case when ?? = ? then 1 else 0 end) as ??', ['d.outcome', 'opened', 'opened']),
            knex.raw('sum(case when ?? = ? then 1 else 0 end) as ??', ['d.outcome', 'answered', 'answered']),
          )
          .orderByRaw('count(*) desc')
          .orderBy('a.id', 'asc')
          .limit(limit),
      );
      return rows.map((r) => ({ articleId: Number(r.id), title: r.title, language: r.language, opened: toCount(r.opened), answered: toCount(r.answered) }));
    },
  };
}

export type StatsStore = ReturnType<typeof createStatsStore>;
