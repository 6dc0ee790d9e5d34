import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { migrationExtension, migrationsDir } from '../paths.js';
import { dialectOf, type Dialect } from './knex-factory.js';
import type { TableNames } from './tables.js';

/** What every migration receives besides knex: the prefixed table names and the dialect. */
export interface MigrationContext {
  tables: TableNames;
  dialect: Dialect;
}

export interface LoketMigration {
  up(knex: Knex, ctx: MigrationContext): Promise<void>;
  down(knex: Knex, ctx: MigrationContext): Promise<void>;
}

/**
 * A knex migration source over migrations/ that hands each migration the instance's table names, so one
 * migration tree serves every prefix. Only the base name is recorded, so source (.ts) and compiled (.js)
 * runs share their history.
 */
class PrefixedMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly ctx: MigrationContext) {}

  async getMigrations(): Promise<string[]> {
    const files = await readdir(migrationsDir);
    return files
      .filter((f) => f.endsWith(migrationExtension) && !f.endsWith('.d.ts') && /^\d{14}_/.test(f))
      .map((f) => f.slice(0, -migrationExtension.length))
      .sort();
  }

  getMigrationName(name: string): string {
    return name;
  }

  async getMigration(name: string): Promise<Knex.Migration> {
    const mod = (await import(pathToFileURL(join(migrationsDir, name + migrationExtension)).href)) as LoketMigration;
    return {
      up: (knex: Knex) => mod.up(knex, this.ctx),
      down: (knex: Knex) => mod.down(knex, this.ctx),
    };
  }
}

export function migratorConfig(knex: Knex, tables: TableNames): Knex.MigratorConfig {
  return {
    tableName: tables.migrations,
    migrationSource: new PrefixedMigrationSource({ tables, dialect: dialectOf(knex) }),
  };
}

export async function migrateLatest(knex: Knex, tables: TableNames): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migratorConfig(knex, tables))) as [number, string[]];
  return applied;
}

/** Creates a table unless it exists: migrations stay re-runnable after a half-applied MySQL DDL run. */
export async function createTableIfMissing(
  knex: Knex,
  name: string,
  build: (table: Knex.CreateTableBuilder) => void,
): Promise<void> {
  if (await knex.schema.hasTable(name)) return;
  await knex.schema.createTable(name, (table) => {
    build(table);
  });
}

/** Whether an index exists, so a migration that adds or drops one can be run again after a half-applied MySQL run. */
export async function indexExists(knex: Knex, dialect: Dialect, table: string, index: string): Promise<boolean> {
  const rows: unknown[] =
    dialect === 'sqlite'
      ? await knex('sqlite_master').where({ type: 'index', name: index, tbl_name: table }).select('name')
      : await knex('information_schema.statistics').whereRaw('table_schema = database()').where({ table_name: table, index_name: index }).select('index_name');
  return rows.length > 0;
}
