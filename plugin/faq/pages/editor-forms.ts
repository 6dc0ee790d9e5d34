import { z } from 'zod';
import { notFound } from '../../errors.js';
import { asList, formText, splitCustomerIds } from '../../customers/pages/form-values.js';
import type { ArticleDetail } from '../article-service.js';
import type { CategoryView } from '../category-service.js';
import { parseInput } from '../../web/validate.js';
import { ARTICLE_STATES, FAQ_LANGUAGES, VISIBILITIES } from '../schema.js';

/**
 * Query strings and form bodies of the editor screens, parsed at the edge. Each value must be one string
 * (a repeated name where one belongs is a 400); what the values mean is the services' to check, so a
 * refusal names the service's field and the form shows it there.
 */

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(blankToUndefined, z.enum(values).optional());
const pageNumber = z.preprocess(blankToUndefined, z.string().regex(/^\d{1,7}$/, 'expected a page number').transform(Number).pipe(z.number().int().min(1)).default(1));
const versionField = z.string().regex(/^\d{1,12}$/, 'expected a version number').transform(Number);

export const idParam = z.string().regex(/^\d{1,12}$/).transform(Number);

/** The article id in a path; anything else names no article (404, like an id that does not exist). */
export function articleIdOf(value: unknown): number {
  const parsed = idParam.safeParse(value);
  if (!parsed.success) throw notFound('No such FAQ article.');
  return parsed.data;
}

export const articleListQuery = z.object({
  state: optionalEnum(ARTICLE_STATES),
  language: optionalEnum(FAQ_LANGUAGES),
  category: z.preprocess(blankToUndefined, formText(80).optional()),
  visibility: optionalEnum(VISIBILITIES),
  page: pageNumber,
});
export type ArticleListQuery = z.output<typeof articleListQuery>;

export const pageQuery = z.object({ page: pageNumber });
export const gapsQuery = z.object({ language: optionalEnum(FAQ_LANGUAGES), page: pageNumber });

/** `?slug=&language=&title=&category=`: a new article prefilled from a content gap or "Add translation". */
export const newArticleQuery = z.object({
  slug: formText(200).default(''),
  language: formText(10).default(''),
  title: formText(500).default(''),
  category: formText(200).default(''),
});

export const diffQuery = z.object({ from: versionField, to: versionField });

/** A checkbox group: absent, one string or several. */
const checkboxes = z.union([formText(200), z.array(formText(200)).max(5000)]).optional().transform(asList);

const articleFormSchema = z.object({
  slug: formText(200).default(''),
  language: formText(10).default(''),
  title: formText(1000).default(''),
  summary: formText(5000).default(''),
  keywords: formText(10_000).default(''),
  category: formText(200).default(''),
  visibility: formText(20).default('internal'),
  customers: formText(50_000).default(''),
  service: checkboxes,
  body: formText(200_000).default(''),
  note: formText(2000).default(''),
  version: versionField.optional(),
  intent: z.enum(['save', 'preview']).default('save'),
});

/** The article form as typed: lists stay text until they are sent, so a refused form shows them as typed. */
export interface ArticleForm {
  slug: string;
  language: string;
  title: string;
  summary: string;
  keywords: string;
  category: string;
  visibility: string;
  customers: string;
  services: string[];
  body: string;
  note: string;
  version: number | undefined;
}

export function parseArticleForm(body: unknown): { form: ArticleForm; intent: 'save' | 'preview' } {
  const { service, intent, version, ...rest } = parseInput(articleFormSchema, body);
  return { form: { ...rest, version, services: [...new Set(service)] }, intent };
}

export const emptyArticleForm = (prefill: Partial<ArticleForm> = {}): ArticleForm => ({
  slug: '',
  language: '',
  title: '',
  summary: '',
  keywords: '',
  category: '',
  visibility: 'internal',
  customers: '',
  services: [],
  body: '',
  note: '',
  version: undefined,
  ...prefill,
});

export const articleFormOf = (d: ArticleDetail): ArticleForm => ({
  slug: d.article.slug,
  language: d.article.language,
  title: d.article.title,
  summary: d.article.summary,
  keywords: d.article.keywords.join(', '),
  category: d.category,
  visibility: d.article.visibility,
  customers: d.customers.join(', '),
  services: d.services,
  body: d.article.bodyMd,
  note: '',
  version: d.article.version,
});

/** Keywords typed with commas between them; empty entries dropped. */
const splitKeywords = (text: string): string[] => text.split(',').map((k) => k.trim()).filter((k) => k !== '');

/** The content a save sends to the article service (create adds slug and language). */
export function articleContentOf(form: ArticleForm) {
  return {
    title: form.title,
    summary: form.summary,
    body: form.body,
    category: form.category,
    keywords: splitKeywords(form.keywords),
    visibility: form.visibility,
    customers: splitCustomerIds(form.customers),
    services: form.services,
  };
}

export const rejectForm = z.object({ comment: formText(5000).default('') });
export const approveForm = z.object({ version: versionField.optional() });

/** The category forms: create (slug, name, parent, group, position) and edit (the rest, with validity). */
const categoryFormSchema = z.object({
  slug: formText(200).default(''),
  name: formText(1000).default(''),
  parent: formText(200).default(''),
  group: formText(200).default(''),
  position: formText(20).default('0'),
  validity: formText(40).default('valid'),
  version: versionField.optional(),
});
export type CategoryForm = z.output<typeof categoryFormSchema>;

export const parseCategoryForm = (body: unknown): CategoryForm => parseInput(categoryFormSchema, body);
export const emptyCategoryForm = (): CategoryForm => categoryFormSchema.parse({});
export const categoryFormOf = (c: CategoryView): CategoryForm => ({
  slug: c.slug,
  name: c.name,
  parent: c.parent ?? '',
  group: c.group ?? '',
  position: String(c.position),
  validity: c.validity,
  version: c.version,
});

/** A whole number stays a number; anything else goes through as typed, for the service to refuse by name. */
const positionOf = (text: string): number | string => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text);

export function categoryInputOf(form: CategoryForm, mode: 'create' | 'edit') {
  const common = { name: form.name, parent: form.parent === '' ? null : form.parent, group: form.group === '' ? null : form.group, position: positionOf(form.position) };
  return mode === 'create' ? { slug: form.slug, ...common } : { ...common, validity: form.validity };
}
