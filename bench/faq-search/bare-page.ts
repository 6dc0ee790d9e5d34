/**
 * The article page's data the plain way, for the bare server: straight knex reads of Loket's tables, no
 * services, no audience, no category-tree object. English, anonymous and public only: the bench loads
 * published public English articles without `?lang`, which Loket shows in English to a visitor without
 * a language cookie. The result holds the locals plugin/faq/pages/reader-pages.ts passes to
 * views/faq/article.ejs for such a visitor, so both servers render the same page.
 */
import type { Knex } from 'knex';
import { toArticle, type ArticleRow } from '../../plugin/faq/article-store.js';
import type { TableNames } from '../../plugin/db/tables.js';
import type { Article } from '../../plugin/faq/schema.js';

interface CategoryRow {
  id: number;
  slug: string;
  name: string;
  parent_id: number | null;
}

interface RelatedRow {
  id: number;
  slug: string;
  language: string;
  category_id: number;
  title: string;
  summary: string;
  updated_at: string;
}

const RELATED = 5;
const LANGUAGE = 'en';

export interface BareArticleLocals {
  article: Article;
  categorySlug: string;
  trail: { slug: string; name: string }[];
  stats: { views: number; helpfulYes: number; helpfulNo: number };
  translations: { id: number; language: string; title: string }[];
  related: { id: number; slug: string; language: string; category: string; title: string; summary: string; updatedAt: string }[];
}

export async function bareArticleLocals(knex: Knex, tables: TableNames, categorySlug: string, slug: string): Promise<BareArticleLocals | null> {
  const [row, categories] = await Promise.all([
    knex(`${tables.faq_articles} as a`)
      .join(`${tables.faq_categories} as c`, 'c.id', 'a.category_id')
      .leftJoin(`${tables.faq_stats} as s`, 's.article_id', 'a.id')
      .where({ 'a.slug': slug, 'a.language': LANGUAGE, 'a.state': 'published', 'a.visibility': 'public', 'c.slug': categorySlug })
      .first('a.*', 's.views', 's.helpful_yes', 's.helpful_no') as Promise<(ArticleRow & { views: number | null; helpful_yes: number | null; helpful_no: number | null }) | undefined>,
    knex(tables.faq_categories).select('id', 'slug', 'name', 'parent_id') as Promise<CategoryRow[]>,
  ]);
  if (!row) return null;
  const byId = new Map(categories.map((c) => [Number(c.id), c]));
  const trail: CategoryRow[] = [];
  for (let c = byId.get(Number(row.category_id)); c; c = c.parent_id === null ? undefined : byId.get(Number(c.parent_id))) trail.unshift(c);

  const [translations, related] = await Promise.all([
    knex(tables.faq_articles)
      .where({ slug, state: 'published', visibility: 'public' })
      .whereNot({ id: row.id })
      .orderBy('language')
      .select('id', 'language', 'title') as Promise<{ id: number; language: string; title: string }[]>,
    knex(tables.faq_articles)
      .where({ language: LANGUAGE, state: 'published', visibility: 'public' })
      // Related articles: the first of the article's own category by title, as Loket's articlePage picks them.
      .where('category_id', row.category_id)
      .orderBy([{ column: 'title' }, { column: 'id' }])
      .limit(RELATED + 1)
      .select('id', 'slug', 'language', 'category_id', 'title', 'summary', 'updated_at') as Promise<RelatedRow[]>,
  ]);
  return {
    article: toArticle(row),
    categorySlug,
    trail: trail.map((c) => ({ slug: c.slug, name: c.name })),
    stats: { views: Number(row.views ?? 0), helpfulYes: Number(row.helpful_yes ?? 0), helpfulNo: Number(row.helpful_no ?? 0) },
    translations: translations.map((t) => ({ id: Number(t.id), language: t.language, title: t.title })),
    related: related
      .filter((r) => r.slug !== slug)
      .slice(0, RELATED)
      .map((r) => ({ id: Number(r.id), slug: r.slug, language: r.language, category: byId.get(Number(r.category_id))?.slug ?? '', title: r.title, summary: r.summary, updatedAt: r.updated_at })),
  };
}
