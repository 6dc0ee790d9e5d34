import { forbidden } from '../errors.js';
import type { Actor } from './actor.js';
import { can, hasGroupPermission, workingCustomerIds } from './policy.js';

/**
 * Who reads which FAQ articles. Every FAQ path (pages, search, suggestions, feeds, API) asks here, and
 * the store turns the answer into one SQL condition so lists and search never filter after the fact.
 *
 * - Staff (agents, admins): every article in every state, internal ones included.
 * - Everyone else: published articles only. Public ones in valid categories; customer ones when signed
 *   in as a customer user holding `ro` on the category's group (the nearest group up the tree; none
 *   means every customer user), and, when the article is limited to customers, working for one of them.
 */
export type FaqAudience =
  | { kind: 'staff' }
  | { kind: 'readers'; publicCategoryIds: number[]; customerCategoryIds: number[]; customerIds: string[] };

export interface CategoryAccessFacts {
  id: number;
  valid: boolean;
  /** The category's own group, or the nearest ancestor's. */
  effectiveGroup: string | null;
}

export function faqAudience(actor: Actor | null, categories: readonly CategoryAccessFacts[]): FaqAudience {
  if (can(actor, 'faq.read-internal')) return { kind: 'staff' };
  const valid = categories.filter((c) => c.valid);
  if (actor?.kind !== 'customer') return { kind: 'readers', publicCategoryIds: valid.map((c) => c.id), customerCategoryIds: [], customerIds: [] };
  return {
    kind: 'readers',
    publicCategoryIds: valid.map((c) => c.id),
    customerCategoryIds: valid.filter((c) => c.effectiveGroup === null || hasGroupPermission(actor, c.effectiveGroup, 'ro')).map((c) => c.id),
    customerIds: workingCustomerIds(actor),
  };
}

/** The same decision for one stored article (detail pages, API reads, votes). */
export function audienceAllows(
  audience: FaqAudience,
  article: { state: string; visibility: string; categoryId: number; limited: boolean },
  limitedTo: readonly string[],
): boolean {
  if (audience.kind === 'staff') return true;
  if (article.state !== 'published') return false;
  if (article.visibility === 'public') return audience.publicCategoryIds.includes(article.categoryId);
  if (article.visibility !== 'customer' || !audience.customerCategoryIds.includes(article.categoryId)) return false;
  return !article.limited || limitedTo.some((id) => audience.customerIds.includes(id));
}

/** Review needs a second pair of eyes: neither the article's author nor the author of the change approves it. */
export function requireIndependentApprover(actor: Actor, article: { createdBy: { key: string }; updatedBy: { key: string } }, actorKey: string): void {
  if (article.createdBy.key === actorKey || article.updatedBy.key === actorKey) {
    throw forbidden('You wrote this article or its latest change; another editor has to approve it.');
  }
}
