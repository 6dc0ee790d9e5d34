import type { Response } from 'express';
import { loketBase } from '../../web/middleware/guards.js';

type Query = Record<string, string | number | undefined>;

/** `?a=1&b=2` of the values that are set, or '' when none is. */
function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Paths of the reader's pages, with Loket's mount path; slugs are encoded even though they are URL-safe. */
export const readerPaths = (res: Response) => {
  const base = `${loketBase(res)}/faq`;
  return {
    home: base,
    search: (query: Query = {}) => `${base}/search${queryString(query)}`,
    feed: (language: string) => `${base}/feed.atom${queryString({ lang: language })}`,
    category: (slug: string, query: Query = {}) => `${base}/${encodeURIComponent(slug)}${queryString(query)}`,
    article: (category: string, slug: string, query: Query = {}) => `${base}/${encodeURIComponent(category)}/${encodeURIComponent(slug)}${queryString(query)}`,
    vote: (category: string, slug: string) => `${base}/${encodeURIComponent(category)}/${encodeURIComponent(slug)}/vote`,
    manage: (id: number) => `${base}/manage/${id}`,
  };
};
export type ReaderPaths = ReturnType<typeof readerPaths>;
