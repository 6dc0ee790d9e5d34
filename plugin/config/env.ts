import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { LoketOptionsInput } from './schema.js';

export interface HostSettings {
  options: LoketOptionsInput;
  port: number;
  /** Where the standalone host keeps local files (SQLite database, dev session secret, demo credentials). */
  dataDir: string;
}

type Env = Record<string, string | undefined>;

function readConfigFile(path: string, explicit: boolean): Record<string, unknown> {
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError('LOKET_CONFIG', `file ${path} does not exist`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError('LOKET_CONFIG', `${path} is not a JSON object (${(err as Error).message})`);
  }
}

function parsePort(value: string | number | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', 'must be a whole number from 0 to 65535');
  return port;
}

const nested = (file: Record<string, unknown>, key: string): Record<string, unknown> => {
  const value = file[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};

/**
 * The standalone host's settings: an optional JSON file (LOKET_CONFIG, default ./loket.config.json) with the
 * plugin options plus `port`, then environment variables on top. Validation happens in the plugin's schema.
 */
export function hostSettingsFromEnv(env: Env = process.env): HostSettings {
  const explicit = env.LOKET_CONFIG !== undefined && env.LOKET_CONFIG !== '';
  const file = readConfigFile(resolve(explicit ? String(env.LOKET_CONFIG) : 'loket.config.json'), explicit);
  const { port: filePort, ...fileOptions } = file;
  const options: LoketOptionsInput = { ...(fileOptions as LoketOptionsInput) };
  if (env.DATABASE_URL) options.databaseUrl = env.DATABASE_URL;
  if (env.BASE_URL) options.baseUrl = env.BASE_URL;
  if (env.LOG_LEVEL) options.logLevel = env.LOG_LEVEL as LoketOptionsInput['logLevel'];
  if (env.NODE_ENV) options.env = env.NODE_ENV as LoketOptionsInput['env'];
  if (env.SESSION_SECRET) options.session = { ...nested(file, 'session'), secret: env.SESSION_SECRET };
  if (env.SMTP_URL) options.smtp = { ...nested(file, 'smtp'), url: env.SMTP_URL };
  if (env.LOKET_WEBHOOK_SECRET) options.forms = { ...nested(file, 'forms'), webhookSecret: env.LOKET_WEBHOOK_SECRET };
  if (env.TRUST_PROXY) {
    const raw = env.TRUST_PROXY;
    const trustProxy = raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
    options.security = { ...nested(file, 'security'), trustProxy };
  }
  return {
    options,
    port: parsePort(env.PORT ?? (typeof filePort === 'number' || typeof filePort === 'string' ? filePort : undefined)),
    dataDir: resolve(env.LOKET_DATA_DIR ?? 'data'),
  };
}
