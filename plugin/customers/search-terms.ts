/**
 * The customer-user search language, kept apart from any database.
 *
 * Every searchable field value is indexed as a set of lower-case, accent-free terms: the whole value and
 * what follows each word boundary ("Jan van der Berg" → "jan van der berg", "van der berg", "der berg",
 * "berg"; "jan.berg@acme.nl" → also "berg@acme.nl", "acme.nl", "nl"). A query word then matches any
 * term that *starts with* it, which an ordinary B-tree index answers with a range scan: no full scan,
 * whatever the number of users.
 *
 * Query words (split on spaces, all must match): `jan` = terms starting with "jan"; `j*sen` = starting
 * with "j" and matching the pattern; `*sen` (leading star) = terms containing "sen", which scans the
 * index and is slower; `*` alone = everybody. `%` and `_` are ordinary characters.
 */
export const MAX_TERM_LENGTH = 191;
const MAX_TERMS_PER_VALUE = 12;
const MAX_QUERY_WORDS = 5;

/** Lower case without accents, so "José" is found by "jose" and "Øystein" by "øystein". */
export function normaliseForSearch(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const BOUNDARY = /[\s@._,;:/()'"+-]+/g;
const EDGE_PUNCTUATION = /^['"(),;:]+|['"(),;:]+$/g;

export function termsFor(value: string | number | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  const text = normaliseForSearch(String(value));
  if (text === '') return [];
  const terms = new Set<string>([text.slice(0, MAX_TERM_LENGTH)]);
  for (const match of text.matchAll(BOUNDARY)) {
    const rest = text.slice(match.index + match[0].length);
    if (rest) terms.add(rest.slice(0, MAX_TERM_LENGTH));
    if (terms.size >= MAX_TERMS_PER_VALUE) break;
  }
  return [...terms];
}

/** One query word as the store runs it. */
export type WordMatch =
  | { kind: 'prefix'; prefix: string; likePattern: string | null }
  | { kind: 'contains'; likePattern: string };

export const LIKE_ESCAPE = '\\';
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);

/** `a*b*c` → LIKE pattern `a%b%c%` with `%`, `_` and `\` escaped. */
const likeOf = (word: string) => `${word.split('*').map(escapeLike).join('%')}%`;

/** Parses a search string; an empty list means "no condition" (list everybody). */
export function parseSearch(query: string | undefined | null): WordMatch[] {
  if (!query) return [];
  const words = normaliseForSearch(query)
    .split(' ')
    // Quotes and brackets at a word's edge are word boundaries in the index ("in 't Veld" is indexed
    // as "… t veld"), so they cannot start a term: drop them, as the index did. `%` and `_` stay literal.
    .map((w) => w.replace(EDGE_PUNCTUATION, '').replace(/\*+/g, '*').slice(0, MAX_TERM_LENGTH))
    .filter((w) => w !== '' && w !== '*')
    .slice(0, MAX_QUERY_WORDS);
  return words.map((typed): WordMatch => {
    // A trailing star says what every word already means (a prefix).
    const word = typed.replace(/\*$/, '');
    if (word.startsWith('*')) return { kind: 'contains', likePattern: `%${likeOf(word.slice(1))}` };
    const star = word.indexOf('*');
    if (star === -1) return { kind: 'prefix', prefix: word, likePattern: null };
    return { kind: 'prefix', prefix: word.slice(0, star), likePattern: likeOf(word) };
  });
}

/**
 * The smallest string greater than every string that starts with `prefix` (in code point order, which is
 * byte order in UTF-8 and so the order of SQLite's BINARY and MySQL's utf8mb4_bin collations).
 */
export function prefixUpperBound(prefix: string): string {
  const chars = [...prefix];
  while (chars.length) {
    const last = chars.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return chars.join('') + String.fromCodePoint(next);
  }
  return '\u{10ffff}'.repeat(2);
}
