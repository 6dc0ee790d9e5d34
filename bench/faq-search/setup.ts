/**
 * Before the generated articles: an admin, the groups kb/categories.yaml names, the shipped kb/ imported
 * the way `loket kb import` does it (published at once, versions and audit included), then the generated
 * category tree through the category service.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cliSubject } from '../../plugin/audit/service.js';
import { readKbDirectory } from '../../plugin/faq/kb/files.js';
import type { LoketInternals } from '../../plugin/loket.js';
import { packageRoot } from '../../plugin/paths.js';
import { GENERATED_CATEGORIES, KB_GROUPS } from './categories.js';

export interface KnowledgeBaseSetup {
  /** Ids of GENERATED_CATEGORIES, in their order. */
  categoryIds: number[];
  kb: { created: number; invalid: number; categories: number; seconds: number };
}

export async function setUpKnowledgeBase(loket: LoketInternals): Promise<KnowledgeBaseSetup> {
  const { services } = loket.container;
  const login = `bench-admin-${randomBytes(4).toString('hex')}`;
  const { agent } = await services.agents.createFromOperator(
    { login, email: `${login}@example.test`, role: 'admin', password: `pw-${randomBytes(12).toString('hex')}`, firstName: 'Bench', lastName: 'Admin' },
    cliSubject(),
  );
  const admin = await services.actors.resolve({ type: 'agent', id: agent.id }, 'session');
  if (!admin) throw new Error('the bench admin did not resolve to an actor');
  for (const name of KB_GROUPS) await services.groups.create(admin, { name }, cliSubject());

  const started = performance.now();
  const report = await services.kb.importFromOperator(await readKbDirectory(join(packageRoot, 'kb')), cliSubject());
  const seconds = (performance.now() - started) / 1000;
  const invalid = report.articles.invalid.length + report.categories.invalid.length;
  if (invalid > 0 || report.articles.created.length === 0) {
    throw new Error(`importing kb/ went wrong: ${JSON.stringify({ created: report.articles.created.length, invalid: [...report.categories.invalid, ...report.articles.invalid] })}`);
  }

  for (const c of GENERATED_CATEGORIES) {
    await services.faqCategories.create(admin, { slug: c.slug, name: c.name, group: null, ...(c.parent ? { parent: c.parent } : {}) }, cliSubject());
  }
  const tree = await services.faqCategories.tree();
  return {
    categoryIds: GENERATED_CATEGORIES.map((c) => tree.bySlug.get(c.slug)!.id),
    kb: { created: report.articles.created.length, invalid, categories: report.categories.created.length, seconds },
  };
}
