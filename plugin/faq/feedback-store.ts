import type { Knex } from 'knex';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { toBool, toCount, toDbBool, toDbTime } from '../db/values.js';

export interface ContentGap {
  id: number;
  query: string;
  language: string;
  searches: number;
  firstAt: string;
  lastAt: string;
}

interface GapRow {
  id: number;
  query: string;
  language: string;
  searches: number;
  first_at: string;
  last_at: string;
}

/** What readers tell the knowledge base: views, helpful votes, and searches that found nothing. */
export function createFeedbackStore(knex: Knex, tables: TableNames) {
  return {
    async addViews(counts: ReadonlyMap<number, number>): Promise<void> {
      for (const [articleId, n] of counts) {
        await knex(tables.faq_stats).where({ article_id: articleId }).increment('views', n);
      }
    },

    async vote(articleId: number, voter: string, tx: Tx): Promise<boolean | null> {
      const row = (await tx(tables.faq_votes).where({ article_id: articleId, voter }).first()) as { helpful: unknown } | undefined;
      return row ? toBool(row.helpful) : null;
    },

    /** One vote per voter: a second vote replaces the first and moves the counters with it. */
    async setVote(articleId: number, voter: string, helpful: boolean, previous: boolean | null, tx: Tx): Promise<void> {
      if (previous === helpful) return;
      if (previous === null) await tx(tables.faq_votes).insert({ article_id: articleId, voter, helpful: toDbBool(helpful), created_at: toDbTime() });
      else await tx(tables.faq_votes).where({ article_id: articleId, voter }).update({ helpful: toDbBool(helpful), created_at: toDbTime() });
      const stats = tx(tables.faq_stats).where({ article_id: articleId });
      if (previous === null) await stats.increment(helpful ? 'helpful_yes' : 'helpful_no', 1);
      else await stats.increment({ helpful_yes: helpful ? 1 : -1, helpful_no: helpful ? -1 : 1 });
    },

    /** Counts a search that found nothing; the same words again only raise the count (and un-dismiss). */
    async recordGap(queryKey: string, query: string, language: string): Promise<void> {
      const now = toDbTime();
      const updated = await knex(tables.faq_gaps).where({ query_key: queryKey, language }).update({ searches: knex.raw('searches + 1'), last_at: now, dismissed_at: null });
      if (updated) return;
      // Two first misses at once: the unique key lets one insert win; the other counts on the winner's row.
      await knex(tables.faq_gaps)
        .insert({ query_key: queryKey, query, language, searches: 1, first_at: now, last_at: now })
        .onConflict(['query_key', 'language'])
        .merge({ searches: knex.raw('?? + 1', [`${tables.faq_gaps}.searches`]), last_at: now });
    },

    async gaps(page: { limit: number; offset: number; language?: string | undefined }): Promise<{ items: ContentGap[]; total: number }> {
      const q = () => {
        const b = knex(tables.faq_gaps).whereNull('dismissed_at');
        if (page.language) void b.where('language', page.language);
        return b;
      };
      const [rows, [count]] = await Promise.all([
        rowsOf<GapRow>(q().orderBy([{ column: 'searches', order: 'desc' }, { column: 'last_at', order: 'desc' }]).limit(page.limit).offset(page.offset).select('*')),
        q().count({ n: '*' }),
      ]);
      return {
        items: rows.map((r) => ({ id: Number(r.id), query: r.query, language: r.language, searches: Number(r.searches), firstAt: r.first_at, lastAt: r.last_at })),
        total: toCount((count as { n?: unknown } | undefined)?.n),
      };
    },

    async dismissGap(id: number): Promise<boolean> {
      return (await knex(tables.faq_gaps).where({ id }).whereNull('dismissed_at').update({ dismissed_at: toDbTime() })) > 0;
    },
  };
}

export type FeedbackStore = ReturnType<typeof createFeedbackStore>;
