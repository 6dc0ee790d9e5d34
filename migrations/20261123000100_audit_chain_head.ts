import type { Knex } from 'knex';
import type { MigrationContext } from '../plugin/db/migrator.js';

/** Data: the audit chain's head row, which every append locks (kept apart from the DDL). */
const GENESIS = '0'.repeat(64);

export async function up(knex: Knex, { tables }: MigrationContext): Promise<void> {
  await knex(tables.audit_head).insert({ id: 1, last_id: 0, last_hash: GENESIS }).onConflict('id').ignore();
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  await knex(tables.audit_head).where({ id: 1 }).del();
}
