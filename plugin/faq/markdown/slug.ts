/** Heading ids: `faq-` keeps user-chosen ids from clobbering DOM globals (`id="location"`), as markdown-it's security notes ask. */
export const HEADING_ID_PREFIX = 'faq-';
const MAX_SLUG_LENGTH = 64;

/** Letters NFKD leaves whole; the rest of the Latin accents decompose into base letter plus mark. */
const UNDECOMPOSED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** `Wat kost één pas?` → `faq-wat-kost-een-pas`; a heading with no Latin letters or digits gets `faq-section`. */
export function headingSlug(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => UNDECOMPOSED[letter] ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return `${HEADING_ID_PREFIX}${slug === '' ? 'section' : slug}`;
}
