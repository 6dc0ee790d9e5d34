import type { Knex } from 'knex';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';

/** Agents and admins, database sessions, API tokens and the hash-chained audit log. */
export async function up(knex: Knex, { tables }: MigrationContext): Promise<void> {
  await createTableIfMissing(knex, tables.agents, (t) => {
    t.increments('id');
    t.string('login', 191).notNullable().unique({ indexName: `${tables.prefix}agents_login_uq` });
    t.string('email', 191).nullable().index(`${tables.prefix}agents_email_ix`);
    t.string('first_name', 100).notNullable().defaultTo('');
    t.string('last_name', 100).notNullable().defaultTo('');
    t.string('role', 16).notNullable();
    t.string('password_hash', 255).nullable();
    t.string('validity', 24).notNullable().defaultTo('valid');
    t.string('language', 8).nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('last_login_at', 24).nullable();
    t.integer('version').notNullable().defaultTo(1);
  });

  await createTableIfMissing(knex, tables.sessions, (t) => {
    t.string('sid', 191).primary();
    t.text('sess', 'mediumtext').notNullable();
    t.string('expires_at', 24).notNullable().index(`${tables.prefix}sessions_expires_ix`);
    t.string('principal', 64).nullable().index(`${tables.prefix}sessions_principal_ix`);
  });

  await createTableIfMissing(knex, tables.api_tokens, (t) => {
    t.increments('id');
    t.string('principal_kind', 16).notNullable();
    t.integer('principal_id').notNullable();
    t.string('name', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique({ indexName: `${tables.prefix}api_tokens_hash_uq` });
    t.string('token_hint', 16).notNullable();
    t.string('created_at', 24).notNullable();
    t.string('created_by', 191).notNullable();
    t.string('last_used_at', 24).nullable();
    t.string('expires_at', 24).nullable();
    t.string('revoked_at', 24).nullable();
    t.index(['principal_kind', 'principal_id'], `${tables.prefix}api_tokens_principal_ix`);
  });

  await createTableIfMissing(knex, tables.audit_log, (t) => {
    t.increments('id');
    t.string('at', 24).notNullable().index(`${tables.prefix}audit_at_ix`);
    t.string('actor_kind', 16).notNullable();
    t.string('actor_login', 191).notNullable().index(`${tables.prefix}audit_actor_ix`);
    t.string('effective_customer_id', 191).nullable();
    t.integer('delegation_id').nullable();
    t.string('action', 64).notNullable();
    t.string('object_type', 64).notNullable();
    t.string('object_id', 191).notNullable();
    t.text('before_json', 'mediumtext').nullable();
    t.text('after_json', 'mediumtext').nullable();
    t.string('ip', 64).nullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['object_type', 'object_id'], `${tables.prefix}audit_object_ix`);
  });

  await createTableIfMissing(knex, tables.audit_head, (t) => {
    t.integer('id').primary();
    t.integer('last_id').notNullable();
    t.string('last_hash', 64).notNullable();
  });
}

export async function down(knex: Knex, { tables }: MigrationContext): Promise<void> {
  for (const name of [tables.audit_head, tables.audit_log, tables.api_tokens, tables.sessions, tables.agents]) {
    await knex.schema.dropTableIfExists(name);
  }
}
