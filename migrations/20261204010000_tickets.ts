import type { Knex } from 'knex';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';

/**
 * Tickets in Loket's own store: queues bound to groups, agents' group permissions (queues by group),
 * tickets with their messages and linked FAQ articles, idempotency keys (a retried or doubled request
 * answers with the first result) and the ticket form's FAQ outcomes (deflections).
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);
  const long = (t: Knex.CreateTableBuilder, name: string) => t.text(name, 'mediumtext');

  await createTableIfMissing(knex, tables.queues, (t) => {
    t.increments('id');
    t.string('name', 191).notNullable();
    exact(t.string('name_key', 191).notNullable()).unique({ indexName: `${p}queue_name_uq` });
    t.integer('group_id').unsigned().notNullable();
    t.foreign('group_id', `${p}queue_grp_fk`).references('id').inTable(tables.groups);
    t.text('comment').nullable();
    t.string('validity', 24).notNullable().defaultTo('valid');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });

  await createTableIfMissing(knex, tables.agent_groups, (t) => {
    t.integer('agent_id').unsigned().notNullable();
    t.foreign('agent_id', `${p}ag_agent_fk`).references('id').inTable(tables.agents).onDelete('CASCADE');
    t.integer('group_id').unsigned().notNullable();
    t.foreign('group_id', `${p}ag_grp_fk`).references('id').inTable(tables.groups);
    exact(t.string('permission', 32).notNullable());
    t.foreign('permission', `${p}ag_perm_fk`).references('name').inTable(tables.permission_types);
    t.primary(['agent_id', 'group_id', 'permission']);
    t.index(['group_id'], `${p}ag_group_ix`);
  });

  await createTableIfMissing(knex, tables.tickets, (t) => {
    t.increments('id');
    // Set in the creating transaction from the id (unique by construction); null only inside it.
    t.string('number', 32).nullable().unique({ indexName: `${p}ticket_number_uq` });
    t.string('title', 200).notNullable();
    t.integer('queue_id').unsigned().notNullable();
    t.foreign('queue_id', `${p}ticket_queue_fk`).references('id').inTable(tables.queues);
    t.integer('service_id').unsigned().nullable();
    t.foreign('service_id', `${p}ticket_svc_fk`).references('id').inTable(tables.services);
    t.string('priority', 16).notNullable().defaultTo('normal');
    t.string('state', 16).notNullable().defaultTo('new');
    t.string('type', 16).notNullable().defaultTo('incident');
    t.integer('customer_user_id').unsigned().nullable();
    t.foreign('customer_user_id', `${p}ticket_cu_fk`).references('id').inTable(tables.customer_users).onDelete('SET NULL');
    exact(t.string('customer_id', 150).notNullable());
    t.string('customer_user_login', 191).notNullable();
    t.string('created_by', 40).notNullable();
    t.string('created_by_name', 200).notNullable();
    t.integer('delegation_id').unsigned().nullable();
    t.text('customer_snapshot').notNullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('closed_at', 24).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.index(['customer_user_id', 'updated_at'], `${p}ticket_cu_ix`);
    t.index(['customer_id', 'updated_at'], `${p}ticket_cust_ix`);
    t.index(['queue_id', 'state', 'updated_at'], `${p}ticket_queue_ix`);
    t.index(['state', 'updated_at'], `${p}ticket_state_ix`);
    t.index(['created_at'], `${p}ticket_created_ix`);
  });

  await createTableIfMissing(knex, tables.ticket_messages, (t) => {
    t.increments('id');
    t.integer('ticket_id').unsigned().notNullable();
    t.foreign('ticket_id', `${p}tmsg_ticket_fk`).references('id').inTable(tables.tickets).onDelete('CASCADE');
    // 'customer' | 'agent' | 'system'
    t.string('author_kind', 16).notNullable();
    t.string('author', 40).notNullable();
    t.string('author_name', 200).notNullable();
    t.boolean('internal').notNullable().defaultTo(false);
    long(t, 'body').notNullable();
    t.integer('delegation_id').unsigned().nullable();
    t.string('created_at', 24).notNullable();
    t.index(['ticket_id', 'id'], `${p}tmsg_ticket_ix`);
  });

  await createTableIfMissing(knex, tables.ticket_faq_links, (t) => {
    t.integer('ticket_id').unsigned().notNullable();
    t.foreign('ticket_id', `${p}tfaq_ticket_fk`).references('id').inTable(tables.tickets).onDelete('CASCADE');
    t.integer('article_id').unsigned().notNullable();
    t.foreign('article_id', `${p}tfaq_article_fk`).references('id').inTable(tables.faq_articles).onDelete('CASCADE');
    t.string('linked_by', 40).notNullable();
    t.string('linked_at', 24).notNullable();
    t.primary(['ticket_id', 'article_id']);
    t.index(['article_id'], `${p}tfaq_article_ix`);
  });

  await createTableIfMissing(knex, tables.idempotency_keys, (t) => {
    t.increments('id');
    // Whose key (principal key) and for what (e.g. 'ticket.create'): one person's keys never meet another's.
    exact(t.string('owner', 40).notNullable());
    exact(t.string('operation', 40).notNullable());
    exact(t.string('idempotency_key', 191).notNullable());
    t.string('request_hash', 64).notNullable();
    t.string('result', 191).notNullable();
    t.string('created_at', 24).notNullable();
    t.unique(['owner', 'operation', 'idempotency_key'], { indexName: `${p}idem_key_uq` });
    t.index(['created_at'], `${p}idem_created_ix`);
  });

  await createTableIfMissing(knex, tables.faq_deflections, (t) => {
    t.increments('id');
    t.integer('article_id').unsigned().notNullable();
    t.foreign('article_id', `${p}fdef_article_fk`).references('id').inTable(tables.faq_articles).onDelete('CASCADE');
    // 'opened': a suggestion was opened from the ticket form; 'answered': it answered the question (no ticket).
    t.string('outcome', 16).notNullable();
    t.string('query', 500).notNullable().defaultTo('');
    t.integer('customer_user_id').unsigned().nullable();
    t.foreign('customer_user_id', `${p}fdef_cu_fk`).references('id').inTable(tables.customer_users).onDelete('SET NULL');
    t.string('customer_id', 150).nullable();
    t.string('created_at', 24).notNullable();
    t.index(['outcome', 'created_at'], `${p}fdef_outcome_ix`);
    t.index(['article_id', 'outcome'], `${p}fdef_article_ix`);
  });
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  for (const table of [tables.faq_deflections, tables.idempotency_keys, tables.ticket_faq_links, tables.ticket_messages, tables.tickets, tables.agent_groups, tables.queues]) {
    await knex.schema.dropTableIfExists(table);
  }
}
