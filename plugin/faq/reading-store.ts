import type { Knex } from 'knex';
import type { FaqAudience } from '../access/faq-access.js';
import { fullTextMatches } from '../db/fulltext.js';
import type { Dialect } from '../db/knex-factory.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import { toCount } from '../db/values.js';
import { faqArticleIndex } from './search-index.js';
import type { ArticleHit, ArticleState, FaqLanguage, Visibility } from './schema.js';

export interface ReadQuery {
  audience: FaqAudience;
  languages?: readonly string[] | undefined;
  categoryIds?: readonly number[] | undefined;
  /** Staff choose states; everyone else reads published articles only, whatever they ask. */
  states?: readonly ArticleState[] | undefined;
  visibility?: Visibility | undefined;
  limit: number;
  offset?: number;
}

interface HitRow {
  id: number;
  slug: string;
  language: string;
  category_id: number;
  title: string;
  summary: string;
  visibility: string;
  state: string;
  updated_at: string;
  updated_by_name: string;
  submitted_by_name: string | null;
  submitted_at: string | null;
  views: number | null;
  score?: number;
  body_text?: string;
}

const toHit = (r: HitRow): ArticleHit => ({
  id: Number(r.id),
  slug: r.slug,
  language: r.language as FaqLanguage,
  categoryId: Number(r.category_id),
  title: r.title,
  summary: r.summary,
  visibility: r.visibility as Visibility,
  state: r.state as ArticleState,
  updatedAt: r.updated_at,
  updatedByName: r.updated_by_name,
  submittedByName: r.submitted_by_name,
  submittedAt: r.submitted_at,
  views: Number(r.views ?? 0),
  ...(r.score === undefined ? {} : { score: Number(r.score) }),
  ...(r.body_text === undefined ? {} : { bodyText: r.body_text }),
});

const HIT_COLUMNS = ['a.id', 'a.slug', 'a.language', 'a.category_id', 'a.title', 'a.summary', 'a.visibility', 'a.state', 'a.updated_at', 'a.updated_by_name', 'a.submitted_by_name', 'a.submitted_at', 's.views'];
const NONE = -1;

export type ListOrder = 'title' | 'views' | 'updated' | 'submitted';
const ORDERS: Record<ListOrder, { column: string; order?: 'asc' | 'desc' }[]> = {
  title: [{ column: 'a.title' }, { column: 'a.id' }],
  views: [{ column: 's.views', order: 'desc' }, { column: 'a.id' }],
  updated: [{ column: 'a.updated_at', order: 'desc' }, { column: 'a.id', order: 'desc' }],
  submitted: [{ column: 'a.submitted_at' }, { column: 'a.id' }],
};

/** The `n` of a `count({ n: '*' })` query, as a number on both drivers. */
const countOf = async (query: Knex.QueryBuilder): Promise<number> => toCount((await rowsOf<{ n: unknown }>(query))[0]?.n);

/**
 * Lists and full-text search over articles, always through the reader's audience as one SQL
 * condition, so limits, counts and ranking only ever see articles the reader may read.
 */
