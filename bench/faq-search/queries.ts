/**
 * What readers type, chosen from the generated articles' document frequencies (published public ones,
 * which is what an anonymous reader and the scan can find), in English and Dutch:
 *   rare word      3 to 0.05 % of the language's articles (error codes, product names, compounds)
 *   mid word       0.5 to 5 %
 *   common word    the most frequent content words (in about half the articles)
 *   two words      a common word with another common or a mid one
 *   prefix         3, 4 and 5 letters of a common and of a mid word, as someone types (`pas`, `pass`, `passw`)
 *   accents        Dutch and Norwegian words with accents or æøå as written, and some with the accents left out
 * Glue words (`the`, `een`) are never chosen, nor numbers.
 */
import { normaliseForSearch } from '../../plugin/customers/search-terms.js';
import type { FaqLanguage } from '../../plugin/faq/schema.js';
import { accentedWords, glueWords } from './articles.js';
import type { DocumentFrequencies } from './fill.js';

export const QUERY_KINDS = ['rare word', 'mid word', 'common word', 'two words', 'prefix', 'accents'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface BenchQuery {
  kind: QueryKind;
  q: string;
  language: FaqLanguage;
  /** Published public articles of that language holding the word (single words only). */
  docs: number | null;
}

const PER_KIND = 6;

/** `n` items spread evenly over `items` (first and last included). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / Math.max(1, n - 1))]!);
}

function forLanguage(language: FaqLanguage, frequencies: DocumentFrequencies): BenchQuery[] {
  const docs = frequencies.docs[language];
  const glue = glueWords(language);
  const words = [...frequencies.words[language]]
    .filter(([w]) => w.length >= 3 && !glue.has(w) && !/^\d+$/.test(w))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const query = (kind: QueryKind, q: string, n: number | null): BenchQuery => ({ kind, q, language, docs: n });

  const common = words.slice(0, PER_KIND);
  const mid = spread(words.filter(([, n]) => n >= docs * 0.005 && n <= docs * 0.05), PER_KIND);
  const rareMax = Math.max(5, docs * 0.0005);
  let rare = words.filter(([, n]) => n >= 3 && n <= rareMax);
  if (rare.length < PER_KIND) rare = words.filter(([, n]) => n <= rareMax);
  // Long enough that five letters are still a prefix: `pas`, `pass`, `passw` of `password`.
  const typed = [common.find(([w]) => w.length >= 6), mid.find(([w]) => w.length >= 6)].filter((w) => w !== undefined).map(([w]) => w);
  return [
    ...spread([...rare].reverse(), PER_KIND).map(([w, n]) => query('rare word', w, n)),
    ...mid.map(([w, n]) => query('mid word', w, n)),
    ...common.map(([w, n]) => query('common word', w, n)),
    ...[0, 1, 2].map((i) => query('two words', `${common[i]?.[0] ?? ''} ${common[i + 1]?.[0] ?? ''}`.trim(), null)),
    ...[0, 1, 2].map((i) => query('two words', `${common[i]?.[0] ?? ''} ${mid[i]?.[0] ?? ''}`.trim(), null)),
    ...typed.flatMap((w) => [3, 4, 5].map((length) => query('prefix', w.slice(0, length), null))),
  ];
}

/** Accented words as the lexicons write them, with their frequencies; the first two also without accents. */
function accented(frequencies: DocumentFrequencies): BenchQuery[] {
  const out: BenchQuery[] = [];
  for (const [language, take] of [['nl', 4], ['nb', 3]] as const) {
    const glue = glueWords(language);
    const found = accentedWords(language)
      .filter((w) => !glue.has(normaliseForSearch(w)))
      .map((w) => ({ w, n: frequencies.words[language].get(normaliseForSearch(w)) ?? 0 }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n);
    for (const { w, n } of spread(found, take)) out.push({ kind: 'accents', q: w, language, docs: n });
  }
  for (const q of out.slice(0, 2)) {
    const plain = normaliseForSearch(q.q);
    if (plain !== q.q) out.push({ ...q, q: plain });
  }
  return out;
}

/** Every query once, the kinds taking turns, so any stretch of a load run sees the whole mix. */
export function benchQueries(frequencies: DocumentFrequencies): BenchQuery[] {
  const all = [...forLanguage('en', frequencies), ...forLanguage('nl', frequencies), ...accented(frequencies)].filter((q) => q.q !== '');
  const byKind = QUERY_KINDS.map((kind) => all.filter((q) => q.kind === kind));
  const mixed: BenchQuery[] = [];
  for (let i = 0; byKind.some((list) => i < list.length); i++) for (const list of byKind) if (i < list.length) mixed.push(list[i]!);
  return mixed;
}
