import type { Request } from 'express';
import type { Translate } from '../../customers/pages/form-errors.js';
import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the portal's ticket pages and the portal home (post, redirect, get). */
const notices = noticeCodes({
  filed: 'ticketsPortal.notices.filed',
  replied: 'ticketsPortal.notices.replied',
  closed: 'ticketsPortal.notices.closed',
  reopened: 'ticketsPortal.notices.reopened',
  deflected: 'ticketsPortal.notices.deflected',
  discarded: 'ticketsPortal.notices.discarded',
});
export type PortalNotice = Parameters<typeof notices.path>[1];
export const withPortalNotice = notices.path;

/** The notice; on a ticket's page its number fills `{{number}}` ("Ticket 123 filed"). */
export function portalNoticeFrom(req: Request, t: Translate, number?: string): string | null {
  return notices.from(req, (key, options) => t(key, { ...options, number }));
}
