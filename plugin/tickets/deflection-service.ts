import type { Actor } from '../access/actor.js';
import type { ArticleDetail } from '../faq/article-service.js';
import type { DeflectionOutcome, DeflectionStore } from './deflection-store.js';

/**
 * Records what the ticket form's FAQ suggestions did: opened, or "this answered my question" (the flow
 * ends without a ticket). Only articles the person may read count; anything else is a 404 as elsewhere.
 */
export function createDeflectionService(deps: { store: DeflectionStore; faq: { detail(actor: Actor | null, id: number): Promise<ArticleDetail> } }) {
  return {
    async record(actor: Actor | null, articleId: number, outcome: DeflectionOutcome, query: string): Promise<ArticleDetail> {
      const detail = await deps.faq.detail(actor, articleId);
      await deps.store.record({
        articleId,
        outcome,
        query,
        customerUserId: actor?.principal.type === 'customer-user' ? actor.principal.id : null,
        customerId: actor?.effectiveCustomerId ?? actor?.customerId ?? null,
      });
      return detail;
    },
  };
}

export type DeflectionService = ReturnType<typeof createDeflectionService>;
