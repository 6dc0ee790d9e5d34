import type { ReaderHit } from '../reader-service.js';

/** Characters XML 1.0 does not allow at all (escaping cannot carry them): dropped. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for element content and attribute values alike. */
export const xmlText = (value: string): string => value.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

export interface FeedInput {
  /** Absolute base of Loket's pages, without a trailing slash (publicBaseUrl). */
  baseUrl: string;
  language: string;
  title: string;
  subtitle: string;
  author: string;
  items: readonly ReaderHit[];
  /** Category slug → name, for each entry's category label. */
  categoryNames: ReadonlyMap<string, string>;
}

/** An article's page; `?lang=` keeps a fallback-language entry pointing at the text it describes. */
export const articleUrl = (baseUrl: string, hit: { category: string; slug: string; language: string }): string =>
  `${baseUrl}/faq/${encodeURIComponent(hit.category)}/${encodeURIComponent(hit.slug)}?lang=${hit.language}`;

/**
 * Entry ids are tag URIs (RFC 4151) named after the slug and language, not the page URL: an article
 * that moves to another category stays the same entry for the people subscribed.
 */
const entryId = (authority: string, hit: ReaderHit): string => `tag:${authority},2026:faq/${hit.slug}/${hit.language}`;

/** The newest change among the entries (the feed's `updated` and Last-Modified); the epoch for an empty feed. */
export function feedUpdated(items: readonly ReaderHit[]): Date {
  const times = items.map((i) => Date.parse(i.updatedAt)).filter((t) => !Number.isNaN(t));
  return new Date(times.length ? Math.max(...times) : 0);
}

const isoTime = (value: string): string => {
  const time = Date.parse(value);
  return new Date(Number.isNaN(time) ? 0 : time).toISOString();
};

/** Atom 1.0 (RFC 4287): every text escaped, every link absolute. */
export function atomFeed(input: FeedInput): string {
  const self = `${input.baseUrl}/faq/feed.atom?lang=${input.language}`;
  const authority = new URL(input.baseUrl).hostname;
  const entries = input.items.map((hit) => {
    const category = input.categoryNames.get(hit.category);
    return [
      `  <entry xml:lang="${xmlText(hit.language)}">`,
      `    <id>${xmlText(entryId(authority, hit))}</id>`,
      `    <title type="text">${xmlText(hit.title)}</title>`,
      `    <link rel="alternate" type="text/html" hreflang="${xmlText(hit.language)}" href="${xmlText(articleUrl(input.baseUrl, hit))}"/>`,
      `    <updated>${isoTime(hit.updatedAt)}</updated>`,
      category === undefined ? '' : `    <category term="${xmlText(hit.category)}" label="${xmlText(category)}"/>`,
      hit.summary ? `    <summary type="text">${xmlText(hit.summary)}</summary>` : '',
      '  </entry>',
    ].filter((line) => line !== '');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(input.language)}">`,
    `  <id>${xmlText(self)}</id>`,
    `  <title type="text">${xmlText(input.title)}</title>`,
    `  <subtitle type="text">${xmlText(input.subtitle)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(`${input.baseUrl}/faq`)}"/>`,
    `  <updated>${feedUpdated(input.items).toISOString()}</updated>`,
    `  <author><name>${xmlText(input.author)}</name></author>`,
    ...entries.flat(),
    '</feed>',
    '',
  ].join('\n');
}
