/**
 * The baseline: how OTOBO's database backend searches customer users, a `LIKE '%term%'` over several
 * columns of the user table, which no B-tree index can answer, so every search reads the whole table.
 * Like Loket it also counts the matches (for "x of y"). The columns are compared as stored, without
 * LOWER(): SQLite's LIKE already ignores ASCII case and MariaDB's default collation ignores case (and
 * `login`, binary, holds lower case only), so this is the cheapest honest form of the scan.
 */
import type { Knex } from 'knex';
import { LIKE_ESCAPE } from '../../plugin/customers/search-terms.js';

const SCANNED = ['login', 'email', 'last_name', 'first_name'] as const;

/** What the scan returns per user: the columns a list shows, never the password hash. */
const COLUMNS = ['id', 'login', 'email', 'customer_id', 'title', 'first_name', 'last_name', 'phone', 'street', 'zip', 'city', 'country', 'validity'];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);

export interface ScanRow {
  id: number;
  login: string;
  email: string;
  customer_id: string;
  first_name: string;
  last_name: string;
}

export function likeScan(knex: Knex, table: string) {
  const matching = (term: string) => {
    const pattern = `%${escapeLike(term)}%`;
    return knex(table).where((w) => {
      for (const column of SCANNED) void w.orWhereRaw('?? like ? escape ?', [column, pattern, LIKE_ESCAPE]);
    });
  };
  return {
    rows: (term: string, limit: number) => matching(term).select(COLUMNS).orderBy('login').limit(limit) as Promise<ScanRow[]>,
    async count(term: string): Promise<number> {
      const row = (await matching(term).count({ n: '*' }).first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },
  };
}
