import type { Knex } from 'knex';
import { dropFullText, ensureFullText } from '../plugin/db/fulltext.js';
import { createTableIfMissing, type MigrationContext } from '../plugin/db/migrator.js';
import { faqArticleIndex } from '../plugin/faq/search-index.js';

/**
 * The FAQ knowledge base: a category tree bound to groups, articles (one row per slug and language;
 * translations share the slug), every saved version, per-article counters, helpful votes, the
 * searches that found nothing, and the full-text index over the folded search columns.
 */
export async function up(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  const p = tables.prefix;
  const exact = (column: Knex.ColumnBuilder): Knex.ColumnBuilder => (dialect === 'mysql' ? column.collate('utf8mb4_bin') : column);
  // TEXT holds 64 KiB on MySQL; a 100,000-character body in UTF-8 needs more.
  const long = (t: Knex.CreateTableBuilder, name: string) => t.text(name, 'mediumtext');

  await createTableIfMissing(knex, tables.faq_categories, (t) => {
    t.increments('id');
    exact(t.string('slug', 80).notNullable()).unique({ indexName: `${p}faqc_slug_uq` });
    t.string('name', 150).notNullable();
    t.integer('parent_id').unsigned().nullable().index(`${p}faqc_parent_ix`);
    t.integer('group_id').unsigned().nullable();
    t.foreign('group_id', `${p}faqc_grp_fk`).references('id').inTable(tables.groups);
    t.integer('position').notNullable().defaultTo(0);
    t.text('comment').nullable();
    t.string('validity', 24).notNullable().defaultTo('valid');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });

  await createTableIfMissing(knex, tables.faq_articles, (t) => {
    t.increments('id');
    exact(t.string('slug', 80).notNullable());
    t.string('language', 8).notNullable();
    t.integer('category_id').unsigned().notNullable();
    t.foreign('category_id', `${p}faqa_cat_fk`).references('id').inTable(tables.faq_categories);
    t.string('title', 200).notNullable();
    t.string('summary', 500).notNullable().defaultTo('');
    t.string('keywords', 1000).notNullable().defaultTo('[]');
    long(t, 'body_md').notNullable();
    long(t, 'body_html').notNullable();
    long(t, 'body_text').notNullable();
    t.text('search_title').notNullable();
    long(t, 'search_body').notNullable();
    t.string('state', 16).notNullable();
    t.string('visibility', 16).notNullable();
    t.boolean('limited').notNullable().defaultTo(false);
    t.string('created_by', 64).notNullable();
    t.string('created_by_name', 200).notNullable();
    t.string('updated_by', 64).notNullable();
    t.string('updated_by_name', 200).notNullable();
    t.string('submitted_by', 64).nullable();
    t.string('submitted_by_name', 200).nullable();
    t.string('submitted_at', 24).nullable();
    t.string('approved_by', 64).nullable();
    t.string('approved_by_name', 200).nullable();
    t.string('published_at', 24).nullable();
    t.text('review_comment').nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['slug', 'language'], { indexName: `${p}faqa_slug_lang_uq` });
    t.index(['category_id', 'state'], `${p}faqa_cat_state_ix`);
    t.index(['state', 'updated_at'], `${p}faqa_state_updated_ix`);
  });

  const articleFk = (t: Knex.CreateTableBuilder, short: string) => {
    t.integer('article_id').unsigned().notNullable();
    t.foreign('article_id', `${p}${short}_art_fk`).references('id').inTable(tables.faq_articles).onDelete('CASCADE');
  };

  await createTableIfMissing(knex, tables.faq_article_customers, (t) => {
    articleFk(t, 'faqac');
    exact(t.string('customer_id', 150).notNullable());
    t.foreign('customer_id', `${p}faqac_c_fk`).references('customer_id').inTable(tables.customers);
    t.primary(['article_id', 'customer_id']);
  });
  await createTableIfMissing(knex, tables.faq_article_services, (t) => {
    articleFk(t, 'faqas');
    t.integer('service_id').unsigned().notNullable();
    t.foreign('service_id', `${p}faqas_svc_fk`).references('id').inTable(tables.services);
    t.primary(['article_id', 'service_id']);
  });

  await createTableIfMissing(knex, tables.faq_versions, (t) => {
    t.increments('id');
    articleFk(t, 'faqv');
    t.integer('number').notNullable();
    t.string('title', 200).notNullable();
    t.string('summary', 500).notNullable();
    t.string('keywords', 1000).notNullable();
    long(t, 'body_md').notNullable();
    t.string('category_slug', 80).notNullable();
    t.string('visibility', 16).notNullable();
    t.string('state', 16).notNullable();
    t.string('author', 64).notNullable();
    t.string('author_name', 200).notNullable();
    t.string('note', 500).nullable();
    t.string('created_at', 24).notNullable();
    t.unique(['article_id', 'number'], { indexName: `${p}faqv_num_uq` });
  });

  await createTableIfMissing(knex, tables.faq_stats, (t) => {
    t.integer('article_id').unsigned().primary();
    t.foreign('article_id', `${p}faqs_art_fk`).references('id').inTable(tables.faq_articles).onDelete('CASCADE');
    t.integer('views').notNullable().defaultTo(0);
    t.integer('helpful_yes').notNullable().defaultTo(0);
    t.integer('helpful_no').notNullable().defaultTo(0);
    t.index(['views'], `${p}faqs_views_ix`);
  });

  await createTableIfMissing(knex, tables.faq_votes, (t) => {
    articleFk(t, 'faqvo');
    exact(t.string('voter', 100).notNullable());
    t.boolean('helpful').notNullable();
    t.string('created_at', 24).notNullable();
    t.primary(['article_id', 'voter']);
  });

  await createTableIfMissing(knex, tables.faq_gaps, (t) => {
    t.increments('id');
    exact(t.string('query_key', 191).notNullable());
    t.string('query', 200).notNullable();
    t.string('language', 8).notNullable();
    t.integer('searches').notNullable().defaultTo(1);
    t.string('first_at', 24).notNullable();
    t.string('last_at', 24).notNullable();
    t.string('dismissed_at', 24).nullable();
    t.unique(['query_key', 'language'], { indexName: `${p}faqg_key_uq` });
    t.index(['last_at'], `${p}faqg_last_ix`);
  });

  await ensureFullText(knex, dialect, faqArticleIndex(tables));
}

export async function down(knex: Knex, { tables, dialect }: MigrationContext): Promise<void> {
  await dropFullText(knex, dialect, faqArticleIndex(tables));
  for (const table of [tables.faq_gaps, tables.faq_votes, tables.faq_stats, tables.faq_versions, tables.faq_article_services, tables.faq_article_customers, tables.faq_articles, tables.faq_categories]) {
    await knex.schema.dropTableIfExists(table);
  }
}
