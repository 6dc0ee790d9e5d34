import type { Request } from 'express';
import { z } from 'zod';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * The message after a redirect (post, redirect, get). The code travels in the query string, so a reload
 * shows it again but repeats nothing; unknown codes are ignored rather than refused: it is only a
 * message. Each area lists its codes with their translation keys; a `count` in the query fills
 * `{{count}}` (and picks the plural), and a `withCount` message is added when a count came along.
 */
export function noticeCodes<C extends string>(messages: Record<C, string | { key: string; withCount: string }>) {
  const codes = Object.keys(messages) as [C, ...C[]];
  const query = z.object({
    notice: z.enum(codes).optional().catch(undefined),
    count: z.coerce.number().int().min(0).max(1_000_000_000).optional().catch(undefined),
  });
  return {
    from: (req: Request, t: Translate): string | null => {
      const { notice, count } = query.parse(req.query);
      if (notice === undefined) return null;
      const message = messages[notice];
      if (typeof message === 'string') return t(message, { count: count ?? 0 });
      return count === undefined ? t(message.key) : `${t(message.key)} ${t(message.withCount, { count })}`;
    },

    /** `path?…&notice=…` for a redirect; `query` keeps the page's own parameters (tab, filter, page, count). */
    path: (path: string, notice: C, query: Record<string, string> = {}): string => `${path}?${new URLSearchParams({ ...query, notice }).toString()}`,
  };
}
