import type { Actor } from '../../access/actor.js';
import type { ReaderService } from '../../faq/reader-service.js';
import type { FaqLanguage } from '../../faq/schema.js';

/** At most this many suggestions under the form; more is reading, not a hint. */
export const MAX_SUGGESTIONS = 5;
/** Only the start of a long description is looked at: the question is usually there. */
const BODY_PREFIX = 5000;
const MIN_WORD = 3;

export interface Suggestion {
  id: number;
  title: string;
  summary: string;
  language: string;
  /** The words that found it, recorded with the deflection. */
  q: string;
}

const wordsOf = (text: string): string[] => [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= MIN_WORD))];

/**
 * The searches to try, best first. The FAQ engine wants every word of a query to occur, so a whole
 * description rarely finds anything; the subject as typed, then the few longest (most telling) words
 * together, then each of those alone, do. public/js/ticket-form.js follows the same plan, so the live
 * suggestions and the check step without JavaScript show the same articles.
 */
export function suggestionQueries(title: string, body: string): string[] {
  const titleWords = wordsOf(title);
  const all = [...new Set([...titleWords, ...wordsOf(body.slice(0, BODY_PREFIX))])];
  const longest = [...all].sort((a, b) => b.length - a.length).slice(0, 3);
  const queries = [titleWords.slice(0, 8).join(' '), longest.join(' '), ...longest];
  return [...new Set(queries.filter((q) => q !== ''))].slice(0, 5);
}

/** Suggestions for a draft, in the order of the plan, each article once. */
export async function suggestFor(reader: ReaderService, actor: Actor, draft: { title: string; body: string }, language: FaqLanguage): Promise<Suggestion[]> {
  const found = new Map<number, Suggestion>();
  for (const q of suggestionQueries(draft.title, draft.body)) {
    if (found.size >= MAX_SUGGESTIONS) break;
    for (const hit of await reader.suggest(actor, { q, language, limit: MAX_SUGGESTIONS })) {
      if (found.size < MAX_SUGGESTIONS && !found.has(hit.id)) found.set(hit.id, { id: hit.id, title: hit.title, summary: hit.summary, language: hit.language, q });
    }
  }
  return [...found.values()];
}
