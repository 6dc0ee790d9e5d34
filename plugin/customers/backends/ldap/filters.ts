import { AndFilter, EqualityFilter, FilterParser, OrFilter, SubstringFilter, type Filter } from 'ldapts';
import { LIKE_ESCAPE, type WordMatch } from '../../search-terms.js';

/**
 * Filters are built as ldapts filter objects, never by pasting text: every value goes through the
 * library's RFC 4515 escaping (`*` → \2a, `(` → \28, `)` → \29, `\` → \5c, NUL → \00), including values
 * that look escaped already. The admin's always-filter is parsed once and combined as a node.
 */
const always = (filter: string): Filter => FilterParser.parseString(filter);

export function loginFilter(alwaysFilter: string, attribute: string, login: string): string {
  return new AndFilter({ filters: [always(alwaysFilter), new EqualityFilter({ attribute, value: login })] }).toString();
}

export function allFilter(alwaysFilter: string): string {
  return always(alwaysFilter).toString();
}

/** The literal pieces of a search word (a LIKE pattern with `%` between them, escapes removed). */
function piecesOf(word: WordMatch): string[] {
  const pattern = word.kind === 'prefix' ? (word.likePattern ?? `${word.prefix}%`) : word.likePattern;
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === LIKE_ESCAPE && i + 1 < pattern.length) current += pattern[++i];
    else if (c === '%') {
      pieces.push(current);
      current = '';
    } else current += c;
  }
  pieces.push(current);
  return pieces.filter((p) => p !== '');
}

/**
 * Entries that may match the search words: every word somewhere in one of the searchable attributes
 * (a substring match, so a superset of Loket's word-prefix match; the shadow search narrows it down).
 */
export function wordsFilter(alwaysFilter: string, attributes: readonly string[], words: readonly WordMatch[]): string {
  const perWord = words
    .map(piecesOf)
    .filter((pieces) => pieces.length > 0)
    .map((pieces) => new OrFilter({ filters: attributes.map((attribute) => new SubstringFilter({ attribute, any: pieces })) }));
  if (!perWord.length || !attributes.length) return allFilter(alwaysFilter);
  return new AndFilter({ filters: [always(alwaysFilter), ...perWord] }).toString();
}
