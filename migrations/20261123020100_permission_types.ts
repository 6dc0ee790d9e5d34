import type { Knex } from 'knex';
import type { MigrationContext } from '../plugin/db/migrator.js';

/** Data: the three built-in permission types, weakest first; `rw` stays the strongest and implies all. */
const BUILT_IN = [
  { name: 'ro', position: 10, comment: 'see' },
  { name: 'create', position: 20, comment: 'create (file tickets, submit requests)' },
  { name: 'rw', position: 1000, comment: 'full access; implies every other type' },
];

export async function up(knex: Knex, { tables }: MigrationContext): Promise<void> {
  for (const type of BUILT_IN) {
    await knex(tables.permission_types).insert({ ...type, built_in: true }).onConflict('name').ignore();
  }
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  await knex(tables.permission_types).whereIn('name', BUILT_IN.map((t) => t.name)).del();
}
