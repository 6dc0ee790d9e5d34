import MarkdownIt, { type MarkdownIt as MarkdownItInstance, type RendererRule, type Token } from 'markdown-it';
import anchor from 'markdown-it-anchor';
import { headingSlug } from './slug.js';
import { collapseWhitespace } from './text.js';
import { isAllowedUrl, isExternalUrl } from './urls.js';

/** A fence's language becomes a class name; anything beyond a plain language tag is dropped. */
const LANGUAGE_TAG = /^[A-Za-z0-9_+#.-]{1,32}$/;

/** The text a heading shows, for its id and the table of contents. */
export function headingText(children: Token[] | null): string {
  const parts = (children ?? []).map((child) => {
    if (child.type === 'text' || child.type === 'code_inline') return child.content;
    if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
    return '';
  });
  return collapseWhitespace(parts.join(''));
}

function keepSafeUrl(token: Token, name: 'href' | 'src'): void {
  const url = token.attrGet(name);
  // validateLink already refused these while parsing; this catches a plugin or rule that adds URLs later.
  if (url !== null && !isAllowedUrl(String(url))) token.attrs = (token.attrs ?? []).filter(([attr]) => attr !== name);
}

function sanitizeFenceLanguages(md: MarkdownItInstance): void {
  md.core.ruler.push('faq_fence_language', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'fence') continue;
      const language = token.info.trim().split(/\s+/)[0] ?? '';
      token.info = LANGUAGE_TAG.test(language) ? language : '';
    }
  });
}

/** Table alignment as a class (`align-center`): inline `style` stays out of stored HTML. */
function alignmentAsClass(md: MarkdownItInstance): void {
  md.core.ruler.push('faq_table_alignment', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const alignment = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
      token.attrs = alignment === undefined ? null : [['class', `align-${alignment}`]];
    }
  });
}

/**
 * The page's title is its only h1: a body that uses `#` headings moves them all one level down (at most
 * h6), so its outline stays intact; a body that starts at `##` (the kb/ convention) is left as written.
 */
function headingsBelowTitle(md: MarkdownItInstance): void {
  md.core.ruler.push('faq_heading_levels', (state) => {
    const headings = state.tokens.filter((token) => token.type === 'heading_open' || token.type === 'heading_close');
    if (!headings.some((token) => token.tag === 'h1')) return;
    for (const token of headings) token.tag = `h${Math.min(Number(token.tag.slice(1)) + 1, 6)}`;
  });
}

function addRenderRules(md: MarkdownItInstance): void {
  const rules = md.renderer.rules;
  const defaultImage: RendererRule | undefined = rules.image;

  rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    keepSafeUrl(token, 'href');
    const href = token.attrGet('href');
    if (href !== null && isExternalUrl(String(href))) token.attrSet('rel', 'noopener nofollow');
    return self.renderToken(tokens, idx, options);
  };

  rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    keepSafeUrl(token, 'src');
    token.attrSet('loading', 'lazy');
    return defaultImage ? defaultImage(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };

  // The wrapper scrolls wide tables on small screens (`.table-wrap` in loket.css).
  rules.table_open = () => '<div class="table-wrap"><table>\n';
  rules.table_close = () => '</table></div>\n';
}

/**
 * The one markdown-it set-up for FAQ articles. `html: false` is the XSS defence (the stored HTML is served
 * unescaped); never use the 'commonmark' preset, which turns raw HTML on.
 */
export function createFaqMarkdownIt(): MarkdownItInstance {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = isAllowedUrl;
  md.use(anchor, {
    slugify: headingSlug,
    getTokensText: headingText,
    uniqueSlugStartIndex: 2,
    tabIndex: false,
  });
  sanitizeFenceLanguages(md);
  alignmentAsClass(md);
  headingsBelowTitle(md);
  addRenderRules(md);
  return md;
}

export const faqMarkdownIt: MarkdownItInstance = createFaqMarkdownIt();
