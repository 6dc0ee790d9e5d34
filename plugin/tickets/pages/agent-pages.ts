import { Router } from 'express';
import type { ArticleService } from '../../faq/article-service.js';
import type { CategoryService } from '../../faq/category-service.js';
import type { ReaderService } from '../../faq/reader-service.js';
import { pageRequires } from '../../web/middleware/guards.js';
import type { TicketService } from '../ticket-service.js';
import { agentFaqDraftPages } from './agent-faq-draft.js';
import { agentListPages } from './agent-list-pages.js';
import { agentNewPages } from './agent-new-pages.js';
import { agentOneTicketPages } from './agent-ticket-pages.js';

export interface AgentTicketDeps {
  tickets: TicketService;
  faqArticles: ArticleService;
  faqReader: ReaderService;
  faqCategories: CategoryService;
}

/**
 * The agents' ticket screens under /agent/tickets: the list of their queues' tickets, filing a ticket
 * for a customer user, and one ticket's page with replies, internal notes, state, FAQ links and "FAQ
 * draft from this ticket". Staff only; which tickets and queues, and what they may do there, is the
 * ticket service's decision (ticket-access.ts). `/new` is routed ahead of `/:number`.
 */
export function agentTicketPages(deps: AgentTicketDeps): Router {
  const router = Router();
  router.use('/agent/tickets', pageRequires('agent.use'));
  router.use(agentListPages(deps));
  router.use(agentNewPages(deps));
  router.use(agentOneTicketPages(deps));
  router.use(agentFaqDraftPages(deps));
  return router;
}
