/**
 * The search alone, in this process, without HTTP: Loket's reader service (`faqReader.search` and
 * `faqReader.suggest`, anonymous, limit 10, as the API calls them) against the LIKE scan, one call at a
 * time, per kind of query. Every SQL statement is timed from knex's `query` event to its
 * `query-response`, so the report can say how much of a call is the full-text statements and how much
 * the rest (the category tree, building the hits and snippets).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { LoketInternals } from '../../plugin/loket.js';
import type { Statement } from '../lib/explain.js';
import type { BenchQuery } from './queries.js';
import { likeScan } from './scan-query.js';

export const LIMIT = 10;

interface QueryEvent {
  __knexQueryUid: string;
  sql: string;
  bindings?: unknown[];
}

export interface TimedStatement extends Statement {
  ms: number;
}

export interface TimedCall {
  query: BenchQuery;
  ms: number;
  statements: TimedStatement[];
  /** Hits returned (at most LIMIT). */
  found: number;
  /** Search only: Loket's total and whether its candidates were cut off. */
  total?: number;
  capped?: boolean;
}

export type Side = 'search' | 'suggest' | 'scan';

async function timed(knex: Knex, work: () => Promise<{ found: number; total?: number; capped?: boolean }>): Promise<Omit<TimedCall, 'query'>> {
  const started = new Map<string, { at: number; statement: Statement }>();
  const statements: TimedStatement[] = [];
  const onQuery = (q: QueryEvent) => void started.set(q.__knexQueryUid, { at: performance.now(), statement: { sql: q.sql, bindings: q.bindings ?? [] } });
  const onResponse = (_response: unknown, q: QueryEvent) => {
    const s = started.get(q.__knexQueryUid);
    if (s) statements.push({ ...s.statement, ms: performance.now() - s.at });
  };
  knex.on('query', onQuery);
  knex.on('query-response', onResponse);
  try {
    const t0 = performance.now();
    const outcome = await work();
    return { ms: performance.now() - t0, statements, ...outcome };
  } finally {
    knex.removeListener('query', onQuery);
    knex.removeListener('query-response', onResponse);
  }
}

/** A statement of the full-text engine (FTS5 MATCH or InnoDB MATCH … AGAINST). */
export const isFullText = (sql: string): boolean => / match /i.test(sql) || /against \(/i.test(sql);

export function inProcessSides(loket: LoketInternals) {
  const { knex, tables, services } = loket.container;
  const scan = likeScan(knex, tables.faq_articles);
  return {
    search: (query: BenchQuery) =>
      timed(knex, async () => {
        const r = await services.faqReader.search(null, { q: query.q, limit: LIMIT });
        return { found: r.items.length, total: r.total, capped: r.capped };
      }),
    suggest: (query: BenchQuery) => timed(knex, async () => ({ found: (await services.faqReader.suggest(null, { q: query.q, limit: LIMIT })).length })),
    scan: (query: BenchQuery) => timed(knex, async () => ({ found: (await scan(query.q, LIMIT)).length })),
  };
}

/**
 * Each query `loketRuns` times through search and suggest and once through the scan (a scan of a rare
 * word reads the whole table), the sides taking turns so none always finds the others' pages cached;
 * after one unmeasured pass over the first few queries.
 */
export async function timeInProcess(loket: LoketInternals, queries: BenchQuery[], loketRuns: number, progress: (text: string) => void): Promise<Record<Side, TimedCall[]>> {
  const sides = inProcessSides(loket);
  for (const query of queries.slice(0, 6)) {
    await sides.search(query);
    await sides.suggest(query);
    await sides.scan(query);
  }
  const out: Record<Side, TimedCall[]> = { search: [], suggest: [], scan: [] };
  for (const [i, query] of queries.entries()) {
    const order: Side[] = i % 2 === 0 ? ['scan', 'search', 'suggest'] : ['search', 'suggest', 'scan'];
    for (const side of order) {
      const runs = side === 'scan' ? 1 : loketRuns;
      for (let r = 0; r < runs; r++) out[side].push({ query, ...(await sides[side](query)) });
    }
    if ((i + 1) % 10 === 0 || i + 1 === queries.length) progress(`  in process: ${i + 1}/${queries.length} queries`);
    // SQLite's driver is synchronous: without a turn of the event loop now and then, Ctrl-C would wait.
    await nextTurn();
  }
  return out;
}
