import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import type { DatabaseTarget } from '../config/database-url.js';

export interface KnexSettings {
  poolMax: number;
  acquireTimeoutMs: number;
  logger: Logger;
}

/** knex's own warnings (e.g. "Acquire connection error") go to Loket's logger, not to the console. */
function knexLog(logger: Logger): Knex.Config['log'] {
  return {
    warn: (message: unknown) => logger.warn({ source: 'knex' }, String(message)),
    error: (message: unknown) => logger.error({ source: 'knex' }, String(message)),
    deprecate: (method: string, alternative: string) => logger.warn({ source: 'knex' }, `${method} is deprecated, use ${alternative}`),
    debug: (message: unknown) => logger.debug({ source: 'knex' }, String(message)),
  };
}

interface SqliteConnection {
  pragma(source: string): unknown;
}
interface MysqlConnection {
  query(sql: string, done: (err: Error | null) => void): void;
}

/** One knex per Loket instance, tuned per dialect (see ARCHITECTURE.md "Database rules"). */
export function createKnex(target: DatabaseTarget, settings: KnexSettings): Knex {
  if (target.dialect === 'sqlite') {
    if (target.filename !== ':memory:') mkdirSync(dirname(target.filename), { recursive: true });
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: target.filename },
      log: knexLog(settings.logger),
      useNullAsDefault: true,
      acquireConnectionTimeout: settings.acquireTimeoutMs,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          try {
            if (target.filename !== ':memory:') conn.pragma('journal_mode = WAL');
            conn.pragma('foreign_keys = ON');
            conn.pragma('busy_timeout = 5000');
            conn.pragma('synchronous = NORMAL');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    });
  }
  return knexFactory({
    client: 'mysql2',
    log: knexLog(settings.logger),
    connection: {
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      connectTimeout: settings.acquireTimeoutMs,
    },
    acquireConnectionTimeout: settings.acquireTimeoutMs,
    pool: {
      min: 0,
      max: settings.poolMax,
      afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
  });
}

export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(knex: Knex): Dialect {
  const config = (knex.client as { config: Knex.Config }).config;
  const client = typeof config.client === 'string' ? config.client : '';
  return client === 'mysql2' || client === 'mysql' ? 'mysql' : 'sqlite';
}