export function createReadingStore(knex: Knex, tables: TableNames, dialect: Dialect) {
  const index = faqArticleIndex(tables);

  function restrict(q: Knex.QueryBuilder, query: Omit<ReadQuery, 'limit' | 'offset'>): Knex.QueryBuilder {
    const { audience } = query;
    if (audience.kind === 'staff') {
      if (query.states?.length) void q.whereIn('a.state', query.states);
    } else {
      void q.where('a.state', 'published').where((who) => {
        void who.where((pub) => void pub.where('a.visibility', 'public').whereIn('a.category_id', audience.publicCategoryIds.length ? audience.publicCategoryIds : [NONE]));
        if (audience.customerCategoryIds.length) {
          void who.orWhere((cust) => {
            void cust
              .where('a.visibility', 'customer')
              .whereIn('a.category_id', audience.customerCategoryIds)
              .where((lim) => {
                void lim.where('a.limited', 0);
                if (audience.customerIds.length) {
                  void lim.orWhereExists(
                    knex(tables.faq_article_customers).whereRaw('?? = ??', ['article_id', 'a.id']).whereIn('customer_id', audience.customerIds).select(knex.raw('1')),
                  );
                }
              });
          });
        }
      });
    }
    if (query.languages?.length) void q.whereIn('a.language', query.languages);
    if (query.categoryIds) void q.whereIn('a.category_id', query.categoryIds.length ? query.categoryIds : [NONE]);
    if (query.visibility) void q.where('a.visibility', query.visibility);
    return q;
  }

  const base = () => knex(`${tables.faq_articles} as a`).leftJoin(`${tables.faq_stats} as s`, 's.article_id', 'a.id');

  /**
   * The engine's candidates first, then their articles. CROSS JOIN makes SQLite keep that order: left
   * to itself it walks every published article of the reader's categories and probes the candidates,
   * hundreds of milliseconds at 100,000 articles however rare the word (BENCHMARKS.md, FAQ search).
   */
  const fromCandidates = (hits: Knex.Raw) => knex.from(hits).crossJoin(`${tables.faq_articles} as a`, 'a.id', 'h.id').leftJoin(`${tables.faq_stats} as s`, 's.article_id', 'a.id');

  return {
    async list(query: ReadQuery, order: ListOrder): Promise<{ items: ArticleHit[]; total: number }> {
      const orderBy = ORDERS[order];
      const [rows, total] = await Promise.all([
        rowsOf<HitRow>(restrict(base(), query).select(HIT_COLUMNS).orderBy(orderBy).limit(query.limit).offset(query.offset ?? 0)),
        countOf(restrict(knex(`${tables.faq_articles} as a`), query).count({ n: '*' })),
      ]);
      return { items: rows.map(toHit), total };
    },

    /** The first rows only, without counting them all (related articles, the home page's lists). */
    async firstRows(query: ReadQuery, order: ListOrder): Promise<ArticleHit[]> {
      return (await rowsOf<HitRow>(restrict(base(), query).select(HIT_COLUMNS).orderBy(ORDERS[order]).limit(query.limit).offset(query.offset ?? 0))).map(toHit);
    },

    /** Visible published articles per category, for category pages and the tree. */
    async countByCategory(query: Omit<ReadQuery, 'limit' | 'offset'>): Promise<Map<number, number>> {
      const rows = await rowsOf<{ category_id: number; n: unknown }>(restrict(knex(`${tables.faq_articles} as a`), query).groupBy('a.category_id').select('a.category_id', knex.raw('count(*) as n')));
      return new Map(rows.map((r) => [Number(r.category_id), toCount(r.n)]));
    },

    /**
     * Full-text search: at most `cap` candidates from the engine (bounded work whatever the words),
     * read once; the audience then filters their ids, the scores rank them, and only the page's
     * articles are read in full. `capped` says the candidates were cut off.
     */
    async search(query: ReadQuery, match: string, cap: number, withBody: boolean): Promise<{ items: ArticleHit[]; total: number; capped: boolean }> {
      const candidates = await rowsOf<{ id: number; score: number }>(knex.from(knex.raw('(?) as h', [fullTextMatches(knex, dialect, index, match, cap)])).select('h.id', 'h.score'));
      const capped = candidates.length >= cap;
      if (!candidates.length) return { items: [], total: 0, capped };
      const scores = new Map(candidates.map((c) => [Number(c.id), Number(c.score)]));
      const visible = await rowsOf<{ id: number }>(restrict(knex(`${tables.faq_articles} as a`), query).whereIn('a.id', [...scores.keys()]).select('a.id'));
      const score = (id: number) => scores.get(id) ?? 0;
      const ranked = visible.map((r) => Number(r.id)).sort((x, y) => score(y) - score(x) || x - y);
      const offset = query.offset ?? 0;
      const pageIds = ranked.slice(offset, offset + query.limit);
      if (!pageIds.length) return { items: [], total: ranked.length, capped };
      const rows = await rowsOf<HitRow>(base().whereIn('a.id', pageIds).select([...HIT_COLUMNS, ...(withBody ? ['a.body_text'] : [])]));
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      const items = pageIds.flatMap((id) => {
        const row = byId.get(id);
        return row ? [toHit({ ...row, score: score(id) })] : [];
      });
      return { items, total: ranked.length, capped };
    },

    /**
     * As-you-type suggestions want the first few, fast: no counts, and only titles and keywords are
     * searched (what editors write for finding; far fewer rows hold a common word there than in bodies).
     */
    async suggest(query: ReadQuery, match: string, cap: number): Promise<ArticleHit[]> {
      const hits = knex.raw('(?) as h', [fullTextMatches(knex, dialect, index, match, cap, true)]);
      const q = restrict(fromCandidates(hits), query);
      return (await rowsOf<HitRow>(q.select([...HIT_COLUMNS, 'h.score']).orderBy([{ column: 'h.score', order: 'desc' }, { column: 'a.id' }]).limit(query.limit))).map(toHit);
    },
  };
}

export type ReadingStore = ReturnType<typeof createReadingStore>;
