import { Router, type Response } from 'express';
import type { TicketAudience } from '../../access/ticket-access.js';
import { translatorOf } from '../../customers/pages/form-errors.js';
import { queryString } from '../../faq/pages/editor-list-pages.js';
import { PAGE_SIZE, pager } from '../../faq/pages/reader-input.js';
import { currentActor, loketBase } from '../../web/middleware/guards.js';
import { parseInput } from '../../web/validate.js';
import type { Queue } from '../queue-store.js';
import { LIST_STATES, listQuery, type ListQuery } from './agent-forms.js';
import { agentNoticeFrom } from './agent-notices.js';
import type { AgentTicketDeps } from './agent-pages.js';

/** The queues whose tickets this audience sees (the queue filter offers only these). */
export function queuesSeen(audience: TicketAudience, queues: readonly Queue[]): Queue[] {
  if (audience.kind === 'all') return [...queues];
  if (audience.kind === 'agent') return queues.filter((q) => audience.queueIds.includes(q.id));
  return [];
}

/** The list's address with these filters (the default state and the first page stay out of it). */
const listHref = (res: Response, q: Partial<ListQuery>): string =>
  `${loketBase(res)}/agent/tickets${queryString({
    state: q.state === 'active' ? undefined : q.state,
    queue: q.queue,
    customerId: q.customerId,
    customerUser: q.customerUser,
    service: q.service,
    search: q.search,
    page: q.page === 1 ? undefined : q.page,
  })}`;

/** The tickets in the queues an agent may see, with filters and pages. */
export function agentListPages(deps: AgentTicketDeps): Router {
  const router = Router();

  router.get('/agent/tickets', async (req, res) => {
    const actor = currentActor(req);
    const query = parseInput(listQuery, req.query);
    const [{ audience, queues }, page] = await Promise.all([
      deps.tickets.audienceOf(actor),
      deps.tickets.list(actor, {
        ...(query.state !== 'all' && { state: query.state }),
        ...(query.queue !== undefined && { queue: query.queue }),
        ...(query.customerId !== undefined && { customerId: query.customerId }),
        ...(query.customerUser !== undefined && { customerUser: query.customerUser }),
        ...(query.service !== undefined && { service: query.service }),
        ...(query.search !== undefined && { search: query.search }),
        limit: PAGE_SIZE,
        offset: (query.page - 1) * PAGE_SIZE,
      }),
    ]);
    const narrowed = [query.queue, query.customerId, query.customerUser, query.service, query.search].some((v) => v !== undefined) || query.state !== 'active';
    res.render('agent/tickets/list', {
      rows: page.items,
      total: page.total,
      filters: { state: query.state, queue: query.queue ?? '', customerId: query.customerId ?? '', customerUser: query.customerUser ?? '', service: query.service ?? '', search: query.search ?? '' },
      states: LIST_STATES,
      queues: queuesSeen(audience, queues).map((q) => q.name),
      narrowed,
      resetHref: listHref(res, {}),
      allHref: listHref(res, { state: 'all' }),
      pages: pager(query.page, page.total, (n) => listHref(res, { ...query, page: n })),
      notice: agentNoticeFrom(req, translatorOf(res)),
    });
  });

  return router;
}
