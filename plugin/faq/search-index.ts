import type { FullTextIndex } from '../db/fulltext.js';
import type { TableNames } from '../db/tables.js';

/** The article index: the folded title (with keywords) weighs most, then summary and body. */
export const faqArticleIndex = (tables: TableNames): FullTextIndex => ({
  table: tables.faq_articles,
  columns: ['search_title', 'search_body'],
  name: `${tables.prefix}faq_fts`,
});
