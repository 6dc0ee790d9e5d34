import { Router } from 'express';
import type { CustomerUserService } from '../../customers/customer-user-service.js';
import type { ArticleService } from '../../faq/article-service.js';
import type { CategoryService } from '../../faq/category-service.js';
import type { ReaderService } from '../../faq/reader-service.js';
import type { TicketService } from '../ticket-service.js';

export interface AgentTicketDeps {
  tickets: TicketService;
  faqArticles: ArticleService;
  faqReader: ReaderService;
  faqCategories: CategoryService;
  customerUsers: CustomerUserService;
}

/** SCAFFOLD (helper fills in): the agents' ticket screens. */
export function agentTicketPages(_deps: AgentTicketDeps): Router {
  return Router();
}
