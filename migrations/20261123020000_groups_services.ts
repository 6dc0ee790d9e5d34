import type { Knex } from 'knex';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * Groups with permission types, their assignment to customer users, customers and everybody (defaults),
 * and the services catalogue with its four kinds of assignment. Names are unique case-insensitively
 * (`name_key`), kept as typed for display.
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);

  const named = (name: string, short: string, extra: (t: Knex.CreateTableBuilder) => void) =>
    createTableIfMissing(knex, name, (t) => {
      t.increments('id');
      t.string('name', 191).notNullable();
      exact(t.string('name_key', 191).notNullable()).unique({ indexName: `${p}${short}_name_uq` });
      t.text('comment').nullable();
      t.string('validity', 24).notNullable().defaultTo('valid');
      t.string('created_at', 24).notNullable();
      t.string('updated_at', 24).notNullable();
      t.integer('version').notNullable().defaultTo(1);
      extra(t);
    });
  await named(tables.groups, 'grp', () => undefined);
  await named(tables.services, 'svc', (t) => {
    t.integer('parent_id').unsigned().nullable().index(`${p}svc_parent_ix`);
  });

  await createTableIfMissing(knex, tables.permission_types, (t) => {
    exact(t.string('name', 32)).primary();
    t.integer('position').notNullable();
    t.boolean('built_in').notNullable().defaultTo(false);
    t.string('comment', 500).notNullable().defaultTo('');
  });

  const groupFk = (t: Knex.CreateTableBuilder, short: string) => {
    t.integer('group_id').unsigned().notNullable();
    t.foreign('group_id', `${p}${short}_grp_fk`).references('id').inTable(tables.groups);
  };
  const permissionFk = (t: Knex.CreateTableBuilder, short: string) => {
    exact(t.string('permission', 32).notNullable());
    t.foreign('permission', `${p}${short}_perm_fk`).references('name').inTable(tables.permission_types);
  };
  const serviceFk = (t: Knex.CreateTableBuilder, short: string) => {
    t.integer('service_id').unsigned().notNullable();
    t.foreign('service_id', `${p}${short}_svc_fk`).references('id').inTable(tables.services);
  };
  const userFk = (t: Knex.CreateTableBuilder, short: string) => {
    t.integer('customer_user_id').unsigned().notNullable();
    t.foreign('customer_user_id', `${p}${short}_cu_fk`).references('id').inTable(tables.customer_users).onDelete('CASCADE');
  };
  const customerFk = (t: Knex.CreateTableBuilder, short: string) => {
    exact(t.string('customer_id', 150).notNullable());
    t.foreign('customer_id', `${p}${short}_c_fk`).references('customer_id').inTable(tables.customers);
  };

  await createTableIfMissing(knex, tables.customer_user_groups, (t) => {
    userFk(t, 'cug');
    groupFk(t, 'cug');
    permissionFk(t, 'cug');
    t.primary(['customer_user_id', 'group_id', 'permission']);
    t.index(['group_id', 'customer_user_id'], `${p}cug_group_ix`);
  });
  await createTableIfMissing(knex, tables.customer_groups, (t) => {
    customerFk(t, 'cg');
    groupFk(t, 'cg');
    permissionFk(t, 'cg');
    t.primary(['customer_id', 'group_id', 'permission']);
    t.index(['group_id', 'customer_id'], `${p}cg_group_ix`);
  });
  await createTableIfMissing(knex, tables.default_groups, (t) => {
    // 'customer-users': every customer user; 'customers': every customer (and so its users).
    t.string('scope', 16).notNullable();
    groupFk(t, 'dg');
    permissionFk(t, 'dg');
    t.primary(['scope', 'group_id', 'permission']);
  });

  await createTableIfMissing(knex, tables.customer_user_services, (t) => {
    userFk(t, 'cusv');
    serviceFk(t, 'cusv');
    t.primary(['customer_user_id', 'service_id']);
    t.index(['service_id'], `${p}cusv_svc_ix`);
  });
  await createTableIfMissing(knex, tables.customer_services, (t) => {
    customerFk(t, 'cs');
    serviceFk(t, 'cs');
    t.primary(['customer_id', 'service_id']);
    t.index(['service_id'], `${p}cs_svc_ix`);
  });
  await createTableIfMissing(knex, tables.group_services, (t) => {
    groupFk(t, 'gs');
    serviceFk(t, 'gs');
    t.primary(['group_id', 'service_id']);
    t.index(['service_id'], `${p}gs_svc_ix`);
  });
  await createTableIfMissing(knex, tables.default_services, (t) => {
    serviceFk(t, 'ds');
    t.primary(['service_id']);
  });
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  for (const name of [
    tables.default_services, tables.group_services, tables.customer_services, tables.customer_user_services,
    tables.default_groups, tables.customer_groups, tables.customer_user_groups, tables.permission_types,
    tables.services, tables.groups,
  ]) {
    await knex.schema.dropTableIfExists(name);
  }
}
