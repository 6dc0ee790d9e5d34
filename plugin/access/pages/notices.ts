import type { Request } from 'express';
import { z } from 'zod';
import type { Translate } from '../../customers/pages/form-errors.js';

const NOTICES = ['created', 'saved', 'servicesSaved', 'membersSaved', 'defaultsSaved'] as const;
export type AccessNotice = (typeof NOTICES)[number];

const noticeQuery = z.object({
  notice: z.enum(NOTICES).optional().catch(undefined),
  count: z.coerce.number().int().min(0).max(1000).optional().catch(undefined),
});

/**
 * The message after a redirect on the group, service and defaults pages (post, redirect, get). Unknown
 * codes are ignored: it is only a message.
 */
export function accessNoticeFrom(req: Request, t: Translate): string | null {
  const { notice, count } = noticeQuery.parse(req.query);
  switch (notice) {
    case 'created':
      return t('accessScreens.notices.created');
    case 'saved':
      return t('accessScreens.notices.saved');
    case 'servicesSaved':
      return t('accessScreens.notices.servicesSaved');
    case 'membersSaved':
      return t('accessScreens.notices.membersSaved', { count: count ?? 0 });
    case 'defaultsSaved':
      return t('accessScreens.notices.defaultsSaved');
    default:
      return null;
  }
}

/** `path?…&notice=…` for a redirect; `query` keeps the page's own parameters (tab, filter, page). */
export function withAccessNotice(path: string, notice: AccessNotice, query: Record<string, string> = {}): string {
  return `${path}?${new URLSearchParams({ ...query, notice }).toString()}`;
}
