/** What a database plans for a statement the bench captured from knex, and the statement as readable SQL. */
import type { Knex } from 'knex';
import type { Dialect } from '../../plugin/db/knex-factory.js';

/** A statement as knex's `query` event hands it over. */
export interface Statement {
  sql: string;
  bindings: unknown[];
}

/** The plan a database chooses for a captured statement, as text lines. */
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
  const columns = ['id', 'select_type', 'table', 'type', 'key', 'key_len', 'rows', 'Extra'];
  return [columns.join(' | '), ...rows.map((r) => columns.map((c) => String(r[c] ?? '')).join(' | '))];
}

/** The statement with its values written in, for the report (values are generated names, never user input). */
export function inline(statement: Statement): string {
  let i = 0;
  return statement.sql.replace(/\?/g, () => {
    const value = statement.bindings[i++];
    return typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
  });
}

export interface ShownPlan {
  title: string;
  sql: string;
  plan: string[];
}

/** Markdown: each plan under its title, the statement and the plan in one code block. */
export function planSection(plans: ShownPlan[]): string[] {
  const out: string[] = [];
  for (const p of plans) {
    out.push(`${p.title}:`, '', '```', p.sql, '', ...p.plan, '```', '');
  }
  return out;
}
