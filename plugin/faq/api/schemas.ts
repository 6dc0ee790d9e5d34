import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';
import { limitField, offsetField } from '../../customers/api-schemas.js';
import { listOf } from '../../customers/present.js';
import type { ArticleDetail } from '../article-service.js';
import type { CategoryView } from '../category-service.js';
import type { FieldDiff } from '../diff.js';
import type { ContentGap } from '../feedback-store.js';
import type { ReaderHit } from '../reader-service.js';
import { ARTICLE_STATES, FAQ_LANGUAGES, VISIBILITIES, type ArticleHit, type ArticleVersion, type Category } from '../schema.js';

/** Query strings, bodies and answers of `/api/v1/faq`, parsed and shaped at the edge. */

export const ARTICLE_DEFAULT_LIMIT = 100;
export const ARTICLE_MAX_LIMIT = 1000;
export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 100;
export const SUGGEST_DEFAULT_LIMIT = 5;
export const SUGGEST_MAX_LIMIT = 10;
export const MAX_QUERY_LENGTH = 200;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(emptyToUndefined, z.enum(values).optional());
const optionalSlug = z.preprocess(emptyToUndefined, z.string().max(80).optional());
/** The words searched for; a repeated `q` arrives as an array and is refused like any other. */
const searchText = z.string().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`);

/** Ids and version numbers in paths and queries: whole numbers as the router hands them over, as strings. */
export const wholeNumber = z.string().regex(/^[1-9]\d{0,8}$/, 'expected a positive whole number').transform(Number);
export const categorySlugParam = z.string().min(1).max(80);

export const categoriesQuery = z.object({ language: optionalEnum(FAQ_LANGUAGES) });

export const articleListQuery = z.object({
  state: optionalEnum(ARTICLE_STATES),
  language: optionalEnum(FAQ_LANGUAGES),
  category: optionalSlug,
  visibility: optionalEnum(VISIBILITIES),
  limit: limitField(ARTICLE_DEFAULT_LIMIT, ARTICLE_MAX_LIMIT),
  offset: offsetField,
});

export const searchQuery = z.object({
  q: searchText,
  language: optionalEnum(FAQ_LANGUAGES),
  category: optionalSlug,
  limit: limitField(SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT),
  offset: offsetField,
});

export const suggestQuery = z.object({
  q: searchText,
  language: optionalEnum(FAQ_LANGUAGES),
  limit: limitField(SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT),
});

export const diffQuery = z.object({ from: wholeNumber, to: wholeNumber });

export const gapsQuery = z.object({
  language: optionalEnum(FAQ_LANGUAGES),
  limit: limitField(ARTICLE_DEFAULT_LIMIT, ARTICLE_MAX_LIMIT),
  offset: offsetField,
});

export const approveSchema = z.strictObject({
  version: z.number().int().positive().optional().describe('The version the approver read; a newer one answers 409'),
});

export const voteSchema = z.strictObject({ helpful: z.boolean() });

export const previewSchema = z.strictObject({ body: z.string().max(100_000).describe('Markdown, rendered exactly as a save would') });

/* ---- Answers ---- */

/** Where readers find an article: `/faq/<category>/<slug>` under Loket's mount path. */
export const articleUrl = (base: string, category: string, slug: string): string =>
  `${base}/faq/${encodeURIComponent(category)}/${encodeURIComponent(slug)}`;

export const categorySchema = z.object({
  slug: z.string(),
  name: z.string(),
  parent: z.string().nullable().describe('Slug of the parent category, or null at the top'),
  group: z.string().nullable().describe('The group whose ro lets customer users read its customer articles (null: every customer user)'),
  position: z.number().int(),
  comment: z.string(),
  validity: z.enum(VALIDITIES),
  version: z.number().int().describe('Also in the ETag header; send it back as If-Match or version to refuse stale edits'),
  path: z.array(z.string()).describe('Slugs from the top down to this category'),
});

export const presentCategory = (c: CategoryView): z.output<typeof categorySchema> => ({
  slug: c.slug,
  name: c.name,
  parent: c.parent,
  group: c.group,
  position: c.position,
  comment: c.comment,
  validity: c.validity,
  version: c.version,
  path: c.path,
});

export const categoryListItemSchema = z.object({
  slug: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  position: z.number().int(),
  path: z.array(z.string()),
  count: z.number().int().describe('Published articles the caller may read here and below'),
  group: z.string().nullable().optional().describe('Staff only'),
  comment: z.string().optional().describe('Staff only'),
  validity: z.enum(VALIDITIES).optional().describe('Staff only'),
  version: z.number().int().optional().describe('Staff only'),
});

export function presentCategoryListItem(entry: { category: Category; path: string[]; count: number }, staff: boolean): z.output<typeof categoryListItemSchema> {
  const { category: c, path } = entry;
  const item = { slug: c.slug, name: c.name, parent: path.length > 1 ? (path[path.length - 2] ?? null) : null, position: c.position, path, count: entry.count };
  return staff ? { ...item, group: c.group, comment: c.comment, validity: c.validity, version: c.version } : item;
}

/** What every article listing shows of an article. */
const articleHitFields = {
  id: z.number().int(),
  slug: z.string(),
  language: z.enum(FAQ_LANGUAGES),
  category: z.string(),
  title: z.string(),
  summary: z.string(),
};

export const articleListItemSchema = z.object({
  ...articleHitFields,
  state: z.enum(ARTICLE_STATES),
  visibility: z.enum(VISIBILITIES),
  updatedAt: z.string(),
  views: z.number().int(),
  url: z.string(),
});

export const presentArticleListItem = (hit: ArticleHit & { category: string }, base: string): z.output<typeof articleListItemSchema> => ({
  id: hit.id,
  slug: hit.slug,
  language: hit.language,
  category: hit.category,
  title: hit.title,
  summary: hit.summary,
  state: hit.state,
  visibility: hit.visibility,
  updatedAt: hit.updatedAt,
  views: hit.views,
  url: articleUrl(base, hit.category, hit.slug),
});

/** Fields only staff get; readers' answers leave them out. */
const staffOnly = <T extends z.ZodType>(schema: T, what: string) => schema.optional().describe(`${what} (staff only)`);

export const articleSchema = z.object({
  id: z.number().int(),
  slug: z.string().describe('Shared by the translations of an article'),
  language: z.enum(FAQ_LANGUAGES),
  category: z.string().describe('Category slug'),
  title: z.string(),
  summary: z.string(),
  keywords: z.array(z.string()),
  body: staffOnly(z.string(), 'Markdown as written'),
  html: z.string().describe('The body rendered once on save: safe HTML (raw HTML off, links checked)'),
  state: z.enum(ARTICLE_STATES),
  visibility: z.enum(VISIBILITIES),
  customers: staffOnly(z.array(z.string()), 'Customer IDs the article is limited to ([]: not limited)'),
  services: z.array(z.string()),
  createdBy: staffOnly(z.string(), 'Name of the author'),
  updatedBy: staffOnly(z.string(), 'Name of who saved the latest version'),
  approvedBy: staffOnly(z.string().nullable(), 'Name of who published it'),
  reviewComment: staffOnly(z.string().nullable(), 'Why the last review sent it back'),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  version: z.number().int().describe('Also in the ETag header; send it back as If-Match or version to refuse stale edits'),
  views: z.number().int(),
  helpful: z.object({ yes: z.number().int(), no: z.number().int() }),
  translations: z.array(z.object({ id: z.number().int(), language: z.string(), title: z.string() })).describe('Other languages of this slug the caller may read'),
  url: z.string().describe('The reader page, /faq/<category>/<slug>'),
});

/** Readers see the published text; who wrote it, the markdown and the customer limit are the editors' business. */
export function presentArticle(d: ArticleDetail, staff: boolean, base: string): z.output<typeof articleSchema> {
  const a = d.article;
  const common = {
    id: a.id,
    slug: a.slug,
    language: a.language,
    category: d.category,
    title: a.title,
    summary: a.summary,
    keywords: a.keywords,
    html: a.bodyHtml,
    state: a.state,
    visibility: a.visibility,
    services: d.services,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    version: a.version,
    views: d.stats.views,
    helpful: { yes: d.stats.helpfulYes, no: d.stats.helpfulNo },
    translations: d.translations,
    url: articleUrl(base, d.category, a.slug),
  };
  if (!staff) return common;
  return {
    ...common,
    body: a.bodyMd,
    customers: d.customers,
    createdBy: a.createdBy.name,
    updatedBy: a.updatedBy.name,
    approvedBy: a.approvedBy?.name ?? null,
    reviewComment: a.reviewComment,
  };
}

export const searchHitSchema = z.object({
  ...articleHitFields,
  snippet: z.string().describe('Safe HTML: escaped text with <mark> around the words that matched'),
  url: z.string(),
  score: z.number().describe('Relevance; higher is better, comparable within one answer only'),
});

export const searchResultSchema = listOf(searchHitSchema).extend({
  capped: z.boolean().describe('The engine had more candidates than are ranked: total is a lower bound; add words'),
});

export const presentSearchHit = (hit: ReaderHit, base: string): z.output<typeof searchHitSchema> => ({
  id: hit.id,
  slug: hit.slug,
  language: hit.language,
  category: hit.category,
  title: hit.title,
  summary: hit.summary,
  snippet: hit.snippet ?? '',
  url: articleUrl(base, hit.category, hit.slug),
  score: hit.score ?? 0,
});

export const suggestionSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  url: z.string(),
  language: z.enum(FAQ_LANGUAGES),
});

export const suggestionsSchema = z.object({ items: z.array(suggestionSchema) });

export const presentSuggestion = (hit: ReaderHit, base: string): z.output<typeof suggestionSchema> => ({
  id: hit.id,
  title: hit.title,
  summary: hit.summary,
  url: articleUrl(base, hit.category, hit.slug),
  language: hit.language,
});

const versionFields = {
  number: z.number().int(),
  title: z.string(),
  summary: z.string(),
  keywords: z.array(z.string()),
  category: z.string().describe('Category slug at the time'),
  visibility: z.enum(VISIBILITIES),
  state: z.enum(ARTICLE_STATES).describe('State right after this save'),
  author: z.string().describe('Name of who saved it'),
  note: z.string().nullable(),
  createdAt: z.string(),
};

export const versionListItemSchema = z.object(versionFields);
export const versionSchema = z.object({ ...versionFields, body: z.string().describe('Markdown of this version') });

export const presentVersionListItem = (v: ArticleVersion): z.output<typeof versionListItemSchema> => ({
  number: v.number,
  title: v.title,
  summary: v.summary,
  keywords: v.keywords,
  category: v.category,
  visibility: v.visibility,
  state: v.state,
  author: v.author.name,
  note: v.note,
  createdAt: v.createdAt,
});

export const presentVersion = (v: ArticleVersion): z.output<typeof versionSchema> => ({ ...presentVersionListItem(v), body: v.bodyMd });

export const diffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  changes: z
    .array(
      z.object({
        field: z.enum(['title', 'summary', 'keywords', 'category', 'visibility', 'body']),
        parts: z.array(z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() })),
      }),
    )
    .describe('Only the fields that differ: short ones word by word, the body line by line'),
});

export const presentDiff = (from: number, to: number, changes: FieldDiff[]): z.output<typeof diffSchema> => ({ from, to, changes });

export const gapSchema = z.object({
  id: z.number().int(),
  query: z.string().describe('The words as first typed'),
  language: z.string(),
  searches: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
});

export const presentGap = (g: ContentGap): z.output<typeof gapSchema> => ({ id: g.id, query: g.query, language: g.language, searches: g.searches, firstAt: g.firstAt, lastAt: g.lastAt });

export const previewResultSchema = z.object({ html: z.string().describe('Safe HTML, as a save would store it') });
