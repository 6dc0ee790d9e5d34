import type { Actor } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { Article } from '../../plugin/faq/schema.js';
import type { TestApp } from './app.js';
import { unique } from './app.js';

/** An actor for an agent account (agents write and approve FAQ articles). */
export async function agentActor(app: TestApp, role: 'agent' | 'admin' = 'agent'): Promise<Actor> {
  const agent = await app.createAgent(role);
  const actor = await app.loket.container.services.actors.resolve({ type: 'agent', id: agent.id }, 'session');
  if (!actor) throw new Error('agent did not resolve');
  return actor;
}

/** A category with a unique slug; `group` binds customer-only articles to that group's `ro`. */
export async function createFaqCategory(app: TestApp, admin: Actor, opts: { group?: string | null; parent?: string; name?: string } = {}): Promise<string> {
  const slug = unique('cat');
  await app.loket.container.services.faqCategories.create(admin, { slug, name: opts.name ?? `Category ${slug}`, group: opts.group ?? null, ...(opts.parent ? { parent: opts.parent } : {}) }, cliSubject());
  return slug;
}

export interface ArticleInput {
  category: string;
  title?: string;
  body?: string;
  summary?: string;
  language?: 'en' | 'nl' | 'nb';
  visibility?: 'internal' | 'customer' | 'public';
  keywords?: string[];
  customers?: string[];
  slug?: string;
}

/** Writes an article as `author`; with `approver` it goes through review and is published. */
export async function createArticle(app: TestApp, author: Actor, input: ArticleInput, approver?: Actor): Promise<Article> {
  const { faqArticles } = app.loket.container.services;
  const created = await faqArticles.create(
    author,
    {
      slug: input.slug ?? unique('art'),
      title: input.title ?? 'An article',
      summary: input.summary ?? '',
      body: input.body ?? 'Some text.',
      language: input.language ?? 'en',
      category: input.category,
      keywords: input.keywords ?? [],
      visibility: input.visibility ?? 'public',
      customers: input.customers ?? [],
    },
    cliSubject(),
  );
  if (!approver) return created;
  await faqArticles.submit(author, created.id, cliSubject());
  return faqArticles.approve(approver, created.id, cliSubject());
}
