import { Router } from 'express';
import type { LoketConfig } from '../../config/schema.js';
import { translatorOf } from '../../customers/pages/form-errors.js';
import type { ReaderService } from '../../faq/reader-service.js';
import type { RunsService } from '../../forms/types.js';
import { currentActor, pageRequires } from '../../web/middleware/guards.js';
import type { DeflectionService } from '../deflection-service.js';
import type { TicketService } from '../ticket-service.js';
import { portalFaqPages } from './portal-faq-pages.js';
import { portalListPages } from './portal-list-pages.js';
import { portalNewPages } from './portal-new-pages.js';
import { portalNoticeFrom } from './portal-notices.js';
import { portalPaths } from './portal-paths.js';
import { portalOneTicketPages } from './portal-ticket-pages.js';

export interface PortalTicketDeps {
  tickets: TicketService;
  deflections: DeflectionService;
  faqReader: ReaderService;
  config: LoketConfig;
  /** Request tickets show their form run's state in the lists ("My requests in the same list as tickets"). */
  formRuns?: Pick<RunsService, 'list' | 'myApprovals'>;
}

/** The portal home's short list: the latest few, with a link to all of them. */
const HOME_TICKETS = 5;

/**
 * The customer portal's ticket pages: the home page with the latest tickets, the lists, filing a
 * ticket with FAQ suggestions first, a suggested article inside that flow, and one ticket's page.
 * Customers only (portal.use); which tickets, queues and services, and what they may do there, is the
 * ticket service's decision (ticket-access.ts). `/new` is routed ahead of `/:number`.
 */
export function portalTicketPages(deps: PortalTicketDeps): Router {
  const router = Router();

  router.get('/portal', pageRequires('portal.use'), async (req, res) => {
    const actor = currentActor(req);
    const [recent, queues] = await Promise.all([deps.tickets.list(actor, { limit: HOME_TICKETS }), deps.tickets.fileableQueues(actor)]);
    res.render('portal/home', {
      recent: recent.items,
      totalTickets: recent.total,
      mayFile: queues.length > 0,
      paths: portalPaths(res),
      notice: portalNoticeFrom(req, translatorOf(res)),
    });
  });

  router.use('/portal/tickets', pageRequires('portal.use'));
  router.use(portalListPages(deps));
  router.use(portalNewPages(deps));
  router.use(portalFaqPages(deps));
  router.use(portalOneTicketPages(deps));
  return router;
}
