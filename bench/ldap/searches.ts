/**
 * Cross-backend customer-user searches through Loket's customer-user service, as the admin's search
 * screen asks (`limit` = the list limit, offset 0), one at a time. The query mix is what people type: the
 * first 3 to 5 letters of a directory user's surname, login or mail address, a whole name, the database
 * users' sampled terms (../customer-search/people.ts: surnames, logins, mail addresses), and words that
 * match nobody. Each search is timed end to end; the SQL it sends is counted by kind.
 */
import type { Actor } from '../../plugin/access/actor.js';
import type { LoketInternals } from '../../plugin/loket.js';
import { randomSource } from '../customer-search/people.js';
import type { SearchTerm } from '../customer-search/people.js';
import { percentile } from '../lib/load.js';
import type { GeneratedDirectory } from './directory.js';
import { countStatements, totalOf } from './statements.js';

export const QUERY_KINDS = ['directory surname', 'directory login', 'directory mail', 'directory full name', 'database term', 'no match'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface Query {
  kind: QueryKind;
  text: string;
}

/** 3 to 5 leading characters, lower case, as typed into a search box. */
function typed(value: string, random: () => number): string {
  const length = 3 + Math.floor(random() * 3);
  const prefix = value.toLowerCase().slice(0, length).trimEnd();
  return prefix.length >= 3 ? prefix : value.toLowerCase();
}

/** `perKind` queries of every kind, interleaved in a fixed random order; `warmUp` more for the JIT. */
export function queryMix(dir: GeneratedDirectory, dbTerms: SearchTerm[], perKind: number, seed: number): { queries: Query[]; warmUp: Query[] } {
  const random = randomSource(seed);
  const person = () => dir.people[Math.floor(random() * dir.people.length)]!;
  const make = (): Query[] => {
    const out: Query[] = [];
    for (let i = 0; i < perKind; i++) {
      const p = person();
      out.push({ kind: 'directory surname', text: typed(p.sn, random) });
      out.push({ kind: 'directory login', text: typed(p.uid, random) });
      out.push({ kind: 'directory mail', text: typed(p.mail[0]!, random) });
      out.push({ kind: 'directory full name', text: `${p.givenName} ${p.sn}` });
      const term = dbTerms.length ? dbTerms[Math.floor(random() * dbTerms.length)]! : null;
      if (term) out.push({ kind: 'database term', text: term.term });
      out.push({ kind: 'no match', text: `qx${Math.floor(random() * 1e6).toString(36)}vz` });
    }
    return out;
  };
  const queries = make();
  const warmUp = make().slice(0, 12);
  // Fisher–Yates, so the kinds alternate unevenly, as real traffic would.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return { queries, warmUp };
}

export interface SearchRun {
  label: string;
  /** Per query: its kind, milliseconds and the number of matches (counted up to the list limit). */
  results: { kind: QueryKind; ms: number; total: number }[];
  statements: { perSearch: number; msPerSearch: number; top: string };
}

export async function searchRun(loket: LoketInternals, admin: Actor, label: string, queries: readonly Query[], opts: { warmUp: readonly Query[]; limit: number }): Promise<SearchRun> {
  const { services, knex, tables } = loket.container;
  for (const q of opts.warmUp) await services.customerUsers.search(admin, { search: q.text, limit: opts.limit, offset: 0 });
  const counting = countStatements(knex, tables.prefix);
  const results: SearchRun['results'] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const page = await services.customerUsers.search(admin, { search: q.text, limit: opts.limit, offset: 0 });
    results.push({ kind: q.kind, ms: performance.now() - t0, total: page.total });
  }
  const kinds = counting.stop();
  const total = totalOf(kinds);
  const n = Math.max(1, queries.length);
  const top = kinds
    .slice(0, 3)
    .map((k) => `${k.name} ${(k.count / n).toFixed(1)}× ${(k.ms / n).toFixed(1)} ms`)
    .join('; ');
  return { label, results, statements: { perSearch: total.count / n, msPerSearch: total.ms / n, top } };
}

export function summary(results: SearchRun['results'], kind?: QueryKind) {
  const picked = kind ? results.filter((r) => r.kind === kind) : results;
  const ms = picked.map((r) => r.ms);
  return {
    n: picked.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    meanMatches: picked.length ? picked.reduce((s, r) => s + r.total, 0) / picked.length : NaN,
  };
}
