/**
 * The generated articles into Loket's tables, as fast as a save allows without the services: markdown
 * rendered by Loket's own renderMarkdown (in this process, not the worker), the folded search columns
 * from Loket's searchColumns, and each row written by Loket's article store (`insert`: the article and
 * its counter row), `batch` articles per transaction. The full-text index is maintained as Loket
 * maintains it (FTS5 triggers on SQLite, InnoDB FULLTEXT on MariaDB), so the insert time is the index
 * build time of a knowledge base growing by batches. Versions and audit records are not written: neither
 * search nor the article page reads them.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import { searchColumns } from '../../plugin/faq/article-service.js';
import { createArticleStore } from '../../plugin/faq/article-store.js';
import { renderMarkdown } from '../../plugin/faq/markdown/render.js';
import type { FaqLanguage } from '../../plugin/faq/schema.js';
import type { TableNames } from '../../plugin/db/tables.js';
import { createArticleGenerator, type GeneratedArticle } from './articles.js';
import { GENERATED_CATEGORIES } from './categories.js';

export interface FillOptions {
  articles: number;
  /** Articles per transaction. */
  batch: number;
  seed: number;
  categoryIds: number[];
  progress: (text: string) => void;
}

/** In how many published public articles (what an anonymous reader can find) each folded word occurs. */
export interface DocumentFrequencies {
  docs: Record<FaqLanguage, number>;
  words: Record<FaqLanguage, Map<string, number>>;
}

export interface ArticlePage {
  category: string;
  slug: string;
  title: string;
}

export interface FillResult {
  articles: number;
  /** Articles per transaction. */
  batch: number;
  byLanguage: Record<FaqLanguage, number>;
  byState: Record<string, number>;
  byVisibility: Record<string, number>;
  translations: number;
  /** Characters of markdown, on average. */
  meanBodyChars: number;
  meanWords: number;
  seconds: { generate: number; render: number; insert: number };
  frequencies: DocumentFrequencies;
  /** Published public English articles, spread over the sequence: the article pages the bench loads. */
  pages: ArticlePage[];
}

const WORD_SPLIT = /[^\p{L}\p{N}]+/u;
/** At most this many article pages; one article in `articles / PAGES / 0.45` is a candidate (about 55 pages at 100,000). */
const PAGES = 300;

const count = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

export async function fillArticles(knex: Knex, tables: TableNames, opts: FillOptions): Promise<FillResult> {
  const store = createArticleStore(knex, tables);
  const generate = createArticleGenerator({ seed: opts.seed, categories: GENERATED_CATEGORIES.length });
  const author = { key: 'agent:1', name: 'Bench Author' };
  const frequencies: DocumentFrequencies = {
    docs: { en: 0, nl: 0, nb: 0 },
    words: { en: new Map(), nl: new Map(), nb: new Map() },
  };
  const result: FillResult = {
    articles: opts.articles,
    batch: opts.batch,
    byLanguage: { en: 0, nl: 0, nb: 0 },
    byState: {},
    byVisibility: {},
    translations: 0,
    meanBodyChars: 0,
    meanWords: 0,
    seconds: { generate: 0, render: 0, insert: 0 },
    frequencies,
    pages: [],
  };
  const pageEvery = Math.max(1, Math.floor(opts.articles / PAGES / 0.45));
  const slugs = new Set<string>();
  let bodyChars = 0;
  let words = 0;
  let nextReport = 0.05;
  const started = performance.now();

  for (let first = 1; first <= opts.articles; first += opts.batch) {
    const t0 = performance.now();
    const batch: GeneratedArticle[] = [];
    for (let n = first; n < first + opts.batch && n <= opts.articles; n++) batch.push(generate(n));
    const t1 = performance.now();
    const rows = batch.map((a) => {
      const rendered = renderMarkdown(a.body);
      const folded = searchColumns({ title: a.title, keywords: a.keywords, summary: a.summary, bodyText: rendered.text });
      return { a, content: { categoryId: opts.categoryIds[a.category]!, title: a.title, summary: a.summary, keywords: a.keywords, bodyMd: a.body, bodyHtml: rendered.html, bodyText: rendered.text, ...folded, visibility: a.visibility, limited: false } };
    });
    const t2 = performance.now();
    await knex.transaction(async (tx) => {
      for (const { a, content } of rows) await store.insert({ slug: a.slug, language: a.language, state: a.state, author, publishedAt: a.publishedAt, ...content }, tx);
    });
    const t3 = performance.now();
    result.seconds.generate += (t1 - t0) / 1000;
    result.seconds.render += (t2 - t1) / 1000;
    result.seconds.insert += (t3 - t2) / 1000;

    for (const { a, content } of rows) {
      count(result.byLanguage, a.language);
      count(result.byState, a.state);
      count(result.byVisibility, a.visibility);
      if (slugs.has(a.slug)) result.translations += 1;
      slugs.add(a.slug);
      bodyChars += a.body.length;
      const tokens = new Set(`${content.searchTitle} ${content.searchBody}`.split(WORD_SPLIT).filter(Boolean));
      words += content.searchBody.split(' ').length;
      if (a.state !== 'published' || a.visibility !== 'public') continue;
      frequencies.docs[a.language] += 1;
      const seen = frequencies.words[a.language];
      for (const token of tokens) seen.set(token, (seen.get(token) ?? 0) + 1);
      if (a.language === 'en' && a.n % pageEvery === 0 && result.pages.length < PAGES) {
        result.pages.push({ category: GENERATED_CATEGORIES[a.category]!.slug, slug: a.slug, title: a.title });
      }
    }

    const done = (first + batch.length - 1) / opts.articles;
    if (done >= nextReport || done === 1) {
      const seconds = (performance.now() - started) / 1000;
      opts.progress(
        `  ${Math.round(done * 100)} %: ${first + batch.length - 1} articles, ${seconds.toFixed(0)} s (generate ${result.seconds.generate.toFixed(0)} s, render ${result.seconds.render.toFixed(0)} s, insert ${result.seconds.insert.toFixed(0)} s)`,
      );
      nextReport = Math.floor(done * 20 + 1) / 20;
    }
    // SQLite's driver is synchronous: without a turn of the event loop now and then, Ctrl-C would wait.
    await nextTurn();
  }
  result.meanBodyChars = bodyChars / opts.articles;
  result.meanWords = words / opts.articles;
  return result;
}

/**
 * The English articles an anonymous reader may open, as pages to load beside the generated ones; called
 * before the fill, these are the shipped kb/ ones.
 */
export async function kbPages(knex: Knex, tables: TableNames): Promise<ArticlePage[]> {
  return knex(`${tables.faq_articles} as a`)
    .join(`${tables.faq_categories} as c`, 'c.id', 'a.category_id')
    .where({ 'a.language': 'en', 'a.state': 'published', 'a.visibility': 'public' })
    .orderBy('a.id')
    .select<ArticlePage[]>('c.slug as category', 'a.slug as slug', 'a.title as title');
}
