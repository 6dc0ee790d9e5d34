import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { FAQ_LANGUAGES, VISIBILITIES, slugSchema, type FaqLanguage, type Visibility } from '../schema.js';

/**
 * The kb/ format: one markdown file per article and language, YAML front matter between `---` lines,
 * and `categories.yaml` for the tree. Files are the shipped knowledge base and the export format alike.
 */
export interface KbArticle {
  slug: string;
  title: string;
  category: string;
  language: FaqLanguage;
  keywords: string[];
  visibility: Visibility;
  summary: string;
  body: string;
}

export interface KbCategory {
  slug: string;
  name: string;
  parent?: string | undefined;
  group?: string | undefined;
  position?: number | undefined;
}

const frontMatterSchema = z.strictObject({
  slug: slugSchema,
  title: z.string().trim().min(1).max(200),
  category: slugSchema,
  language: z.enum(FAQ_LANGUAGES),
  keywords: z.union([z.array(z.string().trim().min(1).max(60)).max(30), z.string().max(1000).transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean))]).default([]),
  visibility: z.enum(VISIBILITIES).default('public'),
  summary: z.string().trim().max(500).default(''),
});

const categoriesSchema = z.array(
  z.strictObject({
    slug: slugSchema,
    name: z.string().trim().min(1).max(150),
    parent: slugSchema.optional(),
    group: z.string().trim().min(1).max(100).optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  }),
).max(1000);

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function describe(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid front matter';
  return `${issue.path.length ? issue.path.join('.') : 'front matter'}: ${issue.message}`;
}

export function parseArticleFile(text: string): Parsed<KbArticle> {
  const match = FENCE.exec(text.replace(/^\uFEFF/, ''));
  if (!match) return { ok: false, reason: 'no front matter (the file must start with a --- block)' };
  let data: unknown;
  try {
    data = parse(match[1]!, { maxAliasCount: 10 });
  } catch (err) {
    return { ok: false, reason: `front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const result = frontMatterSchema.safeParse(data ?? {});
  if (!result.success) return { ok: false, reason: describe(result.error.issues) };
  return { ok: true, value: { ...result.data, body: match[2]!.replace(/\s+$/, '') + '\n' } };
}

export function formatArticleFile(article: KbArticle): string {
  const { body, ...front } = article;
  const yaml = stringify({ slug: front.slug, title: front.title, category: front.category, language: front.language, keywords: front.keywords, visibility: front.visibility, summary: front.summary }, { lineWidth: 0, flowCollectionPadding: false, collectionStyle: 'block' });
  return `---\n${yaml}---\n${body.replace(/\s+$/, '')}\n`;
}

export function parseCategoriesFile(text: string): Parsed<KbCategory[]> {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 10 });
  } catch (err) {
    return { ok: false, reason: `categories.yaml is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const result = categoriesSchema.safeParse(data ?? []);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: `categories.yaml: ${describe(result.error.issues)}` };
}

export function formatCategoriesFile(categories: readonly KbCategory[]): string {
  const clean = categories.map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined && v !== null)));
  return `# FAQ categories: slug (URL segment), name, parent (slug), group (whose ro customers need), position\n${stringify(clean, { lineWidth: 0 })}`;
}
