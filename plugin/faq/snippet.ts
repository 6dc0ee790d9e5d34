import { normaliseForSearch } from '../customers/search-terms.js';

const WORD = /[\p{L}\p{N}]+/gu;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const BEFORE = 8;
const LENGTH = 32;

/**
 * A short, HTML-escaped extract of `text` around the first word that matches, with every matching
 * word in `<mark>`. A text word matches when its folded form starts with a query word, the same rule
 * the search used, so "wachtw" marks "Wachtwoord" and "jose" marks "José". The output holds no markup
 * of the text's own: everything is escaped before the marks go in.
 */
export function snippet(text: string, queryWords: readonly string[], fallbackLength = 200): string {
  const words = [...text.matchAll(WORD)];
  const matches = (w: string) => {
    const folded = normaliseForSearch(w);
    return queryWords.some((q) => folded.startsWith(q));
  };
  const first = words.findIndex((m) => matches(m[0]));
  if (first === -1) {
    const cut = text.length > fallbackLength ? `${text.slice(0, fallbackLength).replace(/\s+\S*$/, '')} …` : text;
    return escapeHtml(cut);
  }
  const startWord = Math.max(0, first - BEFORE);
  const endWord = Math.min(words.length, startWord + LENGTH);
  const start = words[startWord]!.index;
  const lastWord = words[endWord - 1]!;
  const end = lastWord.index + lastWord[0].length;
  let out = '';
  let at = start;
  for (const m of words.slice(startWord, endWord)) {
    out += escapeHtml(text.slice(at, m.index));
    out += matches(m[0]) ? `<mark>${escapeHtml(m[0])}</mark>` : escapeHtml(m[0]);
    at = m.index + m[0].length;
  }
  return `${startWord > 0 ? '… ' : ''}${out}${end < text.length ? ' …' : ''}`;
}
