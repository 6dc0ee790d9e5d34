/** The query plans the database picks for statements recorded from Loket's own calls. */
import type { Knex } from 'knex';
import type { Dialect } from '../../plugin/db/knex-factory.js';
import type { Statement } from './timing.js';

/** One line per plan step: SQLite's EXPLAIN QUERY PLAN as a tree, MariaDB's EXPLAIN rows as `table type key rows extra`. */
export async function explain(knex: Knex, dialect: Dialect, statement: Statement): Promise<string[]> {
  const bindings = statement.bindings as Knex.RawBinding[];
  if (dialect === 'sqlite') {
    const rows = await knex.raw<{ id: number; parent: number; detail: string }[]>(`explain query plan ${statement.sql}`, bindings);
    const depth = new Map<number, number>([[0, -1]]);
    return rows.map((r) => {
      const level = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, level);
      return `${'  '.repeat(level)}${r.detail}`;
    });
  }
  const [rows] = (await knex.raw(`explain ${statement.sql}`, bindings)) as [Record<string, string | number | null>[]];
  return rows.map((r) => {
    const cell = (key: string) => (r[key] === null || r[key] === undefined ? '-' : String(r[key]));
    return `${cell('table')}: ${cell('type')}, key ${cell('key')}, rows ${cell('rows')}${r.Extra ? `, ${cell('Extra')}` : ''}`;
  });
}

/** The statement with its values written in, for the report (the values are the bench's own names and numbers). */
export function inline(statement: Statement): string {
  let i = 0;
  return statement.sql.replace(/\?/g, () => {
    const value = statement.bindings[i++];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}
