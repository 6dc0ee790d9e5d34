import { z } from 'zod';
import { VALIDITIES, type Validity } from '../agents/schema.js';
import { groupNameSchema, serviceNameSchema } from '../access/groups/schema.js';
import { LANGUAGES } from '../i18n/index.js';

export const FAQ_LANGUAGES = LANGUAGES;
export type FaqLanguage = (typeof FAQ_LANGUAGES)[number];
export const ARTICLE_STATES = ['draft', 'review', 'published', 'archived'] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];
export const VISIBILITIES = ['internal', 'customer', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** URL segments: lower-case letters, digits and single dashes. */
export const slugSchema = z
  .string()
  .trim()
  .min(3)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes');

const printable = (max: number) => z.string().trim().max(max).regex(/^[^\p{Cc}]*$/u, 'no control characters');
const keywordSchema = z.string().trim().min(1).max(60).regex(/^[^\p{C},]+$/u, 'no control characters or commas');
const customerIdSchema = z.string().min(1).max(150);

/** Paths under /faq that are pages of their own, never a category. */
const RESERVED_CATEGORY_SLUGS = ['search', 'manage', 'feed', 'suggest'];

const categoryFields = {
  name: printable(150).min(1),
  parent: slugSchema.nullable(),
  group: groupNameSchema.nullable(),
  position: z.number().int().min(0).max(100_000),
  comment: printable(2000),
  validity: z.enum(VALIDITIES),
};

export const categoryCreateSchema = z.strictObject({
  slug: slugSchema.refine((slug) => !RESERVED_CATEGORY_SLUGS.includes(slug), 'this name is reserved for a page'),
  ...categoryFields,
  parent: categoryFields.parent.optional(),
  group: categoryFields.group.optional(),
  position: categoryFields.position.default(0),
  comment: categoryFields.comment.default(''),
  validity: categoryFields.validity.default('valid'),
});
export type CategoryCreate = z.output<typeof categoryCreateSchema>;

/** Only what the request sends changes: no defaults here (a default would reset an unsent field). */
export const categoryPatchSchema = z.strictObject({ ...categoryFields, version: z.number().int().positive() }).partial();
export type CategoryPatch = z.output<typeof categoryPatchSchema>;

/** Markdown bodies: the renderer enforces the size limit with its own 413, so this only bounds the parser. */
const bodySchema = z.string().max(100_000, 'at most 100,000 characters');

const articleFields = {
  title: printable(200).min(1),
  summary: printable(500),
  body: bodySchema,
  category: slugSchema,
  keywords: z.array(keywordSchema).max(30),
  visibility: z.enum(VISIBILITIES),
  customers: z.array(customerIdSchema).max(200),
  services: z.array(serviceNameSchema).max(200),
};

export const articleCreateSchema = z.strictObject({
  slug: slugSchema,
  language: z.enum(FAQ_LANGUAGES),
  ...articleFields,
  summary: articleFields.summary.default(''),
  keywords: articleFields.keywords.default([]),
  visibility: articleFields.visibility.default('internal'),
  customers: articleFields.customers.default([]),
  services: articleFields.services.default([]),
});
export type ArticleCreate = z.output<typeof articleCreateSchema>;

/**
 * Slug and language name the article (and its translations); they never change after creation. Only
 * what the request sends changes: no defaults here.
 */
export const articlePatchSchema = z.strictObject({ ...articleFields, version: z.number().int().positive(), note: printable(500) }).partial();
export type ArticlePatch = z.output<typeof articlePatchSchema>;

export const reviewSchema = z.strictObject({ comment: printable(2000).default('') });

export interface Category {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  groupId: number | null;
  group: string | null;
  position: number;
  comment: string;
  validity: Validity;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Who wrote or approved: the principal key (`agent:3`) and the name at that moment. */
export interface Person {
  key: string;
  name: string;
}

export interface Article {
  id: number;
  slug: string;
  language: FaqLanguage;
  categoryId: number;
  title: string;
  summary: string;
  keywords: string[];
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  state: ArticleState;
  visibility: Visibility;
  limited: boolean;
  createdBy: Person;
  updatedBy: Person;
  submittedBy: Person | null;
  submittedAt: string | null;
  approvedBy: Person | null;
  publishedAt: string | null;
  reviewComment: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ArticleStats {
  views: number;
  helpfulYes: number;
  helpfulNo: number;
}

export interface ArticleVersion {
  number: number;
  title: string;
  summary: string;
  keywords: string[];
  bodyMd: string;
  category: string;
  visibility: Visibility;
  state: ArticleState;
  author: Person;
  note: string | null;
  createdAt: string;
}

/** An article as lists and search show it. */
export interface ArticleHit {
  id: number;
  slug: string;
  language: FaqLanguage;
  categoryId: number;
  title: string;
  summary: string;
  visibility: Visibility;
  state: ArticleState;
  updatedAt: string;
  updatedByName: string;
  submittedByName: string | null;
  submittedAt: string | null;
  views: number;
  score?: number;
  /** Plain body text, only where a snippet is wanted. */
  bodyText?: string;
}
