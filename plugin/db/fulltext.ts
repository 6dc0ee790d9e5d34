import type { Knex } from 'knex';
import type { Dialect } from './knex-factory.js';
import { rowsOf } from './rows.js';

/**
 * Full-text search in both dialects behind one shape: FTS5 (external content, kept in step by
 * triggers) on SQLite, InnoDB FULLTEXT on MariaDB/MySQL. The indexed columns hold text already folded
 * by the application (lower case, no accents), so both engines see the same words and neither engine's
 * collation decides what "accent-insensitive" means.
 *
 * A knex table rebuild on SQLite (`alter`, `dropColumn`) silently drops triggers: every migration that
 * alters an indexed table must call `ensureFullText` again afterwards.
 */
export interface FullTextIndex {
  /** The content table (prefixed) and its integer primary key. */
  table: string;
  /** Indexed columns, most important first (ranking weighs the first one most). */
  columns: readonly [string, ...string[]];
  /** Base name for the FTS5 table, its triggers and the FULLTEXT indexes (prefixed already). */
  name: string;
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

export async function ensureFullText(knex: Knex, dialect: Dialect, index: FullTextIndex): Promise<void> {
  const { table, columns, name } = index;
  if (dialect === 'sqlite') {
    const cols = columns.map(q).join(', ');
    const news = columns.map((c) => `new.${q(c)}`).join(', ');
    const olds = columns.map((c) => `old.${q(c)}`).join(', ');
    const fts = q(name);
    await knex.raw(
      `create virtual table if not exists ${fts} using fts5(${cols}, content=${q(table)}, content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3')`,
    );
    await knex.raw(`create trigger if not exists ${q(`${name}_ai`)} after insert on ${q(table)} begin insert into ${fts}(rowid, ${cols}) values (new.id, ${news}); end`);
    await knex.raw(`create trigger if not exists ${q(`${name}_ad`)} after delete on ${q(table)} begin insert into ${fts}(${fts}, rowid, ${cols}) values ('delete', old.id, ${olds}); end`);
    // Only changes to indexed columns touch the index: counters and states update without reindexing.
    await knex.raw(
      `create trigger if not exists ${q(`${name}_au`)} after update of ${cols} on ${q(table)} begin insert into ${fts}(${fts}, rowid, ${cols}) values ('delete', old.id, ${olds}); insert into ${fts}(rowid, ${cols}) values (new.id, ${news}); end`,
    );
    return;
  }
  const existing = await rowsOf<{ name: string }>(
    knex('information_schema.statistics').whereRaw('table_schema = database()').where({ table_name: table }).whereIn('index_name', [`${name}_first`, `${name}_all`]).distinct('index_name as name'),
  );
  const have = new Set(existing.map((r) => r.name));
  // Every word counts (no stopword list): "about", "which" or "will" may be what someone looks for.
  // The setting is read when an index is built, so it must be set on the connection that builds them:
  // a transaction is one connection (a migration runs in one; a nested one would be a savepoint, which
  // the DDL's implicit commit breaks on MySQL).
  const build = async (trx: Knex.Transaction) => {
    await trx.raw('set session innodb_ft_enable_stopword = 0');
    if (!have.has(`${name}_first`)) await trx.raw(`alter table \`${table}\` add fulltext index \`${name}_first\` (\`${columns[0]}\`)`);
    if (!have.has(`${name}_all`)) await trx.raw(`alter table \`${table}\` add fulltext index \`${name}_all\` (${columns.map((c) => `\`${c}\``).join(', ')})`);
  };
  if (knex.isTransaction) await build(knex as Knex.Transaction);
  else await knex.transaction(build);
}

export async function dropFullText(knex: Knex, dialect: Dialect, index: FullTextIndex): Promise<void> {
  if (dialect === 'sqlite') {
    for (const suffix of ['_ai', '_ad', '_au']) await knex.raw(`drop trigger if exists ${q(index.name + suffix)}`);
    await knex.raw(`drop table if exists ${q(index.name)}`);
  }
  // MariaDB's FULLTEXT indexes go with their table.
}

/**
 * Rebuilds the index from its content table (after a bulk load with triggers bypassed, or repair).
 * OPTIMIZE TABLE recreates an InnoDB table and its FULLTEXT indexes, so it needs the same
 * no-stopwords setting on its connection as the first build, or the rebuilt index loses common words.
 */
export async function rebuildFullText(knex: Knex, dialect: Dialect, index: FullTextIndex): Promise<void> {
  if (dialect === 'sqlite') {
    await knex.raw(`insert into ${q(index.name)}(${q(index.name)}) values ('rebuild')`);
    return;
  }
  await knex.transaction(async (trx) => {
    await trx.raw('set session innodb_ft_enable_stopword = 0');
    await trx.raw(`optimize table \`${index.table}\``);
  });
}

