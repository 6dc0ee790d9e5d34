/**
 * Which link and image URLs an FAQ article may carry. markdown-it calls `isAllowedUrl` (as `validateLink`)
 * with the URL already entity-decoded and percent-encoded, which is also what ends up in the attribute.
 */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);
const EXTERNAL_SCHEMES = new Set(['http', 'https']);
/** Browsers read `\` as `/` in http(s) URLs, so `\\host` and `/\host` are protocol-relative too. */
const PROTOCOL_RELATIVE = /^[\\/]{2}/;

/** The URL as a browser's parser sees it before reading the scheme: outer controls and spaces and every tab or newline dropped. */
function asBrowserReadsIt(url: string): string {
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start += 1;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end -= 1;
  return url.slice(start, end).replace(/[\t\n\r]/g, '');
}

function schemeOf(url: string): string | undefined {
  return SCHEME.exec(url)?.[1]?.toLowerCase();
}

/** http:, https:, mailto: and relative URLs (`#frag`, `/path`, `path`); everything else, `data:` images included, is refused. */
export function isAllowedUrl(url: string): boolean {
  const seen = asBrowserReadsIt(url);
  const scheme = schemeOf(seen);
  if (scheme !== undefined) return ALLOWED_SCHEMES.has(scheme);
  // A colon before the first / ? # with no valid scheme (`java%EF%BF%BDscript:`) is no honest relative URL.
  return !/^[^/?#]*:/.test(seen);
}

/** Links that leave the site: http(s) and protocol-relative `//host`. */
export function isExternalUrl(url: string): boolean {
  const seen = asBrowserReadsIt(url);
  const scheme = schemeOf(seen);
  return scheme === undefined ? PROTOCOL_RELATIVE.test(seen) : EXTERNAL_SCHEMES.has(scheme);
}
