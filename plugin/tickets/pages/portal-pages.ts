import { Router } from 'express';
import type { LoketConfig } from '../../config/schema.js';
import type { ReaderService } from '../../faq/reader-service.js';
import type { DeflectionService } from '../deflection-service.js';
import type { TicketService } from '../ticket-service.js';

export interface PortalTicketDeps {
  tickets: TicketService;
  deflections: DeflectionService;
  faqReader: ReaderService;
  config: LoketConfig;
}

/** SCAFFOLD (helper fills in): the customer portal's ticket pages. */
export function portalTicketPages(_deps: PortalTicketDeps): Router {
  return Router();
}