/** Words shorter than this are a prefix too short to be worth a prefix scan; they must match whole. */
const MIN_PREFIX = 3;
/** InnoDB indexes no word shorter than `innodb_ft_min_token_size` (3 by default). */
const INNODB_MIN_TOKEN = 3;
export const MAX_QUERY_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/**
 * Splits folded text into the words an engine indexes: letters and digits only. Everything else
 * (quotes, `NEAR(`, `*`, `+-<>()~@:`) is a separator, so no input can reach either engine's syntax.
 */
export function fullTextWords(folded: string): string[] {
  return [...new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== ''))]
    .map((w) => w.slice(0, MAX_WORD_LENGTH))
    .slice(0, MAX_QUERY_WORDS);
}

/**
 * The engine's query for words that must all occur; each word long enough is also a prefix, so
 * "passw" finds "password" while someone types. Null when nothing searchable is left.
 */
export function fullTextQuery(dialect: Dialect, words: readonly string[]): string | null {
  if (dialect === 'sqlite') {
    if (!words.length) return null;
    return words.map((w) => `"${w}"${w.length >= MIN_PREFIX ? '*' : ''}`).join(' AND ');
  }
  // Short words are not in an InnoDB index; requiring one would find nothing at all.
  const indexed = words.filter((w) => w.length >= INNODB_MIN_TOKEN);
  if (!indexed.length) return null;
  return indexed.map((w) => `+${w}*`).join(' ');
}

/**
 * `select id, score from <matches> limit cap`: the ids of matching rows with a relevance score
 * (higher is better), at most `cap` of them. The cap bounds the work for words that occur nearly
 * everywhere; callers filter and order these candidates. `firstColumnOnly` looks in the first (most
 * important, smallest) column alone.
 */
export function fullTextMatches(knex: Knex, dialect: Dialect, index: FullTextIndex, query: string, cap: number, firstColumnOnly = false): Knex.Raw {
  const [first] = index.columns;
  if (dialect === 'sqlite') {
    const weights = index.columns.map((_, i) => (i === 0 ? '10.0' : '1.0')).join(', ');
    const match = firstColumnOnly ? `${q(first)} : (${query})` : query;
    return knex.raw(`select rowid as id, -bm25(${q(index.name)}, ${weights}) as score from ${q(index.name)} where ${q(index.name)} match ? limit ?`, [match, cap]);
  }
  if (firstColumnOnly) {
    return knex.raw(`select id, match(\`${first}\`) against (? in boolean mode) as score from \`${index.table}\` where match(\`${first}\`) against (? in boolean mode) limit ?`, [query, query, cap]);
  }
  const all = index.columns.map((c) => `\`${c}\``).join(', ');
  return knex.raw(
    `select id, (match(\`${first}\`) against (? in boolean mode)) * 5 + match(${all}) against (? in boolean mode) as score from \`${index.table}\` where match(${all}) against (? in boolean mode) limit ?`,
    [query, query, query, cap],
  );
}
