/**
 * The database alone, in this process, without HTTP: Loket's own search statements (the store's
 * `search()`, a page query and a count) against the LIKE scan's two statements, one query at a time, and
 * the query plans both databases choose. Timed from knex's `query` event to its `query-response` event,
 * so the figures include the driver but neither the pool wait nor any HTTP.
 */
import type { Knex } from 'knex';
import { createCustomerUserStore } from '../../plugin/customers/backends/db/store.js';
import { parseSearch } from '../../plugin/customers/search-terms.js';
import type { TableNames } from '../../plugin/db/tables.js';
import type { Statement } from '../lib/explain.js';
import type { SearchTerm, TermKind } from './people.js';
import { likeScan } from './scan-query.js';

export const PAGE = 50;
/** Loket's list limit (`customerUsers.searchLimit`'s default): its count stops here, the scan's never does. */
export const CAP = 1000;

interface QueryEvent {
  __knexQueryUid: string;
  sql: string;
  bindings?: unknown[];
}

export interface TimedSearch {
  term: SearchTerm;
  /** Milliseconds of the page query and of the count query. */
  rowsMs: number;
  countMs: number;
  /** Matches counted: Loket's up to CAP (then `capped`), the scan's all of them. */
  total: number;
  capped: boolean;
  statements: Statement[];
}

/** Times every statement knex sends while `work` runs; one search at a time, so the order is theirs. */
async function timed(knex: Knex, work: () => Promise<Counted>): Promise<{ ms: number[]; counted: Counted; statements: Statement[] }> {
  const started = new Map<string, number>();
  const ms: number[] = [];
  const statements: Statement[] = [];
  const onQuery = (q: QueryEvent) => {
    started.set(q.__knexQueryUid, performance.now());
    statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  const onResponse = (_response: unknown, q: QueryEvent) => {
    const t0 = started.get(q.__knexQueryUid);
    if (t0 !== undefined) ms.push(performance.now() - t0);
  };
  knex.on('query', onQuery);
  knex.on('query-response', onResponse);
  try {
    const counted = await work();
    return { ms, counted, statements };
  } finally {
    knex.removeListener('query', onQuery);
    knex.removeListener('query-response', onResponse);
  }
}

interface Counted {
  total: number;
  capped: boolean;
}

export function sqlSides(knex: Knex, tables: TableNames) {
  const store = createCustomerUserStore(knex, tables);
  const scan = likeScan(knex, tables.customer_users);
  const pair = async (term: SearchTerm, work: () => Promise<Counted>): Promise<TimedSearch> => {
    const { ms, counted, statements } = await timed(knex, work);
    if (ms.length !== 2) throw new Error(`expected a page query and a count, saw ${ms.length} statements for ${JSON.stringify(term.term)}`);
    return { term, rowsMs: ms[0]!, countMs: ms[1]!, ...counted, statements };
  };
  return {
    /** Exactly the statements Loket's database backend sends for an unscoped search (an admin's), with the API's default cap. */
    prefix: (term: SearchTerm) =>
      pair(term, async () => {
        const { total, capped } = await store.search({ words: parseSearch(term.term), scope: null, source: 'db', limit: PAGE, offset: 0, cap: CAP });
        return { total, capped };
      }),
    scan: (term: SearchTerm) =>
      pair(term, async () => {
        await scan.rows(term.term, PAGE);
        return { total: await scan.count(term.term), capped: false };
      }),
  };
}

export type SqlSides = ReturnType<typeof sqlSides>;

/** The whole search as the API's controller calls it: the service, i.e. the store plus building the records. */
export type ServiceSearch = (term: SearchTerm) => Promise<unknown>;

/**
 * Runs `runs` searches per side over the term list, alternating sides, after a short unmeasured warm-up;
 * then the same terms once more through the service, to show what building the records adds to the SQL.
 */
export async function timeSql(sides: SqlSides, service: ServiceSearch, terms: SearchTerm[], runs: number, progress: (text: string) => void) {
  const warm = Math.min(5, terms.length);
  for (let i = 0; i < warm; i++) {
    await sides.prefix(terms[i]!);
    await sides.scan(terms[i]!);
    await service(terms[i]!);
  }
  const prefix: TimedSearch[] = [];
  const scan: TimedSearch[] = [];
  const serviceMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const term = terms[i % terms.length]!;
    // Alternate which side goes first, so neither always finds the other's pages in the cache.
    if (i % 2 === 0) {
      prefix.push(await sides.prefix(term));
      scan.push(await sides.scan(term));
    } else {
      scan.push(await sides.scan(term));
      prefix.push(await sides.prefix(term));
    }
    const t0 = performance.now();
    await service(term);
    serviceMs.push(performance.now() - t0);
    if ((i + 1) % 10 === 0) progress(`  SQL ${i + 1}/${runs}`);
  }
  return { prefix, scan, serviceMs };
}

export const KINDS: TermKind[] = ['last name', 'login', 'e-mail'];
