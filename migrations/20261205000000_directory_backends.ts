import type { Knex } from 'knex';
import { createTableIfMissing, indexExists, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * Directory (LDAP) backends: the shadow row of a directory user is a customer_users row whose `source`
 * is the backend key, identified by the directory's stable id (entryUUID, objectGUID), never by e-mail
 * or login. Group grants that come from directory group membership are kept apart from the ones admins
 * set, so a sync only ever removes what a sync added. Job leases keep two syncs of one backend from
 * overlapping, across processes, and carry their progress for the admin screen.
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);

  if (!(await knex.schema.hasColumn(tables.customer_users, 'directory_id'))) {
    await knex.schema.alterTable(tables.customer_users, (t) => {
      exact(t.string('directory_id', 191).nullable());
      t.text('directory_dn').nullable();
      // SHA-256 of the mapped values last written: an unchanged entry costs no write.
      t.string('directory_hash', 64).nullable();
      t.string('directory_seen_at', 24).nullable();
      // Set when a sync deactivated the user because the directory no longer has them; cleared when they return.
      t.string('directory_missing_at', 24).nullable();
    });
  }
  if (!(await indexExists(knex, dialect, tables.customer_users, `${p}cu_directory_uq`))) {
    await knex.schema.alterTable(tables.customer_users, (t) => {
      t.unique(['source', 'directory_id'], { indexName: `${p}cu_directory_uq` });
    });
  }

  await createTableIfMissing(knex, tables.directory_group_grants, (t) => {
    t.integer('customer_user_id').unsigned().notNullable();
    t.foreign('customer_user_id', `${p}dgg_cu_fk`).references('id').inTable(tables.customer_users).onDelete('CASCADE');
    t.integer('group_id').unsigned().notNullable();
    t.foreign('group_id', `${p}dgg_grp_fk`).references('id').inTable(tables.groups);
    exact(t.string('permission', 32).notNullable());
    t.foreign('permission', `${p}dgg_perm_fk`).references('name').inTable(tables.permission_types);
    t.string('backend_key', 64).notNullable();
    t.primary(['customer_user_id', 'group_id', 'permission']);
    t.index(['group_id'], `${p}dgg_group_ix`);
  });

  await createTableIfMissing(knex, tables.job_leases, (t) => {
    t.string('name', 128).primary();
    t.string('holder', 128).notNullable();
    t.string('acquired_at', 24).notNullable();
    t.string('expires_at', 24).notNullable();
    t.text('progress_json').nullable();
  });
}

export async function down(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  await knex.schema.dropTableIfExists(tables.job_leases);
  await knex.schema.dropTableIfExists(tables.directory_group_grants);
  const p = tables.prefix;
  if (await indexExists(knex, dialect, tables.customer_users, `${p}cu_directory_uq`)) {
    await knex.schema.alterTable(tables.customer_users, (t) => t.dropUnique(['source', 'directory_id'], `${p}cu_directory_uq`));
  }
  await knex.schema.alterTable(tables.customer_users, (t) => {
    t.dropColumns('directory_id', 'directory_dn', 'directory_hash', 'directory_seen_at', 'directory_missing_at');
  });
}
