/**
 * Generated knowledge-base articles: helpdesk text in English, Dutch and Norwegian (60 / 35 / 5 %), titles
 * of 4 to 10 words, markdown bodies of 150 to 600 words with headings, lists, bold words, inline code
 * and now and then a link. Each article has a topic: a dozen to thirty content words drawn from a
 * Zipf–Mandelbrot curve, so the most common words occur in about half the articles of their language
 * and the rarest content words in one or two percent; one to four specific terms from the long tail
 * (product names, error codes, compounds) make the rare words. A third of the Dutch and Norwegian
 * articles translate the latest English one (same slug and category). Mostly public and published,
 * some for customers only or internal, some drafts, in review or archived.
 */
import { normaliseForSearch } from '../../plugin/customers/search-terms.js';
import type { ArticleState, FaqLanguage, Visibility } from '../../plugin/faq/schema.js';
import type { Lexicon } from './lexicon.js';
import { between, itemSeed, pick, seededRandom, zipf, type Random } from './random.js';
import { english } from './words-en.js';
import { dutch } from './words-nl.js';
import { norwegian } from './words-nb.js';

export interface GeneratedArticle {
  /** 1-based position in the generated sequence. */
  n: number;
  slug: string;
  language: FaqLanguage;
  /** Index into the category list the generator was given. */
  category: number;
  title: string;
  summary: string;
  keywords: string[];
  body: string;
  visibility: Visibility;
  state: ArticleState;
  /** When a published article was first published (the store sets created and updated to now). */
  publishedAt: string | null;
}

interface Sampler {
  lexicon: Lexicon;
  content: string[];
  glueRank: (r: Random) => number;
  contentRank: (r: Random) => number;
  tailRank: (r: Random) => number;
}

function sampler(lexicon: Lexicon): Sampler {
  const content = [...new Set(lexicon.content)];
  return {
    lexicon,
    content,
    glueRank: zipf(lexicon.glue.length, 1),
    contentRank: zipf(content.length, 1.2, 10),
    tailRank: zipf(lexicon.tail.length, 1),
  };
}

const samplers: Record<FaqLanguage, Sampler> = { en: sampler(english), nl: sampler(dutch), nb: sampler(norwegian) };

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const isCode = (word: string) => /^0x[0-9a-f]+$/.test(word);

/** The words one article is about, most prominent first, and its specific terms. */
interface Topic {
  words: string[];
  pickWord: (r: Random) => string;
  tail: string[];
}

function topicOf(s: Sampler, random: Random): Topic {
  const size = between(12, 30, random);
  const words = new Set<string>();
  for (let tries = 0; words.size < size && tries < size * 20; tries++) words.add(s.content[s.contentRank(random)]!);
  const list = [...words];
  const within = zipf(list.length, 0.8);
  const tail = new Set<string>();
  const tailCount = between(1, 4, random);
  while (tail.size < tailCount) tail.add(s.lexicon.tail[s.tailRank(random)]!);
  return { words: list, pickWord: (r) => list[within(r)]!, tail: [...tail] };
}

function sentence(s: Sampler, topic: Topic, random: Random, length: number, extra: string[] = []): string {
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = random();
    if (roll < 0.42) words.push(s.lexicon.glue[s.glueRank(random)]!);
    else if (roll < 0.97) words.push(topic.pickWord(random));
    else words.push(s.content[s.contentRank(random)]!);
  }
  for (const word of extra) words.splice(between(1, words.length, random), 0, isCode(word) ? `\`${word}\`` : word);
  // Now and then a word in bold, as articles stress what to click or type.
  if (random() < 0.25) {
    const i = between(1, words.length - 1, random);
    if (!words[i]!.startsWith('`')) words[i] = `**${words[i]}**`;
  }
  return `${capitalise(words.join(' '))}.`;
}

function paragraph(s: Sampler, topic: Topic, random: Random, sentences: number, extra: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(s, topic, random, between(6, 16, random), i === 0 ? extra : []));
  if (random() < 0.15) out.push(`[${capitalise(topic.words[0]!)}](https://intranet.example.org/kb/${encodeURIComponent(normaliseForSearch(topic.words[0]!))})`);
  return out.join(' ');
}

