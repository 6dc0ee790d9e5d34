import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createAgentService } from './agents/service.js';
import { createAgentStore } from './agents/store.js';
import { createAuditService } from './audit/service.js';
import { createAuditStore } from './audit/store.js';
import { createActorResolver } from './auth/actors.js';
import { createApiTokenService } from './auth/api-token-service.js';
import { createApiTokenStore } from './auth/api-token-store.js';
import { createPassport } from './auth/passport-setup.js';
import { KnexSessionStore } from './auth/session-store.js';
import { describeDatabase, parseDatabaseUrl, type DatabaseTarget } from './config/database-url.js';
import type { LoketConfig } from './config/schema.js';
import { pingDatabase, waitForDatabase } from './db/health.js';
import { createKnex, dialectOf, type Dialect } from './db/knex-factory.js';
import { migrateLatest } from './db/migrator.js';
import { tableNames, type TableNames } from './db/tables.js';
import { createTranslator } from './i18n/index.js';
import { createMailer } from './mail/mailer.js';

/** The composition root: the one place that builds knex, stores, services and strategies. */
export function createContainer(config: LoketConfig, logger: Logger) {
  const target: DatabaseTarget = parseDatabaseUrl(config.databaseUrl);
  const databaseLabel = describeDatabase(target);
  const knex: Knex = createKnex(target, {
    poolMax: config.database.poolMax,
    acquireTimeoutMs: config.database.acquireTimeoutMs,
    logger,
  });
  const dialect: Dialect = dialectOf(knex);
  const tables: TableNames = tableNames(config.tablePrefix);

  const sessionStore = new KnexSessionStore(knex, tables, config.session.idleMinutes * 60_000);
  const audit = createAuditService({ store: createAuditStore(knex, tables) });
  const agents = createAgentService({
    store: createAgentStore(knex, tables),
    audit,
    endSessions: (principal) => sessionStore.destroyForPrincipal(principal),
  });
  const apiTokens = createApiTokenService({ store: createApiTokenStore(knex, tables), audit });
  const actors = createActorResolver({ agents });
  const passport = createPassport(actors);
  const translator = createTranslator(config.i18n.defaultLanguage);
  const mailer = createMailer(config.smtp, logger);

  return {
    config,
    logger,
    knex,
    dialect,
    tables,
    databaseLabel,
    services: { audit, agents, apiTokens, actors },
    passport,
    sessionStore,
    translator,
    mailer,

    async migrate(): Promise<string[]> {
      await waitForDatabase(knex, {
        retries: config.database.connectRetries,
        delayMs: config.database.connectRetryDelayMs,
        target: databaseLabel,
        logger,
      });
      const applied = await migrateLatest(knex, tables);
      logger.info({ database: databaseLabel, applied }, applied.length ? 'migrations applied' : 'database schema up to date');
      return applied;
    },

    ping: () => pingDatabase(knex),

    async close(): Promise<void> {
      sessionStore.close();
      mailer.close();
      await knex.destroy();
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
