/** The shape of a language's helpdesk vocabulary for generated articles (see ./words-*.ts). */
export interface Lexicon {
  language: 'en' | 'nl' | 'nb';
  /** Glue words, most frequent first: they make sentences read as sentences and occur in every article. */
  glue: readonly string[];
  /** Helpdesk words, most frequent first: a Zipf-like curve over this list decides how common each is. */
  content: readonly string[];
  /** Specific terms (product names, error codes, compounds): the long tail, most frequent first. */
  tail: readonly string[];
  /** Title openings ("How to", "Problem with"). */
  openers: readonly string[];
  /** Section headings of the article bodies. */
  headings: readonly string[];
}

/** Every pairing of `firsts` with `seconds` as one word (Dutch and Norwegian write compounds closed). */
export const compounds = (firsts: readonly string[], seconds: readonly string[]): string[] =>
  firsts.flatMap((first) => seconds.filter((second) => !first.endsWith(second) && !second.startsWith(first)).map((second) => first + second));