function list(s: Sampler, topic: Topic, random: Random): string {
  const ordered = random() < 0.5;
  const items = between(3, 6, random);
  const lines: string[] = [];
  for (let i = 0; i < items; i++) lines.push(`${ordered ? `${i + 1}.` : '-'} ${sentence(s, topic, random, between(4, 10, random))}`);
  return lines.join('\n');
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

function bodyOf(s: Sampler, topic: Topic, random: Random): string {
  const target = between(150, 600, random);
  // The tail terms go into the body, one per block until all are used.
  const pending = [...topic.tail];
  const blocks: string[] = [paragraph(s, topic, random, between(2, 4, random), pending.splice(0, 1))];
  let words = wordCount(blocks[0]!);
  while (words < target) {
    const heading = random() < 0.5 ? pick(s.lexicon.headings, random) : `${pick(s.lexicon.headings, random)}: ${topic.pickWord(random)}`;
    const block = random() < 0.45 ? list(s, topic, random) : paragraph(s, topic, random, between(2, 5, random), pending.splice(0, 1));
    blocks.push(`## ${heading}`, block);
    words += wordCount(heading) + wordCount(block);
  }
  if (pending.length) blocks.push(paragraph(s, topic, random, 1, pending));
  return `${blocks.join('\n\n')}\n`;
}

function titleOf(s: Sampler, topic: Topic, random: Random): string {
  const opener = pick(s.lexicon.openers, random);
  const target = between(4, 10, random);
  const words = opener.split(' ');
  const used = new Set<string>();
  while (words.length < target) {
    const word = random() < 0.2 && words.length > 1 ? s.lexicon.glue[s.glueRank(random)]! : random() < 0.12 ? topic.tail[0]! : topic.pickWord(random);
    if (used.has(word)) continue;
    used.add(word);
    words.push(word);
  }
  return words.join(' ');
}

/** A URL slug from the title's words (accents dropped) and the sequence number, which makes it unique. */
function slugOf(title: string, n: number): string {
  const words = normaliseForSearch(title)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 6);
  return `${words.join('-').slice(0, 60).replace(/-+$/, '')}-${n}`.replace(/^-/, '');
}

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);

export interface GeneratorOptions {
  seed: number;
  categories: number;
}

/** Articles 1, 2, 3, … in order; the same seed gives the same sequence. */
export function createArticleGenerator(opts: GeneratorOptions) {
  const categoryOf = zipf(opts.categories, 0.8);
  let lastEnglish: { slug: string; category: number; languages: Set<string> } | null = null;

  return function article(n: number): GeneratedArticle {
    const random = seededRandom(itemSeed(opts.seed, n));
    const roll = random();
    const language: FaqLanguage = roll < 0.6 ? 'en' : roll < 0.95 ? 'nl' : 'nb';
    const s = samplers[language];
    const topic = topicOf(s, random);
    const title = titleOf(s, topic, random);
    const translates = language !== 'en' && lastEnglish !== null && !lastEnglish.languages.has(language) && random() < 0.33 ? lastEnglish : null;
    const slug = translates?.slug ?? slugOf(title, n);
    const category = translates?.category ?? categoryOf(random);
    if (translates) translates.languages.add(language);
    if (language === 'en') lastEnglish = { slug, category, languages: new Set(['en']) };

    const visibilityRoll = random();
    const visibility: Visibility = visibilityRoll < 0.85 ? 'public' : visibilityRoll < 0.95 ? 'customer' : 'internal';
    const stateRoll = random();
    const state: ArticleState = stateRoll < 0.9 ? 'published' : stateRoll < 0.94 ? 'draft' : stateRoll < 0.97 ? 'review' : 'archived';
    const published = NOW - Math.floor(random() * 3 * 365 * DAY);
    const keywords = [...new Set([...topic.words.slice(0, between(2, 5, random)), ...(random() < 0.5 ? topic.tail.slice(0, 1) : [])])];
    return {
      n,
      slug,
      language,
      category,
      title,
      summary: sentence(s, topic, random, between(12, 24, random)),
      keywords,
      body: bodyOf(s, topic, random),
      visibility,
      state,
      publishedAt: state === 'published' ? new Date(published).toISOString() : null,
    };
  };
}

/** The words of one language's lexicon that carry accents or Norwegian letters, for accented queries. */
export const accentedWords = (language: FaqLanguage): string[] => samplers[language].content.filter((w) => normaliseForSearch(w) !== w.toLowerCase() || /[æøå]/.test(w));

/** The glue words of a language (never chosen as search words). */
export const glueWords = (language: FaqLanguage): ReadonlySet<string> => new Set(samplers[language].lexicon.glue.map(normaliseForSearch));
