import type { Knex } from 'knex';
import { translateDbError } from '../db/errors.js';
import { rowsOf } from '../db/rows.js';
import type { TableNames } from '../db/tables.js';
import type { Tx } from '../db/transaction.js';
import { fromDbJson, toBool, toDbBool, toDbJson, toDbTime } from '../db/values.js';
import { conflict } from '../errors.js';
import type { Article, ArticleState, ArticleStats, ArticleVersion, FaqLanguage, Person, Visibility } from './schema.js';

export interface ArticleRow {
  id: number;
  slug: string;
  language: string;
  category_id: number;
  title: string;
  summary: string;
  keywords: string;
  body_md: string;
  body_html: string;
  body_text: string;
  state: string;
  visibility: string;
  limited: number | boolean;
  created_by: string;
  created_by_name: string;
  updated_by: string;
  updated_by_name: string;
  submitted_by: string | null;
  submitted_by_name: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  published_at: string | null;
  review_comment: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export const toArticle = (r: ArticleRow): Article => ({
  id: Number(r.id),
  slug: r.slug,
  language: r.language as FaqLanguage,
  categoryId: Number(r.category_id),
  title: r.title,
  summary: r.summary,
  keywords: fromDbJson<string[]>(r.keywords, []),
  bodyMd: r.body_md,
  bodyHtml: r.body_html,
  bodyText: r.body_text,
  state: r.state as ArticleState,
  visibility: r.visibility as Visibility,
  limited: toBool(r.limited),
  createdBy: { key: r.created_by, name: r.created_by_name },
  updatedBy: { key: r.updated_by, name: r.updated_by_name },
  submittedBy: r.submitted_by === null ? null : { key: r.submitted_by, name: r.submitted_by_name ?? '' },
  submittedAt: r.submitted_at,
  approvedBy: r.approved_by === null ? null : { key: r.approved_by, name: r.approved_by_name ?? '' },
  publishedAt: r.published_at,
  reviewComment: r.review_comment,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

/** What a save writes: the content, its rendering and the folded text the full-text index reads. */
export interface ArticleContent {
  categoryId: number;
  title: string;
  summary: string;
  keywords: string[];
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  searchTitle: string;
  searchBody: string;
  visibility: Visibility;
  limited: boolean;
}

const contentColumns = (c: ArticleContent) => ({
  category_id: c.categoryId,
  title: c.title,
  summary: c.summary,
  keywords: toDbJson(c.keywords),
  body_md: c.bodyMd,
  body_html: c.bodyHtml,
  body_text: c.bodyText,
  search_title: c.searchTitle,
  search_body: c.searchBody,
  visibility: c.visibility,
  limited: toDbBool(c.limited),
});

export interface StateChange {
  state: ArticleState;
  submitted_by?: string | null;
  submitted_by_name?: string | null;
  submitted_at?: string | null;
  approved_by?: string | null;
  approved_by_name?: string | null;
  published_at?: string | null;
  review_comment?: string | null;
}

interface VersionRow {
  number: number;
  title: string;
  summary: string;
  keywords: string;
  body_md: string;
  category_slug: string;
  visibility: string;
  state: string;
  author: string;
  author_name: string;
  note: string | null;
  created_at: string;
}

const toVersion = (r: VersionRow): ArticleVersion => ({
  number: Number(r.number),
  title: r.title,
  summary: r.summary,
  keywords: fromDbJson<string[]>(r.keywords, []),
  bodyMd: r.body_md,
  category: r.category_slug,
  visibility: r.visibility as Visibility,
  state: r.state as ArticleState,
  author: { key: r.author, name: r.author_name },
  note: r.note,
  createdAt: r.created_at,
});

export function createArticleStore(knex: Knex, tables: TableNames) {
  const articles = (tx?: Tx) => (tx ?? knex)<ArticleRow>(tables.faq_articles);

  return {
    async findById(id: number, tx?: Tx): Promise<Article | null> {
      const row = await articles(tx).where({ id }).first();
      return row ? toArticle(row) : null;
    },

    async findBySlug(slug: string, language: string, tx?: Tx): Promise<Article | null> {
      const row = await articles(tx).where({ slug, language }).first();
      return row ? toArticle(row) : null;
    },

    /** Published articles in id order, a page at a time (export walks them all). */
    async publishedAfter(afterId: number, limit: number): Promise<Article[]> {
      return (await articles().where('state', 'published').where('id', '>', afterId).orderBy('id').limit(limit)).map(toArticle);
    },

    /** Every language of one slug (the translations of an article). */
    async translations(slug: string, tx?: Tx): Promise<Article[]> {
      return (await articles(tx).where({ slug }).orderBy('language')).map(toArticle);
    },

    async insert(values: { slug: string; language: FaqLanguage; state: ArticleState; author: Person; publishedAt: string | null } & ArticleContent, tx: Tx): Promise<number> {
      const now = toDbTime();
      try {
        const [id] = await tx(tables.faq_articles).insert({
          slug: values.slug,
          language: values.language,
          ...contentColumns(values),
          state: values.state,
          created_by: values.author.key,
          created_by_name: values.author.name,
          updated_by: values.author.key,
          updated_by_name: values.author.name,
          published_at: values.publishedAt,
          created_at: now,
          updated_at: now,
          version: 1,
        });
        await tx(tables.faq_stats).insert({ article_id: Number(id), views: 0, helpful_yes: 0, helpful_no: 0 });
        return Number(id);
      } catch (err) {
        throw translateDbError(err, { field: 'slug', what: 'An article with this slug in this language' });
      }
    },

    /** Saves new content (and possibly a new state) if nobody saved in between; returns the new version. */
    async updateContent(id: number, content: ArticleContent, change: StateChange, author: Person, expectedVersion: number, tx: Tx): Promise<number> {
      const changed = await tx(tables.faq_articles)
        .where({ id, version: expectedVersion })
        .update({ ...contentColumns(content), ...change, updated_by: author.key, updated_by_name: author.name, updated_at: toDbTime(), version: expectedVersion + 1 });
      if (changed === 0) throw conflict('Someone else saved this article in the meantime; reload and try again.', 'version', 'version_conflict');
      return expectedVersion + 1;
    },

    /** A workflow step; `from` makes two concurrent steps on one article end in one winner and a 409. */
    async changeState(id: number, from: ArticleState, change: StateChange, tx: Tx): Promise<void> {
      const changed = await tx(tables.faq_articles).where({ id, state: from }).update(change);
      if (changed === 0) throw conflict('The article changed state in the meantime; reload and try again.', 'state', 'state_conflict');
    },

    async limitedTo(articleId: number, tx?: Tx): Promise<string[]> {
      const rows = await (tx ?? knex)(tables.faq_article_customers).where({ article_id: articleId }).orderBy('customer_id').select<{ customer_id: string }[]>('customer_id');
      return rows.map((r) => r.customer_id);
    },

    async setLimitedTo(articleId: number, customerIds: readonly string[], tx: Tx): Promise<void> {
      await tx(tables.faq_article_customers).where({ article_id: articleId }).delete();
      if (customerIds.length) await tx(tables.faq_article_customers).insert(customerIds.map((customer_id) => ({ article_id: articleId, customer_id })));
    },

    async services(articleId: number, tx?: Tx): Promise<string[]> {
      const rows = await rowsOf<{ name: string }>(
        (tx ?? knex)(`${tables.faq_article_services} as s`).join(`${tables.services} as v`, 'v.id', 's.service_id').where('s.article_id', articleId).orderBy('v.name').select('v.name'),
      );
      return rows.map((r) => r.name);
    },

    async setServices(articleId: number, serviceIds: readonly number[], tx: Tx): Promise<void> {
      await tx(tables.faq_article_services).where({ article_id: articleId }).delete();
      if (serviceIds.length) await tx(tables.faq_article_services).insert(serviceIds.map((service_id) => ({ article_id: articleId, service_id })));
    },

    async addVersion(articleId: number, v: Omit<ArticleVersion, 'createdAt'>, tx: Tx): Promise<void> {
      await tx(tables.faq_versions).insert({
        article_id: articleId,
        number: v.number,
        title: v.title,
        summary: v.summary,
        keywords: toDbJson(v.keywords),
        body_md: v.bodyMd,
        category_slug: v.category,
        visibility: v.visibility,
        state: v.state,
        author: v.author.key,
        author_name: v.author.name,
        note: v.note,
        created_at: toDbTime(),
      });
    },

    async versions(articleId: number): Promise<ArticleVersion[]> {
      return (await rowsOf<VersionRow>(knex(tables.faq_versions).where({ article_id: articleId }).orderBy('number', 'desc').select('*'))).map(toVersion);
    },

    async version(articleId: number, number: number): Promise<ArticleVersion | null> {
      const [row] = await rowsOf<VersionRow>(knex(tables.faq_versions).where({ article_id: articleId, number }).select('*'));
      return row ? toVersion(row) : null;
    },

    async stats(articleId: number): Promise<ArticleStats> {
      const row = (await knex(tables.faq_stats).where({ article_id: articleId }).first()) as { views: number; helpful_yes: number; helpful_no: number } | undefined;
      return { views: Number(row?.views ?? 0), helpfulYes: Number(row?.helpful_yes ?? 0), helpfulNo: Number(row?.helpful_no ?? 0) };
    },
  };
}

export type ArticleStore = ReturnType<typeof createArticleStore>;
