import { type Token } from 'markdown-it';
import { assertMarkdownSize } from './limits.js';
import { faqMarkdownIt, headingText } from './markdown-it.js';
import { htmlToText } from './text.js';

export interface RenderedMarkdown {
  /** Safe HTML, stored and served as is. */
  html: string;
  /** The visible text, whitespace collapsed: for the search index and snippets. */
  text: string;
  /** For a table of contents. */
  headings: { id: string; text: string; level: number }[];
}

export { MAX_MARKDOWN_CHARS } from './limits.js';

function collectHeadings(tokens: Token[]): RenderedMarkdown['headings'] {
  const headings: RenderedMarkdown['headings'] = [];
  tokens.forEach((token, index) => {
    const id = token.type === 'heading_open' ? token.attrGet('id') : null;
    if (id === null) return;
    headings.push({ id: String(id), text: headingText(tokens[index + 1]?.children ?? null), level: Number(token.tag.slice(1)) });
  });
  return headings;
}

/** Pure and synchronous; may take long on pathological input, so services use `createMarkdownRenderer`. */
export function renderMarkdown(source: string): RenderedMarkdown {
  assertMarkdownSize(source);
  const env = {};
  const tokens = faqMarkdownIt.parse(source, env);
  const html = faqMarkdownIt.renderer.render(tokens, faqMarkdownIt.options, env);
  return { html, text: htmlToText(html), headings: collectHeadings(tokens) };
}
