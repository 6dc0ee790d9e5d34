import type { Actor } from '../access/actor.js';
import { principalKey } from '../access/actor.js';
import { audienceAllows, requireIndependentApprover } from '../access/faq-access.js';
import { can, requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import { normaliseForSearch } from '../customers/search-terms.js';
import type { RunInTransaction, Tx } from '../db/transaction.js';
import { toDbTime } from '../db/values.js';
import { conflict, notFound, ruleViolation } from '../errors.js';
import { parseInput } from '../web/validate.js';
import type { ArticleContent, ArticleStore, StateChange } from './article-store.js';
import type { CategoryService, CategoryTree } from './category-service.js';
import { lineDiff, type FieldDiff } from './diff.js';
import type { MarkdownRenderer } from './markdown/renderer.js';
import type { ReadingStore } from './reading-store.js';
import { articleCreateSchema, articlePatchSchema, reviewSchema, type Article, type ArticleCreate, type ArticleHit, type ArticleState, type ArticleStats, type ArticleVersion, type FaqLanguage, type Person, type Visibility } from './schema.js';

/** An article with everything its pages and the API show. */
export interface ArticleDetail {
  article: Article;
  category: string;
  customers: string[];
  services: string[];
  stats: ArticleStats;
  /** Other languages of the same slug the reader may read. */
  translations: { id: number; language: string; title: string }[];
}

export const personOf = (actor: Actor): Person => ({ key: principalKey(actor.principal), name: actor.displayName });

/** Who sent the article to review and when (null: nobody, it left review). */
const submission = (who: Person | null) => ({ submitted_by: who?.key ?? null, submitted_by_name: who?.name ?? null, submitted_at: who ? toDbTime() : null });

/** The folded text the full-text index reads: title with keywords, then summary with body. */
export const searchColumns = (a: { title: string; keywords: readonly string[]; summary: string; bodyText: string }) => ({
  searchTitle: normaliseForSearch(`${a.title} ${a.keywords.join(' ')}`),
  searchBody: normaliseForSearch(`${a.summary} ${a.bodyText}`),
});

export const versionOf = (a: Article, categorySlug: string, number: number, author: Person, note: string | null): Omit<ArticleVersion, 'createdAt'> => ({
  number,
  title: a.title,
  summary: a.summary,
  keywords: a.keywords,
  bodyMd: a.bodyMd,
  category: categorySlug,
  visibility: a.visibility,
  state: a.state,
  author,
  note,
});

export type ContentInput = Pick<ArticleCreate, 'title' | 'summary' | 'body' | 'keywords' | 'visibility'>;

/** Renders (unless the body is unchanged) and folds an article's content the way every save stores it. */
export async function buildContent(renderer: MarkdownRenderer, input: ContentInput, categoryId: number, limited: boolean, previous?: Article): Promise<ArticleContent> {
  const rendered = previous?.bodyMd === input.body ? { html: previous.bodyHtml, text: previous.bodyText } : await renderer.render(input.body);
  return {
    categoryId,
    title: input.title,
    summary: input.summary,
    keywords: input.keywords,
    bodyMd: input.body,
    bodyHtml: rendered.html,
    bodyText: rendered.text,
    ...searchColumns({ title: input.title, keywords: input.keywords, summary: input.summary, bodyText: rendered.text }),
    visibility: input.visibility,
    limited,
  };
}

export const articleSnapshot = (a: Article) => ({ slug: a.slug, language: a.language, title: a.title, state: a.state, visibility: a.visibility, version: a.version });

interface Lookups {
  /** Exact customer IDs that exist, of those given. */
  existingCustomerIds(ids: readonly string[]): Promise<string[]>;
  /** Service ids by name; unknown names are missing from the map. */
  serviceIds(names: readonly string[], tx: Tx): Promise<Map<string, number>>;
}

/**
 * Writing the knowledge base: drafts, edits (each a version), review by somebody else, publishing,
 * archiving. Every step is audited in the step's transaction.
 */
export interface ArticleListFilter {
  state?: ArticleState | undefined;
  language?: FaqLanguage | undefined;
  category?: string | undefined;
  visibility?: Visibility | undefined;
  /** Newest change first (default), or longest waiting in review first. */
  order?: 'updated' | 'submitted' | undefined;
  limit: number;
  offset: number;
}

export function createArticleService(deps: { store: ArticleStore; reading: ReadingStore; categories: CategoryService; renderer: MarkdownRenderer; lookups: Lookups; audit: AuditService; transaction: RunInTransaction }) {
  const { store } = deps;

  function categoryIdOf(slug: string, tree: CategoryTree): number {
    const category = tree.bySlug.get(slug);
    if (!category) throw ruleViolation(`There is no FAQ category ${slug}.`, 'category', 'unknown_category');
    return category.id;
  }

  async function checkedCustomers(ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = new Set(await deps.lookups.existingCustomerIds(unique));
    const missing = unique.find((id) => !found.has(id));
    if (missing !== undefined) throw ruleViolation(`There is no customer ${missing}.`, 'customers', 'unknown_customer');
    return unique.sort();
  }

  async function checkedServices(names: readonly string[], tx: Tx): Promise<number[]> {
    const ids = await deps.lookups.serviceIds([...new Set(names)], tx);
    const missing = names.find((n) => !ids.has(n));
    if (missing !== undefined) throw ruleViolation(`There is no service ${missing}.`, 'services', 'unknown_service');
    return [...ids.values()];
  }

  const content = (input: ContentInput, categoryId: number, limited: boolean, previous?: Article) => buildContent(deps.renderer, input, categoryId, limited, previous);

  async function load(id: number, tx?: Tx): Promise<Article> {
    const article = await store.findById(id, tx);
    if (!article) throw notFound('No such FAQ article.');
    return article;
  }

  const snapshot = articleSnapshot;

  async function step(actor: Actor, id: number, subject: AuditSubject, spec: { from: readonly ArticleState[]; action: string; change: (a: Article) => StateChange; check?: (a: Article) => void; expectedVersion?: number | undefined }): Promise<Article> {
    return deps.transaction(async (tx) => {
      const article = await load(id, tx);
      if (!spec.from.includes(article.state)) throw ruleViolation(`An article in state ${article.state} cannot be ${spec.action}.`, 'state', 'invalid_transition');
      if (spec.expectedVersion !== undefined && spec.expectedVersion !== article.version) throw conflict('The article changed since you read it; review the new version.', 'version', 'version_conflict');
      spec.check?.(article);
      await store.changeState(article.id, article.state, spec.change(article), tx);
      const after = await load(id, tx);
      await deps.audit.record(subject, { action: `faq.${spec.action}`, objectType: 'faq-article', objectId: id, before: snapshot(article), after: snapshot(after) }, tx);
      return after;
    });
  }

  return {
    /** The editors' list: every state, newest change first; a category includes its subcategories. */
    async list(actor: Actor, filter: ArticleListFilter): Promise<{ items: (ArticleHit & { category: string })[]; total: number }> {
      requireCapability(actor, 'faq.read-internal');
      const { audience, tree } = await deps.categories.audienceFor(actor);
      const category = filter.category === undefined ? undefined : tree.bySlug.get(filter.category);
      const page = await deps.reading.list(
        {
          audience,
          states: filter.state ? [filter.state] : undefined,
          languages: filter.language ? [filter.language] : undefined,
          categoryIds: filter.category === undefined ? undefined : category ? tree.descendantIds(category.id) : [],
          visibility: filter.visibility,
          limit: filter.limit,
          offset: filter.offset,
        },
        filter.order ?? 'updated',
      );
      return { items: page.items.map((hit) => ({ ...hit, category: tree.byId.get(hit.categoryId)?.slug ?? '' })), total: page.total };
    },

    async create(actor: Actor, input: unknown, subject: AuditSubject): Promise<Article> {
      requireCapability(actor, 'faq.write');
      const values = parseInput(articleCreateSchema, input);
      const tree = await deps.categories.tree();
      const categoryId = categoryIdOf(values.category, tree);
      const customers = await checkedCustomers(values.customers);
      const body = await content(values, categoryId, customers.length > 0);
      const author = personOf(actor);
      return deps.transaction(async (tx) => {
        const serviceIds = await checkedServices(values.services, tx);
        const id = await store.insert({ slug: values.slug, language: values.language, state: 'draft', author, publishedAt: null, ...body }, tx);
        await store.setLimitedTo(id, customers, tx);
        await store.setServices(id, serviceIds, tx);
        const created = await load(id, tx);
        await store.addVersion(id, versionOf(created, values.category, 1, author, null), tx);
        await deps.audit.record(subject, { action: 'faq.create', objectType: 'faq-article', objectId: id, after: snapshot(created) }, tx);
        return created;
      });
    },

    /**
     * Saves a new version. A published article goes back to review (what readers see was approved; a
     * change needs approving again), an archived one back to draft.
     */
    async update(actor: Actor, id: number, input: unknown, subject: AuditSubject, expectedVersion?: number): Promise<Article> {
      requireCapability(actor, 'faq.write');
      const { version, note, customers: customerInput, services: serviceInput, ...patch } = parseInput(articlePatchSchema, input);
      const current = await load(id);
      const tree = await deps.categories.tree();
      const currentCategory = tree.byId.get(current.categoryId)?.slug ?? '';
      const merged = {
        title: patch.title ?? current.title,
        summary: patch.summary ?? current.summary,
        body: patch.body ?? current.bodyMd,
        keywords: patch.keywords ?? current.keywords,
        visibility: patch.visibility ?? current.visibility,
        category: patch.category ?? currentCategory,
      };
      const customers = customerInput === undefined ? undefined : await checkedCustomers(customerInput);
      const categoryId = categoryIdOf(merged.category, tree);
      const limited = customers === undefined ? current.limited : customers.length > 0;
      const body = await content(merged, categoryId, limited, current);
      const author = personOf(actor);
      const state: ArticleState = current.state === 'published' ? 'review' : current.state === 'archived' ? 'draft' : current.state;
      const change: StateChange = state === current.state ? { state } : { state, ...submission(state === 'review' ? author : null), review_comment: null };
      return deps.transaction(async (tx) => {
        const serviceIds = serviceInput === undefined ? undefined : await checkedServices(serviceInput, tx);
        const number = await store.updateContent(id, body, change, author, expectedVersion ?? version ?? current.version, tx);
        if (customers !== undefined) await store.setLimitedTo(id, customers, tx);
        if (serviceIds !== undefined) await store.setServices(id, serviceIds, tx);
        const updated = await load(id, tx);
        await store.addVersion(id, versionOf(updated, merged.category, number, author, note ?? null), tx);
        await deps.audit.record(subject, { action: 'faq.update', objectType: 'faq-article', objectId: id, before: snapshot(current), after: snapshot(updated) }, tx);
        return updated;
      });
    },

    submit(actor: Actor, id: number, subject: AuditSubject): Promise<Article> {
      requireCapability(actor, 'faq.write');
      return step(actor, id, subject, { from: ['draft'], action: 'submit', change: () => ({ state: 'review', ...submission(personOf(actor)), review_comment: null }) });
    },

    /** Publishes what the approver read: `version` (when given) must still be the current one. */
    approve(actor: Actor, id: number, subject: AuditSubject, version?: number): Promise<Article> {
      requireCapability(actor, 'faq.approve');
      const approver = personOf(actor);
      return step(actor, id, subject, {
        from: ['review'],
        action: 'publish',
        expectedVersion: version,
        check: (a) => requireIndependentApprover(actor, a, approver.key),
        change: (a) => ({ state: 'published', approved_by: approver.key, approved_by_name: approver.name, published_at: a.publishedAt ?? toDbTime(), review_comment: null }),
      });
    },

    reject(actor: Actor, id: number, input: unknown, subject: AuditSubject): Promise<Article> {
      requireCapability(actor, 'faq.approve');
      const { comment } = parseInput(reviewSchema, input);
      const approver = personOf(actor);
      return step(actor, id, subject, { from: ['review'], action: 'reject', check: (a) => requireIndependentApprover(actor, a, approver.key), change: () => ({ state: 'draft', review_comment: comment || null }) });
    },

    archive(actor: Actor, id: number, subject: AuditSubject): Promise<Article> {
      requireCapability(actor, 'faq.write');
      return step(actor, id, subject, { from: ['draft', 'review', 'published'], action: 'archive', change: () => ({ state: 'archived' }) });
    },

    /** One article with its relations, if the actor may read it (404 otherwise: its existence stays private). */
    async detail(actor: Actor | null, id: number): Promise<ArticleDetail> {
      const article = await store.findById(id);
      if (!article) throw notFound('No such FAQ article.');
      return this.detailOf(actor, article);
    },

    async detailOf(actor: Actor | null, article: Article): Promise<ArticleDetail> {
      const { audience, tree } = await deps.categories.audienceFor(actor);
      const customers = await store.limitedTo(article.id);
      if (!audienceAllows(audience, article, customers)) throw notFound('No such FAQ article.');
      const [services, stats, translations] = await Promise.all([store.services(article.id), store.stats(article.id), store.translations(article.slug)]);
      const readable = await Promise.all(translations.filter((t) => t.id !== article.id).map(async (t) => (audienceAllows(audience, t, await store.limitedTo(t.id)) ? t : null)));
      return {
        article,
        category: tree.byId.get(article.categoryId)?.slug ?? '',
        // Which other customers an article is limited to is the editors' business only.
        customers: can(actor, 'faq.read-internal') ? customers : [],
        services,
        stats,
        translations: readable.filter((t) => t !== null).map((t) => ({ id: t.id, language: t.language, title: t.title })),
      };
    },

    async versions(actor: Actor, id: number): Promise<{ article: Article; versions: ArticleVersion[] }> {
      requireCapability(actor, 'faq.read-internal');
      return { article: await load(id), versions: await store.versions(id) };
    },

    /** What changed between two versions, field by field (bodies line by line). */
    async diff(actor: Actor, id: number, from: number, to: number): Promise<{ article: Article; from: ArticleVersion; to: ArticleVersion; changes: FieldDiff[] }> {
      requireCapability(actor, 'faq.read-internal');
      const article = await load(id);
      const [a, b] = await Promise.all([store.version(id, from), store.version(id, to)]);
      if (!a || !b) throw notFound('No such version of this article.');
      return { article, from: a, to: b, changes: lineDiff(a, b) };
    },

    /** Renders markdown exactly as a save would, for the editor's live preview. */
    async preview(actor: Actor, body: string): Promise<{ html: string }> {
      requireCapability(actor, 'faq.write');
      return { html: (await deps.renderer.render(body)).html };
    },
  };
}

export type ArticleService = ReturnType<typeof createArticleService>;
