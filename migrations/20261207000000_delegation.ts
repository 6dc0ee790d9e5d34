import type { Knex } from 'knex';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * Delegations between organisations (a key user of C lets an e-mail address work in C for a while),
 * holiday deputies (a key user or manager hands their rights to a
 * colleague of the same customer for a period), and each session switch in and out (the usage report).
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);

  await createTableIfMissing(knex, tables.delegations, (t) => {
    t.increments('id');
    exact(t.string('customer_id', 150).notNullable());
    t.string('email', 254).notNullable();
    // Lower-cased address: who may use the delegation (every valid account with this address).
    t.string('email_key', 254).notNullable();
    // 'customer' | 'key-user'
    t.string('role', 16).notNullable();
    t.string('starts_at', 24).notNullable();
    // NULL: open-ended (listed for periodic review).
    t.string('ends_at', 24).nullable();
    t.string('reason', 500).notNullable();
    t.string('created_at', 24).notNullable();
    t.string('created_by', 191).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('revoked_at', 24).nullable();
    t.string('revoked_by', 191).nullable();
    t.string('reviewed_at', 24).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.index(['customer_id', 'created_at'], `${p}deleg_customer_ix`);
    t.index(['email_key'], `${p}deleg_email_ix`);
  });

  await createTableIfMissing(knex, tables.deputies, (t) => {
    t.increments('id');
    exact(t.string('customer_id', 150).notNullable());
    // The person away (key user or manager) and their stand-in, both customer users of customer_id.
    t.integer('principal_id').unsigned().notNullable();
    t.integer('deputy_id').unsigned().notNullable();
    t.string('starts_at', 24).notNullable();
    t.string('ends_at', 24).notNullable();
    t.string('reason', 500).notNullable();
    t.string('created_at', 24).notNullable();
    t.string('created_by', 191).notNullable();
    t.string('revoked_at', 24).nullable();
    t.string('revoked_by', 191).nullable();
    t.index(['principal_id', 'ends_at'], `${p}deputy_principal_ix`);
    t.index(['deputy_id', 'ends_at'], `${p}deputy_deputy_ix`);
    t.index(['customer_id'], `${p}deputy_customer_ix`);
  });

  await createTableIfMissing(knex, tables.delegation_switches, (t) => {
    t.increments('id');
    t.integer('delegation_id').unsigned().notNullable();
    t.foreign('delegation_id', `${p}dsw_deleg_fk`).references('id').inTable(tables.delegations).onDelete('CASCADE');
    exact(t.string('customer_id', 150).notNullable());
    t.integer('customer_user_id').unsigned().notNullable();
    t.string('login', 191).notNullable();
    // 'in' | 'out' | 'ended' (expiry or revocation noticed on a request)
    t.string('direction', 8).notNullable();
    t.string('via', 8).notNullable();
    t.string('at', 24).notNullable();
    t.index(['customer_id', 'at'], `${p}dsw_customer_ix`);
  });
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  for (const table of [tables.delegation_switches, tables.deputies, tables.delegations]) {
    await knex.schema.dropTableIfExists(table);
  }
}
