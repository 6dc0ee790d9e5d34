import type { Knex } from 'knex';

/**
 * Runs a query whose select list the store chose itself and names the shape of its rows. knex cannot
 * infer the columns of joins and aliases; the store that wrote the select is the one that knows them.
 */
export async function rowsOf<T>(query: Knex.QueryBuilder): Promise<T[]> {
  const rows: unknown = await query;
  return rows as T[];
}
