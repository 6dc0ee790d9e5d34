import type { Actor } from '../access/actor.js';
import type { FaqAudience } from '../access/faq-access.js';
import { audienceAllows } from '../access/faq-access.js';
import { requireCapability } from '../access/policy.js';
import { normaliseForSearch } from '../customers/search-terms.js';
import type { Dialect } from '../db/knex-factory.js';
import { fullTextQuery, fullTextWords } from '../db/fulltext.js';
import type { RunInTransaction } from '../db/transaction.js';
import { notFound } from '../errors.js';
import type { ArticleStore } from './article-store.js';
import type { CategoryService, CategoryTree } from './category-service.js';
import type { ContentGap, FeedbackStore } from './feedback-store.js';
import type { ReadingStore } from './reading-store.js';
import { FAQ_LANGUAGES, type Article, type ArticleHit, type ArticleState, type Category, type FaqLanguage, type Visibility } from './schema.js';
import { snippet } from './snippet.js';
import type { ViewCounter } from './view-counter.js';

/** A hit as readers see it: with its category slug (URLs are /faq/<category>/<slug>) and, in search, a snippet. */
export interface ReaderHit extends ArticleHit {
  category: string;
  /** HTML: escaped text with `<mark>` around the words that matched. */
  snippet?: string;
}

export interface SearchInput {
  q: string;
  language?: FaqLanguage | undefined;
  category?: string | undefined;
  limit: number;
  offset?: number | undefined;
}

/** Bounded work per search: at most this many engine candidates are ranked (see BENCHMARKS.md). */
const SEARCH_CANDIDATES = 2000;
const SUGGEST_CANDIDATES = 300;

/**
 * Reading the knowledge base: search, suggestions, category pages, top and recent lists, votes, views
 * and content gaps. Everything is filtered by the reader's audience (faq-access.ts) inside the query.
 */
