/**
 * The baseline: a knowledge base without a full-text index, searching as OTOBO's FAQ module does with
 * its database backend: every word typed as `LIKE '%word%'` over title, summary and body (the markdown
 * as stored), all words required, over published public articles, the first 10 found. No index can
 * answer a leading `%`, so a word that occurs rarely reads the whole table; a common word stops early,
 * as soon as 10 rows matched (there is no ORDER BY and no count, which favours the scan). Case follows
 * each database's LIKE: SQLite ignores ASCII case only, MariaDB's default collation also ignores accents.
 */
import type { Knex } from 'knex';
import { LIKE_ESCAPE } from '../../plugin/customers/search-terms.js';

const SCANNED = ['title', 'summary', 'body_md'] as const;
const COLUMNS = ['id', 'slug', 'language', 'category_id', 'title', 'summary'];
const MAX_WORDS = 8;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);

export interface ScanRow {
  id: number;
  slug: string;
  language: string;
  category_id: number;
  title: string;
  summary: string;
}

/** The words as typed, split on white space. */
export const scanWords = (q: string): string[] => q.trim().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);

export function likeScan(knex: Knex, table: string) {
  return (q: string, limit: number): Promise<ScanRow[]> => {
    const query = knex(table).where({ state: 'published', visibility: 'public' });
    for (const word of scanWords(q)) {
      const pattern = `%${escapeLike(word)}%`;
      void query.where((w) => {
        for (const column of SCANNED) void w.orWhereRaw('?? like ? escape ?', [column, pattern, LIKE_ESCAPE]);
      });
    }
    return query.select(COLUMNS).limit(limit) as Promise<ScanRow[]>;
  };
}
