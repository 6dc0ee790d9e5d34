/** Plain text from the HTML our renderer produced (not from arbitrary HTML: it relies on markdown-it's escaping). */
const BLOCK_TAG = /<\/?(?:p|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|th|td|div|hr|br)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const codePoint = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

/** Block boundaries become spaces so `<h2>Fees</h2><p>None</p>` reads `Fees None`, not `FeesNone`. */
export function htmlToText(html: string): string {
  return collapseWhitespace(decodeEntities(html.replace(BLOCK_TAG, ' ').replace(ANY_TAG, '')));
}