export function createReaderService(deps: {
  reading: ReadingStore;
  articles: ArticleStore;
  feedback: FeedbackStore;
  categories: CategoryService;
  views: ViewCounter;
  transaction: RunInTransaction;
  dialect: Dialect;
  fallbackLanguage: FaqLanguage;
}) {
  /** The reader's language first, then the fallback: one article per slug, in the best language there is. */
  const languagesFor = (language: FaqLanguage | undefined): FaqLanguage[] | undefined =>
    language === undefined ? undefined : [...new Set([language, deps.fallbackLanguage])];

  /**
   * One hit per slug (translations share it), in the best language there is: the reader's, then the
   * fallback, then whichever matched. Order (rank) is kept.
   */
  function preferLanguage<T extends { slug: string; language: string }>(hits: T[], language: FaqLanguage | undefined): T[] {
    const rank = (l: string) => (l === language ? 0 : l === deps.fallbackLanguage ? 1 : 2);
    const best = new Map<string, T>();
    for (const hit of hits) {
      const seen = best.get(hit.slug);
      if (!seen || rank(hit.language) < rank(seen.language)) best.set(hit.slug, hit);
    }
    return hits.filter((h) => best.get(h.slug) === h);
  }

  const withCategory = (tree: CategoryTree) => (hit: ArticleHit): ReaderHit => ({ ...hit, category: tree.byId.get(hit.categoryId)?.slug ?? '' });

  function categoryFilter(tree: CategoryTree, slug: string | undefined): number[] | undefined {
    if (slug === undefined) return undefined;
    const category = tree.bySlug.get(slug);
    return category ? tree.descendantIds(category.id) : [];
  }

  async function find(actor: Actor | null, input: SearchInput, mode: 'search' | 'suggest'): Promise<{ items: ReaderHit[]; total: number; capped: boolean; words: string[] }> {
    const words = fullTextWords(normaliseForSearch(input.q));
    const match = fullTextQuery(deps.dialect, words);
    if (match === null) return { items: [], total: 0, capped: false, words };
    const { audience, tree } = await deps.categories.audienceFor(actor);
    // Every language is searched: someone typing Dutch on an English page finds the Dutch article. The
    // preferred language decides which translation stands for an article that matched in several.
    const query = { audience, categoryIds: categoryFilter(tree, input.category), states: ['published'] as ArticleState[], limit: input.limit * 2, offset: input.offset ?? 0 };
    if (mode === 'suggest') {
      const hits = await deps.reading.suggest(query, match, SUGGEST_CANDIDATES);
      return { items: preferLanguage(hits, input.language).slice(0, input.limit).map(withCategory(tree)), total: 0, capped: false, words };
    }
    const found = await deps.reading.search(query, match, SEARCH_CANDIDATES, true);
    const items = preferLanguage(found.items, input.language)
      .slice(0, input.limit)
      .map((hit) => {
        const { bodyText, ...rest } = withCategory(tree)(hit);
        return { ...rest, snippet: snippet(`${hit.summary} ${bodyText ?? ''}`, words) };
      });
    return { items, total: found.total, capped: found.capped, words };
  }

  async function readerList(actor: Actor | null, order: 'views' | 'updated' | 'title', options: { language?: FaqLanguage | undefined; category?: string | undefined; limit: number; offset?: number; visibility?: Visibility | undefined }) {
    const { audience, tree } = await deps.categories.audienceFor(actor);
    const page = await deps.reading.list({ audience, states: ['published'], languages: languagesFor(options.language), categoryIds: categoryFilter(tree, options.category), visibility: options.visibility, limit: options.limit * 2, offset: options.offset ?? 0 }, order);
    return { items: preferLanguage(page.items, options.language).slice(0, options.limit).map(withCategory(tree)), total: page.total, tree, audience };
  }

  async function firstRows(audience: FaqAudience, tree: CategoryTree, order: 'views' | 'updated' | 'title', options: { language?: FaqLanguage | undefined; categoryIds?: number[] | undefined; limit: number; visibility?: Visibility | undefined }) {
    const rows = await deps.reading.firstRows({ audience, states: ['published'], languages: languagesFor(options.language), categoryIds: options.categoryIds, visibility: options.visibility, limit: options.limit * 2 }, order);
    return preferLanguage(rows, options.language).slice(0, options.limit).map(withCategory(tree));
  }

  return {
    /**
     * Everything the article page shows, each read once: the article in the best language, its place in
     * the tree, counters, services, the other languages the reader may read and up to `related` other
     * articles of its category. 404 for anything the reader may not see.
     */
    async articlePage(actor: Actor | null, categorySlug: string, slug: string, language: FaqLanguage | undefined, related = 5) {
      const { audience, tree } = await deps.categories.audienceFor(actor);
      const { article, readableOnes } = await bestReadable(audience, slug, language);
      const category = tree.byId.get(article.categoryId);
      const [stats, services, others] = await Promise.all([
        deps.articles.stats(article.id),
        deps.articles.services(article.id),
        firstRows(audience, tree, 'title', { language: article.language, categoryIds: [article.categoryId], limit: related + 1 }),
      ]);
      return {
        article,
        categorySlug: category?.slug ?? '',
        moved: category?.slug !== categorySlug,
        trail: category ? tree.ancestors(category) : [],
        stats,
        services,
        translations: readableOnes.filter((a) => a.id !== article.id).map((a) => ({ id: a.id, language: a.language, title: a.title })),
        related: others.filter((hit) => hit.slug !== article.slug).slice(0, related),
      };
    },

    /** Full-text search; a search that finds nothing is counted as a content gap for the editors. */
    async search(actor: Actor | null, input: SearchInput) {
      const result = await find(actor, input, 'search');
      const key = result.words.join(' ');
      if (result.total === 0 && key !== '' && (input.offset ?? 0) === 0) await deps.feedback.recordGap(key.slice(0, 191), input.q.trim().slice(0, 200), input.language ?? deps.fallbackLanguage);
      return { items: result.items, total: result.total, capped: result.capped };
    },

    /** As-you-type suggestions for the ticket form: titles and summaries only, no counting, no gaps. */
    async suggest(actor: Actor | null, input: SearchInput): Promise<ReaderHit[]> {
      return (await find(actor, input, 'suggest')).items;
    },

    top: async (actor: Actor | null, language: FaqLanguage | undefined, limit = 10) => {
      const { audience, tree } = await deps.categories.audienceFor(actor);
      return firstRows(audience, tree, 'views', { language, limit });
    },
    recent: async (actor: Actor | null, language: FaqLanguage | undefined, limit = 10) => {
      const { audience, tree } = await deps.categories.audienceFor(actor);
      return firstRows(audience, tree, 'updated', { language, limit });
    },
    /** Public articles only, newest first: what the Atom feed carries, whoever asks. */
    feed: async (language: FaqLanguage | undefined, limit = 30) => {
      const { audience, tree } = await deps.categories.audienceFor(null);
      return firstRows(audience, tree, 'updated', { language, limit, visibility: 'public' });
    },

    /** The category tree as this reader sees it: categories holding at least one article they may read. */
    async categories(actor: Actor | null, language?: FaqLanguage): Promise<{ category: Category; path: string[]; count: number }[]> {
      const { audience, tree } = await deps.categories.audienceFor(actor);
      const direct = await deps.reading.countByCategory({ audience, states: ['published'], languages: languagesFor(language) });
      const staff = audience.kind === 'staff';
      return tree.all
        .map((category) => ({ category, path: tree.ancestors(category).map((c) => c.slug), count: tree.descendantIds(category.id).reduce((n, id) => n + (direct.get(id) ?? 0), 0) }))
        .filter((c) => staff || c.count > 0);
    },

    /** A category page: the category (if the reader may see something in it) and its articles. */
    async categoryPage(actor: Actor | null, slug: string, language: FaqLanguage | undefined, page: { limit: number; offset: number }) {
      const list = await readerList(actor, 'title', { language, category: slug, ...page });
      const category = list.tree.bySlug.get(slug);
      if (!category || (list.audience.kind !== 'staff' && list.total === 0)) throw notFound('No such FAQ category.');
      return { category, path: list.tree.ancestors(category), children: list.tree.children(category.id), items: list.items, total: list.total };
    },

    /** The article at /faq/<category>/<slug> as articlePage chooses it, without the page's other reads. */
    async articleBySlug(actor: Actor | null, categorySlug: string, slug: string, language: FaqLanguage | undefined) {
      const { audience, tree } = await deps.categories.audienceFor(actor);
      const { article } = await bestReadable(audience, slug, language);
      const category = tree.byId.get(article.categoryId);
      return { article, categorySlug: category?.slug ?? '', moved: category?.slug !== categorySlug };
    },

    /** Counted in memory and written in batches: a page view never waits for a write. */
    recordView: (articleId: number) => deps.views.add(articleId),

    /** One vote per person (or anonymous session); voting again changes the vote. */
    async vote(actor: Actor | null, voter: string, articleId: number, helpful: boolean): Promise<void> {
      const article = await deps.articles.findById(articleId);
      const { audience } = await deps.categories.audienceFor(actor);
      if (!article || !(await readable(audience, article))) throw notFound('No such FAQ article.');
      await deps.transaction(async (tx) => deps.feedback.setVote(articleId, voter, helpful, await deps.feedback.vote(articleId, voter, tx), tx));
    },

    async gaps(actor: Actor, page: { limit: number; offset: number; language?: FaqLanguage | undefined }): Promise<{ items: ContentGap[]; total: number }> {
      requireCapability(actor, 'faq.write');
      return deps.feedback.gaps(page);
    },

    async dismissGap(actor: Actor, id: number): Promise<void> {
      requireCapability(actor, 'faq.write');
      if (!(await deps.feedback.dismissGap(id))) throw notFound('No such content gap.');
    },
  };

  /** The reader's language, else the fallback, else any language the reader may read; 404 when none. */
  async function bestReadable(audience: FaqAudience, slug: string, language: FaqLanguage | undefined): Promise<{ article: Article; readableOnes: Article[] }> {
    const readableOnes: Article[] = [];
    for (const a of await deps.articles.translations(slug)) if (await readable(audience, a)) readableOnes.push(a);
    const article = [language, deps.fallbackLanguage, ...FAQ_LANGUAGES].map((l) => readableOnes.find((a) => a.language === l)).find((a) => a !== undefined);
    if (!article) throw notFound('No such FAQ article.');
    return { article, readableOnes };
  }

  async function readable(audience: FaqAudience, article: { id: number; state: string; visibility: string; categoryId: number; limited: boolean }): Promise<boolean> {
    return audienceAllows(audience, article, article.limited ? await deps.articles.limitedTo(article.id) : []);
  }
}

export type ReaderService = ReturnType<typeof createReaderService>;
