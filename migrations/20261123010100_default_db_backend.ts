import type { Knex } from 'knex';
import type { MigrationContext } from '../plugin/db/migrator.js';

/** Data: the database backend as the first (and so far only) customer-user backend, with the default map. */
export async function up(knex: Knex, { tables }: MigrationContext): Promise<void> {
  await knex(tables.customer_user_backends)
    .insert({
      backend_key: 'db',
      type: 'db',
      position: 0,
      settings_json: '{}',
      updated_at: new Date().toISOString(),
      updated_by: 'migration',
      version: 1,
    })
    .onConflict('backend_key')
    .ignore();
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  await knex(tables.customer_user_backends).where({ backend_key: 'db' }).del();
}
