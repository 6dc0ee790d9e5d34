import type { Express } from 'express';
import { buildApp } from './app.js';
import { parseLoketOptions, type LoketOptionsInput } from './config/schema.js';
import { createContainer, type Container } from './container.js';
import { ConfigError } from './errors.js';
import { createLogger } from './log.js';

export interface LoketInstance {
  /** The Express sub-app to mount: `host.use('/helpdesk', loket.app)`. */
  app: Express;
  /** Waits for the database (with retries), then applies pending migrations. Call before serving. */
  migrate(): Promise<string[]>;
  /** Closes the database pool and timers. */
  close(): Promise<void>;
}

/** Internal form with the container, for the host, the CLI and tests. */
export interface LoketInternals extends LoketInstance {
  container: Container;
}

export function buildLoket(options: LoketOptionsInput): LoketInternals {
  const { logger: parentLogger, ...rest } = options;
  const config = parseLoketOptions(rest);
  if (config.env === 'production' && !config.session.secret) {
    throw new ConfigError('session.secret (SESSION_SECRET)', 'required when NODE_ENV=production');
  }
  const logger = createLogger(config.logLevel, parentLogger);
  const container = createContainer(config, logger);
  const app = buildApp(container);
  return {
    app,
    container,
    migrate: () => container.migrate(),
    close: () => container.close(),
  };
}
