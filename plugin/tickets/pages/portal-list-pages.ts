import { Router } from 'express';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { PAGE_SIZE, pager } from '../../faq/pages/reader-input.js';
import { currentActor } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import { PORTAL_LIST_STATES, portalListQuery } from './portal-forms.js';
import { portalNoticeFrom } from './portal-notices.js';
import type { PortalTicketDeps } from './portal-pages.js';
import { portalPaths } from './portal-paths.js';
import { requestRunsOf } from '../../forms/pages/request-runs.js';

/** "My tickets" and, where the person may see them, their organisation's tickets. */
export function portalListPages(deps: PortalTicketDeps): Router {
  const router = Router();

  router.get('/portal/tickets', async (req, res) => {
    const actor = currentActor(req);
    const asked = parseInput(portalListQuery, req.query);
    const company = await deps.tickets.seesCompanyTickets(actor);
    // Without the permission there is no company tab: the address alone shows one's own tickets.
    const query = { ...asked, scope: company ? asked.scope : ('mine' as const) };
    const page = await deps.tickets.list(actor, {
      scope: query.scope,
      ...(query.state !== 'all' && { state: query.state }),
      ...(query.search !== undefined && { search: query.search }),
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    const paths = portalPaths(res);
    res.render('portal/tickets/list', {
      rows: page.items,
      requestRuns: await requestRunsOf(deps.formRuns, actor, page.items),
      total: page.total,
      query,
      company,
      states: PORTAL_LIST_STATES,
      narrowed: query.state !== 'all' || query.search !== undefined,
      tabs: { mine: paths.list({ scope: 'mine' }), company: paths.list({ scope: 'company' }) },
      resetHref: paths.list({ scope: query.scope }),
      pages: pager(query.page, page.total, (n) => paths.list({ ...query, page: n })),
      paths,
      notice: portalNoticeFrom(req, translatorOf(res)),
    });
  });

  return router;
}
