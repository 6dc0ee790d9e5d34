import type { GroupStore } from '../../access/groups/store.js';
import type { AuditService, AuditSubject } from '../../audit/service.js';
import type { RunInTransaction } from '../../db/transaction.js';
import { toDbTime } from '../../db/values.js';
import { articleSnapshot, buildContent, versionOf } from '../article-service.js';
import type { ArticleStore } from '../article-store.js';
import { CategoryTree } from '../category-service.js';
import type { CategoryStore, CategoryValues } from '../category-store.js';
import type { MarkdownRenderer } from '../markdown/renderer.js';
import type { Article, Person } from '../schema.js';
import type { KbArticle, KbCategory, Parsed } from './format.js';

export type KbOutcome = 'created' | 'updated' | 'unchanged' | 'invalid';

export interface KbReport {
  categories: { created: string[]; updated: string[]; unchanged: string[]; invalid: { slug: string; reason: string }[] };
  articles: Record<Exclude<KbOutcome, 'invalid'>, string[]> & { invalid: { file: string; reason: string }[] };
}

export interface KbInput {
  categories: Parsed<KbCategory[]> | null;
  articles: { file: string; parsed: Parsed<KbArticle> }[];
}

const sameArticle = (a: Article, k: KbArticle, categoryId: number): boolean =>
  a.state === 'published' &&
  a.categoryId === categoryId &&
  a.title === k.title &&
  a.summary === k.summary &&
  a.bodyMd === k.body &&
  a.visibility === k.visibility &&
  JSON.stringify(a.keywords) === JSON.stringify(k.keywords);

/**
 * kb/ as code: the operator imports reviewed files (from the command line or the first start), so an
 * imported article is published at once, with a version and an audit entry naming the import. Upserts by
 * slug + language; running it twice changes nothing the second time.
 */
