/**
 * SQL statements knex sends while some long work runs (a sync of 100,000 entries, a run of searches),
 * counted and timed per kind ("select customer_users", "insert customer_user_search") from knex's `query`
 * event to its `query-response`. Only totals are kept: a list of every statement would itself grow the
 * peak RSS the sync is measured for.
 */
import type { Knex } from 'knex';
import { statementName } from '../effective-permissions/report.js';

export interface StatementKind {
  name: string;
  count: number;
  /** Summed time from sending to the answer, in milliseconds (overlapping statements each count in full). */
  ms: number;
}

interface QueryEvent {
  __knexQueryUid: string;
  sql: string;
}

/** Starts counting; `stop()` removes the listeners and answers the kinds, most time first. */
export function countStatements(knex: Knex, prefix: string): { stop(): StatementKind[] } {
  const started = new Map<string, { at: number; name: string }>();
  const kinds = new Map<string, StatementKind>();
  const onQuery = (q: QueryEvent) => {
    const name = statementName(q.sql, prefix).replace(/ \?$/, '');
    started.set(q.__knexQueryUid, { at: performance.now(), name });
    const kind = kinds.get(name) ?? { name, count: 0, ms: 0 };
    kind.count += 1;
    kinds.set(name, kind);
  };
  const onDone = (_response: unknown, q: QueryEvent) => {
    const entry = started.get(q.__knexQueryUid);
    if (!entry) return;
    started.delete(q.__knexQueryUid);
    kinds.get(entry.name)!.ms += performance.now() - entry.at;
  };
  const onError = (_error: unknown, q: QueryEvent) => onDone(undefined, q);
  knex.on('query', onQuery);
  knex.on('query-response', onDone);
  knex.on('query-error', onError);
  return {
    stop() {
      knex.removeListener('query', onQuery);
      knex.removeListener('query-response', onDone);
      knex.removeListener('query-error', onError);
      return [...kinds.values()].sort((a, b) => b.ms - a.ms);
    },
  };
}

export const totalOf = (kinds: StatementKind[]): { count: number; ms: number } =>
  kinds.reduce((t, k) => ({ count: t.count + k.count, ms: t.ms + k.ms }), { count: 0, ms: 0 });
