import type { Response } from 'express';
import { z } from 'zod';
import { isLanguage } from '../../i18n/index.js';
import { notFound } from '../../errors.js';
import { FAQ_LANGUAGES, slugSchema, type FaqLanguage } from '../schema.js';

/** Results and articles per page on the search and category pages. */
export const PAGE_SIZE = 20;
/** Beyond this a reader refines the search rather than paging on (the engine ranks a bounded set anyway). */
const MAX_PAGE = 500;
/** Longer queries are cut, not refused: nobody types more, and a pasted paragraph still finds something. */
const MAX_QUERY = 200;

/**
 * Paths under /faq that belong to pages of their own (the editors' screens, the feed), never to a
 * category: the reader's routes pass them on.
 */
const RESERVED = new Set(['search', 'manage', 'feed', 'suggest', 'feed.atom']);
export const isReservedSegment = (segment: string): boolean => RESERVED.has(segment);

/** The page's language, as the locals middleware chose it (cookie, then browser). */
export const pageLanguage = (res: Response): FaqLanguage => (isLanguage(res.locals.lang) ? res.locals.lang : 'en');

/** Query values are hints: anything malformed is ignored rather than refused, so a bad link still shows a page. */
const optionalLanguage = z.enum(FAQ_LANGUAGES).optional().catch(undefined);
const pageNumber = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);

export const searchQuery = z.object({
  q: z.string().catch('').transform((q) => q.trim().slice(0, MAX_QUERY)),
  category: slugSchema.optional().catch(undefined),
  page: pageNumber,
});

export const listQuery = z.object({ page: pageNumber });
export const languageQuery = z.object({ lang: optionalLanguage });

export const voteForm = z.object({
  helpful: z.enum(['yes', 'no']),
  lang: optionalLanguage,
  _csrf: z.string().optional(),
});

/** A category or article slug from the path; anything that cannot be a slug is simply not there. */
export function slugParam(value: unknown): string {
  const parsed = slugSchema.safeParse(value);
  if (!parsed.success || parsed.data !== value) throw notFound('No such FAQ page.');
  return parsed.data;
}

export interface PageLink {
  number: number;
  href: string;
  current: boolean;
}

export interface Pager {
  previous: string | null;
  next: string | null;
  /** A window of numbered pages around the current one, always with the first and the last. */
  pages: (PageLink | null)[];
}

/** Links for `total` items over pages of PAGE_SIZE; `null` in `pages` marks a gap ("…"). */
export function pager(current: number, total: number, href: (page: number) => string): Pager | null {
  const last = Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE));
  if (last <= 1 && current === 1) return null;
  const shown = new Set([1, last, current - 2, current - 1, current, current + 1, current + 2].filter((n) => n >= 1 && n <= last));
  const pages: (PageLink | null)[] = [];
  let previous = 0;
  for (const number of [...shown].sort((a, b) => a - b)) {
    if (number > previous + 1) pages.push(null);
    pages.push({ number, href: href(number), current: number === current });
    previous = number;
  }
  return {
    previous: current > 1 ? href(Math.min(current - 1, Math.max(last, 1))) : null,
    next: current < last ? href(current + 1) : null,
    pages,
  };
}
