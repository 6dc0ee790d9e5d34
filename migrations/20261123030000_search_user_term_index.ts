import type { Knex } from 'knex';
import { indexExists, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * A multi-word search checks every further word with EXISTS on the same user's terms. With the user's
 * terms in the index beside the user id, that check reads the index only, never the table. The new
 * index comes first: on MySQL the foreign key on customer_user_id needs one of them at every moment.
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const table = tables.customer_user_search;
  const [wide, narrow] = [`${tables.prefix}cus_user_term_ix`, `${tables.prefix}cus_user_ix`];
  if (!(await indexExists(knex, dialect, table, wide))) {
    await knex.schema.alterTable(table, (t) => {
      t.index(['customer_user_id', 'term'], wide);
    });
  }
  if (await indexExists(knex, dialect, table, narrow)) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(['customer_user_id'], narrow);
    });
  }
}

export async function down(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const table = tables.customer_user_search;
  const [wide, narrow] = [`${tables.prefix}cus_user_term_ix`, `${tables.prefix}cus_user_ix`];
  if (!(await indexExists(knex, dialect, table, narrow))) {
    await knex.schema.alterTable(table, (t) => {
      t.index(['customer_user_id'], narrow);
    });
  }
  if (await indexExists(knex, dialect, table, wide)) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(['customer_user_id', 'term'], wide);
    });
  }
}