export function createKbService(deps: { articles: ArticleStore; categories: CategoryStore; groups: GroupStore; renderer: MarkdownRenderer; audit: AuditService; transaction: RunInTransaction }) {
  async function importCategories(input: KbInput['categories'], report: KbReport, subject: AuditSubject): Promise<void> {
    if (input === null) return;
    if (!input.ok) {
      report.categories.invalid.push({ slug: 'categories.yaml', reason: input.reason });
      return;
    }
    // Parents first: a category may name a parent listed further down.
    const pending = [...input.value];
    for (let pass = 0; pending.length && pass <= pending.length; pass++) {
      const tree = new CategoryTree(await deps.categories.all());
      const ready = pending.filter((c) => c.parent === undefined || tree.bySlug.has(c.parent));
      if (!ready.length) break;
      for (const entry of ready) {
        pending.splice(pending.indexOf(entry), 1);
        await upsertCategory(entry, new CategoryTree(await deps.categories.all()), report, subject);
      }
    }
    for (const entry of pending) report.categories.invalid.push({ slug: entry.slug, reason: `unknown parent category ${entry.parent ?? ''}` });
  }

  async function upsertCategory(entry: KbCategory, tree: CategoryTree, report: KbReport, subject: AuditSubject): Promise<void> {
    const group = entry.group === undefined ? null : await deps.groups.groups.findByName(entry.group);
    if (entry.group !== undefined && !group) {
      report.categories.invalid.push({ slug: entry.slug, reason: `unknown group ${entry.group}` });
      return;
    }
    const values: Required<Omit<CategoryValues, 'slug' | 'comment' | 'validity'>> = {
      name: entry.name,
      parent_id: entry.parent === undefined ? null : tree.bySlug.get(entry.parent)!.id,
      group_id: group?.id ?? null,
      position: entry.position ?? 0,
    };
    const current = tree.bySlug.get(entry.slug);
    await deps.transaction(async (tx) => {
      if (!current) {
        const id = await deps.categories.insert({ slug: entry.slug, comment: '', validity: 'valid', ...values }, tx);
        await deps.audit.record(subject, { action: 'faq-category.import', objectType: 'faq-category', objectId: id, after: entry }, tx);
        report.categories.created.push(entry.slug);
        return;
      }
      if (current.name === values.name && current.parentId === values.parent_id && current.groupId === values.group_id && current.position === values.position) {
        report.categories.unchanged.push(entry.slug);
        return;
      }
      await deps.categories.update(current.id, values, current.version, tx);
      await deps.audit.record(subject, { action: 'faq-category.import', objectType: 'faq-category', objectId: current.id, before: tree.view(current), after: entry }, tx);
      report.categories.updated.push(entry.slug);
    });
  }

  async function upsertArticle(file: string, entry: KbArticle, tree: CategoryTree, author: Person, subject: AuditSubject): Promise<KbOutcome | { invalid: string }> {
    const category = tree.bySlug.get(entry.category);
    if (!category) return { invalid: `unknown category ${entry.category}` };
    const current = await deps.articles.findBySlug(entry.slug, entry.language);
    if (current && sameArticle(current, entry, category.id)) return 'unchanged';
    let content;
    try {
      content = await buildContent(deps.renderer, entry, category.id, current?.limited ?? false, current ?? undefined);
    } catch (err) {
      return { invalid: (err as Error).message };
    }
    const now = toDbTime();
    return deps.transaction(async (tx) => {
      if (!current) {
        const id = await deps.articles.insert({ slug: entry.slug, language: entry.language, state: 'published', author, publishedAt: now, ...content }, tx);
        const created = (await deps.articles.findById(id, tx))!;
        await deps.articles.addVersion(id, versionOf(created, entry.category, 1, author, `imported from ${file}`), tx);
        await deps.audit.record(subject, { action: 'faq.import', objectType: 'faq-article', objectId: id, after: articleSnapshot(created) }, tx);
        return 'created';
      }
      const number = await deps.articles.updateContent(current.id, content, { state: 'published', published_at: current.publishedAt ?? now, review_comment: null }, author, current.version, tx);
      const updated = (await deps.articles.findById(current.id, tx))!;
      await deps.articles.addVersion(current.id, versionOf(updated, entry.category, number, author, `imported from ${file}`), tx);
      await deps.audit.record(subject, { action: 'faq.import', objectType: 'faq-article', objectId: current.id, before: articleSnapshot(current), after: articleSnapshot(updated) }, tx);
      return 'updated';
    });
  }

  return {
    async importFromOperator(input: KbInput, subject: AuditSubject, onProgress?: (done: number, total: number) => void): Promise<KbReport> {
      const report: KbReport = {
        categories: { created: [], updated: [], unchanged: [], invalid: [] },
        articles: { created: [], updated: [], unchanged: [], invalid: [] },
      };
      await importCategories(input.categories, report, subject);
      const tree = new CategoryTree(await deps.categories.all());
      const author: Person = { key: `${subject.kind}:${subject.login}`.slice(0, 64), name: `kb import (${subject.login})`.slice(0, 200) };
      const seen = new Set<string>();
      let done = 0;
      for (const { file, parsed } of input.articles) {
        if (!parsed.ok) report.articles.invalid.push({ file, reason: parsed.reason });
        else {
          const key = `${parsed.value.slug}.${parsed.value.language}`;
          const outcome = seen.has(key) ? { invalid: `a second file for ${parsed.value.slug} in ${parsed.value.language}` } : await upsertArticle(file, parsed.value, tree, author, subject);
          seen.add(key);
          if (typeof outcome === 'object') report.articles.invalid.push({ file, reason: outcome.invalid });
          else report.articles[outcome as Exclude<KbOutcome, 'invalid'>].push(file);
        }
        onProgress?.(++done, input.articles.length);
      }
      return report;
    },

    /** Published articles and the category tree, in the kb/ format. */
    async exportAll(onArticle?: () => void): Promise<{ categories: KbCategory[]; articles: KbArticle[] }> {
      const tree = new CategoryTree(await deps.categories.all());
      const categories = tree.all.map((c) => ({ slug: c.slug, name: c.name, parent: c.parentId === null ? undefined : tree.byId.get(c.parentId)?.slug, group: c.group ?? undefined, position: c.position }));
      const articles: KbArticle[] = [];
      for (let after = 0; ; ) {
        const page = await deps.articles.publishedAfter(after, 500);
        if (!page.length) break;
        for (const a of page) {
          articles.push({ slug: a.slug, title: a.title, category: tree.byId.get(a.categoryId)?.slug ?? '', language: a.language, keywords: a.keywords, visibility: a.visibility, summary: a.summary, body: a.bodyMd });
          onArticle?.();
        }
        after = page[page.length - 1]!.id;
      }
      return { categories, articles };
    },
  };
}

export type KbService = ReturnType<typeof createKbService>;
