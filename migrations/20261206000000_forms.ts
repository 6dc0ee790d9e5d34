import type { Knex } from 'knex';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * Delegated forms: definitions (current and every saved version), runs with their approvals, the
 * participants of request tickets (requester and approvers see the ticket), webhook deliveries that
 * failed for good, and which form run assigned a customer user's service (its effective-permission reason).
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);
  const long = (t: Knex.CreateTableBuilder, name: string) => t.text(name, 'mediumtext');

  await createTableIfMissing(knex, tables.forms, (t) => {
    t.increments('id');
    exact(t.string('form_key', 64).notNullable()).unique({ indexName: `${p}form_key_uq` });
    t.integer('version').notNullable().defaultTo(1);
    t.string('validity', 24).notNullable().defaultTo('valid');
    long(t, 'definition_json').notNullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('updated_by', 191).notNullable();
  });

  await createTableIfMissing(knex, tables.form_versions, (t) => {
    t.increments('id');
    exact(t.string('form_key', 64).notNullable());
    t.integer('version').notNullable();
    long(t, 'definition_json').notNullable();
    t.string('saved_at', 24).notNullable();
    t.string('saved_by', 191).notNullable();
    t.unique(['form_key', 'version'], { indexName: `${p}formv_key_uq` });
  });

  await createTableIfMissing(knex, tables.form_runs, (t) => {
    t.increments('id');
    exact(t.string('form_key', 64).notNullable());
    t.integer('form_version').notNullable();
    t.string('requester_kind', 16).notNullable();
    t.integer('requester_id').unsigned().notNullable();
    t.string('requester_login', 191).notNullable();
    t.string('requester_name', 200).notNullable();
    t.string('target_kind', 16).notNullable();
    t.integer('target_id').unsigned().nullable();
    t.string('target_login', 191).nullable();
    exact(t.string('target_customer_id', 150).nullable());
    t.string('target_label', 300).nullable();
    long(t, 'values_json').notNullable();
    t.string('payload_hash', 64).notNullable();
    t.string('state', 24).notNullable();
    t.integer('ticket_id').unsigned().nullable();
    t.foreign('ticket_id', `${p}frun_ticket_fk`).references('id').inTable(tables.tickets).onDelete('SET NULL');
    long(t, 'actions_json').notNullable();
    t.text('error').nullable();
    t.integer('delegation_id').unsigned().nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.index(['requester_kind', 'requester_id', 'created_at'], `${p}frun_requester_ix`);
    t.index(['state', 'updated_at'], `${p}frun_state_ix`);
    t.index(['target_customer_id', 'created_at'], `${p}frun_target_cust_ix`);
    t.index(['ticket_id'], `${p}frun_ticket_ix`);
  });

  await createTableIfMissing(knex, tables.form_approvals, (t) => {
    t.increments('id');
    t.integer('run_id').unsigned().notNullable();
    t.foreign('run_id', `${p}fappr_run_fk`).references('id').inTable(tables.form_runs).onDelete('CASCADE');
    t.integer('step').notNullable();
    t.string('approver_kind', 16).notNullable();
    t.integer('approver_id').unsigned().notNullable();
    t.string('approver_login', 191).notNullable();
    t.string('approver_name', 200).notNullable();
    t.string('reason', 300).notNullable();
    t.string('state', 16).notNullable();
    t.string('payload_hash', 64).notNullable();
    t.string('expires_at', 24).notNullable();
    t.string('reminded_at', 24).nullable();
    t.string('decided_at', 24).nullable();
    t.string('decided_by', 191).nullable();
    t.text('comment').nullable();
    t.index(['approver_kind', 'approver_id', 'state'], `${p}fappr_approver_ix`);
    t.index(['run_id', 'step'], `${p}fappr_run_ix`);
    t.index(['state', 'expires_at'], `${p}fappr_state_ix`);
  });

  await createTableIfMissing(knex, tables.ticket_participants, (t) => {
    t.integer('ticket_id').unsigned().notNullable();
    t.foreign('ticket_id', `${p}tpart_ticket_fk`).references('id').inTable(tables.tickets).onDelete('CASCADE');
    // Principal key (`customer-user:12`, `agent:3`).
    exact(t.string('principal', 40).notNullable());
    // 'requester' | 'approver'
    t.string('role', 16).notNullable();
    t.primary(['ticket_id', 'principal']);
    t.index(['principal'], `${p}tpart_principal_ix`);
  });

  await createTableIfMissing(knex, tables.webhook_dead_letters, (t) => {
    t.increments('id');
    t.integer('run_id').unsigned().nullable();
    t.foreign('run_id', `${p}whdl_run_fk`).references('id').inTable(tables.form_runs).onDelete('SET NULL');
    t.string('url', 2000).notNullable();
    long(t, 'body').notNullable();
    t.text('last_error').notNullable();
    t.integer('attempts').notNullable();
    t.string('created_at', 24).notNullable();
    t.index(['created_at'], `${p}whdl_created_ix`);
  });

  if (!(await knex.schema.hasColumn(tables.customer_user_services, 'form_run_id'))) {
    await knex.schema.alterTable(tables.customer_user_services, (t) => {
      // Set when a form run assigned the service: the effective permissions say "via form run N".
      t.integer('form_run_id').unsigned().nullable();
    });
  }
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  if (await knex.schema.hasColumn(tables.customer_user_services, 'form_run_id')) {
    await knex.schema.alterTable(tables.customer_user_services, (t) => t.dropColumn('form_run_id'));
  }
  for (const table of [tables.webhook_dead_letters, tables.ticket_participants, tables.form_approvals, tables.form_runs, tables.form_versions, tables.forms]) {
    await knex.schema.dropTableIfExists(table);
  }
}
