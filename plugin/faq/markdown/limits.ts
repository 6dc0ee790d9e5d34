import { LoketError } from '../../errors.js';

export const MAX_MARKDOWN_CHARS = 100_000;

/** Checked before any parsing, in the calling thread too, so an oversized body is never copied to the worker. */
export function assertMarkdownSize(source: string): void {
  if (source.length > MAX_MARKDOWN_CHARS) {
    throw new LoketError({
      status: 413,
      code: 'too_large',
      message: 'The article body is too long (at most 100,000 characters).',
      field: 'body',
    });
  }
}
