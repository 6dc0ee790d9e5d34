/**
 * Around the measurements: how much room the articles and their full-text index take, and a full
 * rebuild of the index with Loket's `rebuildFullText` (FTS5 'rebuild' on SQLite, OPTIMIZE TABLE on
 * MariaDB), checked against what a search finds before and after it.
 */
import { statSync } from 'node:fs';
import { parseDatabaseUrl } from '../../plugin/config/database-url.js';
import { normaliseForSearch } from '../../plugin/customers/search-terms.js';
import { fullTextMatches, fullTextQuery, fullTextWords, rebuildFullText } from '../../plugin/db/fulltext.js';
import { faqArticleIndex } from '../../plugin/faq/search-index.js';
import type { LoketInternals } from '../../plugin/loket.js';
import { mib } from '../lib/report.js';
import type { BenchQuery } from './queries.js';

const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

export async function storageLines(loket: LoketInternals, databaseUrl: string): Promise<string[]> {
  const { knex, tables, dialect } = loket.container;
  const index = faqArticleIndex(tables);
  if (dialect === 'sqlite') {
    const target = parseDatabaseUrl(databaseUrl);
    if (target.dialect !== 'sqlite') return [];
    const rows = await knex.raw<{ bytes: number }[]>(`select sum(length(block)) as bytes from "${index.name}_data"`);
    return [
      `Database file: ${mib(fileSize(target.filename))} (plus ${mib(fileSize(`${target.filename}-wal`))} write-ahead log), of which the FTS5 index (\`${index.name.slice(tables.prefix.length)}_data\`) ${mib(Number(rows[0]?.bytes ?? 0))}.`,
    ];
  }
  const [ids] = (await knex.raw('select table_id as id from information_schema.innodb_sys_tables where name = concat(database(), ?, ?)', ['/', tables.faq_articles])) as [{ id: number }[]];
  const hex = Number(ids[0]?.id ?? 0).toString(16).padStart(16, '0');
  const [spaces] = (await knex.raw(
    "select sum(case when name like concat(database(), '/FTS\\_', ?, '%') then allocated_size else 0 end) as fts, sum(case when name = concat(database(), '/', ?) then allocated_size else 0 end) as articles from information_schema.innodb_sys_tablespaces",
    [hex, tables.faq_articles],
  )) as [{ fts: number | null; articles: number | null }[]];
  const [pool] = (await knex.raw('select @@innodb_buffer_pool_size as b, @@innodb_flush_method as f, @@innodb_ft_cache_size as c')) as [{ b: number; f: string; c: number }[]];
  return [
    `InnoDB files: \`faq_articles\` ${mib(Number(spaces[0]?.articles ?? 0))} (rows and secondary indexes), its FULLTEXT auxiliary tables ${mib(Number(spaces[0]?.fts ?? 0))}. Buffer pool: ${mib(Number(pool[0]?.b))}, flush method ${pool[0]?.f ?? '?'}, innodb_ft_cache_size ${mib(Number(pool[0]?.c))}.`,
  ];
}

/** An InnoDB default stopword that is also a frequent English word of the generated articles. */
const STOPWORD_PROBE = 'will';

export interface RebuildResult {
  seconds: number;
  /** Engine matches (uncapped) for the probe word and for the queries, before and after. */
  probe: { word: string; before: number; after: number };
  changed: { q: string; before: number; after: number }[];
  compared: number;
}

export async function rebuildIndex(loket: LoketInternals, queries: BenchQuery[]): Promise<RebuildResult> {
  const { knex, tables, dialect } = loket.container;
  const index = faqArticleIndex(tables);
  const matches = async (q: string): Promise<number> => {
    const match = fullTextQuery(dialect, fullTextWords(normaliseForSearch(q)));
    if (match === null) return 0;
    const row = (await knex.from(knex.raw('(?) as h', [fullTextMatches(knex, dialect, index, match, 10_000_000)])).count({ n: '*' }).first()) as { n: unknown } | undefined;
    return Number(row?.n ?? 0);
  };
  const probed = [STOPWORD_PROBE, ...queries.map((q) => q.q)];
  const before = new Map<string, number>();
  for (const q of probed) before.set(q, await matches(q));
  const t0 = performance.now();
  await rebuildFullText(knex, dialect, index);
  const seconds = (performance.now() - t0) / 1000;
  const after = new Map<string, number>();
  for (const q of probed) after.set(q, await matches(q));
  return {
    seconds,
    probe: { word: STOPWORD_PROBE, before: before.get(STOPWORD_PROBE)!, after: after.get(STOPWORD_PROBE)! },
    changed: queries.map((q) => ({ q: q.q, before: before.get(q.q)!, after: after.get(q.q)! })).filter((c) => c.before !== c.after),
    compared: queries.length,
  };
}
