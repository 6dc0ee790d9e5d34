import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { hostSettingsFromEnv } from '../config/env.js';
import { formatCredentials, saveCredentials, seedDemo, type DemoCredential } from '../demo/seed.js';
import { buildLoket, type LoketInternals } from '../loket.js';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Overrides PORT (0 picks a free port, as tests do). */
  port?: number;
  /** Seed demo accounts into an empty database (never with NODE_ENV=production). */
  demo?: boolean;
  /** Where the demo credentials banner goes; the default is stdout. */
  print?: (text: string) => void;
}

export interface RunningHost {
  url: string;
  server: Server;
  loket: LoketInternals;
  demoCredentials: DemoCredential[] | null;
  stop(): Promise<void>;
}

/** Outside production, a missing SESSION_SECRET is generated once and kept in the data folder. */
function developmentSecret(dataDir: string): string {
  const path = join(dataDir, 'session-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** The standalone host: a bare Express app with Loket mounted at the root. */
export async function start(opts: StartOptions = {}): Promise<RunningHost> {
  const settings = hostSettingsFromEnv(opts.env ?? process.env);
  const production = settings.options.env === 'production';
  if (!production && !settings.options.session?.secret) {
    settings.options.session = { ...settings.options.session, secret: developmentSecret(settings.dataDir) };
  }
  const loket = buildLoket(settings.options);
  const { logger } = loket.container;
  try {
    await loket.migrate();
  } catch (err) {
    await loket.close();
    throw err;
  }

  const host = express();
  host.disable('x-powered-by');
  host.use(loket.app);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = host.listen(opts.port ?? settings.port, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = settings.options.baseUrl?.replace(/\/$/, '') ?? `http://localhost:${port}`;

  let demoCredentials: DemoCredential[] | null = null;
  if (opts.demo && !production) {
    demoCredentials = await seedDemo(loket.container);
    if (demoCredentials) {
      const text = formatCredentials(demoCredentials, url);
      const path = saveCredentials(settings.dataDir, text);
      (opts.print ?? ((t: string) => process.stdout.write(t)))(`${text}(saved to ${path})\n`);
    }
  }
  logger.info({ url, database: loket.container.databaseLabel }, 'Loket is listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running after 10 s are cut off rather than holding the shutdown.
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      });
      await loket.close();
      logger.info('Loket stopped');
    })();
    return stopping;
  };
  return { url, server, loket, demoCredentials, stop };
}
