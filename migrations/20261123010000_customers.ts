import type { Knex } from 'knex';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * Customers (companies), customer users, their extra customers and key-user marks, the prefix-search
 * index, set-password tokens and the ordered list of customer-user backends.
 *
 * Identifiers that must compare exactly (customer IDs, logins, search terms) use a binary collation on
 * MySQL/MariaDB: the default utf8mb4 collations fold case and accents, so `Acme` would equal `acme` and
 * `josé` would equal `jose`. SQLite compares bytes by default.
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);

  await createTableIfMissing(knex, tables.customers, (t) => {
    t.increments('id');
    exact(t.string('customer_id', 150).notNullable()).unique({ indexName: `${p}customers_cid_uq` });
    t.string('name', 191).notNullable();
    exact(t.string('name_key', 191).notNullable()).index(`${p}customers_name_ix`);
    t.string('street', 191).notNullable().defaultTo('');
    t.string('zip', 32).notNullable().defaultTo('');
    t.string('city', 191).notNullable().defaultTo('');
    t.string('country', 100).notNullable().defaultTo('');
    t.string('url', 500).notNullable().defaultTo('');
    t.text('comment').nullable();
    t.string('validity', 24).notNullable().defaultTo('valid');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });

  await createTableIfMissing(knex, tables.customer_users, (t) => {
    t.increments('id');
    exact(t.string('login', 191).notNullable()).unique({ indexName: `${p}cu_login_uq` });
    t.string('email', 191).notNullable();
    exact(t.string('email_key', 191).notNullable()).index(`${p}cu_email_ix`);
    // Holds email_key while e-mail uniqueness is on, NULL otherwise: a unique index that allows many NULLs.
    exact(t.string('email_unique', 191).nullable()).unique({ indexName: `${p}cu_email_uq` });
    exact(t.string('customer_id', 150).notNullable()).index(`${p}cu_customer_ix`);
    t.string('title', 50).notNullable().defaultTo('');
    t.string('first_name', 100).notNullable().defaultTo('');
    t.string('last_name', 100).notNullable().defaultTo('');
    t.string('phone', 50).notNullable().defaultTo('');
    t.string('fax', 50).notNullable().defaultTo('');
    t.string('mobile', 50).notNullable().defaultTo('');
    t.string('street', 191).notNullable().defaultTo('');
    t.string('zip', 32).notNullable().defaultTo('');
    t.string('city', 191).notNullable().defaultTo('');
    t.string('country', 100).notNullable().defaultTo('');
    t.text('comment').nullable();
    t.text('extra_json').nullable();
    t.string('validity', 24).notNullable().defaultTo('valid');
    t.string('password_hash', 255).nullable();
    t.integer('manager_id').unsigned().nullable().index(`${p}cu_manager_ix`);
    t.string('language', 8).nullable();
    t.string('source', 64).notNullable().defaultTo('db');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('last_login_at', 24).nullable();
    t.string('anonymised_at', 24).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.foreign('customer_id', `${p}cu_customer_fk`).references('customer_id').inTable(tables.customers);
  });

  const link = (name: string, fk: string) =>
    createTableIfMissing(knex, name, (t) => {
      t.integer('customer_user_id').unsigned().notNullable();
      exact(t.string('customer_id', 150).notNullable());
      t.primary(['customer_user_id', 'customer_id']);
      t.index(['customer_id', 'customer_user_id'], `${fk}_cid_ix`);
      t.foreign('customer_user_id', `${fk}_cu_fk`).references('id').inTable(tables.customer_users).onDelete('CASCADE');
      t.foreign('customer_id', `${fk}_c_fk`).references('customer_id').inTable(tables.customers);
    });
  await link(tables.customer_user_customers, `${p}cuc`);
  await link(tables.customer_key_users, `${p}cku`);

  await createTableIfMissing(knex, tables.customer_user_search, (t) => {
    t.integer('customer_user_id').unsigned().notNullable();
    t.string('field', 64).notNullable();
    exact(t.string('term', 191).notNullable());
    t.index(['term', 'customer_user_id'], `${p}cus_term_ix`);
    t.index(['customer_user_id'], `${p}cus_user_ix`);
    t.foreign('customer_user_id', `${p}cus_cu_fk`).references('id').inTable(tables.customer_users).onDelete('CASCADE');
  });

  await createTableIfMissing(knex, tables.customer_user_tokens, (t) => {
    t.increments('id');
    t.integer('customer_user_id').unsigned().notNullable().index(`${p}cut_user_ix`);
    t.string('purpose', 32).notNullable();
    t.string('token_hash', 64).notNullable().unique({ indexName: `${p}cut_hash_uq` });
    t.string('created_at', 24).notNullable();
    t.string('expires_at', 24).notNullable();
    t.string('used_at', 24).nullable();
    t.foreign('customer_user_id', `${p}cut_cu_fk`).references('id').inTable(tables.customer_users).onDelete('CASCADE');
  });

  await createTableIfMissing(knex, tables.customer_user_backends, (t) => {
    t.string('backend_key', 64).primary();
    t.string('type', 16).notNullable();
    t.integer('position').notNullable();
    t.text('settings_json', 'mediumtext').notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('updated_by', 191).notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  for (const name of [
    tables.customer_user_backends,
    tables.customer_user_tokens,
    tables.customer_user_search,
    tables.customer_key_users,
    tables.customer_user_customers,
    tables.customer_users,
    tables.customers,
  ]) {
    await knex.schema.dropTableIfExists(name);
  }
}
