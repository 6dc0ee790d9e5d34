import type { Response } from 'express';
import { queryString } from '../../faq/pages/editor-list-pages.js';
import { loketBase } from '../../web/middleware/guards.js';
import type { PortalListQuery } from './portal-forms.js';

/** Paths of the portal's ticket pages, with Loket's mount path. */
export const portalPaths = (res: Response) => {
  const base = `${loketBase(res)}/portal`;
  return {
    home: base,
    /** The list with these filters; the defaults (own tickets, every state, first page) stay out of the address. */
    list: (q: Partial<PortalListQuery> = {}) =>
      `${base}/tickets${queryString({ scope: q.scope === 'company' ? 'company' : undefined, state: q.state === 'all' ? undefined : q.state, search: q.search, page: q.page === 1 ? undefined : q.page })}`,
    newTicket: `${base}/tickets/new`,
    file: `${base}/tickets`,
    discard: `${base}/tickets/new/discard`,
    faq: (articleId: number, q: string) => `${base}/tickets/new/faq/${articleId}${queryString({ q })}`,
    faqBase: `${base}/tickets/new/faq/`,
    deflect: `${base}/tickets/deflect`,
    ticket: (number: string) => `${base}/tickets/${number}`,
  };
};
export type PortalPaths = ReturnType<typeof portalPaths>;
