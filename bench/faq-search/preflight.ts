/**
 * Before any load: every URL of every rotation answers 200 on both servers, searches for words that
 * occur find something on Loket, and each article page is the same page on both sides: the bodies are
 * compared byte for byte, and Loket must set no cookie for an anonymous reader. A load run then never
 * measures an error page, a redirect or a different page.
 */
import ejs from 'ejs';
import type { ArticlePage } from './fill.js';
import { LIMIT } from './in-process.js';
import type { BenchQuery } from './queries.js';

export interface PreflightResult {
  pagesCompared: number;
  pagesIdentical: number;
  /** The first difference found, for the report. */
  difference: string | null;
}

async function json(url: string): Promise<{ items: unknown[] }> {
  const res = await fetch(url);
  const body = (await res.json()) as { items?: unknown };
  if (res.status !== 200 || !Array.isArray(body.items)) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return { items: body.items };
}

async function page(url: string, title: string): Promise<{ html: string; cookies: string[] }> {
  const res = await fetch(url, { redirect: 'manual' });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}, expected 200`);
  if (!html.includes(`>${ejs.escapeXML(title)}</h1>`)) throw new Error(`GET ${url} did not show the article's title ${JSON.stringify(title)}`);
  return { html, cookies: res.headers.getSetCookie() };
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at character ${i}: Loket ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 60))}, bare ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 60))}`;
}

export async function preflight(loketUrl: string, bareUrl: string, queries: BenchQuery[], pages: ArticlePage[]): Promise<PreflightResult> {
  for (const query of queries) {
    const q = `q=${encodeURIComponent(query.q)}&limit=${LIMIT}`;
    const found = await json(`${loketUrl}/api/v1/faq/search?${q}`);
    await json(`${loketUrl}/api/v1/faq/suggest?${q}`);
    await json(`${bareUrl}/scan?${q}`);
    if (query.docs !== null && query.docs > 0 && found.items.length === 0) throw new Error(`Loket found nothing for ${JSON.stringify(query.q)}, which ${query.docs} articles hold`);
  }
  let identical = 0;
  let difference: string | null = null;
  for (const p of pages) {
    const path = `/faq/${encodeURIComponent(p.category)}/${encodeURIComponent(p.slug)}`;
    const [loket, bare] = await Promise.all([page(loketUrl + path, p.title), page(bareUrl + path, p.title)]);
    if (loket.cookies.length) throw new Error(`Loket set a cookie for an anonymous reader of ${path}: ${loket.cookies.join('; ')}`);
    if (loket.html === bare.html) identical += 1;
    else difference ??= `${path} ${firstDifference(loket.html, bare.html)}`;
  }
  return { pagesCompared: pages.length, pagesIdentical: identical, difference };
}
